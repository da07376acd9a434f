"""Follow-ups resolve against what the last reply showed (issue 11, fifth round): a course of
the list by pointer or ranking ("¿y ese trae certificado?", "¿cuál está más sencillo?"), an idea
by its place or what it is about ("me late la tercera", "lo de las etiquetas"), the idea just
given ("¿y eso se paga?"), how to apply for the program just explained, the last answer said
plainly, and a bare "sale, ¿qué sigue?" that takes the next step offered. A follow-up that names
something else leaves them alone. Real knowledge and catalog, lexical matching only."""

from __future__ import annotations

import datetime as dt

from assistant.answering.answerer import Answerer
from assistant.answering.catalog import bare_follow_up, catalog_answer
from assistant.answering.curated import aspects_asked
from assistant.knowledge.reader import Knowledge
from assistant.recommendation.recommend import (
    IDEAS,
    NEXT_IDEAS,
    NEXT_PATH,
    NEXT_PROGRAMS,
    asked,
    going_on,
    recommend,
)
from assistant.schemas import BusinessProfile, Recommendations, Topic
from assistant.service import turn_topic
from assistant.turn import TurnContext, TurnInput, Understanding

TODAY = dt.date(2026, 12, 4)
PATH = [
    "santander-excel-intermedio-avanzado",  # intermediate, 8 h
    "santander-fundamentos-chatgpt",  # fundamental, hours not published
    "santander-google-domina-ia-gemini",  # fundamental, 2 h
]
ROPA = [
    "tienda-de-ropa-publicaciones-y-lives",
    "tienda-de-ropa-apartados-y-pagos",
    "tienda-de-ropa-que-surtir",
]


# ---- courses of the list just shown ------------------------------------------------------------
def test_a_singular_pointer_is_the_one_course_just_talked_about(knowledge: Knowledge) -> None:
    one = ["santander-google-domina-ia-gemini"]
    facts = catalog_answer(
        "¿y ese trae certificado?", knowledge.courses, PATH, current=one, on_courses=True
    )
    assert facts is not None and facts.pointed
    assert [c.id for c in facts.courses] == one
    assert "constancia" in facts.lines[0]


def test_the_easiest_and_the_shortest_of_the_list(knowledge: Knowledge) -> None:
    easy = catalog_answer("¿cuál está más sencillo?", knowledge.courses, PATH, on_courses=True)
    assert easy is not None and easy.pointed
    assert [c.id for c in easy.courses] == ["santander-fundamentos-chatgpt"]  # first basic one
    short = catalog_answer("¿no hay otro más cortito?", knowledge.courses, PATH, on_courses=True)
    assert short is not None and [c.id for c in short.courses] == [PATH[2]]
    assert "2 horas" in " ".join(short.lines)
    # Not after courses (a program just explained): the ranking is not about them.
    assert catalog_answer("¿cuál está más sencillo?", knowledge.courses, PATH) is None


def test_a_bare_fact_asks_about_the_courses_just_shown(knowledge: Knowledge) -> None:
    one = [PATH[1]]
    link = catalog_answer(
        "¿y cómo me inscribo?", knowledge.courses, PATH, current=one, on_courses=True
    )
    assert link is not None and link.pointed and "https://" in link.lines[0]
    # Something else named is not about the courses ("¿cuánto cuesta el sello?").
    assert bare_follow_up("¿y eso sale gratis?")
    assert not bare_follow_up("¿cuánto cuesta la certificación de google?")
    other = catalog_answer(
        "¿cuánto cobra el sat por la e.firma?", knowledge.courses, PATH, on_courses=True
    )
    assert other is None or not other.pointed


def test_the_one_of_a_brand_is_pointed_at_in_the_list(knowledge: Knowledge) -> None:
    facts = catalog_answer("el de gemini ese es gratis?", knowledge.courses, PATH)
    assert facts is not None and facts.pointed
    assert [c.id for c in facts.courses] == [PATH[2]]


# ---- ideas -------------------------------------------------------------------------------------
def test_one_idea_asked_for_is_not_the_list_again() -> None:
    assert IDEAS not in asked("me late la tercera idea")
    assert IDEAS not in asked("esa idea como se hace?")
    assert IDEAS in asked("dame ideas pa mi negocio")


