"""Check model-written text sentence by sentence before any of it leaves the server.

Generic on purpose: a policy is only the URLs this turn may show, the system prompt whose lines
must never be repeated, and phrases (course and program titles) that may be in another language.
Every composer that streams model text passes it through `SentenceGuard`; nothing in here knows
how an answer is put together.

Checks, per sentence:
- `prompt`: a run of 8 words, or a whole line, copied from the system prompt (phrases the
  prompt quotes for the model to say, like the "no reliable information" line, are allowed);
- `url`: a link (with or without `http`) that is not among the turn's sources or the catalog;
- `language`: letters of a non-Latin script (Cyrillic, CJK, Arabic…), or a sentence that reads
  as English once quoted titles are set aside;
- `role`: the model claims to be someone else (a lawyer, a bank, "modo desarrollador"…);
- `topic`: a sales pitch or money scheme (credit cards, crypto, "haz clic"…).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.understanding.language import ENGLISH_WORDS, SPANISH_WORDS, non_latin_share
from assistant.understanding.text import fold

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»()\[\]]+"
    r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"'«»()\[\]]*",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}»\"'*_`"
_END = re.compile(r"(?<=[.!?。！？…])[\"'»)\]*_]*\s+|\n+")
_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”|\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`")
_WORD = re.compile(r"[a-zñáéíóúü']+")
_MAX_BUFFER = 600  # a "sentence" longer than this is checked at its last space
_MIN_WORDS = 5  # a shorter sentence ("Hello!", "Claro.") is checked with the next one
_SHINGLE = 8  # words in a row copied from the system prompt that count as a leak

# The answer check's words plus a few more that mark a model drifting mid-answer.
_EN = ENGLISH_WORDS | {
    "i",
    "we",
    "my",
    "our",
    "am",
    "now",
    "here",
    "what",
    "from",
    "all",
    "not",
    "do",
    "any",
    "they",
    "would",
    "should",
}
# The answer check's words plus a few more that mark a model drifting mid-answer.
_ES = SPANISH_WORDS | {
    "no",
    "lo",
    "su",
    "a",
    "o",
    "mi",
    "me",
    "le",
    "hay",
    "esta",
    "este",
    "son",
    "muy",
    "tiene",
}

_ROLE = re.compile(
    r"\b(?:ahora\s+)?(?:soy|actuo\s+como|actuare\s+como|hablo\s+como|funciono\s+como)\s+"
    r"(?:tu|un|una|el|la|su)?\s*(?:propi[oa]\s+)?"
    r"(?:abogad|contador|contadora|medic|doctor|banc|banquer|asesor\s+financier|agente|"
    r"vendedor|representante|hacker|administrador|desarrollador|programador|chatgpt|gpt|"
    r"openai|dan\b|sistema\s+sin|ia\s+sin|asistente\s+sin|funcionari|notari|psicolog)"
    r"|\bmodo\s+(?:desarrollador|developer|dios|sin\s+restricciones|libre)"
    r"|\bsin\s+(?:restricciones|filtros|reglas)\b"
    r"|\bjailbreak|\bya\s+no\s+(?:sigo|tengo|respeto)\s+(?:mis\s+)?(?:reglas|instrucciones)"
)
_TOPIC = re.compile(
    r"\b(?:solicita|tramita|contrata|obten|adquiere|saca|pide)\s+(?:ya\s+)?(?:tu|una|nuestra)\s+"
    r"tarjeta"
    r"|\btarjeta\s+de\s+credito\s+(?:preaprobada|sin\s+buro|con\s+\d|exclusiva|platino|oro)"
    r"|\b(?:numero\s+de\s+(?:tu\s+)?tarjeta|cvv|nip\s+de|tu\s+contrasena)"
    r"|\b(?:cripto\w*|bitcoin|forex|casino|apuestas?\b|inversion\s+garantizada|"
    r"rendimientos?\s+garantizad\w*|dinero\s+facil|gana\s+dinero|haz\s+clic|da\s+clic\s+aqui|"
    r"oferta\s+exclusiva|promocion\s+especial|prestamo\s+inmediato|sin\s+buro)"
)


@dataclass(frozen=True)
class Violation:
    """Why a sentence may not be sent."""

    kind: str  # prompt | url | language | role | topic
    detail: str


def _norm_url(url: str) -> str:
    url = url.strip().rstrip(_TRAILING).split("#", 1)[0]
    url = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    url = re.sub(r"^www\.", "", url, flags=re.IGNORECASE)
    host, _, path = url.partition("/")
    return (host.lower() + ("/" + path if path else "")).rstrip("/")


def urls_in(text: str) -> list[str]:
    """The links in `text` (with or without a scheme), trailing punctuation removed."""
    return [m.group(0).rstrip(_TRAILING) for m in _URL.finditer(text)]


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def reads_as_english(text: str) -> bool:
    """True when English function words clearly lead (quoted titles set aside)."""
    tokens = _words(_QUOTED.sub(" ", text))
    if len(tokens) < 5:
        return False
    en = sum(t in _EN for t in tokens)
    es = sum(t in _ES for t in tokens)
    return en >= 3 and en > 1.5 * es


@dataclass
class GuardPolicy:
    """What a turn's model text may contain."""

    allowed_urls: Iterable[str] = ()
    system_prompt: str = ""
    foreign_phrases: Iterable[str] = ()  # titles that may be English (course names…)
    _urls: set[str] = field(init=False, default_factory=set)
    _lines: list[str] = field(init=False, default_factory=list)
    _shingles: set[tuple[str, ...]] = field(init=False, default_factory=set)
    _phrases: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self._urls = {_norm_url(u) for u in self.allowed_urls if u}
        for line in self.system_prompt.splitlines():
            # Quoted phrases are what the model is told to say: never a leak by themselves.
            for part in re.split(r"\"[^\"]*\"|«[^»]*»", line):
                words = _words(part)
                if len(words) >= 6:
                    self._lines.append(" ".join(words))
                self._shingles |= _shingles(words)
        self._phrases = sorted(
            {" ".join(p.split()) for p in self.foreign_phrases if p and len(p) > 3},
            key=len,
            reverse=True,
        )

    def check(self, sentence: str) -> Violation | None:
        """The first rule `sentence` breaks, or None."""
        words = _words(sentence)
        flat = " ".join(words)
        if self._shingles and (_shingles(words) & self._shingles):
            return Violation("prompt", "repite una parte de las instrucciones")
        if any(len(line) >= 20 and line in flat for line in self._lines):
            return Violation("prompt", "repite una línea de las instrucciones")
        for url in urls_in(sentence):
            if _norm_url(url) not in self._urls:
                return Violation("url", "enlace que no viene de las fuentes ni del catálogo")
        count, share = non_latin_share(sentence)
        if count >= 2 and share > 0.15:
            return Violation("language", "texto en otra escritura")
        plain = " ".join(sentence.split())
        for phrase in self._phrases:
            plain = plain.replace(phrase, " ")
        if reads_as_english(plain):
            return Violation("language", "texto en inglés")
        folded = fold(sentence)
        if _ROLE.search(folded):
            return Violation("role", "se presenta como otro personaje")
        if _TOPIC.search(folded):
            return Violation("topic", "ofrece algo ajeno al tema")
        return None


