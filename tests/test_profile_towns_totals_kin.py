"""Reading the profile (sixth round): a town named like its state, streets named after heroes,
where the owner buys or sells, a total said before its list, a relative's other business, an
owner writing in English, and "no le sé mucho al inglés". Rules only; owners' own words, fresh
for these tests (not the eval scenarios')."""

from __future__ import annotations

import pytest

from assistant.evaluation.conversations import slot_ok
from assistant.understanding.english import reads_english
from assistant.understanding.places import find_location, find_state, same_town, split_clauses
from tests.helpers import owner_chat as chat

# --- a town named like its state -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pues vendo elotes en tlaxcala, yo solito", ("Tlaxcala", "Tlaxcala")),
        ("taller de costura desde Chihuahua, somos 2", ("Chihuahua", "Chihuahua")),
        ("la estética la tengo en Querétaro", ("Querétaro", "Querétaro")),
        ("Colima.", ("Colima", "Colima")),
        # The state said as a state, or with a town of its own, is not its capital.
        ("vendo en todo el estado de Zacatecas", ("Zacatecas", None)),
        ("mi negocio está en Calvillo, Aguascalientes", ("Aguascalientes", "Calvillo")),
        # Veracruz's capital is Xalapa: "en Veracruz" stays the state.
        ("tengo un puesto en Veracruz", ("Veracruz", None)),
    ],
)
def test_a_state_named_as_where_one_is_names_its_namesake_capital(
    text: str, expected: tuple[str, str | None]
) -> None:
    loc = find_location(text, in_questions=False)
    assert loc is not None and (loc.state, loc.city) == expected


def test_a_question_naming_the_state_keeps_it_a_state() -> None:
    # The answerer's place of a question: "en Durango" asks about the state.
    assert find_state("¿qué apoyos hay en Durango?") == ("Durango", None)


def test_the_capital_read_from_the_state_never_replaces_a_known_town() -> None:
    p = chat(
        "tengo una nevería en Tehuacán, somos 3",
        "aquí en Puebla hace mucho calor, estamos en Puebla",
    )
    assert (p.state, p.city) == ("Puebla", "Tehuacán")


def test_a_corrected_town_named_like_its_state_is_that_town() -> None:
    p = chat("tengo una estética en Zacapu", "perdón, me equivoqué, es en Durango no en Zacapu")
    assert (p.state, p.city) == ("Durango", "Durango")


# --- streets, suppliers and buyers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("estamos en Morelos 18 col. centro, en Zamora", ("Michoacán", "Zamora")),
        ("local 4 sobre Juárez, aquí en Orizaba", ("Veracruz", "Orizaba")),
        ("en Uruapan, esquina de Hidalgo y Madero, tengo mi tortillería", ("Michoacán", "Uruapan")),
        # A number with words after it counts things: the state stays the place.
        ("tengo en Tlaxcala 3 tienditas", ("Tlaxcala", "Tlaxcala")),
    ],
)
def test_a_hero_named_street_does_not_place_the_business(
    text: str, expected: tuple[str, str | None]
) -> None:
    loc = find_location(text, in_questions=False)
    assert loc is not None and (loc.state, loc.city) == expected


@pytest.mark.parametrize(
    "text",
    [
        "tengo una boutique en Tepic, la ropa me la surto en el centro de Guadalajara",
        "abarrotes en Tepic; compro todo en la central, en Guadalajara",
        "vendemos mole en Tepic y le mandamos todo el mole a una tienda de Guadalajara",
        "tengo una polleria en tepic, el pollo me llega de una granja de guadalajara",
        "optica en Tepic nayarit, los armazones los traigo de guadalajara",
        "estamos en Tepic y la mercancia nos la traen de Guadalajara",
    ],
)
def test_where_the_owner_buys_or_sells_to_is_not_where_the_business_is(text: str) -> None:
    loc = find_location(text, in_questions=False)
    assert loc is not None and (loc.state, loc.city) == ("Nayarit", "Tepic")


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("soy de Puebla y llegue a Tijuana hace 5 años, tengo una taqueria", "Tijuana"),
        ("soy de Guadalajara pero mi taller esta en Zapopan", "Zapopan"),
        ("soy de Oaxaca, tengo una fonda", "Oaxaca de Juárez"),
    ],
)
def test_where_the_owner_is_from_yields_to_where_they_work(text: str, city: str) -> None:
    loc = find_location(text, in_questions=False)
    assert loc is not None and loc.city == city


