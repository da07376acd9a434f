"""Replies without talking-to-itself notes, the route when asked for again, and closing lines
that fit the turn (issue 11, round 6 review: classes 1, 7 and 8)."""

from __future__ import annotations

import pytest

from assistant.composition.offline import (
    courses_for_others,
    goal_name,
    noted,
    program_lines,
    reference,
)
from assistant.recommendation.recommend import PATH, asks_path_again
from assistant.schemas import BusinessProfile, ProgramRec, Recommendations, Source, TrainingStep
from assistant.understanding.reader import QUESTIONS

GOALS_Q = QUESTIONS["goals"][0]
HOURS_Q = QUESTIONS["weekly_hours"][0]


def _profile(**slots: object) -> BusinessProfile:
    return BusinessProfile(sector="abarrotes", state="Oaxaca", **slots)


# ---- class 1: notes ----------------------------------------------------------------------------


def test_a_goal_read_from_a_question_is_not_announced_over_its_answer() -> None:
    profile = _profile(goals=["save_time"])
    answer = "Haz una lista de precios en Sheets y pásasela a Gemini con la foto del pedido."
    assert noted(profile, {"goals"}, "me traen pedidos en fotos y me tardo horas", answer) is None


def test_only_the_new_goal_is_noted_on_a_plain_update() -> None:
    profile = _profile(goals=["sell_more", "inventory"])
    note = noted(profile, {"goals"}, "y tambien que no me sobre mercancia", "", ["sell_more"])
    assert note == "Anotado: quieres controlar tu inventario."


@pytest.mark.parametrize(
    "message",
    [
        "ocupo un prestamo pa surtir la bodega",
        "nos interesa que nos financien una camioneta",
        "me gustaria sacar un credito",
        "¿el banco me presta para un refri?",
    ],
)
def test_finance_told_with_credit_words_reads_as_getting_credit(message: str) -> None:
    assert goal_name("finance", message) == "conseguir financiamiento"
    note = noted(_profile(goals=["finance"]), {"goals"}, message)
    assert note == "Anotado: quieres conseguir financiamiento."


def test_finance_without_credit_words_keeps_its_name() -> None:
    assert goal_name("finance", "no se cuanto gano al mes") == "llevar mejor tus cuentas"


@pytest.mark.parametrize(
    "message",
    [
        "¿tienen cursos en ingles? yo no le entiendo pero mi sobrina si",
        "mi esposo si lee ingles, yo no, ¿hay algo pa el?",
    ],
)
def test_someone_elses_english_gets_no_spanish_only_note(message: str) -> None:
    profile = _profile(reads_english=False)
    answer = "Hay cursos de AWS que solo vienen en el otro idioma."
    assert noted(profile, {"reads_english"}, message, answer) is None


def test_the_owners_own_english_is_still_noted_on_an_update() -> None:
    note = noted(_profile(reads_english=False), {"reads_english"}, "yo no leo nada de ingles")
    assert note == "Anotado: te recomendaré solo cursos en español."


# ---- class 7: the route ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "Ver mi ruta de cursos",
        "me reenvias los cursos? se me perdieron",
        "cuales eran los cursos que me recomendaste",
        "vuelve a pasarme los cursos porfa",
        "enseñame mi ruta",
    ],
)
def test_asking_to_see_the_route_again(message: str) -> None:
    assert asks_path_again(message)


@pytest.mark.parametrize(
    "message",
    [
        "¿cuanto dura la ruta completa?",
        "¿esos cursos vienen en ingles?",
        "el tercer curso de que trata",
        "ya acabe el primero, esta muy bueno",
    ],
)
def test_a_fact_of_the_route_is_no_ask_to_see_it(message: str) -> None:
    assert not asks_path_again(message)


def _step(course_id: str, title: str) -> TrainingStep:
    return TrainingStep(
        course_id=course_id,
        title=title,
        provider="x",
        url=f"https://example.org/{course_id}",
        level="fundamental",
        duration_hours=2,
        cost="Gratis",
        languages=["es"],
        why="",
    )


def test_the_route_referred_to_names_where_to_start() -> None:
    recs = Recommendations(training_path=[_step("a", "Word desde cero"), _step("b", "Excel")])
    line = reference(PATH, recs, more=False)
    assert "«Word desde cero»" in line


async def test_a_route_asked_again_is_resent_with_its_first_course(assistant) -> None:  # type: ignore[no-untyped-def]
    sid = "route-again"
    await assistant.respond(sid, "tengo una estetica en puebla, somos 3", "whatsapp")
    first = await assistant.respond(sid, "dame mi ruta de cursos", "whatsapp")
    assert first.recommendations.training_path
    again = await assistant.respond(sid, "me la mandas otra vez? no encuentro la ruta", "whatsapp")
    steps = again.recommendations.training_path
    assert [s.course_id for s in steps] == [
        s.course_id for s in first.recommendations.training_path
    ]
    assert steps[0].title in again.answer
    assert "sigue igual" not in again.answer


# ---- class 8: closing lines --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "others"),
    [
        ("¿hay curso pa mis meseros? no saben nada de compu", True),
        ("quiero capacitar al personal de mostrador", True),
        ("¿hay cursos gratis pa mi?", False),
        ("mi hijo me ayuda en la tienda", False),  # no courses asked
    ],
)
def test_courses_for_someone_else(message: str, others: bool) -> None:
    assert courses_for_others(message) is others


def _program(pid: str, title: str, url: str) -> ProgramRec:
    return ProgramRec(
        id=pid, kind="money", title=title, url=url, summary="", valid_as_of="2026-01-01"
    )


def test_programs_below_an_answer_are_named_not_counted() -> None:
    programs = [
        _program("a", "Crédito Pyme Nafin: garantía de hasta 70 %", "https://a.example"),
        _program("b", "Fondo estatal (convocatoria 2026): créditos", "https://b.example"),
    ]
    recs = Recommendations(programs=programs)
    sources = [
        Source(n=1, title="a", url="https://a.example", kind="program", snippet=""),
        Source(n=2, title="b", url="https://b.example", kind="program", snippet=""),
    ]
    profile = _profile()
    # The answer cited the first: only the second is pointed to, by its name.
    lines = program_lines(recs, profile, "web", sources, cited={"https://a.example"})
    assert lines == ["Abajo tienes también la ficha de «Fondo estatal» [2]."]
    # The answer cited both: nothing more to say.
    both = {"https://a.example", "https://b.example"}
    assert program_lines(recs, profile, "web", sources, cited=both) == []
    # No answer above: the count, as before.
    assert program_lines(recs, profile, "web", sources)[0].startswith("Te dejo abajo 2 apoyos")


async def test_no_goal_question_before_the_business_is_known(assistant) -> None:  # type: ignore[no-untyped-def]
    sid = "no-business-close"
    await assistant.respond(sid, "¿cuanto cuesta certificarse en la nube de aws?", "web")
    reply = await assistant.respond(sid, "¿y hay cursos gratis pa prepararme?", "web")
    assert GOALS_Q not in reply.answer


async def test_no_hours_question_for_courses_asked_for_the_staff(assistant) -> None:  # type: ignore[no-untyped-def]
    sid = "staff-courses"
    await assistant.respond(sid, "tengo una fonda en merida yucatan, somos 6", "web")
    reply = await assistant.respond(sid, "¿hay cursos pa mis cocineras? no usan compu", "web")
    assert HOURS_Q not in reply.answer
