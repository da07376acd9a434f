"""Answers about courses: the catalog's facts as a reply, the owner's path, a course named a turn
before, and when a message names something the courses' records don't."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from assistant.answering.catalog import (
    CourseFacts,
    asked_facts,
    asks_courses_on_that,
    asks_for_courses,
    catalog_topic,
    course_sentence,
    courses_near,
    courses_on,
    named_as_course,
    path_duration,
    referenced_courses,
    title_of,
)
from assistant.answering.course_fit import (
    asked_language,
    computer_course,
    computer_line,
    english_for,
    english_line,
    english_reader,
    language_answer,
    new_to_computers_who,
)
from assistant.answering.curated import (
    institution_for,
    institutions_in,
    names_in,
)
from assistant.answering.evidence import question_of
from assistant.answering.grounded import SNIPPET, GroundedAnswers
from assistant.answering.questions import is_short
from assistant.knowledge.models import Course
from assistant.schemas import BusinessProfile, Source, Topic
from assistant.turn import Answer, Evidence, TurnInput
from assistant.understanding.text import clip, fold, keyword_tokens

# Words of a general course question ("¿hay cursos gratis?", "q cursos me sirven", "¿hay algún
# curso gratis pa ellos?"), not of a subject: what fits the person is its answer.
_GENERAL_ASK = frozenset(
    keyword_tokens(
        "curso cursos cursito cursitos capacitacion capacitaciones gratis gratuito gratuitos "
        "sirve sirven sirva conviene convienen recomiendas recomienda recomiendan hay tienen "
        "ruta aprender aprenda aprendan ia inteligencia artificial algun alguno algunos ellos "
        "ellas nosotros mi pa para que cual cuales ayude ayuden español "
    )
)
# Answers a general course question can come as: a curated list, the recommendations, nothing.
_GENERAL_KINDS = ("curated", "none", "refusal", "redirect")


class CourseAnswers(GroundedAnswers):
    """Catalog facts (`catalog.py`) turned into answers."""

    def _in_language(self, message: str, listed: Sequence[str], on_courses: bool) -> Answer | None:
        """ "¿Hay cursos en zapoteco?", "¿y vienen en portugués?": plainly whether there are, in
        the courses just listed (when the question points at them) and in the catalog, and
        what there is instead."""
        language = asked_language(message, on_courses)
        if language is None:
            return None
        shown = listed if on_courses else ()
        return self._catalog(language_answer(language, self.knowledge.courses, shown))

    def _general_course_ask(self, message: str, reader: str | None) -> bool:
        """ "¿Hay cursos gratis?", "q cursos me sirven": courses asked with no subject of their
        own (a relative's English, said with it, is who they are for, not a subject)."""
        if not asks_for_courses(message):
            return False
        query = fold(question_of(message) or message)
        if reader:
            query = query.replace(fold(reader.split()[-1]), " ")
        said = set(keyword_tokens(query)) - self.curated.generic - _GENERAL_ASK
        said -= set(keyword_tokens("mi hija hijo sobrino sobrina lee sabe habla ingles bien"))
        return not said

    def fitted(self, turn: TurnInput, profile: BusinessProfile, found: Answer) -> Answer:
        """A general course question answered for the person asking: someone new to computers
        (or whose staff is: "mis empleados no le entienden a la compu") starts with the computer
        course, and a relative who reads English ("mi hija sí sabe inglés") gets the English
        courses named for them, while the owner's own list stays in Spanish."""
        if found.kind not in _GENERAL_KINDS:
            return found
        if found.kind == "curated" and (found.topic is None or not found.topic.courses):
            return found  # an answer on something else that mentions courses
        said = [text for role, text in turn.history if role == "user"] + [turn.message]
        reader = english_reader(said)
        if not self._general_course_ask(turn.message, reader):
            return found
        before: list[tuple[str, Course]] = []
        after: list[tuple[str, tuple[Course, ...]]] = []
        who = new_to_computers_who(profile, said)
        basic = computer_course(self.knowledge.courses) if who else None
        if basic is not None and who is not None:
            before.append((computer_line(basic, who), basic))
        english = english_for(self.knowledge.courses) if reader else []
        if reader and english:
            after.append((english_line(reader, english), tuple(english)))
        if not before and not after:
            return found
        return self._with_lines(found, before, after)

    def _with_lines(
        self,
        found: Answer,
        before: Sequence[tuple[str, Course]],
        after: Sequence[tuple[str, tuple[Course, ...]]],
    ) -> Answer:
        """The answer with a line first (the course to start with) and lines after it (courses
        for someone else), each cited by its first course's page; the courses first named lead
        what "el primero" points at."""
        kept = found.kind == "curated"
        sources = list(found.sources) if kept else []
        evidence = list(found.evidence) if kept else []

        def cited(line: str, course: Course) -> Evidence:
            sources.append(
                Source(
                    n=len(sources) + 1,
                    title=course.title_es,
                    url=str(course.url),
                    kind="course",
                    snippet=clip(line, SNIPPET),
                )
            )
            return Evidence(text=line, n=len(sources))

        lead = [cited(line, course) for line, course in before]
        tail = [cited(line, courses[0]) for line, courses in after]
        firsts = [c.id for _, c in before]
        others = [c.id for _, cs in after for c in cs]
        listed = found.topic.courses if kept and found.topic is not None else []
        courses = [*firsts, *(c for c in listed if c not in firsts), *others]
        if kept and found.topic is not None:
            topic = found.topic.model_copy(update={"courses": courses})
            return replace(found, sources=tuple(sources), evidence=(*lead, *evidence, *tail),
                           topic=topic)  # fmt: skip
        lines = tuple(e.text for e in (*lead, *tail))
        return Answer(
            sources=tuple(sources),
            evidence=(*lead, *tail),
            kind="catalog",
            parts=lines,
            topic=Topic(kind="courses", ids=courses, courses=courses),
        )

    def path_answer(
        self, message: str, path: Sequence[str], weekly_hours: float | None
    ) -> Answer | None:
        """ "¿Cuánto dura la ruta?" asked as the path is given: how long that path takes."""
        facts = path_duration(message, self.knowledge.courses, path, weekly_hours)
        return self._catalog(facts, path) if facts is not None else None

    def _courses_on_that(self, message: str, last: Topic | None) -> CourseFacts | None:
        """ "¿Hay cursos gratis pa eso?" right after an idea or an answer: the catalog's courses on
        what that reply was about (the idea's own courses; for an answer, the courses nearest its
        question), or a line saying none is. None when the message names its own topic."""
        if last is None or not asks_courses_on_that(message):
            return None
        if catalog_topic(question_of(message), self.knowledge.courses) is not None:
            return None  # "¿hay cursos de excel pa eso?": the topic it names
        if last.kind == "use_case" and last.ids:
            label = last.label if len(last.ids) == 1 else ""
            return courses_on(label, last.courses, self.knowledge.courses, message)
        if last.kind == "faq" and last.ids and last.ids[0] in self.knowledge.faq:
            entry = self.knowledge.faq[last.ids[0]]
            near = courses_near(entry.question, self.knowledge.courses)
            return courses_on("", near, self.knowledge.courses, message)
        return None

    def _course_named_before(self, message: str, said: str) -> CourseFacts | None:
        """ "¿Y de qué nivel es?" right after the owner asked about one course by name: that
        course's fact, asked with nothing else named (after any curated answer: the catalog
        knows less of an exam's languages than the entry on it)."""
        query = question_of(message)
        facts = asked_facts(query)
        if not facts or not is_short(query, 2):
            return None
        named, pointed = referenced_courses(said, self.knowledge.courses, ())
        if len(named) != 1 or pointed:
            return None
        facts = facts[:3]
        line = (course_sentence(named[0], facts, message),)
        return CourseFacts((named[0],), facts, line, named_by=named_as_course(said, named[0]))

    def _names_beyond(self, message: str, facts: CourseFacts) -> bool:
        """Whether the message names something the courses' records never mention ("¿esos
        dan la DC-3?"): a curated answer on that name says what the catalog can't."""
        said = names_in(message)
        if not said:
            return False
        text = " ".join(
            " ".join([c.title, c.title_es, c.provider, c.summary, *c.topics]) for c in facts.courses
        )
        return bool(said - self.curated.tokens(text))

    def _for_another_office(self, message: str, facts: CourseFacts) -> bool:
        """Whether a message named courses only by words they share with an office's business
        ("¿Qué registro me pide Senasica pa vender miel?" and the "Guía de registro del
        vendedor"): the office it names is not what those courses are about."""
        ref = institution_for(message)
        if ref is None or facts.pointed:
            return False
        text = " ".join(
            f"{c.title} {c.title_es} {c.provider} {c.summary} {' '.join(c.topics)}"
            for c in facts.courses
        )
        return ref.name not in institutions_in(text)

    def _catalog(self, facts: CourseFacts, shown: Sequence[str] = ()) -> Answer:
        """One line per course (cited by its catalog page), after a summary line if any.

        An answer about courses of the list just shown keeps that list as what the next
        follow-up points at ("¿y el segundo?" after "¿el primero cuánto dura?")."""
        sources: list[Source] = []
        evidence: list[Evidence] = []
        by_title = {f"«{title_of(c)}»": c for c in facts.courses}
        for line in facts.lines:
            course = next((c for t, c in by_title.items() if t in line), None)
            n = 0
            if course is not None:
                n = len(sources) + 1
                sources.append(
                    Source(
                        n=n,
                        title=course.title_es,
                        url=str(course.url),
                        kind="course",
                        snippet=clip(line, SNIPPET),
                    )
                )
            evidence.append(Evidence(text=line, n=n))
        ids = [c.id for c in facts.courses]
        listed = list(shown) if shown and set(ids) <= set(shown) else ids
        return Answer(
            sources=tuple(sources),
            evidence=tuple(evidence),
            kind="catalog",
            parts=tuple(facts.lines),
            topic=Topic(kind="courses", ids=ids, courses=listed),
        )
