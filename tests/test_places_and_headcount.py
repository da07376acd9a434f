"""Where the business is, how many work in it, and what the owner corrects (owner trial round 3).

Fresh wordings, not copied from evals/: a town named like a thing, a state that outranks a town
of another state, trades counted as staff, the owner among the people, corrections that stick,
and new facts that start with "no" without correcting anything.
"""

from __future__ import annotations

import math

import pytest

from assistant.schemas import BusinessProfile
from assistant.understanding.places import CITIES, City, find_state
from assistant.understanding.profile import ProfileExtractor
from tests.helpers import knowledge_sectors
from tests.helpers import owner_chat as chat

RULES = ProfileExtractor(knowledge_sectors())


# --- places --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "palenque" after an article or a possessive is the distillery, not the town.
        ("destilamos en nuestro palenque, aqui en oaxaca", ("Oaxaca", None)),
        ("el mezcal sale del palenque de la familia, somos de oaxaca", ("Oaxaca", None)),
        ("tenemos palenque y vendemos por garrafa", None),
        # …and the town keeps its name where it is one.
        ("vendo artesanias en palenque", ("Chiapas", "Palenque")),
        ("un hostal en Palenque, Chiapas", ("Chiapas", "Palenque")),
        # A state the owner names outranks a town of another state: the namesake inside it,
        # or the state alone when we don't know that town.
        ("mi taller está en Juárez, N.L.", ("Nuevo León", "Juárez")),
        ("ferretería en Matamoros, Coah.", ("Coahuila", "Matamoros")),
        ("tengo un changarro en Guadalupe, Zacatecas", ("Zacatecas", "Guadalupe")),
        ("una tienda en Cuauhtémoc, Colima", ("Colima", None)),
        ("estoy en matamoros", ("Tamaulipas", "Matamoros")),  # alone, the bigger town
        # Abbreviations that are also words name the state right after a town that has a
        # namesake there.
        ("tengo un puesto en tuxpan nay", ("Nayarit", "Tuxpan")),
        ("estoy en nogales ver", ("Veracruz", "Nogales")),
        ("somos de tijuana son 3", ("Baja California", "Tijuana")),
        ("los reyes son buenos dias de venta", None),
        # A landmark is not where the business is.
        ("estamos en saltillo, cerca de monterrey", ("Coahuila", "Saltillo")),
        # "en vez de X", "quítale X": X is being replaced.
        ("en lugar de Tijuana ponle Tecate", ("Baja California", "Tecate")),
        ("quitale merida, es valladolid", ("Yucatán", "Valladolid")),
        # Towns the tables missed before round 3.
        ("hacemos rebozos en moroleon", ("Guanajuato", "Moroleón")),
        ("rancho lechero en tepatitlan", ("Jalisco", "Tepatitlán de Morelos")),
        ("soy de matatlan, oax", ("Oaxaca", "Santiago Matatlán")),
        ("en san nicolas, nl", ("Nuevo León", "San Nicolás de los Garza")),
        ("la virgen de guadalupe nos deja buenas ventas", None),
        ("soy de zitacuaro", ("Michoacán", "Zitácuaro")),
        ("estamos en tultitlan edomex", ("Estado de México", "Tultitlán")),
        ("hacemos alebrijes en san martin tilcajete", ("Oaxaca", "San Martín Tilcajete")),
        # Town names that are also words or surnames need a preposition or their state.
        ("tengo un taller en el salto, jalisco", ("Jalisco", "El Salto")),
        ("una cocina economica en la piedad", ("Michoacán", "La Piedad")),
        ("queremos dar el salto a vender en internet", None),
        ("refaccionaria juarez, vendemos de todo", None),
        ("vendemos roscas para los reyes", None),
        ("cosechamos nuez de nuestros nogales", None),
        ("hacemos collares de cadenas", None),  # a slip away from Cárdenas, still the word
        # Mexico City's best-known neighbourhoods name their alcaldía.
        ("vendemos tenis en tepito", ("Ciudad de México", "Cuauhtémoc")),
        ("una cafeteria en la condesa", ("Ciudad de México", "Cuauhtémoc")),
        ("agua de jamaica y horchata", None),
        # People and schools named like towns.
        ("mi hijo cuauhtemoc me ayuda en la tienda", None),
        ("la primaria benito juarez nos compra uniformes", None),
        ("tengo una papeleria en la cuauhtemoc", ("Ciudad de México", "Cuauhtémoc")),
    ],
)
def test_places(text: str, expected: tuple[str, str | None] | None) -> None:
    assert find_state(text) == expected


