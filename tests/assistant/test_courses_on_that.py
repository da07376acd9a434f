"""Courses asked for "pa eso" (issue 11, sixth round): the topic is the idea or answer just given,
listed from the catalog (Spanish and free first), or said plainly to have none; and an answer
picked out of a text never quotes "2) …" or "4) …" cut from its numbered list. Real knowledge
and catalog, lexical matching only."""

from __future__ import annotations

from assistant.answering.answerer import Answerer
from assistant.answering.catalog import asks_courses_on_that, courses_on
from assistant.answering.sentences import whole_items, with_antecedent
from assistant.knowledge.reader import Knowledge
from assistant.schemas import Topic


def _idea_with_courses(knowledge: Knowledge) -> tuple[str, str, list[str]]:
    for s in knowledge.sectors.values():
        for uc in s.use_cases:
            if len([c for c in uc.related_courses if c in knowledge.courses]) >= 2:
                return uc.id, uc.title, list(uc.related_courses)
    raise AssertionError("no idea with two catalog courses")


def test_a_course_question_that_points_back_is_told_apart() -> None:
    for said in (
        "y de casualidad no hay un taller sobre esto?",
        "oye, algun cursito pa aprender eso",
        "tendran capacitacion de eso mismo",
        "hay cursos en linea para esa idea?",
    ):
        assert asks_courses_on_that(said), said
    for said in (
        "cuanto cuestan esos cursos?",  # the courses shown, not a topic
        "los cursos de esa ruta son gratis?",
        "eso cuanto cuesta?",  # no course asked
        "hay cursos de excel?",
    ):
        assert not asks_courses_on_that(said), said


def test_courses_for_the_idea_just_given(answerer: Answerer, knowledge: Knowledge) -> None:
    uc_id, title, related = _idea_with_courses(knowledge)
    # A paid course and a free English one beside the idea's own, so that "gratuito" and
    # Spanish first have something to leave out and to put last.
    paid = next(c.id for c in knowledge.courses.values() if not c.free)
    english = next(c.id for c in knowledge.courses.values() if c.free and "es" not in c.languages)
    related = [paid, english, *related]
    last = Topic(kind="use_case", ids=[uc_id], courses=related, label=title)
    facts = answerer._courses_on_that("y pa eso no habra algun curso gratuito?", last)
    assert facts is not None and facts.courses
    assert {c.id for c in facts.courses} <= set(related)
    assert all(c.free for c in facts.courses) and paid not in {c.id for c in facts.courses}
    assert title in facts.lines[0]
    spanish = ["es" in c.languages for c in facts.courses]
    assert spanish == sorted(spanish, reverse=True)  # Spanish first
    assert english not in {c.id for c in facts.courses}  # enough Spanish ones: no English
    # A topic the message names is its own question, not the idea's.
    assert answerer._courses_on_that("hay cursos de ciberseguridad pa eso?", last) is None
    # Nothing pointed back to: no answer from here.
    assert answerer._courses_on_that("hay cursos gratis?", last) is None


def test_none_in_the_catalog_is_said_plainly(knowledge: Knowledge) -> None:
    facts = courses_on("Vender tamales por encargo", [], knowledge.courses, "hay curso pa eso?")
    assert not facts.courses
    assert "No tengo en mi catálogo" in facts.lines[0] and "ruta" in facts.lines[0]


LIST = (
    "Antes de abrir, ordena tus papeles. 1) Saca tu RFC en el SAT. 2) Pide tu uso de suelo en el "
    "municipio. 3) Tramita tu aviso de funcionamiento. Con eso ya puedes vender."
)


def test_a_numbered_item_comes_with_its_short_list() -> None:
    picked = ["3) Tramita tu aviso de funcionamiento."]
    out = " ".join(with_antecedent(picked, LIST))
    assert out.startswith("Antes de abrir, ordena tus papeles. 1) Saca tu RFC")
    assert "2) Pide tu uso de suelo" in out and out.count("3) Tramita") == 1
    # Sentences outside the list keep their place after it.
    both = whole_items(
        ["2) Pide tu uso de suelo en el municipio.", "Con eso ya puedes vender."], LIST
    )
    assert both[-1] == "Con eso ya puedes vender." and both[0].startswith("Antes de abrir")


def test_a_long_list_gives_its_items_without_their_numbers() -> None:
    out = whole_items(["2) Pide tu uso de suelo en el municipio."], LIST, limit=60)
    assert out == ["Pide tu uso de suelo en el municipio."]
    # No list: nothing changes.
    assert whole_items(["Con eso ya puedes vender."], LIST) == ["Con eso ya puedes vender."]
