"""Answerable questions by coverage of knowledge/ (round five, an5 scenarios): a course named as
one answers with its own facts, a certification named is no certificate asked, "¿q es eso?"
asks about the name said before it, being given something asks who qualifies, what is taught is
an aspect of the topic, a follow-up on a facet goes to the entry on that facet, and doing a
procedure oneself is not working alone. Fresh wordings, not the scenarios'."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.answering.answerer import Answerer
from assistant.answering.catalog import (
    asked_facts,
    catalog_answer,
    catalog_topic,
    named_as_course,
)
from assistant.answering.curated import CuratedAnswers, aspects_asked, facets, owner_words
from assistant.answering.evidence import question_of
from assistant.answering.questions import what_is_that
from assistant.knowledge.reader import read_knowledge
from assistant.schemas import BusinessProfile, Topic
from assistant.turn import TurnInput
from assistant.understanding.headcount import _named_team
from tests.helpers import ROOT, SameMeaning, entry

KNOWLEDGE = read_knowledge(ROOT / "knowledge")


def test_a_course_named_as_one_gets_its_own_facts() -> None:
    courses = KNOWLEDGE.courses
    cisco = catalog_answer("oye el de ciberseguridad de cisco cuanto tiempo lleva?", courses, ())
    assert cisco is not None and [c.id for c in cisco.courses] == ["cisco-intro-ciberseguridad"]
    assert "6 horas" in cisco.lines[0] and "cisco" in cisco.named_by
    # What the sources say of its length when no hours are published.
    elements = catalog_answer("el curso elements of ai en cuanto tiempo se acaba?", courses, ())
    assert elements is not None and "30 a 60 h" in elements.lines[0]
    # A note in parentheses names no course: "inglés" is not "Fundamentos de IA de Google (en
    # inglés)".
    english = catalog_answer("me pasas cursos? pero ingles no leo nada", courses, ())
    assert english is None or all("ingles" not in c.title_es.lower() for c in english.courses)


def test_words_that_are_a_title_are_not_a_course_named() -> None:
    course = KNOWLEDGE.courses["santander-marketing-digital"]
    assert not named_as_course("que tan caro sale el marketing digital con ia?", course)
    assert named_as_course("el curso de marketing digital cobra algo?", course)


def test_a_certification_named_is_no_certificate_asked() -> None:
    assert "certificate" not in asked_facts("voy a sacar la certificacion de ai practitioner")
    assert "certificate" in asked_facts("y ese da certificacion o nomas es pa aprender?")


def test_what_is_that_asks_about_the_name_said_before_it() -> None:
    assert what_is_that("mi contadora me hablo del resico, eso q es?") == "que es resico"
    assert what_is_that("en la junta dijeron llave mx, que es eso?") == "que es llavemx"
    # "eso de…" names what it asks about after it; a pronoun with no name asks nothing here.
    assert what_is_that("que es eso de los polos de desarrollo?") is None
    assert what_is_that("y eso que es?") is None


def test_being_given_something_asks_who_qualifies() -> None:
    assert "who" in facets("a mi carpinteria le pueden dar el distintivo o no?")
    assert "who" in facets("y siendo persona moral igual aplica?")
    assert "who" not in facets("cuanto dan de apoyo al mes?")


def test_owners_spellings_of_the_words_the_entries_use() -> None:
    assert "efirma" in owner_words("me piden la e firma pa eso")
    said = owner_words("y si lo tramito yo misma sin coyote?")
    assert "tu mismo" in said and "intermediario" in said
    assert "donde" in owner_words("tengo que ir a alguna oficina?")


def test_what_is_taught_is_an_aspect_of_the_topic() -> None:
    assert "content" in aspects_asked("y de que trata?")
    index = CuratedAnswers(KNOWLEDGE.faq)
    assert not index.subject("y que se aprende alli?")


def test_the_question_keeps_what_the_owner_wants_after_the_business() -> None:
    asked = question_of(
        "tengo una refaccionaria y quiero sacar la certificacion de ai practitioner, cuanto cuesta?"
    )
    assert "ai practitioner" in asked and "refaccionaria" not in asked


def test_doing_a_procedure_oneself_is_not_working_alone() -> None:
    assert _named_team("y si la saco yo solo me sale mas barato?") == (None, None)
    assert _named_team("el changarro lo atiendo yo sola")[0] == 1


FACETED = {
    e.id: e
    for e in (
        entry(
            "caja-segundo-piso",
            "¿Puedo pedirle prestado directo a la caja estatal?",
            [
                "la caja estatal presta directo",
                "ir directo a la caja estatal",
                "caja estatal directo",
            ],
            "No: la caja estatal presta a través de bancos y cooperativas, que tramitan tu "
            "crédito.",
            topics=["financiamiento", "caja estatal"],
        ),
        entry(
            "caja-requisitos",
            "¿Qué me piden para un crédito con la caja estatal?",
            [
                "papeles para el credito de la caja",
                "requisitos credito caja estatal",
                "que piden en el banco para el credito de la caja",
            ],
            "Piden un año operando, alta en el SAT y buen historial de crédito.",
            topics=["financiamiento", "caja estatal", "requisitos"],
        ),
        entry(
            "caja-bancos",
            "¿Qué bancos dan los créditos de la caja estatal?",
            [
                "bancos de la caja estatal",
                "donde pido el credito de la caja",
                "que banco da la caja",
            ],
            "Los dan tres bancos y dos cooperativas del estado.",
            topics=["financiamiento", "caja estatal"],
        ),
    )
}


def test_a_follow_up_on_a_facet_goes_to_the_entry_on_that_facet() -> None:
    answerer = Answerer(SimpleNamespace(faq=FACETED, courses={}), SameMeaning(FACETED))  # type: ignore[arg-type]
    last = Topic(kind="faq", ids=["caja-segundo-piso"])
    message = "y que me van a pedir en el banco pa ese credito?"
    turn = TurnInput(
        session_id="s", message=message, channel="web", profile=BusinessProfile(), topic=last,
        history=(("user", "puedo ir directo a la caja estatal a que me presten?"),),
    )  # fmt: skip
    chosen = answerer._curated(turn, last, message, None, None, True, True)
    assert chosen and chosen[0].entry.id == "caja-requisitos"


def test_a_course_on_a_topic_lists_the_catalogs_courses_on_it() -> None:
    courses = KNOWLEDGE.courses
    found = catalog_topic("hay algo gratis, un curso pa hacer anuncios en facebook?", courses)
    assert found is not None
    assert [c.id for c in found.courses] == ["santander-publicidad-redes-sociales"]
    hojas = catalog_topic("busco un curso de excel que sea gratis", courses)
    assert (
        hojas is not None
        and hojas.courses
        and all("excel" in c.title.lower() or "Excel" in " ".join(c.topics) for c in hojas.courses)
    )
    # AI courses in general, or courses for the staff, are the curated answers' to give.
    assert catalog_topic("hay cursos gratis de ia?", courses) is None
    assert catalog_topic("que cursos le pongo a mi gente?", courses) is None
    # A word of price is asked of any course, never its topic ("pagar" is not "publicidad
    # pagada").
    assert catalog_topic("oiga y esos cursos se pagan o como?", courses) is None
    assert catalog_topic("los cursos de ia tienen precio o cobran algo?", courses) is None
    paid = catalog_topic("hay curso gratis de publicidad pagada?", courses)
    assert paid is not None and paid.courses


def test_a_word_of_the_sector_alone_asks_no_ideas() -> None:
    knowledge = SimpleNamespace(
        faq=KNOWLEDGE.faq, courses=KNOWLEDGE.courses, sectors=KNOWLEDGE.sectors,
        ideas=KNOWLEDGE.ideas,
    )  # fmt: skip
    answerer = Answerer(knowledge, SameMeaning(KNOWLEDGE.faq))  # type: ignore[arg-type]
    sector = next(s for s in KNOWLEDGE.sectors.values() if "internet" in " ".join(s.aliases))
    asked = "oye y en que estado hay mas internet?"
    assert answerer._ideas_for(asked, sector.id, None, asked) is None


def test_a_second_question_written_without_its_mark_is_asked_too() -> None:
    assert "cuanto salen" in question_of("la cfe tiene planes de datos? cuanto salen")
    # The owner's condition told first is part of what is asked.
    assert "poca señal" in question_of("tengo poca señal en el rancho, como tomo los cursos?")
    assert "ferreteria" not in question_of("tengo una ferreteria, como tomo los cursos?")


def test_asking_for_a_recommendation_is_not_asking_what_it_is() -> None:
    entries = {
        e.id: e
        for e in (
            entry(
                "diseno-que-es",
                "¿Qué es el diseño gráfico con IA, en palabras sencillas?",
                [
                    "diseño grafico con ia que es",
                    "que es un curso de diseño grafico con ia",
                    "diseño grafico ia explicado",
                ],
                "Es crear imágenes a partir de lo que le describes a la IA.",
            ),
            entry(
                "diseno-cursos",
                "Soy diseñador, ¿qué cursos de diseño gráfico con IA hay?",
                ["cursos para diseñadores", "diseñador que cursos de ia", "cursos diseño ia"],
                "Uno corto de tu herramienta de diseño, gratis y en español.",
            ),
        )
    }
    ranked = CuratedAnswers(entries).rank("q curso de diseño grafico con ia me recomiendas?", {})
    assert ranked[0].entry.id == "diseno-cursos" and ranked[0].score > ranked[1].score


def test_besides_is_said_as_the_entries_say_it() -> None:
    assert "ademas de" in owner_words("el banco da algo aparte de prestamos?")


def test_the_course_of_a_provider_is_told_apart_by_the_rest_of_its_title() -> None:
    shown = ["santander-excel-basico-intermedio", "santander-excel-intermedio-avanzado"]
    found = catalog_answer(
        "y el de excel de intermedio a avanzado cuanto dura?", KNOWLEDGE.courses, shown
    )
    assert found is not None and [c.id for c in found.courses] == shown[1:]
