"""A program that starts by states answers "¿ya llegó a mi estado?" with the verdict first (Sí,
Todavía no: desde 2027, Todavía no: no está), for the state named or the owner's own; and "¿y
q bancos lo dan?" after it is the sentence naming them, and "¿me lo dan…?" leans on what was
just said (b7 blind scenarios: a card program asked of Tabasco, Chiapas and Tamaulipas; the CFE
chip asked by someone with no Bienestar program).

Wordings here are fresh, not copies of the evaluation's scenarios."""

from __future__ import annotations

import datetime as dt

from assistant.answering.curated import lenders_in
from assistant.answering.openers import unverdicted
from assistant.answering.questions import leans_on_before
from assistant.answering.reach import asks_when_it_reaches, reach_verdict, rollout, states_in
from assistant.schemas import Topic
from assistant.turn import Answer
from tests.helpers import curated_reply, entry

TODAY = dt.date(2026, 12, 4)
ROLLOUT = (
    "Sí: «Cobra Fácil», que lanzaron Economía y una marca de tarjetas con BBVA y Getnet. Promueve"
    " cobrar sin renta de terminal. En 2026 arranca en 4 estados: Sonora, Durango, Colima y"
    " Nayarit; desde 2027, Hidalgo, Tlaxcala y Morelos."
)
ENTRIES = {
    e.id: e
    for e in (
        entry(
            "cobra-facil",
            "¿Hay un programa para cobrar con tarjeta sin renta de terminal?",
            ["cobrar con tarjeta sin renta", "programa terminal sin renta", "cobro con el cel"],
            ROLLOUT,
            topics=["pagos digitales"],
        ),
        entry(
            "conexion",
            "¿Qué estados tienen más internet?",
            ["estados con mas internet", "donde hay mas internet", "internet por estado"],
            "En 2024 los más conectados: Sonora, Colima y Nayarit; los menos, Oaxaca y Chiapas.",
            topics=["conectividad"],
        ),
    )
}
TOPIC = Topic(kind="faq", ids=["cobra-facil"], label=ENTRIES["cobra-facil"].question)


def reply(message: str, state: str | None = None, topic: Topic | None = TOPIC) -> Answer:
    return curated_reply(ENTRIES, message, topic=topic, state=state, today=TODAY)


def text_of(found: Answer) -> str:
    assert found.evidence, found
    return found.evidence[0].text


def test_the_verdict_reads_the_clause_that_names_the_state() -> None:
    assert reach_verdict(ROLLOUT, "Colima", 2026).startswith("Sí, Colima")
    assert reach_verdict(ROLLOUT, "Morelos", 2026).startswith(
        "Todavía no: Morelos entra desde 2027"
    )
    assert reach_verdict(ROLLOUT, "Morelos", 2027).startswith("Sí, Morelos")
    assert reach_verdict(ROLLOUT, "Jalisco", 2026).startswith("Todavía no: Jalisco no está")


def test_a_ranking_or_a_denial_is_no_rollout() -> None:
    assert rollout(ENTRIES["conexion"].answer) is None
    denied = "Los polos de 2025 arrancan en Sonora, pero no incluyen Oaxaca, Chiapas ni Guerrero."
    assert reach_verdict(denied, "Oaxaca", 2026) is None
    assert states_in("Baja California Sur y Colima") == ["Baja California Sur", "Colima"]


def test_asked_of_a_state_named_or_the_owners_own() -> None:
    assert text_of(reply("y ya jala en durango?")).startswith("Sí, Durango")
    assert text_of(reply("ya aplica aca?", state="Tlaxcala")).startswith("Todavía no: Tlaxcala")
    found = reply("y pa mi cuñada que vive en jalisco cuando le toca?")
    assert text_of(found).startswith("Todavía no: Jalisco no está")
    assert asks_when_it_reaches("y a mi tia en puebla cuando le llega?")
    assert not asks_when_it_reaches("que pasa cuando repruebo?")


def test_which_banks_is_the_sentence_that_names_them_without_its_verdict() -> None:
    found = reply("y q bancos lo dan?")
    assert "BBVA" in text_of(found) and not text_of(found).startswith("Sí")
    assert lenders_in("con BBVA, Getnet (Santander) y Global Payments") >= {"bbva", "getnet"}
    assert unverdicted("Sí: lo dan BBVA y Getnet.") == "Lo dan BBVA y Getnet."


def test_two_pronouns_before_the_verb_lean_on_what_was_said() -> None:
    # "¿Me lo dan aunque…?", "¿se los mandan a cualquier comercio?": the thing just talked about.
    assert leans_on_before("me lo dan aunque no tenga programa del bienestar?")
    assert leans_on_before("se los mandan a cualquier comercio?")
    assert leans_on_before("pero nos la cobran?")
    assert leans_on_before("¿y qué ley es la que lo pide?")  # which one is the thing just told
    assert not leans_on_before("que es el plan mexico?")
    # An idiom or an ordinary opening is no pointer back.
    assert not leans_on_before("me la paso todo el dia contestando mensajes")
    assert not leans_on_before("la ia me puede ayudar con el inventario?")