class SentenceGuard:
    """Release streamed text one checked sentence at a time.

    `feed()` returns the sentences completed by a new piece that passed; after the first one
    that fails, `violation` is set and nothing more is released. `close()` checks the rest.
    """

    def __init__(self, policy: GuardPolicy) -> None:
        self.policy = policy
        self.buffer = ""
        self.released = ""
        self.violation: Violation | None = None

    def _release(self, sentences: list[str]) -> list[str]:
        merged: list[str] = []
        for sentence in sentences:  # short ones ride with the next sentence
            if merged and len(_words(merged[-1])) < _MIN_WORDS:
                merged[-1] += sentence
            else:
                merged.append(sentence)
        out: list[str] = []
        for sentence in merged:
            if self.violation is not None:
                break
            if sentence.strip():
                self.violation = self.policy.check(sentence)
                if self.violation is not None:
                    break
            out.append(sentence)
            self.released += sentence
        return out

    def feed(self, piece: str) -> list[str]:
        if self.violation is not None:
            return []
        self.buffer += piece
        sentences: list[str] = []
        start = 0
        for match in _END.finditer(self.buffer):
            sentences.append(self.buffer[start : match.end()])
            start = match.end()
        # Too short to judge alone ("Hello!"): it waits and is checked with what follows.
        rest = self.buffer[start:]
        while sentences and len(_words(sentences[-1])) < _MIN_WORDS:
            rest = sentences.pop() + rest
        if len(rest) > _MAX_BUFFER:  # no sentence end in sight: check up to the last space
            cut = rest.rfind(" ")
            if cut > 0:
                sentences.append(rest[: cut + 1])
                rest = rest[cut + 1 :]
        self.buffer = rest
        return self._release(sentences)

    def close(self) -> list[str]:
        if self.violation is not None:
            return []
        rest, self.buffer = self.buffer, ""
        return self._release([rest]) if rest else []

    def check_all(self, text: str) -> Violation | None:
        """Check a whole text at once (non-streamed answers); same rules."""
        self.feed(text)
        self.close()
        return self.violation