def test_every_town_lies_in_mexico_near_its_state() -> None:
    # Coordinates are typed by hand: a slipped sign or digit would send a WhatsApp pin to
    # another state. Every town is within Mexico and near another town of its own state.
    def km(a: City, b: City) -> float:
        east = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
        return math.hypot(a.lat - b.lat, east) * 111

    for town in CITIES:
        assert 14.5 < town.lat < 32.8 and -117.2 < town.lon < -86.7, town
        same = [c for c in CITIES if c.state == town.state and c is not town]
        assert not same or min(km(town, c) for c in same) < 350, town


@pytest.mark.parametrize(
    ("messages", "place"),
    [
        # A town named alone is the namesake inside the state already known.
        (["estoy en coahuila", "tengo la ferreteria en matamoros"], ("Coahuila", "Matamoros")),
        (["vivo en zacatecas", "mi tiendita esta en guadalupe"], ("Zacatecas", "Guadalupe")),
        # Where the owner lives now outranks where they come from.
        (["soy de oaxaca pero vivo en tijuana"], ("Baja California", "Tijuana")),
        (["vivimos en mexicali, somos de sinaloa"], ("Baja California", "Mexicali")),
        # "cambia la ciudad a…", "ponle que…" correct the place.
        (
            ["tengo un food truck en tijuana", "cambia la ciudad a tecate"],
            ("Baja California", "Tecate"),
        ),
    ],
)
def test_places_across_turns(messages: list[str], place: tuple[str, str]) -> None:
    profile = chat(*messages)
    assert (profile.state, profile.city) == place


def test_a_town_elsewhere_does_not_move_a_stated_state() -> None:
    profile = chat("hacemos mezcal en sola de vega, oaxaca, somos 5 en el palenque del abuelo")
    assert (profile.state, profile.employees) == ("Oaxaca", 5)


# --- headcount -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        # Trades after a number are staff.
        ("tenemos 40 vigilantes en tres turnos", 40),
        ("somos 14 operadores en la planta", 14),
        ("ya son 22 costureras", 22),
        # The owner among the people they list.
        ("tengo un taller, yo y 3 cuates", 4),
        ("lo atiendo nomas con mi hija", 2),
        ("chambeo solo con mi señora", 2),
        ("somos mi cuñado, yo y 3 albañiles", 5),
        ("mis 2 sobrinos, yo y una cajera", 4),
        ("somos 5 meseras, 2 cocineras y yo", 8),
        # "tengo N …" is the owner plus them, for a micro business's few people.
        ("tengo 2 meseras", 3),
        ("tengo una estetica en leon, 3 estilistas", 4),
        ("tengo una papeleria con 2 empleados", 3),
        ("tengo 25 obreros", 25),  # a payroll of ten or more is the headcount
        ("nomas yo y mi chalan", 2),
        ("yo y mis 2 ayudantes", 3),
        ("10 empleados mas yo", 11),
        ("somos 4 carpinteros y mi papa", 5),  # the speaker is one of the four
        ("una cooperativa de miel en calakmul, 18 socias", 18),
        ("ya son 14", 14),
        ("somos mi esposa y 3 empleados", 5),  # the speaker too
        ("me ayudan mis 2 hijas", 3),
        ("limpieza de oficinas en puebla, 30 personas de intendencia", 30),
        # Said on its own, everyone included.
        ("despacho contable en toluca, 6 personas", 6),
        ("tenemos una fonda, en total 6", 6),
    ],
)
def test_headcount(message: str, employees: int) -> None:
    assert chat(message).employees == employees