@pytest.mark.parametrize(
    "text",
    [
        "Mi familia tiene una finca de café en Pluma Hidalgo, Oaxaca; tostamos café",
        "trabajo en Santa María Tonameca, Oaxaca",
    ],
)
def test_a_state_after_a_town_we_dont_know_is_not_its_capital(text: str) -> None:
    loc = find_location(text, in_questions=False)
    assert loc is not None and (loc.state, loc.city) == ("Oaxaca", None)
    # Alone, or after a town we know, the capital reading stands.
    colima = find_location("estoy en Colima, Colima", in_questions=False)
    assert colima is not None and colima.city == "Colima"


def test_a_suit_is_no_supply_route() -> None:
    loc = find_location("tengo una tienda de trajes de baño en Cancún", in_questions=False)
    assert loc is not None and loc.city == "Cancún"


def test_buying_and_selling_in_one_place_is_trading_there() -> None:
    loc = find_location("compro y vendo celulares usados en Guadalajara", in_questions=False)
    assert loc is not None and loc.city == "Guadalajara"


def test_a_towns_official_and_everyday_names_are_one_town() -> None:
    assert same_town("Tepa", "Tepatitlán de Morelos")
    assert not same_town("Juárez", "Ciudad Juárez")  # Nuevo León's, not Chihuahua's
    assert slot_ok("city", "Tlapa", {"city": "Tlapa de Comonfort"})
    assert not slot_ok("city", "Tlapa", {"city": "Chilapa"})


# --- headcount -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        ("tengo una fonda, somos 4; mi suegra, mi esposa, yo y un chalan", 4),
        ("somos cinco mi papa mi mama mis dos hermanas y yo en la carniceria", 5),
        ("eramos 3 - mi socio, yo y una cajera", 3),
        # A list after the figure that adds people is still read as it was.
        ("somos 3 mecanicos y un ayudante", 4),
    ],
)
def test_a_total_said_before_its_list_stands(message: str, employees: int) -> None:
    assert chat(message).employees == employees


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        ("hamacas en tixkokob, las tejemos mi mama mis 2 tias y yo", 4),
        ("criadero de mojarra en teapa, trabajamos mi papa mi primo y yo", 3),
        ("mi esposo mi hijo y yo atendemos la tienda", 3),
    ],
)
def test_kin_listed_without_commas_are_each_counted(message: str, employees: int) -> None:
    assert chat(message).employees == employees


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        ("hi, I run a coffee shop in Puebla and there are 5 of us", 5),
        ("we own a small bakery, we're 3 people", 3),
        ("it's just me and two helpers at the tire shop", 3),
        ("I have 7 employees at my hardware store", 8),
        ("me and my husband run a tortilla shop", 2),
    ],
)
def test_an_owner_writing_in_english_gives_the_headcount(message: str, employees: int) -> None:
    assert chat(message).employees == employees


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        ("we have a marketing agency in Monterrey", "servicios-profesionales"),
        ("I own an accounting firm, 3 of us", "servicios-profesionales"),
        ("we run a car wash near the highway", "taller-mecanico"),
    ],
)
def test_more_english_trades(message: str, sector: str) -> None:
    assert chat(message).sector == sector


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        ("soy medica veterinaria, tengo una clinica para perros y gatos", "veterinaria"),
        ("hago cajeta y dulces de leche en Celaya", "dulceria"),
        ("tengo una tienda de material electrico en el centro", "ferreteria"),
        ("vendo celulares y accesorios en el mercado", "reparacion-de-celulares"),
        ("rentamos sillas, mesas y carpas para fiestas", "eventos"),
        ("alquilo sillas pa fiestas en mi pueblo", "eventos"),
    ],
)
def test_trades_named_by_what_they_make_or_sell(message: str, sector: str) -> None:
    # "médica" alone is a doctor's office; the vet, the sweets maker, the electrical supply shop
    # and the phone seller were read as doctor's office or the general path.
    assert chat(message).sector == sector


# --- a relative's other business -----------------------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        "mi cuñada tiene una paleteria, ¿a ella tambien le sirve?",
        "mi hija acaba de abrir una pasteleria en el centro, ¿que le recomiendas?",
        "mi carnal maneja un taller mecanico, a lo mejor le sirve",
    ],
)
def test_a_relatives_other_business_keeps_ours(later: str) -> None:
    assert chat("tengo una ferreteria en Apizaco, somos 4", later).sector == "ferreteria"


def test_a_relatives_business_the_writer_helps_in_is_the_profile() -> None:
    # Told first, with nothing known yet, it is the business the writer writes for.
    assert chat("mi papa tiene una ferreteria y yo le ayudo con el face").sector == "ferreteria"


# --- English ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("la neta no le se gran cosa al ingles", False),
        ("no lo leo muy bien el ingles", False),
        ("el ingles no lo domino mucho", False),
        ("si le se al ingles", True),
    ],
)
def test_a_negated_verb_before_english_says_no(text: str, reads: bool) -> None:
    assert reads_english(split_clauses(text)) is reads
