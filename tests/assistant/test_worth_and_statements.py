"""'¿Me conviene…?' asks what a thing gives, not its price; a plain statement asks nothing."""

from __future__ import annotations

import pytest

from assistant.answering.curated import facets
from assistant.answering.openers import without_verdict
from assistant.understanding.reader import plain_statement


@pytest.mark.parametrize(
    "message",
    [
        "¿nos conviene tramitar el distintivo para la panadería?",
        "oiga y vale la pena meterse a eso del sello",
        "de que me sirve tener la marca registrada",
        "¿y qué gano con darme de alta?",
    ],
)
def test_worth_questions_ask_what_it_gives(message: str) -> None:
    assert "what" in facets(message)
    assert "cost" not in facets(message)


def test_recommendation_asked_with_conviene_is_not_what() -> None:
    assert "what" not in facets("¿cuál curso me conviene más para mi estética?")


def test_cost_verdict_dropped_only_when_price_not_asked() -> None:
    entry = "Nada: el registro es gratuito en línea."
    assert without_verdict(entry, "¿nos conviene el registro?").startswith("El registro")
    assert without_verdict(entry, "¿y cobran algo por el registro?").startswith("Nada:")


@pytest.mark.parametrize(
    "message",
    [
        "va, ya lo revise",
        "lo de la pagina web no nos urge",
        "eso ya lo manejamos",
        "mi sobrina me echa la mano con eso",
    ],
)
def test_plain_statements(message: str) -> None:
    assert plain_statement(message)


@pytest.mark.parametrize(
    "message",
    [
        "ok ya lo vi, y cuanto cuesta",
        "no me interesa eso, dame otra idea",
        "eso ya lo tengo pero como lo uso?",
        "quiero saber donde lo tramito",
    ],
)
def test_questions_are_not_plain_statements(message: str) -> None:
    assert not plain_statement(message)