def test_the_new_total_wins_over_the_ones_who_just_came() -> None:
    assert chat("somos 6 en la fonda", "ya somos 9, llegaron 3 meseras").employees == 9


@pytest.mark.parametrize(
    "message",
    [
        "les vendemos a 30 taqueros",
        "hacemos uniformes para 50 guardias",
        "busco 2 choferes",
        "atendemos a 80 personas al dia",
        "vendemos 15 en total",
        "cocinamos para 200 personas de la colonia",
        "las clases son 6 a la semana",
        "en total 6 mil pesos",
    ],
)
def test_not_a_headcount(message: str) -> None:
    assert chat(message).employees is None


# --- corrections ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "correction", "field", "value"),
    [
        ("tenemos 10 costureras", "ups no son 10, son 13 costureras", "employees", 13),
        ("somos 6 en la cocina", "no somos 6 somos 8", "employees", 8),
        ("estoy en Tijuana", "en vez de Tijuana ponle Tecate", "city", "Tecate"),
        ("tengo una estetica en Tlaxcala", "no es Tlaxcala, es Apizaco", "city", "Apizaco"),
        ("tengo 4 chalanes", "nos equivocamos, son 6 chalanes", "employees", 6),
        ("taqueria en leon, somos 5", "ay no, son 6 con la nueva cajera", "employees", 6),
        ("somos 4 en la imprenta", "somos 5 no 4", "employees", 5),
    ],
)
def test_corrections_stick(first: str, correction: str, field: str, value: object) -> None:
    update = RULES.update(chat(first), correction)
    assert getattr(update.profile, field) == value
    assert update.corrected


@pytest.mark.parametrize(
    ("first", "news"),
    [
        ("tengo una tintoreria en puebla, uso whatsapp", "no manejo la compu, nomas el cel"),
        ("vendo pan en xalapa por facebook", "no tenemos pagina, solo el face y whatsapp"),
        ("tengo una fonda en leon, quiero vender mas", "no usamos compu, todo en el celular"),
    ],
)
def test_a_new_fact_that_starts_with_no_is_not_a_correction(first: str, news: str) -> None:
    update = RULES.update(chat(first), news)
    assert update.changed and not update.corrected


def test_a_tool_taken_back_is_a_correction() -> None:
    update = RULES.update(chat("vendo ropa, uso excel y facebook"), "perdon, no uso excel")
    assert "spreadsheet" not in update.profile.signals and update.corrected


def test_first_answers_are_not_corrections() -> None:
    update = RULES.update(BusinessProfile(), "no sé nada de compus, tengo una fonda en Puebla")
    assert update.changed and not update.corrected


@pytest.mark.parametrize(
    ("first", "correction", "field", "value"),
    [
        # The old place or trade taken back at the end: "…, no el de Sonora", "…, no estética".
        (
            "tengo una cerrajeria en guadalupe",
            "es guadalupe zacatecas, no la de nl",
            "state",
            "Zacatecas",
        ),
        (
            "vendo tamales en zapopan",
            "es san juan del rio, queretaro, no zapopan",
            "state",
            "Querétaro",
        ),
    ],
)
def test_the_old_value_taken_back_marks_a_correction(
    first: str, correction: str, field: str, value: object
) -> None:
    update = RULES.update(chat(first), correction)
    assert getattr(update.profile, field) == value
    assert update.corrected


def test_whose_business_it_is_is_not_the_team() -> None:
    """ "es de mi tía, yo le atiendo" says who owns it; the headcount already said stays."""
    update = RULES.update(
        chat("tengo una dulceria en puebla, somos 4"),
        "ups, la dulceria es de mi tia, yo le atiendo",
    )
    assert update.profile.employees == 4
    assert update.profile.role == "employee"


