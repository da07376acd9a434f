"""The one text normaliser: how every rule and index in the assistant reads Spanish.

Two strengths, one set of rules, both on `canonical` text:
- `canonical` (the entry: a turn's message goes through it once, and so does everything below):
  compatibility forms folded (full-width "ｆｏｎｄａ", ligatures, superscripts), invisible
  format characters dropped (zero-width spaces and joiners, soft hyphens, direction marks) and
  every kind of space made a plain one. A phone keyboard's odd Unicode is still Spanish.
- `normalize` (phrase matching: places, sectors, profile rules): lowercase, accents stripped but
  ñ kept ("uñas" is not "unas"), whitespace collapsed; `respell` undoes WhatsApp's "k" for "qu".
- `clip` shortens text at a word boundary with "…", for every channel.
- `expand` adds the glossary words of the Mexican terms a query uses.
- `fold` (keyword search, intents, evaluation): lowercase with every mark stripped, ñ included,
  spacing kept; `words` and `keyword_tokens` (stop words out, Snowball stems) build on it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from assistant.understanding.glossary import GLOSSARY

_WORD = re.compile(r"[a-z0-9ñ]+")
# Unicode spaces (no-break, ideographic, thin…) and line separators read as a plain space.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def canonical(text: str) -> str:
    """`text` in its plain form: NFKC, format characters (category Cf: zero-width space, joiner,
    BOM, soft hyphen, direction marks) removed, odd spaces made plain. Case and accents kept."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    # Only the non-ASCII characters are looked at (no ASCII one is a format character): one
    # "¿" or "á" made every character of a long message go through Python.
    odd = {c for c in _NON_ASCII.findall(text) if unicodedata.category(c) == "Cf"}
    if odd:
        text = text.translate(dict.fromkeys(map(ord, odd)))
    return _SPACES.sub(" ", text)


# Cached: the catalog's and sectors' fixed texts are folded again at every turn (course topics
# for each candidate of the path), which was a fifth of an offline turn.
@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lowercase without accents (ñ kept apart from n would split 'año'/'ano'; we fold it too)."""
    decomposed = unicodedata.normalize("NFKD", canonical(text).lower())
    marks = {c for c in _NON_ASCII.findall(decomposed) if unicodedata.combining(c)}
    return decomposed.translate(dict.fromkeys(map(ord, marks))) if marks else decomposed


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_SPANISH

    # Question words carry no topic, and shop owners use them in every message.
    extra = {"quiero", "puedo", "hay", "tengo", "como", "que", "cual", "cuales", "donde", "mi"}
    # WhatsApp fillers and question frames: they say nothing about the topic.
    extra |= {
        "q",
        "k",
        "ke",
        "pa",
        "pal",
        "xq",
        "porq",
        "nomas",
        "neta",
        "onda",
        "porfa",
        "plis",
        "oye",
        "pos",
        "pues",
        "tons",
        "sirve",
        "necesito",
        "saber",
        "hacer",
        "hago",
        "conviene",
        "alguien",
        "algo",
        "alguna",
        "algun",
        "favor",
        "ayuda",
        "ayudame",
        "dime",
        "busco",
    }
    return frozenset(fold(w) for w in STOPWORDS_SPANISH) | extra


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("spanish")


def words(text: str) -> list[str]:
    """Folded words, stop words kept."""
    return _WORD.findall(fold(text))


def keyword_tokens(text: str) -> list[str]:
    """Tokens for BM25: folded, without stop words, stemmed."""
    kept = [w for w in words(text) if w not in _stopwords() and (len(w) > 1 or w.isdigit())]
    return list(_stemmer().stemWords(kept))


def normalize(text: str) -> str:
    """Lowercase, strip accents (keeping ñ) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", canonical(text).lower())
    # ñ is a letter, not an accented n: "uñas" must not become "unas" ("some").
    kept = re.sub(r"(?<!n)\u0303|[\u0300-\u0302\u0304-\u036f]", "", decomposed)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", kept)).strip()


