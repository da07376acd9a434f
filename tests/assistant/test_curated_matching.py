"""Curated answers matched the way owners write (issue 11, "Answering"): spellings and slang,
misspelt and shrunk words, the name a question is about, the facet it asks, and follow-ups that
stay on the answer just given. Pure matching over hand-made entries (lexical only, no index)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.answering.curated import (
    CuratedAnswers,
    facets,
    institution_for,
    owner_words,
    referral_for,
)
from assistant.answering.use_cases import best_use_case
from assistant.knowledge.models import FaqEntry
from assistant.knowledge.reader import read_knowledge
from tests.helpers import ROOT


def entry(eid: str, question: str, paraphrases: list[str], answer: str, **more: Any) -> FaqEntry:
    return FaqEntry.model_validate(
        {
            "id": eid,
            "question": question,
            "paraphrases": paraphrases,
            "answer": answer,
            "sources": [{"title": "Fuente", "url": "https://example.org/x", "date": "2026-01-01"}],
            "verified_on": dt.date(2026, 12, 4),
            "review_by": dt.date(2027, 3, 4),
            "confidence": "alta",
            **more,
        }
    )


ENTRIES = {
    e.id: e
    for e in (
        entry(
            "cursos-gratis",
            "¿Hay cursos gratis de inteligencia artificial para mi negocio?",
            ["hay cursos gratis de ia?", "cursos gratuitos de ia del gobierno", "ia sin pagar"],
            "Sí, varios y en español: Elements of AI y Capacítate para el Empleo, sin costo.",
        ),
        entry(
            "dc3-cursos",
            "¿Los cursos gratuitos de IA en línea dan constancia DC-3?",
            ["los cursos de aws dan dc3", "curso en linea con dc3 gratis", "dc3 de un curso"],
            "Por lo general no: la DC-3 solo la expide un agente capacitador registrado ante la "
            "STPS o tu empresa.",
        ),
        entry(
            "meta-ai",
            "¿Qué es Meta AI en WhatsApp y me sirve para mi negocio?",
            ["circulo azul de whatsapp que es", "meta ai es gratis?", "como quito meta ai"],
            "Es el asistente de IA de Meta dentro de WhatsApp (el círculo azul): es gratis, pero "
            "no contesta por ti a tus clientes.",
        ),
        entry(
            "sello-que-es",
            "¿Qué es el sello Hecho en México y para qué me sirve?",
            ["hecho en mexico que es", "para que sirve el sello hecho en mexico", "sello mx"],
            "Es un distintivo de la Secretaría de Economía para productos hechos en México.",
        ),
        entry(
            "sello-costo",
            "¿Cuánto cuesta obtener el sello Hecho en México?",
            ["cuanto cobran por el sello", "hay que pagar por el sello", "precio del sello"],
            "Nada: el trámite ante la Secretaría de Economía es gratuito.",
        ),
        entry(
            "cert-precio",
            "¿Cuánto cuesta el examen de certificación de AWS?",
            ["precio de la certificacion de aws", "examen aws cuanto", "certificarse en aws"],
            "Cuesta 100 dólares (AWS Certification) más impuestos.",
        ),
        entry(
            "fondeso",
            "¿Qué créditos da el gobierno de la Ciudad de México a pequeños negocios?",
            ["fondeso credito", "prestamo cdmx negocio tasa 0", "apoyo para emprender en cdmx"],
            "El Fondeso da créditos de 10 mil a 100 mil pesos, sin interés los más chicos.",
            topics=["crédito"],
        ),
        entry(
            "credito-equipo",
            "¿Hay un crédito especial para comprar computadoras?",
            ["me prestan para pagar software", "prestamo para digitalizar", "credito para compu"],
            "No hay uno exclusivo: hay créditos pyme para equipo con garantía de Nafin.",
            topics=["crédito"],
        ),
        entry(
            "sofom",
            "¿Me conviene una Sofom o caja popular en vez de un banco?",
            ["sofom o banco", "caja popular es seguro", "no me dan en el banco que otra opcion"],
            "Puede ser una opción si el banco no te da financiamiento; compara la tasa total.",
            topics=["crédito"],
        ),
    )
}


def top(index: CuratedAnswers, query: str, **kw: Any) -> str:
    return index.rank(query, {}, **kw)[0].entry.id


def test_owner_spellings_and_slang_read_as_the_entries_words() -> None:
    said = owner_words("q onda, cuanto sale el chat gpt pa mi negocio? lo puedo descontar?")
    assert "cuanto cuesta" in said and "chatgpt" in said and "para mi" in said
    assert "deducir" in said
    assert "saberesmx" in owner_words("vi algo de saberes mx") and "dc3" in owner_words("dc 3")
    assert "whatsapp" in owner_words("me escriben por whats") and "dinero" in owner_words("lana")


def test_a_misspelt_or_shrunk_word_is_read_as_the_entries_word() -> None:
    index = CuratedAnswers(ENTRIES)
    assert index.tokens("hay cursos gratiz?") == index.tokens("hay cursos gratis?")
    assert index.tokens("hay cursitos gratis?") == index.tokens("hay cursos gratis?")
    # An English word of an answer ("certification") does not hide the word owners ask with.
    assert "certificasion" not in " ".join(index.tokens("cuanto sale la certificasion de aws"))


def test_the_name_a_question_asks_about_wins_over_a_closer_phrase() -> None:
    index = CuratedAnswers(ENTRIES)
    # "cursos gratis de ia" is a whole paraphrase of the free-courses entry, but the question
    # is about the DC-3.
    assert top(index, "los cursos gratis de ia le dan dc 3 a mis trabajadores?") == "dc3-cursos"
    assert top(index, "q es el circulito azul q me salio en el whats?") == "meta-ai"


def test_the_facet_asked_picks_the_entry_on_it() -> None:
    assert facets("y eso se paga?") == {"cost"}
    assert "what" in facets("oye y eso que es?")
    index = CuratedAnswers(ENTRIES)
    assert top(index, "el sello hecho en mexico se paga?") == "sello-costo"
    assert top(index, "el sello hecho en mexico pa que sirve?") == "sello-que-es"


def test_a_follow_up_whose_words_are_in_the_answer_just_given_stays_on_it() -> None:
    index = CuratedAnswers(ENTRIES)
    related = index.related(["fondeso"])
    assert set(related) == {"fondeso", "credito-equipo", "sofom"}
    asked = "y hasta cuanto te prestan?"

    def score(eid: str, stay: list[str]) -> float:
        ranked = index.rank(asked, {}, within=related, in_answer=0.3, stay=stay)
        return next(m.score for m in ranked if m.entry.id == eid)

    # "prestan" is the answer's "créditos": the entry just given keeps the follow-up…
    assert score("fondeso", ["fondeso"]) > score("fondeso", [])
    assert top(index, asked, within=related, in_answer=0.3, stay=["fondeso"]) == "fondeso"
    # …but not one whose answer holds none of its words.
    assert score("sofom", ["sofom"]) == score("sofom", [])


def test_a_question_for_an_institution_is_referred_there_and_words_inside_words_are_not() -> None:
    assert institution_for("cuanto pago de cuotas del imss por cada empleado?") is not None
    assert "IMSS" in referral_for("cuanto pago de cuotas del imss por cada empleado?").name
    assert institution_for("como hago pa no andar marcando a cada cliente?") is None
    assert institution_for("quedo satisfecho con el servicio?") is None
    assert "IMPI" in referral_for("cuanto cuesta registrar mi marca?").name


CASE = "agricultura-plagas-con-foto"


def test_a_business_outside_the_list_gets_the_closest_sectors_idea() -> None:
    knowledge = read_knowledge(ROOT / "knowledge")
    index = CuratedAnswers(knowledge.faq)
    said = index.tokens(
        "las plantas del vivero se enferman, se puede saber que tienen con una foto?"
    )
    # Close in meaning to the farmers' idea (the index's dense score), not to a general one.
    found = best_use_case(said - index.generic, knowledge, "general", {CASE: 0.89})
    assert found is not None
    sector, case, _ = found
    assert sector.id == "agricultura" and case.id == CASE
