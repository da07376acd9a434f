"""Courses that fit the person asking: someone new to computers (or whose staff is) starts with
the computer course, a relative who reads English gets English courses named for them while the
owner's list stays Spanish, and a language the catalog lacks is said plainly. Real knowledge and
catalog, lexical matching only."""

from __future__ import annotations

import pytest

from assistant.answering.answerer import Answerer
from assistant.answering.course_fit import (
    asked_language,
    computer_course,
    english_for,
    english_reader,
    language_answer,
    new_to_computers_who,
)
from assistant.knowledge.reader import Knowledge
from assistant.schemas import BusinessProfile, Topic
from assistant.turn import Answer, Evidence, TurnInput
from tests.helpers import owner_chat


def _turn(message: str, *said: str, profile: BusinessProfile | None = None) -> TurnInput:
    history = tuple(("user", s) for s in said)
    return TurnInput(
        session_id="t", message=message, channel="web", profile=profile or BusinessProfile(),
        history=history,
    )  # fmt: skip


@pytest.mark.parametrize(
    "said",
    [
        "tengo una papeleria, mis empleados no le entienden a la compu",
        "los muchachos no saben usar la computadora",
        "yo no entiendo nada de computacion",
        "no se usar la compu",
        "ni siquiera se prender la computadora",
    ],
)
def test_not_knowing_the_computer_is_the_lowest_maturity(said: str) -> None:
    profile = owner_chat(said)
    assert profile.maturity == 1 and "no_computer" in profile.signals


def test_who_is_new_to_computers() -> None:
    new = BusinessProfile(maturity=1, signals=["no_computer"])
    staff = ["tengo una papeleria, mis empleados no le entienden a la compu"]
    assert new_to_computers_who(new, staff) == "staff"
    assert new_to_computers_who(new, ["no se usar la compu"]) == "owner"
    used = BusinessProfile(maturity=3, signals=["spreadsheet"])
    assert new_to_computers_who(used, ["uso excel diario"]) is None


def test_the_computer_course_is_spanish_and_free(knowledge: Knowledge) -> None:
    course = computer_course(knowledge.courses)
    assert course is not None and "es" in course.languages and course.free


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("yo no se ingles pero mi hija si sabe ingles", "tu hija"),
        ("mi sobrino me ayuda y el si habla ingles", "tu sobrino"),
        ("mi hijo lee bien el ingles", "tu hijo"),
        ("mi cuñada domina el inglés", "tu cuñada"),
        ("mi hija si le sabe al ingles", "tu hija"),
        ("mi hijo sabe bastante ingles", "tu hijo"),
    ],
)
def test_a_relative_who_reads_english(said: str, who: str) -> None:
    assert english_reader([said]) == who


@pytest.mark.parametrize(
    "said",
    ["mi hija no sabe ingles", "yo no hablo ingles", "mi hijo me ayuda con el face"],
)
def test_no_relative_reads_english(said: str) -> None:
    assert english_reader([said]) is None


def test_english_courses_for_a_relative_are_free_introductions(knowledge: Knowledge) -> None:
    courses = english_for(knowledge.courses)
    assert courses
    for c in courses:
        assert c.free and c.level == "fundamental" and "es" not in c.languages
        assert c.format not in ("exam", "program", "lab")


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("hay cursos en zapoteco?", "zapoteco"),
        ("tienen cursos de ia en frances?", "frances"),
        ("hay cursos de ia en portugues?", "portugues"),
        ("hay algun curso en lengua maya", "maya"),
    ],
)
def test_a_language_asked(message: str, language: str) -> None:
    assert asked_language(message) == language


@pytest.mark.parametrize(
    "message", ["y vienen en nahuatl?", "¿hay en portugués?", "y esos estan en zapoteco"]
)
def test_a_language_asked_of_the_courses_just_listed(message: str) -> None:
    assert asked_language(message, on_courses=True) is not None
    assert asked_language(message) is None  # nothing listed: no course asked


