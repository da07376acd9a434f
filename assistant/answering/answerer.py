"""The answering stage: curated answers first, then catalog facts, then the user's sector's use
cases and extractive evidence, and only then an honest refusal that points to whoever handles it.

Follow-ups ("¿y cuánto cuesta?", "¿esos vienen en español?", "el segundo") resolve against the
topic of the last answer and the courses last shown, which the service keeps in memory.

This module holds the order of those steps; each step lives beside it: `questions` (how a message
asks), `curated_choice` (which curated entries answer), `follow_ups` (what the last curated answer
says of a follow-up), `ideas` (the sectors' use cases), `courses` (catalog facts as answers),
`refusals` (who handles what nothing here answers), `sentences` (whole sentences of a text) and
`grounded` (what they all stand on).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.answering.catalog import (
    catalog_answer,
    catalog_overview,
    catalog_topic,
    path_duration,
    says_fact_of,
)
from assistant.answering.courses import CourseAnswers
from assistant.answering.curated import (
    CuratedMatch,
    Referral,
    codes_in,
    facets,
    institution_for,
    states,
)
from assistant.answering.curated_choice import CuratedChoice
from assistant.answering.evidence import answer_from, question_of
from assistant.answering.follow_ups import _ENTRY_FACETS, LEXICAL_SUBJECT, LEXICAL_TOLD
from assistant.answering.ideas import IdeaAnswers, everything_said
from assistant.answering.openers import asks_when, asks_yes_or_no, opened_for, unverdicted
from assistant.answering.questions import (
    _ABOUT_AI,
    _ABOUT_ME,
    _DOUBT,
    _FACT_QUESTION,
    _HERE,
    _OPENS_ASKING,
    _OTHERS_USE,
    _QUESTION_STEMS,
    _RECOMMEND_WORDS,
    _USES,
    _YES_NO,
    asks_fact,
    asks_fact_of,
    confirmation_tag,
    is_short,
    leans_on_before,
    topic_correction,
    what_is_that,
)
from assistant.answering.reach import asks_when_it_reaches, reach_verdict, states_in, verdict
from assistant.answering.refusals import Referrals
from assistant.answering.sentences import _ANY, _LEANS_BACK, _VERDICT, _WHO, gist, lead_with
from assistant.answering.use_cases import best_use_case
from assistant.knowledge.models import FaqEntry, UseCase
from assistant.schemas import SearchHit, Topic
from assistant.turn import Answer, Evidence, Refusal, TurnInput, Understanding
from assistant.understanding.places import find_state
from assistant.understanding.reader import ABOUT_ME
from assistant.understanding.text import fold, keyword_tokens, words

# What of a curated answer goes next to a diagnosis, when the owner's statement named its subject.
STATEMENT_GIST = 320
# Topics (folded) of the entries that serve a support asked by kind (understanding's
# support_asked), and the topic of the entries that answer it when none matches closely.
_SERVING = {
    "money": (
        "financiamiento",
        "credito",
        "deduccion inmediata",
        "estimulos fiscales",
        "activo fijo",
    ),
    "export": ("exportacion",),
}
_FALLBACK = {"money": "financiamiento", "export": "exportacion"}


def _serves(entry: FaqEntry, support: str | None) -> bool:
    topics = {fold(t) for t in entry.topics}
    return any(t in topics for t in _SERVING.get(support or "", ()))


WORTH_IT = "empezar-vale-la-pena"  # the curated entry on measuring whether AI pays off
DOUBT_YES = "Sí, cuando la usas en una tarea concreta de tu negocio; no hace el trabajo sola."


def _same_place(hits: Sequence[SearchHit], state: str | None, message: str) -> list[SearchHit]:
    """Drop passages about another state unless the message names it."""
    named = find_state(message)
    keep = named[0] if named else state
    if not keep:
        return list(hits)
    out = []
    for h in hits:
        states = h.metadata.get("states") or ""
        if states and f"|{keep}|" not in states:
            continue
        out.append(h)
    return out


class Answerer(CuratedChoice, IdeaAnswers, Referrals, CourseAnswers):
    """Answers a direct question from what `knowledge/` and the index hold."""

    def answer(
        self, turn: TurnInput, understood: Understanding, today: dt.date | None = None
    ) -> Answer:
        """The answer to the turn's question; a refusal only when nothing answers it. A general
        course question gets what fits the person asking on top (`CourseAnswers.fitted`)."""
        found = self._answer_turn(turn, understood, today or dt.date.today())
        return self.fitted(turn, understood.profile, found)

    def _answer_turn(self, turn: TurnInput, understood: Understanding, today: dt.date) -> Answer:
        message, confirm = confirmation_tag(turn.message)
        message, redirected = topic_correction(message)
        turn = replace(turn, message=message)
        if redirected:
            # "No, te pregunto por mi papelería": the last topic is what the owner set aside.
            turn = replace(turn, topic=None, history=(), last_courses=())
        found = self._answer(turn, understood, today)
        reached = self._reach(turn, understood, found, today)
        if reached is not None:
            return reached
        passage = self._said_or_astray(turn, understood, found)
        if passage is not None:
            return passage
        if confirm:
            # Only a verdict on what was asked: "No necesitas saber programar" is no answer to
            # "cuesta 100 dólares, ¿cierto?".
            asked = self.curated.tokens(message) - self.curated.generic - _QUESTION_STEMS
            return lead_with(found, _VERDICT, lambda x: bool(asked & self.curated.tokens(x)))
        # A stored "Sí."/"No." only answers a yes-or-no question; "¿hasta cuándo?" gets its date.
        asked_as = question_of(message)
        opened = opened_for(found, asked_as)
        if opened is not found and asks_when(asked_as):
            return opened
        found = opened
        if "who" in facets(message):
            # "¿Califico?", "¿me toca?": who qualifies first, then how to apply and the rest.
            return lead_with(found, _WHO)
        figure = facets(message) & {"cost", "time"}
        if figure and found.kind == "curated":
            # "¿Cuánto cuesta Canva Pro?": the sentence on its price first (even when it says
            # the price isn't confirmed), before what the tool does.
            return lead_with(
                found, _ANY, lambda x: bool(facets(x) & figure) and not _LEANS_BACK.match(fold(x))
            )
        return found

    def _reach(
        self, turn: TurnInput, understood: Understanding, found: Answer, today: dt.date
    ) -> Answer | None:
        """ "¿Ya llegó a Chiapas?", "¿y en mi estado ya está eso?", "¿y a mi hermana en
        Tamaulipas cuándo le toca?": of a program that starts by states, whether (or when) it
        reaches the one asked, first, then its list. The entry found, or on a follow-up that
        found none, the one just given."""
        asked = question_of(turn.message)
        if "?" not in turn.message and not understood.explicit_question:
            return None  # told ("quiero cobrar con tarjeta en Puebla"), not asked
        if not (asks_yes_or_no(asked) or asks_when(asked) or asks_when_it_reaches(asked)):
            return None
        # Someone else's state counts ("¿y a mi cuñada en Jalisco?"), which find_state leaves
        # out of the owner's profile.
        named = find_state(asked)
        others = states_in(asked)
        here = understood.profile.state if _HERE.search(fold(asked)) else None
        state = named[0] if named else others[0] if len(others) == 1 else here
        if state is None:
            return None
        ids = found.topic.ids if found.kind == "curated" and found.topic is not None else []
        last = turn.topic
        follow = leans_on_before(asked) or is_short(asked, 6)
        if not ids and found.kind in ("refusal", "none", "redirect") and follow:
            ids = last.ids if last is not None and last.kind == "faq" else []
        entry = self.knowledge.faq.get(ids[0]) if ids else None
        said = verdict(entry.answer, state, today.year) if entry is not None else None
        if entry is None or said is None:
            return None
        if found.kind == "curated" and found.evidence and not follow:
            # "¿Hay algún programa en Chiapas pa cobrar con tarjeta?": the whole answer, with
            # the verdict for that state first (instead of the one stored for any state).
            first = found.evidence[0]
            text = f"{said} {unverdicted(first.text)}"
            return replace(found, evidence=(replace(first, text=text), *found.evidence[1:]))
        text = reach_verdict(entry.answer, state, today.year) or said
        found = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
        return replace(found, evidence=(Evidence(text=text, n=1),))

    def _idea_told(self, turn: TurnInput, sector: str | None) -> Topic | None:
        """The topic a "pa eso" points at: after a diagnosis that listed ideas (a use-case
        topic with no id of its own), the listed idea whose problem shares most words with what
        the owner told ("la gente se atrasa con los pagos": the collections idea; "no sé qué se
        me acaba": the stock idea), the first on a tie; else the topic as it is."""
        last = turn.topic
        if last is None or last.kind != "use_case" or last.ids or not last.ideas:
            return last
        s = self.knowledge.sectors.get(sector or "")
        by_id = self._ideas_by_id(s) if s is not None else {}
        listed = [by_id[i] for i in last.ideas if i in by_id]
        if not listed:
            return last
        told = self.curated.tokens(everything_said(turn)) - self.curated.generic

        def shared(uc: UseCase) -> int:
            return len(told & self.curated.tokens(f"{uc.title} {uc.problem}"))

        uc = max(listed, key=shared)  # max keeps the first of equals
        return Topic(kind="use_case", ids=[uc.id], courses=list(uc.related_courses), label=uc.title)

    def _said_or_astray(
        self, turn: TurnInput, understood: Understanding, found: Answer
    ) -> Answer | None:
        """A bare follow-up on the curated subject just answered ("¿y cuántos me dejan tener?",
        "¿en cuánto tiempo me dicen?") whose answer would leave the subject for another one, give
        an idea or shrug: the aspect asked, from a passage on that subject the owner hasn't read,
        when one states it."""
        last = turn.topic
        if last is None or last.kind != "faq" or not last.ids or "sector" in understood.changed:
            return None
        if "?" not in turn.message and not understood.explicit_question:
            return None  # told, not asked
        # Everything said to the owner so far: a sentence read some turns ago is said too.
        said = " ".join(text for role, text in turn.history if role == "assistant")
        query = question_of(turn.message)
        if len(keyword_tokens(query)) < 2:
            query = turn.message
        if found.kind == "refusal":
            return None  # it names who handles what was asked
        shown = " ".join(e.text for e in found.evidence)
        if found.kind in ("redirect", "none", "use_case") or not shown:
            # A shrug, or an idea for the business: no answer to an aspect of the subject. (A
            # refusal names who handles what was asked, and a repeat that states the aspect
            # asked is still its answer.)
            astray = True
        else:
            # Another subject's answer to a question that names none of its own, or whose
            # words beside the aspect that answer is not about ("¿en cuánto tiempo me dicen?"
            # is not how long the courses last).
            ids = found.topic.ids if found.topic is not None else []
            near = set(self.curated.related(last.ids)) | set(last.ids)
            own = set(self.curated.subject(query)) - set(self.curated.subject_tokens(last.ids))
            astray = not (set(ids) & near) and (
                not own or not ids or self.curated.covers(own, ids) < 0.5
            )
        return self._passage_aspect(query, last, said) if astray else None

    def _answer(self, turn: TurnInput, understood: Understanding, today: dt.date) -> Answer:
        message = turn.message
        query = question_of(message)
        if len(keyword_tokens(query)) < 2:
            query = message  # "…descripciones de las casas, ¿cómo le hago yo?"
        # "Me pidieron las DC-3, ¿q es eso?": the name asked about (read once for the turn).
        that = what_is_that(message)
        query = that or query
        profile = understood.profile
        last = turn.topic
        said_before = [text for role, text in turn.history if role == "user"]
        leans = bool(said_before) and leans_on_before(message)
        follow = (last is not None or bool(said_before)) and (leans or is_short(message))
        # The last reply showed the training path (alone, or next to its ideas or an answer).
        shown_path = (
            last is not None and bool(last.courses) and tuple(last.courses) == turn.path_sent
        )
        after_refusal = last is not None and last.kind == "refusal"
        leaning = follow or leans_on_before(query) or is_short(query, 4)
        if after_refusal and last is not None and leaning and self._still_refused(query, last):
            # "¿Y cuánto tarda?" right after "¿dónde saco el acta de nacimiento?": an aspect of
            # what nobody here answers is still for whoever was named, never for an entry on
            # another subject that shares the aspect's words.
            ref = Referral(last.refer_name, last.refer_url)
            return Answer(
                confident=False,
                kind="refusal",
                refusal=Refusal(reason="no_source", refer_name=ref.name, refer_url=ref.url),
                topic=last,
            )
        if leans and (last is None or last.kind not in ("faq", "courses")) and not shown_path:
            # "¿y cuánto les pagan?" right after the owner named the program in a statement we
            # took as a description: the subject is what that message was about.
            last = self._subject_of(said_before[-1], profile.state) or last
        on_faq = follow and last is not None and last.kind == "faq" and bool(last.ids)

        # A need or a want told with the business ("queremos venderle al gobierno", "se me
        # juntan las citas"): answered only by what clearly fits it (a curated answer on what it
        # names, or the sector's idea), never by a refusal.
        statement = bool(understood.changed) and not understood.explicit_question

        # 1. The owner's own path ("¿cuánto dura mi ruta?"), then courses just shown, pointed
        # at: "¿esos vienen en español?", "¿y el segundo?".
        own_path = path_duration(
            message, self.knowledge.courses, turn.path_sent, profile.weekly_hours
        )
        if own_path is not None and not statement:
            return self._catalog(own_path, turn.path_sent)
        # The last reply was about courses (a path shown, a course's facts): a bare "¿ese viene
        # en español?" or "¿cuál es el más fácil?" is about them.
        on_courses = last is not None and (last.kind == "courses" or shown_path) and not statement
        talked = tuple(last.ids) if last is not None and last.kind == "courses" else ()
        language = self._in_language(message, turn.last_courses, on_courses)
        if language is not None:
            return language
        courses = catalog_answer(
            message,
            self.knowledge.courses,
            turn.last_courses,
            current=talked,
            on_courses=on_courses,
        )
        if courses is None and follow and said_before:
            courses = self._course_named_before(message, said_before[-1])
        if statement or (courses is not None and self._for_another_office(message, courses)):
            courses = None
        if courses is not None and courses.pointed and not self._names_beyond(message, courses):
            return self._catalog(courses, turn.last_courses)
        simpler = self._said_simpler(message, turn.topic, today)
        if simpler is not None:
            return simpler
        # "La segunda idea", "¿cómo empiezo con eso?", "¿eso cuesta?" after ideas were given.
        # (The topic the last reply left, not a subject read from the owner's last message.)
        idea = None
        if not statement:
            # "Mi cuñado tiene un rancho… Para la clínica, ¿cómo hago lo de los recordatorios?":
            # what is told around the question names no idea, so the question alone is read too
            # (after the whole message, whose "la tercera, ¿cómo la hago?" holds the place).
            for asked in dict.fromkeys((message, question_of(message))):
                idea = self._idea_follow_up(
                    asked, turn.topic, profile.sector, turn.last_ideas, everything_said(turn)
                )
                if idea is not None:
                    break
        if idea is not None:
            return idea
        on_that = (
            None
            if statement
            else self._courses_on_that(message, self._idea_told(turn, profile.sector))
        )
        if on_that is not None:
            return self._catalog(on_that)

        asks_recommendations = understood.wants_recommendations and not (
            set(keyword_tokens(query)) - self.curated.generic - _RECOMMEND_WORDS
        )
        if asks_recommendations:
            # "¿Qué cursos me recomiendas?", "pásame la ruta": the recommendations shown are the
            # answer (a curated answer for programmers is not, for a fonda).
            return Answer(kind="none")
        ideas = self._ideas_for(
            message, profile.sector, profile.size, query, turn.sent.get("ideas", "")
        )
        if ideas is not None:
            return ideas
        if _OTHERS_USE.search(fold(message)):
            # "¿Cómo usan la IA las escuelas?": that business's ideas, not national statistics.
            other = self._other_business(message, profile.sector, asked=True)
            if other is not None:
                return other

        doubt = _DOUBT.search(fold(message)) and _ABOUT_AI.search(fold(message))
        if doubt and WORTH_IT in self.knowledge.faq:
            worth = self.knowledge.faq[WORTH_IT]
            found = self._from_curated([CuratedMatch(worth, 1.0, 1.0, 1.0)], today)
            lead = Evidence(text=DOUBT_YES, n=0)
            return replace(found, evidence=(lead, *found.evidence))

        # 2. Curated answers. A short follow-up is first looked for inside the text just given
        # ("¿tiene sede en Tijuana?", "¿y eso ya llegó a Oaxaca?"), unless another entry on the
        # same subject answers it ("¿y cuánto cuesta?" after "¿cómo lo tramito?").
        # A price, a fee, a date or the papers of a thing someone named ("¿cuánto cobra Clip
        # por cobro?", "¿qué piden pal crédito de Mujeres Emprendedoras?"): only an entry that
        # speaks of that thing, and of the very charge asked, answers it; the nearest entry
        # about another thing is no answer. Read on the question, not on what comes with it.
        fact_of = asks_fact_of(query, understood.explicit_question) and not statement
        named = institution_for(query) if fact_of else None

        def holds(eid: str) -> bool:
            return not fact_of or self.curated.holds_fact(eid, query, named)

        def fits(m: CuratedMatch) -> bool:
            return holds(m.entry.id)

        curated = self._curated(
            turn, last, query, profile.state, profile.sector, follow, leans,
            fits if fact_of else None, that=that, statement=statement,
        )  # fmt: skip
        if not curated and follow and not leans and not on_faq and said_before and not statement:
            # "¿Qué ley aplica?" right after "el chatbot guarda los datos de mis clientes": a
            # short question nothing answers on its own asks it of what the owner just told.
            told_of = self._subject_of(said_before[-1], profile.state, LEXICAL_TOLD)
            if told_of is not None:
                curated = self._curated(
                    turn, told_of, query, profile.state, profile.sector, follow, True,
                    fits if fact_of else None, that=that,
                )  # fmt: skip
        institution = institution_for(message)
        told = understood.in_domain and "?" not in message and bool(ABOUT_ME.search(fold(message)))
        if statement and curated and curated[0].lexical < LEXICAL_SUBJECT:
            curated = []
        if told and _USES.search(fold(message)):
            curated = []  # "usamos WhatsApp Business": no explanation of what they already use
        if courses is not None and courses.named_by and curated:
            # "¿Cuántas horas es Elements of AI?": a course named by its title is answered by its
            # own facts, unless the curated answer speaks of that very course (its price entry).
            entry = curated[0].entry
            text = fold(" ".join([entry.question, entry.answer]))
            about_it = courses.named_by <= set(words(fold(entry.question)))
            if not courses.named_by <= set(words(text)) or not (
                # Named only in its answer, in a list: it must say the fact asked of that course.
                about_it or says_fact_of(entry.answer, courses.named_by, courses.facts)
            ):
                return self._catalog(courses, turn.last_courses)
        topical = (
            None
            if statement or courses is not None
            else catalog_topic(query, self.knowledge.courses)
        )
        if topical is not None:
            # "¿Hay algún curso gratis de ciberseguridad?": the courses on that topic, unless the
            # curated answer speaks of it (its list of AI courses doesn't).
            curated_text = (
                curated[0].entry.question + " " + curated[0].entry.answer if curated else ""
            )
            if not topical.named_by <= set(keyword_tokens(curated_text)):
                return self._catalog(topical)
        if on_faq and is_short(message, 6):
            # "¿Y q bancos lo dan?": the banks the last answer named, not the banks' business.
            lenders = self._lenders_named(query, last, today)
            if lenders is not None:
                return lenders
        if on_faq and last is not None and institution is not None:
            if self._turns_elsewhere(query, last, institution) and not (
                curated and self.curated.centred_on(curated[0].entry.id, institution)
            ):
                # "¿Y pa dar de alta a mis panaderos en el seguro social?" after how to take
                # in apprentices, whose text only mentions the IMSS: the IMSS's business, which
                # no entry is about.
                return self._refusal(message, None, False, profile)
        if on_faq and last is not None and is_short(message, 6):
            # "¿Y qué papeles piden?", "¿sale gratis?": only a facet of what was just answered;
            # the sentences of that answer that state it, before any sibling entry's text (not
            # for a fact of another thing: "¿y el az-104 cuánto cuesta?").
            stated = (
                self._facet_of_last(query, last, today, curated)
                if all(holds(i) for i in last.ids[:1])
                else None
            )
            if stated is not None:
                return stated
            inside = self._from_last_answer(query, last, today, least=1, only=holds)
            same_subject = set(self.curated.related(last.ids)) - set(last.ids)
            # The text just given holds every word asked ("¿y hay en Morelia o nomás en la
            # CDMX?"): that is the answer, whatever entry on the subject comes close; unless
            # the entry on the very facet asked comes ("¿y q me piden en el banco pa ese
            # crédito?" after Nafin lends through banks: the entry on a credit's requirements).
            on = facets(query) & _ENTRY_FACETS
            on_facet = bool(curated) and self._facet_entry(curated[0].entry, last.ids[0], on)
            whole = self._from_last_answer(query, last, today, whole=True, only=holds)
            if whole is not None and on_facet:
                # Unless the text just given states it too ("El examen dura 90 minutos").
                on_facet = not any(states(whole.evidence[0].text, f) for f in on)
            if whole is not None and not on_facet:
                return whole
            if (
                inside is not None
                and not (curated and curated[0].entry.id in same_subject)
                and not (curated and self._names_new_subject(curated[0], query, last.ids))
            ):
                return self._place_not_covered(message, inside) or inside
        support = understood.support if not statement else None
        if curated and support in _FALLBACK and not _serves(curated[0].entry, support):
            # "¿Pa exportar hay algún apoyo del Plan México?": an entry that only shares the
            # words (what the Plan México is) is no answer to a money ask.
            money = self._closest_on(query, _FALLBACK[support], profile, today)
            if money is not None:
                return self._place_not_covered(message, money) or money
        if curated:
            found = self._from_curated(curated, today)
            if statement:
                # Told with the business in a first message: the gist, next to the diagnosis.
                gists = tuple(replace(e, text=gist(e.text, STATEMENT_GIST)) for e in found.evidence)
                found = replace(found, evidence=gists[:1])
            if on_faq and last is not None and [m.entry.id for m in curated] == last.ids[:1]:
                # The entry just given, again: the sentences that hold what is asked, not the
                # whole text the owner just read.
                found = self._from_last_answer(query, last, today, least=1) or found
            return self._place_not_covered(message, found) or found
        if on_faq and last is not None and not self.curated.subject(query):
            # "¿Y eso cuesta?", "¿y q papeles ocupo?" on a topic no entry answers as a whole:
            # the sentence of the topic's text that says it, else who has it; never a course
            # list, an idea or a passage about something else.
            # Unless it names another thing whose fact the topic doesn't hold ("¿y el az-104
            # cuánto cuesta?" after the AWS exam's price).
            held = not (named or codes_in(query)) or all(holds(i) for i in last.ids[:1])
            aspect = self._aspect_of(query, last, today) if held else None
            return aspect or self._refusal(message, last, follow, profile)
        if support in _FALLBACK:
            # "¿Hay apoyo pa comprar otra lavadora?": no entry names the machine, but what
            # exists for it is credit. The closest entry on financing answers, never courses.
            money = self._closest_on(query, _FALLBACK[support], profile, today)
            if money is not None:
                return self._place_not_covered(message, money) or money
        if on_faq and last is not None:
            again = self._from_last_answer(query, last, today, related=True, only=holds)
            if again is not None:
                return self._place_not_covered(message, again) or again

        # 3. A course the message names: "¿cuánto dura Elements of AI?", or the catalog as a
        # whole: "¿cuánto cuestan los cursos?".
        if courses is not None:
            return self._catalog(courses, turn.last_courses)
        overview = catalog_overview(message, self.knowledge.courses)
        if overview is not None:
            return self._catalog(overview)

        # 4. An idea for the user's own business, from their sector's use cases; not for a
        # question of fact ("¿cuánto cuesta el registro sanitario?") nor for a follow-up on a
        # curated topic, which an idea can't answer.
        # Nor for a question an institution answers ("¿cuánto pago de cuotas del IMSS?").
        # Or one passed on for someone else ("el patrón pregunta cuánto cuestan los aretes del
        # SINIIGA"): a figure of a named institution is asked, "?" or not.
        relayed = institution is not None and bool(_FACT_QUESTION.search(fold(message)))
        fact = (
            asks_fact(message)
            or relayed
            or (institution is not None and understood.explicit_question)
        )
        if not (on_faq and is_short(message, 4)) and not fact:
            said = self.curated.tokens(message) - self.curated.generic
            dense = self._dense(query, "use_case")  # one Chroma query, for both lookups below
            case = best_use_case(said, self.knowledge, profile.sector, dense, profile.size)
            # A goal told as a statement ("quiero vender más") gets the idea that serves it
            # from the recommendations; an idea that serves another goal is no answer to it.
            goal_only = statement and "goals" in understood.changed and len(said) <= 2
            goals = set(profile.goals) if goal_only else set()
            just = set(last.ids) if last is not None and last.kind == "use_case" else set()
            if case is not None and case[1].id in just:
                # The idea just given, again: another that fits too, rather than the same
                # text word for word (a line that points to it when nothing else fits).
                alike = best_use_case(
                    said, self.knowledge, profile.sector, dense, profile.size, skip=just
                )
                if alike is None:
                    return self._same_idea_again(case[0], case[1])
                case = alike
            if case is not None and (not goals or goals & set(case[1].goals)):
                yes = bool(_YES_NO.search(fold(message)))
                return self._from_use_case(*case, yes=yes, turn=turn)

        # A new goal gets its idea from the recommendations (the plan's focus); a correction
        # ("no somos transportistas") asks for no idea.
        correcting = understood.corrected or bool(re.match(r"\W*no\b", fold(message)))
        new_goal = "goals" in understood.changed
        if told and profile.sector and not fact and not new_goal and not correcting:
            # A wish or how they work, told about a business we know ("kiero llevar control
            # por vaca", "usamos autocad"): the next idea for it, never a shrug.
            another = self._another_idea(query, profile.sector, profile.size, turn, last)
            if another is not None:
                return another
        if statement:
            return Answer(kind="none")  # nothing fits it clearly: the recommendations answer
        if not understood.in_domain and not on_faq and institution is None:
            if "?" not in message and (understood.changed or _ABOUT_ME.search(fold(message))):
                return Answer(kind="none")  # the owner told us about the business
            return Answer(confident=False, kind="redirect", refusal=Refusal(reason="out_of_domain"))

        # "¿Y para salones de belleza también sirve?", "a mi cuñado con su panadería, ¿le
        # serviría?": another business named in a question gets that business's ideas.
        other = self._other_business(message, profile.sector)
        if other is not None:
            return other

        # 5. Extractive evidence, kept to the user's state when the question is about here. An
        # institution's fee, date or requirement ("¿cuánto cobra el IMSS por trabajador?") is
        # answered by a checked entry or by the institution, not by a passage about something
        # else that names it.
        checked_only = (institution is not None and asks_fact(message)) or named is not None
        hits: list[SearchHit] = [] if checked_only else list(self.retriever.search(query, k=8))
        # Curated entries were weighed above as whole answers; their text is not evidence.
        hits = [h for h in _same_place(hits, profile.state, message) if h.kind != "faq"]
        found = answer_from(query, hits[:5], True)
        if found.confident and found.evidence:
            first = hits[0] if hits else None
            topic = Topic(
                kind="evidence",
                ids=[first.doc_id] if first else [],
                label=first.title if first else "",
            )
            return Answer(
                sources=found.sources, evidence=found.evidence, kind="evidence", topic=topic
            )

        # "tengo un estudio…" describes; "cuanto sale shopify pa mi tienda" asks, "?" or not.
        asking = "?" in message or bool(_OPENS_ASKING.match(fold(message))) or relayed
        described = bool(understood.changed) and not asking
        if described or (not understood.explicit_question and not asking and not follow):
            # A statement, not a question, or a description the recommendations answer.
            return Answer(kind="none")

        # 6. Nothing answers: say so, and who does (the topic's institution on a follow-up).
        return self._refusal(message, last, follow, profile)