def test_an_idea_by_its_place_or_by_what_it_is_about(answerer: Answerer) -> None:
    listed = Topic(kind="use_case", ideas=ROPA)
    third = answerer._idea_follow_up("me late la tercera, ¿cómo sería?", listed, "tienda-de-ropa")
    assert third is not None and third.kind == "use_case"
    assert third.topic is not None and third.topic.ids == [ROPA[2]]
    assert third.evidence[0].text.startswith("«Qué tallas y modelos resurtir")
    # Another noun after the ordinal is no idea: "la primera compra".
    assert (
        answerer._idea_follow_up(
            "¿cuánto cuesta la primera compra de tela?", listed, "tienda-de-ropa"
        )
        is None
    )
    labels = answerer._idea_follow_up("¿y lo de las etiquetas cómo?", listed, "tienda-de-ropa")
    assert labels is not None and labels.topic is not None and labels.topic.ids == [ROPA[1]]


def test_ideas_listed_some_turns_before_are_still_pointed_at(answerer: Answerer) -> None:
    # The programs came in between: their reply listed no ideas.
    programs = Topic(kind="faq", ids=["programas-crece-tu-mipyme"])
    first = answerer._idea_follow_up(
        "oye y la primera idea como la aplico?", programs, "tienda-de-ropa", ROPA
    )
    assert first is not None and first.topic is not None and first.topic.ids == [ROPA[0]]
    # A bare "¿eso cuesta?" is about the programs just explained, not an idea from before.
    assert answerer._idea_follow_up("¿eso cuesta?", programs, "tienda-de-ropa", ROPA) is None
    named = answerer._idea_follow_up(
        "esa idea de las tallas cuanto me cuesta?", None, "tienda-de-ropa", ROPA
    )
    assert named is not None and named.topic is not None and named.topic.ids == [ROPA[2]]
    assert "sin pagar" in named.evidence[0].text


def test_an_idea_pointed_at_with_a_neuter_place(answerer: Answerer) -> None:
    # "Lo segundo que me pasaste": what was said in that place, some turns later.
    path = Topic(kind="courses", courses=PATH)
    for said, at in [
        ("y lo segundo que me pasaste, como lo arranco?", 1),
        ("ps como le hago con lo ultimo q me mandaste", -1),
        ("no le entendi a lo primerito que me dijo", 0),
    ]:
        found = answerer._idea_follow_up(said, path, "tienda-de-ropa", ROPA)
        assert found is not None and found.topic is not None, said
        assert found.topic.ids == [ROPA[at]], said
    # A masculine place that points back ("el consejo"): "¿y el segundo que me diste?".
    listed = Topic(kind="use_case", ideas=ROPA)
    found = answerer._idea_follow_up("oye y el segundo que me diste?", listed, "tienda-de-ropa")
    assert found is not None and found.topic is not None and found.topic.ids == [ROPA[1]]
    # Alone it points at nothing said ("¿y el segundo?" is a course of a list shown).
    assert answerer._idea_follow_up("¿y el segundo?", listed, "tienda-de-ropa") is None
    # "Lo primero" that points nowhere back is no idea.
    assert (
        answerer._idea_follow_up(
            "lo primero que necesito saber es si hay creditos", path, "tienda-de-ropa", ROPA
        )
        is None
    )


def test_the_idea_just_given_its_cost_and_its_start(answerer: Answerer) -> None:
    given = Topic(kind="use_case", ids=[ROPA[1]], ideas=ROPA)
    cost = answerer._idea_follow_up("¿y eso se paga?", given, "tienda-de-ropa")
    assert cost is not None
    assert "sin pagar" in cost.evidence[0].text and "Google Sheets" in cost.evidence[0].text
    start = answerer._idea_follow_up("ok, ¿por dónde empiezo?", given, "tienda-de-ropa")
    assert start is not None and "Para empezar con" in start.evidence[0].text


def test_a_question_about_something_else_is_no_idea_follow_up(answerer: Answerer) -> None:
    given = Topic(kind="use_case", ids=[ROPA[0]], ideas=ROPA)
    for message in (
        "¿cuánto cuesta tiendanube al mes?",
        "los cursos en linea gratis dan constancia?",
        "y otra cosa, ¿cómo empiezo a facturar?",
    ):
        assert answerer._idea_follow_up(message, given, "tienda-de-ropa") is None, message
    # After an answer (the ideas only listed next to it), a bare "¿y cuánto cuesta?" is about
    # the answer, not an idea.
    answered = Topic(kind="faq", ids=["examenes-aws-cloud-practitioner-precio"], ideas=ROPA)
    assert answerer._idea_follow_up("¿y cuánto cuesta?", answered, "tienda-de-ropa") is None