@pytest.mark.parametrize(
    "message",
    [
        "tengo un hotel en la riviera maya, hay cursos?",
        "hay cursos en español?",
        "el chino",
        "la IA me puede ayudar a contestarle en italiano a los huespedes?",
        "oye y la ia me sirve pa contestarle a los q escriben en frances?",
    ],
)
def test_no_other_language_asked(message: str) -> None:
    assert asked_language(message, on_courses=True) is None


def test_a_language_none_has_is_said_plainly(knowledge: Knowledge) -> None:
    facts = language_answer("zapoteco", knowledge.courses, ())
    assert facts.lines[0].startswith("Ninguno de los cursos que conozco viene en zapoteco")
    assert "español" in facts.lines[1] and all("es" in c.languages for c in facts.courses)
    listed = [c.id for c in knowledge.courses.values() if c.languages == ["es"]][:3]
    facts = language_answer("nahuatl", knowledge.courses, listed)
    assert facts.lines[0].startswith("No, ninguno de los que te pasé viene en náhuatl")


def test_a_language_some_have_names_them_truly(knowledge: Knowledge) -> None:
    facts = language_answer("portugues", knowledge.courses, ())
    have = [c for c in knowledge.courses.values() if "pt" in c.languages]
    assert f"solo hay {len(have)}" in facts.lines[0]
    assert all("pt" in c.languages for c in facts.courses[:2])


def _curated_list(knowledge: Knowledge) -> Answer:
    entry = knowledge.faq["cursos-gratis"]
    return Answer(
        evidence=(Evidence(text=entry.answer, n=1),),
        kind="curated",
        topic=Topic(kind="faq", ids=[entry.id], courses=list(entry.course_ids)),
    )


def test_the_computer_course_leads_a_general_course_answer(
    answerer: Answerer, knowledge: Knowledge
) -> None:
    new = BusinessProfile(sector="abarrotes", maturity=1, signals=["no_computer"])
    turn = _turn("hay cursos gratis?", "tengo una tiendita, no se usar la compu", profile=new)
    found = answerer.fitted(turn, new, _curated_list(knowledge))
    basic = computer_course(knowledge.courses)
    assert basic is not None
    assert f"«{basic.title_es}»" in found.evidence[0].text
    assert found.topic is not None and found.topic.courses[0] == basic.id  # "el primero"
    # The curated list stays, after it.
    assert found.evidence[1].text == knowledge.faq["cursos-gratis"].answer
    # Someone at a computer gets the list as it was.
    used = BusinessProfile(sector="abarrotes", maturity=3, signals=["spreadsheet"])
    same = _curated_list(knowledge)
    assert answerer.fitted(_turn("hay cursos gratis?", profile=used), used, same) is same


def test_a_subject_asked_is_not_a_general_course_question(
    answerer: Answerer, knowledge: Knowledge
) -> None:
    new = BusinessProfile(sector="abarrotes", maturity=1, signals=["no_computer"])
    same = _curated_list(knowledge)
    turn = _turn("los cursos en linea dan constancia dc-3?", profile=new)
    assert answerer.fitted(turn, new, same) is same


def test_a_relative_gets_english_courses_and_the_owner_keeps_spanish(
    answerer: Answerer, knowledge: Knowledge
) -> None:
    owner = BusinessProfile(sector="restaurante", reads_english=False)
    turn = _turn("q cursos hay pa nosotros?", "mi sobrino si habla ingles", profile=owner)
    found = answerer.fitted(turn, owner, Answer(kind="none"))
    assert found.kind == "catalog"
    line = found.evidence[-1].text
    assert line.startswith("Para tu sobrino, que sí lee inglés") and "(en inglés" in line


@pytest.mark.parametrize(
    "message", ["q cursos me sirven", "hay algun curso gratis pa ellos?", "ke cursos hay"]
)
def test_a_general_course_question_asks_for_the_path(message: str) -> None:
    from assistant.recommendation.recommend import PATH, asked

    assert PATH in asked(message)


def test_how_long_they_last_is_a_duration_question() -> None:
    from assistant.answering.catalog import asked_facts

    assert "duration" in asked_facts("y esos cuanto duran?")
    assert "duration" in asked_facts("cuanto tardan en terminarse")
