"""Owners who name their business in English, a ranch named by its animals, and the towns of the
avocado belt. Rules only (no embedder); owners' own words, fresh for these tests."""

from __future__ import annotations

import pytest

from assistant.understanding.places import find_state
from tests.helpers import owner_chat as chat


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        ("hello, we run a hardware store in Saltillo, 5 employees", "ferreteria"),
        ("I have a laundromat near the university", "lavanderia"),
        ("my wife and I own a flower shop in Cuernavaca", "floreria"),
        ("we own a small pharmacy, just me and my son", "farmacia"),
        ("i run a nail salon in Guadalajara", "estetica"),
    ],
)
def test_english_business_words_name_the_sector(message: str, sector: str) -> None:
    assert chat(message).sector == sector


def test_spanish_a_still_reads_as_to_a_client() -> None:
    # "a" after "vendemos" is the Spanish preposition: the restaurants are clients.
    assert chat("vendemos verdura a restaurantes").sector != "restaurante"


@pytest.mark.parametrize(
    "message",
    [
        "tenemos un rancho con puras reses de engorda en sonora",
        "mi papa y yo tenemos un ranchito con unas 60 borregas",
    ],
)
def test_the_animals_after_a_ranch_name_the_business(message: str) -> None:
    assert chat(message).sector == "ganaderia"


def test_a_vet_who_treats_cows_stays_a_vet() -> None:
    assert chat("soy veterinaria, atiendo reses y caballos en los ranchos").sector == "veterinaria"


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("la huerta esta en tancitaro", "Tancítaro"),
        ("somos de periban michoacan", "Peribán"),
        ("estamos en san juan nuevo", "Nuevo Parangaricutiro"),
    ],
)
def test_avocado_belt_towns(text: str, town: str) -> None:
    assert find_state(text) == ("Michoacán", town)