# --- where the business is, not where it sells (places4) ---------------------------------------


@pytest.mark.parametrize(
    ("message", "place"),
    [
        # Places goods or people go to ("a", "hasta", "pa") are markets and destinations.
        ("tenemos un hotelito en bacalar y hacemos tours hasta mahahual", "Bacalar"),
        ("estamos en tehuacan y surtimos refresco a orizaba y cordoba", "Tehuacán"),
        ("vendo viajes pa huatulco desde mi oficina en apizaco", "Apizaco"),
        # A list of destinations split by commas stays a list of destinations.
        ("hago huaraches en sahuayo, los mando a guadalajara, leon y morelia", "Sahuayo"),
        # Clients come from elsewhere; the salon is where it is.
        ("las clientas vienen de toluca y de queretaro, el salon esta en acambaro", "Acámbaro"),
        # Where the owner moved to, or a correction's new place, is theirs.
        ("nos cambiamos a merida hace dos años y ahi abrimos la cafeteria", "Mérida"),
        ("me vine a vivir a ensenada y puse un food truck", "Ensenada"),
        ("soy de durango pero me fui a vivir a hermosillo", "Hermosillo"),
    ],
)
def test_the_business_is_where_it_is_not_where_it_sells(message: str, place: str) -> None:
    assert chat(message).city == place


def test_a_place_asked_about_still_names_the_topic() -> None:
    # Answers still filter by the place a question or a wish is about.
    assert find_state("¿hay apoyos para sonora?") == ("Sonora", None)
    assert find_state("quiero saber de apoyos para sonora") == ("Sonora", None)
    assert find_state("cuanto cuesta ir a monterrey a presentar el examen?")[0] == "Nuevo León"


# --- helpers said as people; machines are not people (places4) -----------------------------------


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        ("en la paleteria nomas tengo un muchacho de ayudante", 2),
        ("abrimos la cocina mi cuñada y yo, y en las mañanas nos echa la mano una señora", 3),
        ("trabajo con una chica que atiende el mostrador", 2),
        ("estamos mi socio, yo y un joven de medio tiempo", 3),
        ("tengo 2 estilistas y aparte una señora que hace la limpieza", 4),
        ("tengo una muchacha en la caja", 2),
        # The feminine of a trade that names its machine is the machine.
        ("tengo una soldadora y un compresor, trabajo solo", 1),
        ("solo somos yo y la ordeñadora", 1),
        ("somos 3 soldadoras en el taller", 3),  # said as "somos", they are people
    ],
)
def test_helpers_count_as_people(message: str, employees: int) -> None:
    assert chat(message).employees == employees


@pytest.mark.parametrize(
    ("first", "later"),
    [
        ("somos 45 en la empresa", "necesitamos que 10 vendedores tomen un curso de ventas"),
        ("somos 45 en la empresa", "quiero que 8 de mis cajeras aprendan excel"),
        ("somos 45 en la empresa", "quisieramos capacitar a 12 operarios en seguridad"),
        ("somos 7 en la fonda", "los domingos atendemos como 200 comensales"),
    ],
)
def test_a_part_of_the_team_or_the_clients_is_not_the_headcount(first: str, later: str) -> None:
    assert chat(first, later).employees == chat(first).employees


# --- headcount corrections said in short (places4) -----------------------------------------------


@pytest.mark.parametrize(
    ("first", "correction", "employees"),
    [
        ("somos 9 en la tortilleria", "no, cambialo por 11", 11),
        ("tengo 4 chalanes", "ponle 4, ya se fue uno", 4),
        ("somos 12 en el despacho", "perdon eran 20 no 12", 20),
        ("somos 3 en la tienda", "mejor pon que somos 5", 5),
    ],
)
def test_short_headcount_corrections(first: str, correction: str, employees: int) -> None:
    update = RULES.update(chat(first), correction)
    assert update.profile.employees == employees
    assert update.corrected