def normalized_words(text: str) -> list[str]:
    """Word tokens of already-normalized text."""
    return re.findall(r"[a-zñ0-9]+", text)


# WhatsApp spelling: "k" for "qu" before e/i ("kiero", "ke", "takeria", "kesadillas").
K_FOR_QU = re.compile(r"k(?=[ei])")
# Running text only respells these everyday words; phrase lookups (sectors, places) try the
# respelling of any word they do not know, so "kilo" or "kiosko" stay as they are.
_QU_WORDS = set(
    "que porque quien quienes quiero quieres quiere queremos quieren quiera quisiera quisieras "
    "quisieramos queria querria aqui quede queda quedan quedo quedar quita quitan quitar "
    "pequeño pequeña pequeños pequeñas poquito poquita poquitas poquitos".split()
)


def respell(text: str) -> str:
    """Normalized text with colloquial k-for-qu spellings of everyday words undone ("kiero")."""

    def fix(m: re.Match[str]) -> str:
        word = K_FOR_QU.sub("qu", m.group())
        return word if word in _QU_WORDS else m.group()

    return re.sub(r"[a-zñ]*k[ei][a-zñ]*", fix, text)


_TERMS = sorted(GLOSSARY, key=len, reverse=True)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(t) for t in _TERMS) + r")\b")


def expand(query: str) -> str:
    """The query plus the glossary words of every term it mentions."""
    found = dict.fromkeys(_PATTERN.findall(fold(query)))
    if not found:
        return query
    return query + " " + " ".join(GLOSSARY[t] for t in found)


def clip(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters at a word boundary, ending in "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—\n") + "…"


def stopwords() -> frozenset[str]:
    """Spanish stop words plus chat fillers: words that never carry the topic of a message."""
    return _stopwords()


# ---- the work one message may cause ----------------------------------------------------------
# Bound the work one message can cause, whatever its script.
#
# A 4,000-character message is fine to read, but the embedder, BM25 and fuzzy place matching
# cost grows with what they are given, and not in characters: one Chinese character or emoji is
# about one model token, four Latin letters are about one. `clip_units` keeps the start of a text
# up to a budget of such approximate tokens, so a flood of any script costs about what a long
# normal question costs (bench/flood.py measures it).

# Approximate model tokens that reach each stage. Of the 124 questions of the evaluation sets
# (up to 216 characters) only two pasted-document injections are longer than 48 of them.
EMBED_UNITS = 48
GLOSSARY_UNITS = 40  # room for the glossary terms `expand()` adds to a clipped query
KEYWORD_TOKENS = 48  # BM25 query terms
UNDERSTAND_CHARS = 800  # text the profile rules (regexes, fuzzy place names) read


def units(char: str) -> float:
    """Approximate model tokens one character costs."""
    if char.isspace():
        return 0.0
    if char.isascii():
        if char.isalpha():
            return 0.25
        return 0.5 if char.isdigit() else 1.0  # digits pair up; punctuation is a token
    if char.isalpha() and "LATIN" in _name(char):
        return 0.3
    return 1.0  # other scripts, emoji, symbols: about a token each


def _name(char: str) -> str:
    return unicodedata.name(char, "")


def clip_units(text: str, budget: float = EMBED_UNITS) -> str:
    """The longest start of `text` that costs at most `budget` approximate tokens."""
    spent = 0.0
    for i, char in enumerate(text):
        spent += units(char)
        if spent > budget:
            cut = text[:i]
            space = cut.rfind(" ")
            # End on a word boundary when one is near (Latin text); CJK has none.
            return cut[:space] if space > i * 0.8 else cut
    return text


def clip_chars(text: str, limit: int = UNDERSTAND_CHARS) -> str:
    """`text` cut to `limit` characters, at a space when one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 0.8 else cut


MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()


def spanish_day(day: dt.date) -> str:
    """ "4 de diciembre de 2026"."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"
