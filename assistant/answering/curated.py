"""Curated answers (`knowledge/faq/`): the user's question matched against each entry's question
and the paraphrases owners use, by meaning (the index's dense score) and by words (IDF-weighted
overlap with the closest phrase)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.knowledge.models import FaqEntry
from assistant.understanding.text import keyword_tokens, words

# Calibrated on the dev conversations and the entries' own paraphrases (see docs/benchmarks.md):
# a curated answer needs a combined score of MATCH; unrelated questions (trademark fees, the
# weather, a business description) stay below it.
MATCH = 0.6
# Between SOFT and MATCH, a match needs either close meaning or close words.
SOFT = 0.55
# Dense similarities of multilingual-e5 sit in a narrow band; this maps it to 0..1.
DENSE_FLOOR, DENSE_SPAN = 0.78, 0.14
LEXICAL_WEIGHT = 0.6
# A second entry is added when it answers another part of the question just as well.
SECOND = 0.62
# Weight of "the message contains the whole phrase" next to Dice.
CONTAINED = 0.8
ENTITY_MISSING = 0.15
ENTITY_IN_CONTEXT = 0.1
QUESTION_WORD_WEIGHT = 5.0
FACET_MISMATCH = 0.2


# Question words are stop words for search, but they tell "¿cuánto cuesta?" from "¿dónde?".
_QUESTION_WORDS = frozenset("donde cuando cuanto cuanta cuantos cuantas como quien cual".split())
# Words every owner's question has: they must not make a curated answer match on their own.
_GENERIC = frozenset(
    keyword_tokens(
        "recomiendas recomienda recomendación idea ideas ia inteligencia artificial negocio negocios "
        "mío mía aquí bien buena bueno ahorita"
    )
)
# Names an entry may be about: an entry whose question names one the message doesn't is about
# something else ("¿el certificado de Google cuesta?" vs. "¿cuánto cuestan los cursos?").
_ENTITIES = frozenset(
    keyword_tokens(
        "google aws amazon microsoft nafin bancomext cfe chatgpt gemini canva copilot whatsapp "
        "mercado libre saberesmx resico dc-3 llave compranet bedrock workspace meta skill builder "
        "educate santander slim"
    )
)


# What a question asks about: a curated answer about another facet of the same thing ("¿cuánto
# tarda?" for "¿cuánto cuesta?") is the wrong answer, however close the words.
_FACETS = {
    name: frozenset(keyword_tokens(text)) | (_QUESTION_WORDS & set(text.split()))
    for name, text in {
        "cost": "cuesta cuestan costo costos precio precios cobran cobra gratis gratuito pagar pago",
        "time": "dura duración tarda tardan tiempo horas semanas días cuando vigencia",
        "place": "donde sede dirección",
        "language": "español inglés idioma idiomas",
    }.items()
}


def facets(tokens: frozenset[str]) -> frozenset[str]:
    return frozenset(name for name, words_ in _FACETS.items() if tokens & words_)


def match_tokens(text: str) -> frozenset[str]:
    """Search tokens plus the question words that tell questions apart."""
    return frozenset(keyword_tokens(text)) | (_QUESTION_WORDS & set(words(text)))


@dataclass(frozen=True)
class CuratedMatch:
    entry: FaqEntry
    score: float
    lexical: float
    dense: float


def _dense01(dense: float | None) -> float:
    if dense is None:
        return 0.0
    return max(0.0, min(1.0, (dense - DENSE_FLOOR) / DENSE_SPAN))


class CuratedAnswers:
    """Index of the curated entries for matching; built once per knowledge load."""

    def __init__(self, entries: Mapping[str, FaqEntry]) -> None:
        self.entries = dict(entries)
        self._phrases: dict[str, list[frozenset[str]]] = {}
        df: dict[str, int] = {}
        for eid, e in self.entries.items():
            phrases = [match_tokens(p) for p in (e.question, *e.paraphrases)]
            self._phrases[eid] = [p for p in phrases if p]
            for tok in set().union(*self._phrases[eid]) if self._phrases[eid] else set():
                df[tok] = df.get(tok, 0) + 1
        n = max(1, len(self.entries))
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        # A word no entry uses is as telling as the rarest one: it is what we can't answer.
        self._unknown = math.log(1 + n)
        self.known = frozenset(df)  # every word some entry's question or paraphrase uses
        # Words that say nothing of the subject, as stems too ("cuantos" -> "cuant").
        self.generic = (
            _GENERIC | _QUESTION_WORDS | frozenset(keyword_tokens(" ".join(_QUESTION_WORDS)))
        )
        self._facets = {eid: facets(match_tokens(e.question)) for eid, e in self.entries.items()}
        self._answer_tokens = {
            eid: frozenset(keyword_tokens(e.answer)) for eid, e in self.entries.items()
        }
        self._entities = {
            eid: frozenset(keyword_tokens(e.question)) & _ENTITIES
            for eid, e in self.entries.items()
        }

    def tokens(self, text: str) -> frozenset[str]:
        return match_tokens(text)

    def facets_of(self, eid: str) -> frozenset[str]:
        return self._facets.get(eid, frozenset())

    def related(self, ids: Sequence[str]) -> list[str]:
        """Entries on the same subject as `ids` (a shared topic), the entries themselves first."""
        topics = {t for i in ids if i in self.entries for t in self.entries[i].topics[:1]}
        out = [i for i in ids if i in self.entries]
        out += [eid for eid, e in self.entries.items() if eid not in out and topics & set(e.topics)]
        return out

    def subject_tokens(self, ids: Sequence[str]) -> list[str]:
        """The words of what the last answer was about ("Hecho en México")."""
        topics = [
            self.entries[i].topics[0] for i in ids if i in self.entries and self.entries[i].topics
        ]
        return keyword_tokens(" ".join(topics[:1]))

    def weight(self, token: str) -> float:
        if token in _QUESTION_WORDS:
            return QUESTION_WORD_WEIGHT
        return self._idf.get(token, self._unknown)

    def lexical(self, query: Iterable[str], eid: str) -> float:
        """IDF-weighted overlap between the query and the entry's closest phrase: Dice, or how much
        of the phrase the message contains (a long message that includes the whole question)."""
        q = frozenset(query) - _GENERIC
        if not q:
            return 0.0
        wq = sum(self.weight(t) for t in q)
        best = 0.0
        for phrase in self._phrases.get(eid, []):
            phrase = phrase - _GENERIC
            shared = q & phrase
            common = sum(self.weight(t) for t in shared)
            if shared - _QUESTION_WORDS:  # "¿cómo le hago?" alone matches nothing
                wp = sum(self.weight(t) for t in phrase)
                best = max(best, 2 * common / (wq + wp))
                # Containment only for a substantial phrase: "cuánto cuesta" is in every
                # other question.
                content = shared - _QUESTION_WORDS
                whole = content == phrase - _QUESTION_WORDS
                if len(content) >= 3 or (whole and len(content) >= 2):
                    inside = sum(self.weight(t) for t in content)
                    best = max(
                        best,
                        CONTAINED * inside / sum(self.weight(t) for t in phrase - _QUESTION_WORDS),
                    )
        return best

    def rank(
        self,
        query: str,
        dense: Mapping[str, float],
        *,
        state: str | None = None,
        named_states: Iterable[str] = (),
        sector: str | None = None,
        within: Iterable[str] | None = None,
        extra_tokens: Iterable[str] = (),
        context: Iterable[str] = (),
        in_answer: float = 0.0,
    ) -> list[CuratedMatch]:
        """Entries by combined score, best first.

        `dense`: entry id -> dense similarity of the query to the entry's indexed text.
        `named_states`: states the message itself names; they win over the profile's `state`.
        `within`: restrict to these ids (a follow-up stays on the topic just discussed).
        `context`: the user's earlier messages; an entry about a name said there ("RESICO")
        is not penalised for the question not repeating it.
        `in_answer`: weight of the share of the question's words found in an entry's answer
        (follow-ups: "¿tiene sede en Tijuana?" is answered inside the text just given).
        """
        said_before = frozenset(keyword_tokens(" ".join(context))) & _ENTITIES
        tokens = set(match_tokens(query)) | set(extra_tokens)
        asked = facets(frozenset(tokens))
        own = frozenset(match_tokens(query)) - _GENERIC - _QUESTION_WORDS
        named = set(named_states)
        ids = list(within) if within is not None else list(self.entries)
        out = []
        for eid in ids:
            e = self.entries.get(eid)
            if e is None:
                continue
            lex = self.lexical(tokens, eid)
            d = dense.get(eid)
            score = LEXICAL_WEIGHT * lex + (1 - LEXICAL_WEIGHT) * _dense01(d)
            score += _place_bonus(e, state, named) + _sector_bonus(e, sector)
            if in_answer and own:
                score += in_answer * len(own & self._answer_tokens[eid]) / len(own)
            if asked and self._facets[eid] and not asked & self._facets[eid]:
                score -= FACET_MISMATCH
            names = self._entities[eid]
            if names and not names & tokens:
                score += ENTITY_IN_CONTEXT if names & said_before else -ENTITY_MISSING
            out.append(CuratedMatch(e, round(score, 4), round(lex, 4), d or 0.0))
        out.sort(key=lambda m: -m.score)
        return out


def _place_bonus(e: FaqEntry, state: str | None, named: set[str]) -> float:
    """Entries for a state: the state the message names first, else the user's own."""
    if not e.states:
        return 0.0
    if named:
        return 0.12 if named & set(e.states) else -0.3
    if state:
        return 0.12 if state in e.states else -0.2
    return -0.05


def _sector_bonus(e: FaqEntry, sector: str | None) -> float:
    if not e.sectors:
        return 0.0
    return 0.06 if sector in e.sectors else -0.15