def test_a_short_correction_goes_to_the_slot_it_is_about() -> None:
    known = BusinessProfile(employees=6, weekly_hours=3)
    # People named: the team; nothing said of people, with the hours known: the hours.
    team = RULES.update(known, "mejor pon 8, que ya entraron dos chavos").profile
    assert (team.employees, team.weekly_hours) == (8, 3)
    hours = RULES.update(known, "no, mejor 5").profile
    assert (hours.employees, hours.weekly_hours) == (6, 5)
    # The figure taken back says which slot it was.
    back = RULES.update(known, "eran 4 no 3").profile
    assert (back.employees, back.weekly_hours) == (6, 4)


def test_a_name_more_letters_apart_than_the_slips_allowed_is_no_typo() -> None:
    """The typo check gives up on a name of another length at once (most names of a bucket);
    the slips it allows still count, a "k" for "qu" included."""
    from assistant.understanding.places import is_typo

    assert is_typo("tlaxcla", "tlaxcala") and is_typo("guadalajra", "guadalajara")
    assert is_typo("keretaro", "queretaro")  # "k" for "qu": one letter more
    assert is_typo("cuernavca", "cuernavaca")
    assert not is_typo("tula", "tulancingo") and not is_typo("leon", "leonardo")
    assert not is_typo("merida", "meridasss")


@pytest.mark.parametrize(
    ("message", "place"),
    [
        # a valley named after a town is not that town
        ("hacemos vino en el valle de guadalupe, somos 3", ("Baja California", "Ensenada")),
        # where clients are or come from is not where the business is
        (
            "tenemos taller en tonala jal, maquilamos pantalones para boutiques de zapopan",
            ("Jalisco", "Tonalá"),
        ),
        (
            "rentamos cabañas en tapalpa, casi todo el turismo nos llega de colima",
            ("Jalisco", "Tapalpa"),
        ),
        # made for a kind of client, in the owner's town
        (
            "fabricamos zapato para caballero en san mateo atenco",
            ("Estado de México", "San Mateo Atenco"),
        ),
    ],
)
def test_the_business_is_where_it_is_not_where_its_clients_are(
    message: str, place: tuple[str, str]
) -> None:
    profile = chat(message)
    assert (profile.state, profile.city) == place


# --- the team as owners list it (count round 5) ---------------------------------------------------


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        # Each one named counts once, "mis 2" twice; the speaker when they say "yo".
        ("tengo una cerrajeria en irapuato, estamos mi hermano, yo y 2 aprendices", 4),
        # What someone does, said in the list, does not end it.
        ("trabajan 8 costureros, mi nuera que lleva las cuentas y yo", 10),
        ("hacemos pan mi suegra, la de la caja y yo", 3),
        ("mi papa cocina, yo cobro, mis 2 hermanas sirven y tenemos un ayudante", 5),
        ("estamos el encargado, 3 vendedores y yo", 5),
        # "somos N … más": the speaker is one of the N.
        ("somos 11 meseros mas los tres socios", 14),
        ("somos 6 de la familia y 2 trabajadores de planta", 8),
        # Said of the owner in the third person: the people named, the owner among them.
        ("la tienda la atienden ella, mi sobrino en las tardes y un muchacho", 3),
        ("la barberia es de mi tio, trabajan el, 3 barberos y yo", 5),
        ("le escribo por mi mama, ella tiene 2 empleadas y una señora de limpieza", 4),
        # The speaker works with the ones they list.
        ("tengo una papeleria con mi sobrina y una chava que me ayuda", 3),
        ("en la taqueria trabajan conmigo 2 taqueros y un cajero", 4),
        # Words for numbers and approximations.
        ("ya somos una docena contando a los de reparto", 12),
        ("somos media docena en el despacho", 6),
        ("tenemos como unos 30 empleados en la planta", 30),
        # A range: as many as work at the busiest.
        ("en la feria somos entre 7 y 9", 9),
        ("trabajamos de 20 a 25 segun la cosecha", 25),
        ("somos 4 o 5, depende del dia", 5),
        ("trabajan alrededor de 14 obreros", 14),
        # The speaker said to be among a figure already given is not one more.
        ("somos 3 contadores, yo incluido, y una auxiliar", 4),
        ("tenemos 20 operarios y 4 de oficina, yo entre ellos", 24),
        ("somos 7 con mi esposo y yo", 7),  # who the seven include
        # A payroll of ten or more is given as said; a short one has the owner too.
        ("tengo 12 choferes y 3 mecanicos", 15),
        ("tengo 3 choferes y un cobrador", 5),
        # The owner's work done with relatives.
        ("bordamos servilletas con mis 2 hermanas", 3),
        ("tengo una birrieria con mi cuñado", 2),
    ],
)
def test_the_team_as_owners_list_it(message: str, employees: int) -> None:
    assert chat(message).employees == employees


