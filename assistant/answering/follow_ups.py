"""Follow-ups on the last curated answer: the sentences of it that state what is asked (a facet,
an aspect, the words asked), the same answer said more simply, whether a follow-up names a new
subject instead, and a bare follow-up made whole with the subject and looked for in the passages
on it ("¿y cuántos me dejan tener?": the sentence that states it, which the owner hasn't read)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from assistant.answering.curated import (
    CuratedMatch,
    aspects_asked,
    facets,
    lenders_in,
    names_in,
    owner_words,
)
from assistant.answering.grounded import SNIPPET, GroundedAnswers, _accepted
from assistant.answering.openers import unverdicted
from assistant.answering.questions import _QUESTION_STEMS, _RECOMMEND_WORDS
from assistant.answering.sentences import gist, sentences, with_antecedent
from assistant.knowledge.models import FaqEntry
from assistant.schemas import Source, Topic
from assistant.turn import Answer, Evidence
from assistant.understanding.places import find_state
from assistant.understanding.text import clip, fold, keyword_tokens, words

# An earlier message was about a curated entry when its words match that entry this well.
LEXICAL_SUBJECT = 0.6
# A short question nothing answers on its own ("¿qué ley aplica?") takes as its subject what the
# owner's last message spoke of, when that shares this much with an entry.
LEXICAL_TOLD = 0.4
# "¿Me lo explicas más fácil?": the first sentences of the last answer, up to this many characters.
SIMPLER = 260
# "¿Qué necesito?" asks who qualifies as much as which papers: an entry on either answers it.
_ASPECT_KIN = {"requirements": {"requirements", "who"}, "who": {"who", "requirements"}}
# The facets an entry on the topic must be about to answer a follow-up that asks only for them
# ("¿y eso cuesta?": the topic's entry on its cost, or else the sentence that says it). Where
# and what are asked of any entry ("¿y dónde me registro?": how to apply, in the steps).
_ENTRY_FACETS = frozenset({"cost", "time", "requirements", "who", "language"})
# ...and needs this much of its words (lexical) when the aspect is not one entries are about.
ASPECT_WORDS = 0.3
# How an answer states each facet a bare follow-up may ask for ("Piden INE o CURP…", "Es
# gratis…", "…en un máximo de 10 días hábiles", "…en sus módulos"), read on folded text. Not
# `curated._STATED` (owner_words, more aspects, other words): merging them changes which
# sentences answer.
_FACET_STATED = {
    "requirements": re.compile(
        r"\b(piden|pide|requisitos?|necesitas|documentos|identificacion|ine|curp|comprobante"
        r"|acta constitutiva|constancia de situacion fiscal|rfc)\b"
    ),
    "cost": re.compile(
        r"\b(gratis|gratuit[oa]s?|sin costo|pesos|dolares|usd|cuesta|cuestan|costo|cobra|pagas)\b"
    ),
    "time": re.compile(
        r"\b((?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce) (?:dias"
        r"|semanas|meses|horas|anos)|plazo|vigencia|dura|durante|tarda)\b"
    ),
    "place": re.compile(r"\b(en linea|modulos?|oficinas?|sucursal\w*|sitio|pagina|\w+\.gob\.mx)\b"),
}
# The verbs a bare follow-up asks a facet with ("¿qué piden?", "¿cuánto sale?").
_FACET_WORDS = tuple(
    re.compile(rf"\b(?:{p})\b")
    for p in (
        r"piden|pide|necesito|necesitan|ocupo|llevo|llevar|cuesta|cuestan|sale|salen|cuanto|cobran"
        r"|tarda|dura",
        r"hay que|tengo que|se necesita|donde|cuando|o que|o cuanto|o no",
    )
)
# "¿Me lo explicas más fácil?", "no le entendí": the last answer, said plainly.
_SIMPLER = re.compile(
    r"\b(?:mas (?:facil|facilito|sencillo|simple|claro|despacio)|en palabras sencillas"
    r"|en cristiano|no (?:le |te )?entendi|no (?:le |te )?entiendo|con manzanitas|de nuevo"
    r"|otra vez)\b"
)
_SIMPLER_WORDS = re.compile(
    r"\b(?:me|lo|la|eso|esto|explicas|explicarias|explica|explicame|explicamelo|puedes|podrias"
    r"|por favor|porfa|pf|y|oye|no|le|dime|decir|dices|repites|repite|mejor|un poco|poquito|es que)\b"
)


# How an aspect is stated in a passage's sentence (folded text).
_STATES = {
    "time": re.compile(
        r"\b(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|quince|treinta)"
        r" (?:dias|semanas|meses|horas|anos|minutos)\b|\bhasta el \d"
    ),
    "cost": re.compile(r"\b(?:gratis|gratuit\w*|sin costo|pesos|dolares|usd|cuesta|cuestan)\b"),
    "requirements": re.compile(
        r"\b(?:piden|pide|requisitos?|documentos|identificacion|ine|curp|comprobante|rfc"
        r"|constancia|acta)\b"
    ),
    # "¿Cuántos me dejan tener?": a limit or a number of the subject's things.
    "count": re.compile(r"\bhasta \d+|\b\d+ [a-z]+"),
}
# "¿Cuántos…?" asks a number, unless it asks a time or a price ("¿cuántos días tarda?").
_HOW_MANY = re.compile(r"\bcuant[oa]s\b")
_AGES = re.compile(r"\bde \d+ a \d+ anos\b")
# What a sentence in a passage's markdown carries that is no text.
_MARKUP = re.compile(r"\*\*|__|^\s*(?:[-*•]|\d+\.)\s+", re.MULTILINE)
# Share of a sentence's words already said in the last reply for it to count as said.
SAID = 0.6
# Subject words a passage's title must share with the topic to be on it.
ON_TOPIC_WORDS = 2


def _asked(query: str) -> set[str]:
    asked = set(facets(query)) & {"time", "cost", "requirements"}
    if not asked and _HOW_MANY.search(owner_words(query)):
        asked.add("count")
    return asked


def states_asked(query: str, text: str) -> bool:
    """Whether `text` states the aspect `query` asks (a time, a price, the papers, a number)."""
    return _states(_asked(query), text)


def _states(asked: Iterable[str], text: str) -> bool:
    folded = _AGES.sub(" ", fold(text))  # "de 18 a 29 años" is no time
    return any(_STATES[a].search(folded) for a in asked)


def _words(text: str) -> set[str]:
    return set(keyword_tokens(text))


# "¿Y q bancos lo dan?", "¿cuáles financieras?": the companies of that kind the last answer named.
_WHICH_LENDERS = re.compile(
    r"\b(?:que|q|k|cuales?|cual)\s+(?:bancos?|financieras?|terminales?|empresas? de terminal\w*)\b"
)


class FollowUps(GroundedAnswers):
    """Answers read from the last curated topic."""

    def _lenders_named(self, query: str, last: Topic | None, today: dt.date) -> Answer | None:
        """ "¿Y q bancos lo dan?" after Crece tu Mipyme: the sentence of the last answer that
        names them (BBVA, Getnet…), which never says the word "banco"; None when it names
        none (then it is a question of its own)."""
        if last is None or last.kind != "faq" or not last.ids:
            return None
        entry = self.knowledge.faq.get(last.ids[0])
        if entry is None or not _WHICH_LENDERS.search(fold(query)):
            return None
        parts = sentences(entry.answer)
        counts = [len(lenders_in(x)) for x in parts]
        if not any(counts):
            return None
        chosen = [parts[counts.index(max(counts))]]
        answer = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
        text = unverdicted(" ".join(with_antecedent(chosen, entry.answer)))
        return replace(answer, evidence=(Evidence(text=text, n=1),))

    def _said_simpler(self, message: str, last: Topic | None, today: dt.date) -> Answer | None:
        """ "¿Me lo explicas más fácil?", "no le entendí": the last answer again, in its first
        plain sentences (what it is and the one thing to know), not a new subject."""
        folded = fold(message)
        if last is None or not last.ids or not _SIMPLER.search(folded):
            return None
        rest = _SIMPLER_WORDS.sub(" ", _SIMPLER.sub(" ", folded))
        if set(keyword_tokens(rest)) - self.curated.generic:
            return None  # "¿qué es el Plan México, en palabras sencillas?" asks a subject
        if last.kind == "faq" and last.ids[0] in self.knowledge.faq:
            entry = self.knowledge.faq[last.ids[0]]
            found = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
            plain = gist(entry.answer, SIMPLER)
            if plain[1:2].islower():  # "Es un estímulo…" -> "en pocas palabras, es un estímulo…"
                plain = plain[:1].lower() + plain[1:]
            text = f"En pocas palabras, {plain}"
            return replace(found, evidence=(Evidence(text=text, n=1),))
        return None

    def _aspect_of(self, query: str, last: Topic, today: dt.date) -> Answer | None:
        """The sentences of the topic's text that state the aspect a follow-up asks ("Tú no les
        pagas…" for "¿y eso cuesta?"); None when none does."""
        found = self.curated.stating(query, last.ids)
        if found is None:
            return None
        entry, parts = found
        answer = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
        text = " ".join(with_antecedent(parts, entry.answer))  # "…en esos bancos"
        return replace(answer, evidence=(Evidence(text=text, n=1),))

    def _on_aspect(
        self, query: str, again: list[CuratedMatch], ids: Sequence[str]
    ) -> list[CuratedMatch]:
        """The entries on the topic `ids` that answer a follow-up asking only for an aspect of it
        (`again`: the topic's entries ranked for it); none when a sentence of its text says it
        or nothing does (`_aspect_of`, else the referral)."""
        ranked = [m for m in again if self.curated.same_subject(m.entry.id, ids)]
        asked = {k for f in facets(query) & _ENTRY_FACETS for k in _ASPECT_KIN.get(f, {f})}
        if asked:
            # An entry on what is asked ("¿y q papeles?": the seal's documents), one per thing
            # asked ("¿y cuánto cuesta y cuánto tarda?"); not the one just given again, whose
            # sentence on it is enough.
            chosen: list[CuratedMatch] = []
            for m in ranked:
                on = asked & self.curated.facets_of(m.entry.id)
                if on and m.entry.id not in ids:
                    chosen.append(m)
                    asked -= on
                if not asked or len(chosen) == 2:
                    break
            return chosen
        # Otherwise an entry that holds the words asked ("¿y dónde me registro?": the steps),
        # not one that the topic's words or closeness alone bring up ("¿y en mi estado hay?").
        if not self.curated.tokens(query) - self.curated.generic and aspects_asked(query):
            return []
        ranked = [m for m in ranked if m.lexical >= ASPECT_WORDS and m.covered >= 0.5]
        return ranked[:1] if ranked and _accepted(ranked[0], True) else []

    def _names_new_subject(self, m: CuratedMatch, query: str, before: Sequence[str]) -> bool:
        """Whether a follow-up is about `m`'s subject rather than the entries `before`: `m`
        answers it on its own and speaks of more of the subject it names ("¿y hay cursos
        gratis?" after WhatsApp Business: the courses entry, not the sentence on the free app).
        Words that only ask for an aspect ("¿y q papeles ocupo?", "¿y cuánto dura?") name no
        subject: every topic has papers and a length."""
        named = self.curated.subject(query)
        if not named or m.entry.id in before or not _accepted(m):
            return False
        if self._only_a_place(query):
            return False  # "¿y del Edomex hay algo?": the same subject, asked for a place
        mine, theirs = self.curated.covers(named, [m.entry.id]), self.curated.covers(named, before)
        if mine != theirs:
            return mine > theirs
        # Both speak of the subject named ("¿y cuánto pagaría en RESICO?"): the one that speaks
        # of more of all that is asked (how much, not only what the RESICO is).
        return m.covered > self.curated.coverage(query, before)

    def _only_a_place(self, query: str) -> bool:
        """Whether the only thing a question names is a state or city ("¿y en Jalisco?")."""
        own = self.curated.tokens(query) - self.curated.generic - _QUESTION_STEMS
        places = {t for w in words(fold(query)) if find_state(w) for t in keyword_tokens(w)}
        return bool(own) and own <= places

    def _subject_of(
        self, said: str, state: str | None, least: float = LEXICAL_SUBJECT
    ) -> Topic | None:
        """The curated entry an earlier message was about, if one clearly was (its words share
        `least` with it; a request for recommendations, "¿qué cursos me recomiendas?", is about
        none)."""
        if not set(keyword_tokens(said)) - self.curated.generic - _RECOMMEND_WORDS:
            return None
        ranked = self.curated.rank(said, {}, state=state)
        if not ranked or ranked[0].lexical < least:
            return None
        e = ranked[0].entry
        return Topic(kind="faq", ids=[e.id], courses=list(e.course_ids), label=e.question)

    def _from_last_answer(
        self,
        query: str,
        last: Topic,
        today: dt.date,
        related: bool = False,
        least: int = 0,
        whole: bool = False,
        only: Callable[[str], bool] | None = None,
    ) -> Answer | None:
        """The sentences of the last curated answer (or, with `related`, of the entries on the
        same subject) that hold at least half of the question's words (or `least` of them, or
        with `whole` all of them, in one sentence or two next to each other). A sentence of
        another entry holds most of the subject the question names, if it names one, by weight:
        "¿y pa vender en línea?" is not answered by the seal's "lo puedes pedir en línea", "¿y
        cuántos puntos necesito pa pasar?" is by "se aprueba con 700 de 1000 puntos"."""
        own = set(self.curated.tokens(query)) - self.curated.generic
        if not own:
            return None
        named = self.curated.subject(query)
        half = self.curated.weighed(named) / 2
        own -= _QUESTION_STEMS
        if not own or (whole and len(own) < 2):
            return None
        best: list[tuple[int, str, str]] = []
        ids = list(last.ids)
        if related:  # the entries on the same subject, not all that share a broad topic
            ids = [
                i for i in self.curated.related(last.ids) if self.curated.same_subject(i, last.ids)
            ]
        # A fact asked of another thing ("¿y el az-104?" after the AWS exam's price): only the
        # entries that hold it (`only`), not the sentence of the last answer that shares a word.
        ids = [i for i in ids if only is None or only(i)]
        for eid in ids:
            entry = self.knowledge.faq.get(eid)
            if entry is None:
                continue
            parts = sentences(entry.answer)
            if whole:
                for a, b in zip(parts, [*parts[1:], ""], strict=True):
                    one = self.curated.tokens(a)
                    pair = " ".join([a, b]) if own <= one | self.curated.tokens(b) else ""
                    if own <= one or pair:
                        best.append((len(own), a if own <= one else pair, eid))
                        break
                continue
            for sentence in parts:
                said = self.curated.tokens(sentence)
                hit = len(own & said)
                if related and named and self.curated.weighed(named & said) <= half:
                    continue  # a sibling's sentence holds too little of what is named
                if hit and (hit >= least if least else 2 * hit >= len(own)):
                    best.append((hit, sentence, eid))
        if not best:
            return None
        top = max(h for h, _, _ in best)
        first = next(eid for h, _, eid in best if h == top)
        chosen = [sent for h, sent, eid in best if h == top and eid == first][:2]
        entry = self.knowledge.faq[first]
        chosen = with_antecedent(chosen, entry.answer)
        answer = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
        text = " ".join(chosen)
        return replace(answer, evidence=(Evidence(text=text, n=1),))

    def _facet_of_last(
        self, query: str, last: Topic, today: dt.date, curated: Sequence[CuratedMatch] = ()
    ) -> Answer | None:
        """The sentences of the last curated answer that state the facet a bare follow-up asks
        for (its requirements, cost, time or place), when it names nothing else and no entry on
        that facet of the same subject answers it (after how to get the Hecho en México seal,
        "¿y cuánto dura?" is the entry on its validity, not the line on the 10-day wait)."""
        asked = facets(query) & _FACET_STATED.keys()
        if not asked or not last.ids or last.ids[0] not in self.knowledge.faq:
            return None
        if curated and self._facet_entry(curated[0].entry, last.ids[0], asked):
            return None
        rest = owner_words(query)
        for rx in (*_FACET_WORDS, *(_FACET_STATED[f] for f in asked)):
            rest = rx.sub(" ", rest)
        if set(keyword_tokens(rest)) - self.curated.generic - _QUESTION_STEMS:
            return None  # it names a subject of its own ("¿y el chip qué papeles pide?")
        entry = self.knowledge.faq[last.ids[0]]
        parts = sentences(entry.answer)
        stating = [x for x in parts if any(_FACET_STATED[f].search(fold(x)) for f in asked)]
        if not stating:
            return None
        # The ones that also say the word asked with ("¿cuánto dura?": how long it is valid,
        # not how long the answer takes).
        said = self.curated.tokens(query)
        hits = [len(said & self.curated.tokens(x)) for x in stating]
        chosen = [x for x, h in zip(stating, hits, strict=True) if h == max(hits)][:2]
        answer = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
        text = " ".join(with_antecedent(chosen, entry.answer))
        return replace(answer, evidence=(Evidence(text=text, n=1),))

    def _facet_entry(self, entry: FaqEntry, last_id: str, asked: frozenset[str]) -> bool:
        """Whether `entry` is the one on the facet `asked` of the subject of `last_id`: its own
        question asks that facet, the last entry's question and paraphrases never do, and both
        share the subject (two of their topics)."""
        before = self.knowledge.faq[last_id]
        if entry.id == last_id or not asked & self.curated.facets_of(entry.id):
            return False
        if asked & self.curated.claims_of(last_id):
            return False
        shared = {fold(t) for t in entry.topics} & {fold(t) for t in before.topics}
        return len(shared) >= 2

    def _passage_aspect(self, query: str, last: Topic | None, said: str) -> Answer | None:
        """The sentence (or two) of a passage on `last`'s subject that states the aspect `query`
        asks (a time, a price, the papers, how many) and that `said` (the last reply) doesn't
        hold; None when the question names a subject of its own or no passage states it."""
        if last is None or last.kind != "faq" or not last.ids:
            return None
        asked = _asked(query)
        if not asked:
            return None
        label = last.label or self.knowledge.faq[last.ids[0]].question
        # What the topic is about: its entry's question without the words that ask ("¿Cómo
        # puedo recibir aprendices de Jóvenes Construyendo el Futuro?") and its first topic.
        subject = set(self.curated.subject(label)) | set(self.curated.subject_tokens(last.ids))
        # What the question names beside the subject ("¿y cuánto tarda la STPS?", "yo que soy
        # persona física") must be in the sentence: "¿y el az-104 cuánto cuesta?" is not
        # answered by the price of the exam just talked about.
        own = set(names_in(query)) - subject - _words(said)
        # Its other words weigh in the choice of the sentence ("yo que soy persona física").
        more = set(self.curated.subject(query)) - subject
        near = min(ON_TOPIC_WORDS, len(subject))
        if not near:
            return None
        whole = f"{owner_words(query)} {label}"
        asked_words = _words(query) - self.curated.generic
        said_words = _words(said)
        best: tuple[float, str, int] | None = None
        hits = [h for h in self.retriever.search(whole, k=8) if h.kind not in ("faq", "use_case")]
        for n, hit in enumerate(hits):
            if len(_words(hit.title) & subject) < near:
                continue
            text = _MARKUP.sub(" ", hit.text or hit.snippet)
            if hit.title and text.startswith(hit.title):
                text = text[len(hit.title) :]
            for sentence in sentences(text):
                plain = " ".join(sentence.split())
                if len(plain) < 25 or not _states(asked, plain):
                    continue
                mine = _words(plain)
                if not mine or len(mine & said_words) / len(mine) >= SAID:
                    continue  # the owner just read it
                if own and not own & mine:
                    continue
                score = (
                    len(mine & asked_words) + len(mine & more) + 0.5 * len(mine & subject) - 0.1 * n
                )
                if best is None or score > best[0]:
                    best = (score, plain, n)
        if best is None:
            return None
        _, text, n = best
        hit = hits[n]
        source = Source(
            n=1, title=hit.title, url=hit.url, kind=hit.kind, snippet=clip(text, SNIPPET)
        )
        topic = Topic(kind="faq", ids=list(last.ids), courses=list(last.courses), label=label)
        return Answer(
            sources=(source,), evidence=(Evidence(text=text, n=1),), kind="evidence", topic=topic
        )
