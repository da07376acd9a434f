"""Answers about courses: the catalog's facts as a reply, the owner's path, a course named a turn
before, and when a message names something the courses' records don't."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.catalog import (
    CourseFacts,
    asked_facts,
    asks_courses_on_that,
    catalog_topic,
    course_sentence,
    courses_near,
    courses_on,
    named_as_course,
    path_duration,
    referenced_courses,
    title_of,
)
from assistant.answering.curated import (
    institution_for,
    institutions_in,
    names_in,
)
from assistant.answering.evidence import question_of
from assistant.answering.grounded import SNIPPET, GroundedAnswers
from assistant.answering.questions import is_short
from assistant.schemas import Source, Topic
from assistant.turn import Answer, Evidence
from assistant.understanding.text import clip


class CourseAnswers(GroundedAnswers):
    """Catalog facts (`catalog.py`) turned into answers."""

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