@pytest.mark.parametrize(
    "message",
    [
        "mi vecino tiene una carpinteria con 9 carpinteros",
        "le vendo a 3 cocineros y 2 meseros de un hotel",
        "tengo 2 hornos, 3 vitrinas y 40 clientes diarios",
        "quiero contratar un cocinero y 2 meseros",
    ],
)
def test_things_clients_and_other_businesses_are_no_team(message: str) -> None:
    assert chat(message).employees is None


@pytest.mark.parametrize(
    ("later", "employees"),
    [
        ("y tambien rentamos un consultorio con una dentista", 5),  # a part of the business
        ("mi prima tiene otra pasteleria con 8 empleados", 5),  # someone else's
        ("se me olvidaba mi cuñado y la de las entregas", 5),  # who, not how many
        ("ok 7, ya contrate dos chalanes", 7),  # the new figure said first
        ("8, contando a los de la tarde", 8),
        ("1. vender mas 2. llevar las cuentas", 5),  # a numbered list is no figure
    ],
)
def test_what_a_later_message_does_to_the_headcount(later: str, employees: int) -> None:
    assert chat("somos 5 en la pasteleria", later).employees == employees


@pytest.mark.parametrize(
    ("messages", "place"),
    [
        # the town said is denied as "no el de…": the other namesake
        (
            ["tengo una estetica en nogales", "es nogales de veracruz, no el de sonora"],
            ("Veracruz", "Nogales"),
        ),
        # a town written in English is still the town ("in Palenque")
        (["we have a small hotel in Palenque, Chiapas"], ("Chiapas", "Palenque")),
        # where the owner wants to sell is a market, not where the business is
        (
            ["tenemos taller de cajeta en celaya, queremos vender en tiendas de leon y queretaro"],
            ("Guanajuato", "Celaya"),
        ),
        # a town known for its trade
        (["bordamos hipiles en tixkokob, yuc"], ("Yucatán", "Tixkokob")),
    ],
)
def test_towns_read_in_more_ways(messages: list[str], place: tuple[str, str]) -> None:
    profile = chat(*messages)
    assert (profile.state, profile.city) == place


# --- corrections that name the place or who owned the business (round 5) ------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("me refiero a Tepic, no a Nayarit entero", ("Nayarit", "Tepic")),
        ("nos referiamos a ciudad obregon sonora", ("Sonora", "Ciudad Obregón")),
    ],
)
def test_a_place_after_me_referia_a_is_where_the_business_is(
    text: str, expected: tuple[str, str | None]
) -> None:
    from assistant.understanding.places import find_location

    loc = find_location(text, in_questions=False)
    assert loc is not None and (loc.state, loc.city) == expected


def test_who_owned_the_business_is_not_the_team() -> None:
    profile = chat(
        "tengo una herreria en zacatecas", "fue de mi abuelo y mis tios, ahora la llevo yo solo"
    )
    assert profile.employees == 1
    profile = chat("el puesto era de mi mama y mi hermana, yo me quede con el")
    assert profile.employees is None
    # The people who work with the owner still count.
    assert chat("en la cocina mi suegra y mi cuñada y yo").employees == 3
