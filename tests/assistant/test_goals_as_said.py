"""Goals read only where the owner states them: no-shows are an appointments trouble, a goal word
that names the business's trade or its name is no goal, clients' troubles are theirs; help with
one task is no place in the team; bike tours are tours; ideas carry the goals their text serves."""

from __future__ import annotations

import pytest

from assistant.understanding.headcount import team_size
from assistant.understanding.text import normalize
from tests.helpers import knowledge_sectors
from tests.helpers import owner_chat as chat


@pytest.mark.parametrize(
    "message",
    [
        "las clientas apartan su cita y luego ni llegan ni avisan",
        "tengo barberia y los clientes me dejan plantado",
        "la gente agenda su sesion y luego no llega",
        "los pacientes me cancelan al ultimo minuto",
        "muchos no se presentan a su consulta",
    ],
)
def test_no_shows_are_an_appointments_trouble(message: str) -> None:
    assert chat(message).goals == ["customer_service"]


@pytest.mark.parametrize(
    ("message", "goals"),
    [
        # Out of time to answer is both: the answers and the time.
        (
            "los papas preguntan por whats y no nos da tiempo de contestar",
            ["customer_service", "save_time"],
        ),
        ("tardo mucho en contestar los mensajes", ["customer_service"]),
        ("tardo mucho en mandar precios a los que piden cotizacion", ["save_time"]),
        ("tardamos horas para hacer las notas", ["save_time"]),
        ("no me da tiempo de nada", ["save_time"]),
    ],
)
def test_time_that_runs_out_for_answering_is_customer_service_too(
    message: str, goals: list[str]
) -> None:
    # Prices the owner sends are no finance goal either.
    assert chat(message).goals == goals


@pytest.mark.parametrize(
    "message",
    [
        # the trade or the product
        "tengo un taller de rotulos y anuncios luminosos en merida",
        "hacemos lonas, volantes y toda la publicidad impresa",
        "tengo un negocio de mantenimiento de minisplits en hermosillo",
        "soy contadora, llevo la contabilidad, nomina e impuestos de como 30 clientes",
        # a name
        "tengo una tienda de regalos que se llama Detalles y Promociones",
        "hacemos jabon, nuestra marca se llama Calidad Total",
        # the clients' trouble, a refusal, a trouble already solved
        "soy mecanico, a los clientes se les calienta el motor y me traen los carros",
        "no me interesan las redes sociales",
        "hace un año batallaba con las cuentas pero ya contrate una contadora",
    ],
)
def test_no_goal_the_owner_did_not_state(message: str) -> None:
    assert chat(message).goals == []


@pytest.mark.parametrize(
    ("message", "goals"),
    [
        ("tengo un negocio de ropa, necesito publicidad", ["marketing"]),
        ("hago pan y nadie nos conoce", ["marketing"]),
        ("no me interesan las redes, ocupo llevar bien las cuentas", ["finance"]),
        ("queremos meter la marca a las tiendas de la zona", ["sell_more"]),
        ("en invierno casi no hay chamba", ["sell_more"]),
        ("quiero que me lleguen mas turistas", ["sell_more"]),
        ("lo que me quita mas tiempo son los papeles", ["save_time"]),
        ("se me marchita la flor antes de venderla", ["inventory"]),
        ("no necesito mas clientes, ya se me llena", []),
    ],
)
def test_goals_stated_next_to_those_words_still_count(message: str, goals: list[str]) -> None:
    assert chat(message).goals == goals


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        ("mi hijo me ayuda con eso", None),
        ("me ayuda mi hija con la pagina de facebook", None),
        ("trabajo sola, mi hija me ayuda con el face", 1),
        ("estoy yo sola, mi hija me ayuda con las redes", 1),
        ("mi hijo me ayuda", 2),
        ("mi hijo me ayuda con el negocio", 2),
        ("me ayuda mi esposa con la tienda", 2),
        ("somos 2, mi hijo y yo", 2),
    ],
)
def test_help_with_one_task_is_no_place_in_the_team(message: str, employees: int | None) -> None:
    assert team_size(normalize(message)) == employees


@pytest.mark.parametrize(
    "message",
    [
        "doy recorridos en bici por el centro historico",
        "hacemos paseos en bicicleta y cabalgatas por la sierra",
    ],
)
def test_bike_and_horse_tours_are_tours(message: str) -> None:
    assert chat(message).sector == "agencia-de-viajes"


def test_ideas_carry_the_goals_their_text_serves() -> None:
    ideas = {uc.id: uc for s in knowledge_sectors() for uc in s.use_cases}
    assert ideas["taller-mecanico-recordatorios-servicio"].goals[0] == "retention"
    assert "quality" in ideas["agroindustria-registro-de-lotes"].goals
    assert "inventory" in ideas["abarrotes-promos-vecinos"].goals
    assert "save_time" in ideas["general-publicaciones-con-ia"].goals


def test_a_relatives_business_told_before_the_owners_own_is_not_theirs() -> None:
    profile = chat("mi hermana tiene una estetica y le va bien, yo tengo una cafeteria en colima")
    assert profile.sector == "restaurante"
    assert chat("mi mama tiene una fonda y yo le ayudo").sector == "restaurante"
