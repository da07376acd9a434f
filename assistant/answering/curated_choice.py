"""Which curated entries answer a turn: the message ranked on its own and against the subject just
discussed, a second entry for a second thing asked, and what the owner tells beside the question."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from assistant.answering.curated import (
    CuratedMatch,
    exams_in,
    facets,
    institution_for,
    names_in,
)
from assistant.answering.follow_ups import _ENTRY_FACETS, LEXICAL_SUBJECT, FollowUps
from assistant.answering.grounded import FOLLOW_MATCH, _accepted
from assistant.answering.questions import _HERE
from assistant.answering.sentences import gist
from assistant.schemas import BusinessProfile, Topic
from assistant.turn import Answer, TurnInput
from assistant.understanding.places import find_state
from assistant.understanding.text import fold, keyword_tokens

# Follow-ups: weight of the question's words found in the text of an entry on the same subject.
FOLLOW_UP_IN_ANSWER = 0.3
# What the owner tells next to a question adds a second entry only when it is nearly that
# entry's own question or paraphrase.
TOLD_LEXICAL = 0.8
# How much closer an entry on half of what is asked may be than one on all of it, and lose
# (in proportion to what it leaves out).
COVER_GAP = 0.12
# A follow-up whose words are all an entry's question (its lexical score) asks that entry.
VERBATIM = 0.8
# A follow-up that asks only for an aspect of the topic ("¿y q papeles ocupo?") is answered by
# the entry on the topic that shares most of its subject: weight of that share in the ranking.
ASPECT_NEAR = 0.3
# "¿Y si soy RESICO?", "¿y si no tengo RFC?": the owner's own case, asked of the topic just
# answered (does it apply to me?), not a question about what the RESICO is.
_OWN_CASE = re.compile(
    r"^\W*y\s+si\s+(?:no\s+)?(?:soy|somos|estoy|estamos|tengo|tenemos|mi negocio es|es|fuera"
    r"|fueramos|estuviera|estuvieramos|tuviera|tuvieramos)\b"
)
# A support asked by kind ("¿me prestan pa una máquina?") takes the closest entry on that kind
# from this score on (far below MATCH: the kind of support, not the words, says it fits).
ON_TOPIC = 0.2


class CuratedChoice(FollowUps):
    """Chooses the curated entries that answer a turn."""

    def _curated(
        self,
        turn: TurnInput,
        last: Topic | None,
        query: str,
        state: str | None,
        sector: str | None,
        follow: bool,
        leans: bool,
        fits: Callable[[CuratedMatch], bool] | None = None,
        *,
        that: str | None = None,
        statement: bool = False,
    ) -> list[CuratedMatch]:
        """The curated entries that answer the turn's `query`, best first (none when none is
        good enough). `that`: the name the message asks about ("¿q es eso?", `what_is_that`),
        which the caller has read already. `statement`: the turn tells of the business and asks
        nothing outright; only an entry on what it names (`LEXICAL_SUBJECT`) answers it."""
        named = find_state(turn.message)
        named_states = [named[0]] if named else []
        where = named_states[0] if named_states else state
        extra: list[str] = []
        if where and not follow and _MY_STATE.search(query):
            # "Tengo un taller en Celaya, ¿hay polo aquí?": the state said or known, by name;
            # "mi estado" would match the entries on any state instead. (A follow-up's "¿y en
            # mi estado ya aplica?" is the topic's reach there, which its entry says.)
            query = _MY_STATE.sub(where, query)
        elif state and not named_states and _HERE.search(fold(turn.message)):
            extra = keyword_tokens(state)  # "¿hay polo en mi ciudad?" asks about the user's state
        clause = query
        if len(keyword_tokens(query)) < 2 and query != that:
            query = turn.message  # "…descripciones de las casas, ¿cómo le hago yo?"
        dense = self._dense(query, "faq")
        # The user's earlier messages, and this one: a name said while describing the business
        # ("estoy en RESICO, ¿lo puedo deducir?") is what the question is about.
        context = [text for role, text in turn.history if role == "user"] + [turn.message]
        # The exams the message names, wherever in it: no entry about another one answers.
        exams = exams_in(turn.message)
        if follow and not exams:
            # "¿y cuánto cuesta el examen?" after asking of the AI Practitioner: the exam the
            # owner last named, not another exam's entry on the same subject.
            exams = next(
                (found for role, text in reversed(turn.history) if role == "user"
                 if (found := exams_in(text))),
                frozenset(),
            )  # fmt: skip
        # Said in this message but outside the question clause, a name is part of what is asked.
        extra += sorted(names_in(turn.message) - self.curated.tokens(query))
        if last is not None and last.kind == "faq":
            # What the last answer named is said too ("¿y cómo entro?" after SaberesMX).
            context += [self.knowledge.faq[i].answer for i in last.ids if i in self.knowledge.faq]

        def rank(
            within: list[str] | None,
            more: list[str],
            in_answer: float = 0.0,
            stay: Sequence[str] = (),
            near: float = 0.0,
        ) -> list[CuratedMatch]:
            return self.curated.rank(
                query, dense, state=state, named_states=named_states, sector=sector,
                within=within, extra_tokens=more, context=context, in_answer=in_answer,
                stay=stay, near=near, exams=exams,
            )  # fmt: skip

        ranked = rank(None, extra)
        if ranked and clause != turn.message:
            case = self.curated.case_beside(turn.message, clause, ranked[0].entry.id)
            if case:
                extra = [*extra, *case]
                ranked = rank(None, extra)
        if not follow and not (ranked and _accepted(ranked[0])):
            # Nothing close to what we read as the question: the question may be the clause we
            # set aside ("vendo como 4 millones, ¿puedo estar en resico?" is about RESICO, not
            # the sales), the whole message ("quiero sacar el AI-900, ¿todavía existe?"), or
            # the last clause of one written without "?" ("…, me puedo meter a resico o no").
            for other in _other_readings(turn.message, clause, query):
                named_too = [*extra, *sorted(names_in(turn.message) - self.curated.tokens(other))]
                if statement and not any(
                    m.lexical >= LEXICAL_SUBJECT
                    for m in self.curated.rank(other, {}, extra_tokens=named_too, exams=exams)
                ):
                    # A statement keeps only an entry that shares its words, which the reading's
                    # words alone tell: no second embedding on a turn spent describing the shop.
                    continue
                alt_dense = self._dense(other, "faq")
                alt = self.curated.rank(
                    other, alt_dense, state=state, named_states=named_states, sector=sector,
                    extra_tokens=named_too, context=context, exams=exams,
                )  # fmt: skip
                if alt and _accepted(alt[0]):
                    query, dense, ranked = other, alt_dense, alt
                    break
        own_ranking = ranked  # the message on its own, before the last topic's words
        on_subject = False
        if leans and last is not None and last.kind == "faq" and last.ids:
            # "¿y eso lo puedo deducir?": "eso" is what the last answer was about, whatever the
            # entry that answers it now; not when it speaks of less of what is asked ("¿y los
            # cursos cuestan?" names its own subject).
            about = rank(None, [*extra, *self.curated.subject_tokens(last.ids)])
            if about and (
                not ranked
                or (about[0].score > ranked[0].score and about[0].covered >= ranked[0].covered)
            ):
                ranked = about
        for_a_place = self._only_a_place(query)
        if follow and last is not None and last.kind == "faq" and last.ids:
            # "¿y cuánto cuesta?": the entries on the subject just discussed, with its words.
            # Asked only for an aspect ("¿y q papeles ocupo?"), the entry closest to that subject
            # answers, and no entry on another one: its words ("documentos") are any topic's.
            subject = self.curated.subject(query)
            aspect_only = not subject
            again = rank(
                self.curated.related(last.ids),
                [*extra, *self.curated.subject_tokens(last.ids)],
                in_answer=FOLLOW_UP_IN_ANSWER,
                stay=last.ids[:1],
                near=ASPECT_NEAR if aspect_only else 0.0,
            )
            # "¿Y q me piden en el banco pa ese crédito?" after "Nafin lends through banks": the
            # entry on the subject about the facet asked (its requirements) over the one just
            # given, which never speaks of it.
            # Asked of what that entry is asked about ("el crédito"), not of a neighbour ("¿y
            # cuánto dura el examen?" is not how long the certification lasts).
            on = facets(query) & _ENTRY_FACETS
            if on and again and not on & self.curated.claims_of(again[0].entry.id):
                facet = [
                    m for m in again[:3]
                    if self._facet_entry(m.entry, last.ids[0], on) and _accepted(m, True)
                    and (not subject or subject & self.curated.asked_with(m.entry.id))
                ]  # fmt: skip
                if facet:
                    again = [facet[0], *(m for m in again if m is not facet[0])]
            if aspect_only:
                # Still only an entry that holds the fact asked ("¿y el az-104 cuánto cuesta?"
                # names a code no entry prices: no other exam's price).
                on_aspect = self._on_aspect(query, again, last.ids)
                return [m for m in on_aspect if fits(m)] if fits is not None else on_aspect
            if _OWN_CASE.search(fold(query)):
                # The entry on the topic that speaks of the owner's case, or none: the answer
                # just given, when it does ("…deja fuera a las personas físicas del RESICO").
                given = self.curated.covers(subject, last.ids[:1]) == 1.0
                ranked = [
                    m
                    for m in again
                    if (m.entry.id in last.ids)
                    or (not given and self.curated.same_subject(m.entry.id, last.ids))
                ]
                on_subject = True

            # On the subject just discussed, an acceptable entry wins over a closer stranger,
            # and a follow-up that leans on it needs less to stay there; unless the follow-up
            # names a new subject ("¿y el curso ese da constancia?" after tips on mobile data).
            moved = bool(ranked and again) and self._names_new_subject(
                ranked[0], query, [again[0].entry.id]
            )
            # Or it is, word for word, the question of an entry on another subject ("¿y ya hay
            # ley de IA en México?" after the privacy notice: not the data law's fines).
            verbatim = own_ranking[0] if own_ranking and not _OWN_CASE.search(fold(query)) else None
            if (
                verbatim is not None
                and again
                and verbatim.lexical >= VERBATIM
                and verbatim.score > again[0].score
                and verbatim.entry.id != again[0].entry.id
            ):
                moved, ranked = True, own_ranking
            if (
                not on_subject
                and again
                and not moved
                and (
                    _accepted(again[0], leans)
                    or not ranked
                    or again[0].score >= ranked[0].score - 0.05
                    # "¿y del Edomex hay algo?": the same ask for a place; the closest entry on
                    # the subject holds it even without the place's name.
                    or (again[0].score >= FOLLOW_MATCH and for_a_place)
                )
            ):
                ranked = again
                on_subject = True
        placed = on_subject and for_a_place and ranked[0].score >= FOLLOW_MATCH
        if not ranked or not (_accepted(ranked[0], on_subject) or placed):
            return []
        others = ranked
        if fits is not None:
            # The closest that can answer the fact asked, if the closest of all would answer.
            ranked = [m for m in ranked if fits(m)]
            if not ranked or not _accepted(ranked[0], on_subject):
                return []
        if not on_subject and len(ranked) > 1:
            # "¿Dónde hay wifi gratis pa descargar los cursos?": the entry on everything asked
            # (public wifi) over a close one on half of it (free courses).
            first, second = ranked[0], ranked[1]
            # Not when the first speaks of a name said beside the question that the second
            # doesn't ("estoy en RESICO, ¿los cursos los puedo deducir?").
            beside = self.curated.covers(extra, [first.entry.id]) > self.curated.covers(
                extra, [second.entry.id]
            )
            if (
                second.covered >= 1.0 > first.covered
                and second.score >= first.score - 2 * COVER_GAP * (1 - first.covered)
                and _accepted(second)
                and not beside
            ):
                ranked = [second, first, *ranked[2:]]
        chosen = [ranked[0]]
        # "¿y cuánto cuesta y cuánto tarda?": a second entry for the other thing asked.
        asked = facets(query)
        if len(asked) > 1:
            # What the first entry's question asks, and what its opening sentence already says
            # ("Sí, varios y en español.").
            covered = set(self.curated.facets_of(ranked[0].entry.id))
            covered |= facets(gist(ranked[0].entry.answer, 0))
            # The other thing asked needn't be the fact the first one holds ("¿cuánto cuesta y
            # viene en español?": the entry on its language says nothing of its price).
            for m in [m for m in others if m.entry.id != ranked[0].entry.id][:5]:
                more = set(self.curated.facets_of(m.entry.id)) & asked - covered
                if self.curated.redundant(ranked[0].entry.id, m.entry.id):
                    continue  # it says again what the first answer says
                if more and _accepted(m):
                    chosen.append(m)
                    break
        told = self._told_with(turn.message, query, dense, state, sector, chosen[0])
        return chosen if told is None or len(chosen) > 1 else [*chosen, told]

    def _told_with(
        self,
        message: str,
        query: str,
        dense: dict[str, float],
        state: str | None,
        sector: str | None,
        first: CuratedMatch,
    ) -> CuratedMatch | None:
        """ "¿Qué cursos gratis hay? Solo tengo celular": what the owner tells next to the
        question, when it is itself the whole of another entry's question (a close match on its
        own), is part of what a good answer covers."""
        rest = message.replace(query, " ") if query != message else ""
        if len(keyword_tokens(rest)) < 2:
            return None
        ranked = self.curated.rank(rest, dense, state=state, sector=sector)
        if not ranked or ranked[0].entry.id == first.entry.id:
            return None
        m = ranked[0]
        if m.lexical < TOLD_LEXICAL or not _accepted(m):
            return None
        return None if self.curated.redundant(first.entry.id, m.entry.id) else m

    def _closest_on(
        self, query: str, topic: str, profile: BusinessProfile, today: dt.date
    ) -> Answer | None:
        """The curated entry on `topic` (a topic of the entries, folded) closest to a question
        that asks for that kind of support without naming an entry's words; None when even the
        closest is far (ON_TOPIC)."""
        ids = [
            eid for eid, e in self.knowledge.faq.items() if any(fold(t) == topic for t in e.topics)
        ]
        dense = self._dense(query, "faq")
        ranked = self.curated.rank(
            query, dense, state=profile.state, sector=profile.sector, within=ids
        )
        if not ranked or ranked[0].score < ON_TOPIC:
            return None
        # "¿Qué tasa me da BBVA?", "¿cuándo abre la convocatoria?": a figure or a date asked
        # that the closest entry does not give is no answer; the refusal says who has it.
        if (facets(query) & {"cost", "time"}) - self.curated.facets_of(ranked[0].entry.id):
            return None
        if not self.curated.holds_fact(ranked[0].entry.id, query, institution_for(query)):
            return None  # "¿qué tasa me da Banorte?": the entry on Nafin is not Banorte's rate
        return self._from_curated(ranked[:1], today)


# "Mi estado", "aquí": the place the owner is in, which the question leaves unnamed.
_MY_STATE = re.compile(r"\b(?:mi estado|aqu[ií]|ac[aá]|por ac[aá])(?!\w)", re.IGNORECASE)


def _other_readings(message: str, asked: str, query: str) -> list[str]:
    """Other readings of what a message asks than `query`: the question clause (`asked`), the
    whole message, and its last clause when it has no "?"."""
    readings = [asked, message]
    if "?" not in message:
        readings.append(re.split(r"[,;.]\s*", message.strip(" ,;."))[-1])
    out: list[str] = []
    for r in readings:
        if r != query and r not in out and len(keyword_tokens(r)) >= 1:
            out.append(r)
    return out