def test_the_ideas_listed_are_the_topic_but_none_was_given_in_full(
    knowledge: Knowledge,
) -> None:
    profile = BusinessProfile(sector="tienda-de-ropa")
    ideas = recommend(knowledge, profile).use_cases[:3]
    ctx = TurnContext(
        message="vendo ropa en tepic",
        intent="diagnosis",
        profile=profile,
        recommendations=Recommendations(use_cases=ideas),
        show_recommendations=True,
    )
    topic = turn_topic(ctx)
    assert topic is not None and topic.kind == "use_case"
    assert topic.ideas == [uc.id for uc in ideas] and topic.ids == []


def test_an_idea_asked_after_news_of_someone_else_is_still_that_idea(answerer: Answerer) -> None:
    # What the owner tells around the question (a relative's ranch, a town) names no idea; the
    # question alone does.
    listed = Topic(kind="use_case", ideas=ROPA)
    profile = BusinessProfile(sector="tienda-de-ropa", state="Puebla")
    message = (
        "Mi cuñado tiene un rancho de becerros en Atlixco y a veces le ayudo allá. "
        "Para la tienda, ¿cómo hago lo de las etiquetas?"
    )
    turn = TurnInput(
        session_id="s", message=message, channel="web", profile=profile,
        history=(("user", "tengo una tienda de ropa en Puebla"), ("assistant", "…")),
        topic=listed,
    )  # fmt: skip
    understood = Understanding(
        intent="question", profile=profile, is_question=True, explicit_question=True
    )
    found = answerer.answer(turn, understood, today=TODAY)
    assert found.kind == "use_case" and found.topic is not None
    assert found.topic.ids == ["tienda-de-ropa-apartados-y-pagos"]


# ---- a program just explained ------------------------------------------------------------------
def _turn(message: str, topic: Topic) -> tuple[TurnInput, Understanding]:
    profile = BusinessProfile(sector="restaurante", state="Puebla")
    turn = TurnInput(
        session_id="s",
        message=message,
        channel="web",
        profile=profile,
        history=(("user", "oye que es eso de crece tu mipyme"), ("assistant", "…")),
        topic=topic,
    )
    understood = Understanding(
        intent="question", profile=profile, is_question=True, explicit_question="?" in message
    )
    return turn, understood


def test_how_to_apply_is_asked_of_the_program_just_explained(answerer: Answerer) -> None:
    assert "place" in aspects_asked("¿y cómo lo solicito?")
    assert "place" in aspects_asked("y donde me apunto")
    topic = Topic(kind="faq", ids=["programas-crece-tu-mipyme"])
    found = answerer.answer(*_turn("¿y cómo lo solicito?", topic), today=TODAY)
    assert found.confident
    text = " ".join(e.text for e in found.evidence)
    assert "BBVA" in text  # "…pregunta en esos bancos" comes with the sentence naming them


def test_the_last_answer_said_plainly(answerer: Answerer) -> None:
    topic = Topic(kind="faq", ids=["cursos-saberesmx"])
    plain = answerer._said_simpler("no le entendi, me lo dices mas sencillo?", topic, TODAY)
    assert plain is not None
    assert plain.evidence[0].text.startswith("En pocas palabras, es la plataforma")
    # A new subject asked in plain words is a new question.
    assert (
        answerer._said_simpler("que es el plan mexico en palabras sencillas?", topic, TODAY) is None
    )


# ---- "va", "sale, ¿qué sigue?" -----------------------------------------------------------------
def test_a_bare_go_on_takes_the_next_step_offered() -> None:
    known = BusinessProfile(sector="floreria", state="Querétaro")
    assert going_on("sale pues", known, {}) == NEXT_PATH
    assert going_on("okey, ¿qué sigue?", known, {"path": "a,b@-"}) == NEXT_PROGRAMS
    assert going_on("simon", known, {"path": "a@-", "programs": "p"}) == NEXT_IDEAS
    # Not before the business is known, and not when the message says more.
    assert going_on("sale", BusinessProfile(), {}) is None
    assert going_on("va, muchas gracias", known, {}) is None
    assert going_on("si tengo whatsapp business", known, {}) is None
