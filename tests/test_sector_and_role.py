"""The right sector when a generic place word ("taller", "distribuidora") heads the business, and
the role of who writes: someone writing for the boss's or a relative's business is not its owner,
though the business described is still the profile's. Owners' own words, fresh for these tests."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.knowledge.reader import read_knowledge
from assistant.recommendation.recommend import top_use_cases
from assistant.understanding.profile import ProfileExtractor
from tests.helpers import knowledge_sectors
from tests.helpers import owner_chat as chat

ROOT = Path(__file__).resolve().parents[1]
SECTORS = knowledge_sectors()

# --- who writes (rules only) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        (
            "buenas, escribo de parte de mi mami, ella tiene una lonchería en zacatecas",
            "restaurante",
        ),
        ("le mando este mensaje por mi abuela que tiene una tortilleria", "tortilleria"),
        ("trabajo con mi cuñado en su taller mecanico de toluca", "taller-mecanico"),
        ("yo atiendo la papeleria de mi tia en la tarde", "papeleria"),
        ("mi papa tiene una carniceria y yo le llevo las cuentas", "carniceria"),
        ("soy la nuera de la dueña de una floreria en colima", "floreria"),
        ("chambeo de mesero en una marisqueria de mazatlan", "restaurante"),
        ("soy ayudante en una ferreteria, el patron me pidio ver cursos", "ferreteria"),
        ("soy administradora de una farmacia, el doctor quiere vender por whats", "farmacia"),
    ],
)
def test_who_writes_for_someone_elses_business_is_not_its_owner(message: str, sector: str) -> None:
    profile = chat(message)
    assert (profile.sector, profile.role) == (sector, "employee")


def test_a_relatives_business_keeps_its_place_and_headcount() -> None:
    profile = chat("ayudo a mi primo en su refaccionaria de irapuato, son 4 trabajadores")
    assert (profile.sector, profile.state, profile.employees) == (
        "refaccionaria",
        "Guanajuato",
        4,
    )
    assert profile.role == "employee"


@pytest.mark.parametrize(
    "messages",
    [
        ["tengo una purificadora en tehuacan, mi hija me ayuda con el face"],
        ["mi señora y yo tenemos una paleteria en michoacan"],
        ["soy el dueño de una lavanderia, mi sobrino me mueve las redes"],
        # a known role is not undone by "tenemos una…" later on
        ["tengo una dulceria en saltillo", "y mi hijo es el que le sabe al cel"],
    ],
)
def test_an_owner_helped_by_family_stays_the_owner(messages: list[str]) -> None:
    assert chat(*messages).role == "owner"


def test_an_employee_saying_we_have_stays_an_employee() -> None:
    profile = chat(
        "soy la encargada de una zapateria en leon", "tenemos una zapateria mas en el centro"
    )
    assert (profile.sector, profile.role) == ("zapateria", "employee")


def test_helping_ones_clients_is_the_owners_own_trade() -> None:
    profile = chat("soy contadora y les ayudo a mis clientes con sus declaraciones")
    assert profile.sector == "servicios-profesionales" and profile.role != "employee"


def test_a_neighbours_business_still_is_not_the_owners() -> None:
    profile = chat("mi vecina tiene una estetica y le va bien con la IA")
    assert profile.sector is None and profile.role is None


# --- the writer's role read from how they speak of the business (rules only) -------------------


@pytest.mark.parametrize(
    "message",
    [
        "tengo carniceria en apizaco y quiero vender por whats",
        "tenemos panaderia en san luis potosi, somos 5",
        "mi taqueria esta en el centro de queretaro",
        "vendemos tamales oaxaqueños en colima",
        "horneamos pasteles sobre pedido en cancun",
        "abrimos una veterinaria en tuxtla el año pasado",
        "criamos pollos de engorda en motul",
        "soy la directora y dueña de un kinder en tijuana",
        "soy gerente y socio de una ferreteria en leon",
        "soy socia de una agencia de viajes",
        "la papeleria es mia, la abri hace 3 años",
        "trabajo por mi cuenta, hago uñas acrilicas",
        "soy contador en puebla, trabajo solo y los clientes me mandan todo por whats",
        "tejemos bolsas de palma en tenejapa",
        "rentamos trajes de charro en jalisco, mi socia y yo",
        "I'm the owner of a small hotel in Tulum",
        "pongo elotes y esquites afuera del mercado de tlaquepaque",
        # a business taken over from a parent is now the writer's
        "herede la carpinteria de mi abuelo en paracho",
        "la estetica era de mi mama, ahora yo la trabajo",
    ],
)
def test_who_speaks_of_the_business_as_theirs_is_its_owner(message: str) -> None:
    assert chat(message).role == "owner"


@pytest.mark.parametrize(
    "message",
    [
        "el negocio es de mi papa, yo solo le ayudo en las tardes",
        "la carniceria es de mis papas y yo atiendo los sabados",
        "les escribe la secretaria de una notaria en puebla",
        "aqui la encargada de la estetica, la dueña quiere agendar por whats",
        "el jefe tiene una constructora y quiere que yo vea lo de la ia",
        "la patrona tiene 2 loncherias en tepic",
        "le echo la mano a mi abuela, vende gorditas en durango",
        "mi tio tiene una vulcanizadora y me pidio que viera lo de la ia",
        "somos 4 en la fonda de mi tia",
        "soy el velador de una bodega de frutas",
        "I work at a seafood restaurant in Ensenada",
        "me hago cargo de la refaccionaria de mi cuñado en las mañanas",
        "administro la cabaña de mis papas en mazamitla",
    ],
)
def test_who_speaks_of_the_business_as_someone_elses_is_an_employee(message: str) -> None:
    assert chat(message).role == "employee"


@pytest.mark.parametrize(
    "message",
    [
        "soy el jefe de sistemas de una cadena de farmacias",
        "responsable de informatica en una clinica de oaxaca",
        "gerente de TI en una fabrica de muebles",
        "estoy a cargo del area de sistemas en un hospital privado",
        "soy ingeniera en sistemas en una distribuidora de acero",
    ],
)
def test_who_runs_the_systems_is_it(message: str) -> None:
    assert chat(message).role == "it"


def test_a_developer_in_other_words_is_a_developer() -> None:
    assert chat("Hello, I'm a web developer making a site for a bakery in Puebla").role == (
        "developer"
    )
    assert chat("nos dedicamos al desarrollo de apps para restaurantes").role == "developer"


@pytest.mark.parametrize(
    "message",
    [
        "que cursos hay para alguien que tiene una panaderia?",
        "tengo una duda sobre las tortillerias",
        "tengo que sacar permiso para una fonda?",
        "tengo pensado abrir una cafeteria",
        "quiero poner una paleteria",
        "el dueño tiene que dar de alta a los empleados en el imss?",
        "la compu es de mi hijo",
        "la fonda es de mi esposo y yo",
        "somos de oaxaca y queremos info de cursos para restaurantes",
        "mi vecino tiene una carpinteria y me dijo que la ia sirve",
        "no tengo negocio todavia, quiero abrir una fonda",
        "el patron tiene algun apoyo por contratar jovenes?",
        # "solo" is "only" here, not "alone"
        "trabajo solo los sabados y quiero saber de cursos para tiendas",
        "me quede con la duda de los cursos para panaderias",
        "la paleteria era de mi tio pero ya no existe",
    ],
)
def test_a_question_or_another_business_says_nothing_of_the_role(message: str) -> None:
    assert chat(message).role is None


@pytest.mark.parametrize(
    ("messages", "role"),
    [
        # a later word wins over what was read before
        (["tenemos una farmacia en tepic", "no soy el dueño eh, soy el de mostrador"], "employee"),
        (
            ["tengo una fonda en tepic", "bueno, la fonda es de mi suegra, yo la atiendo"],
            "employee",
        ),
        (["trabajo en una purificadora", "perdon, la purificadora es mia"], "owner"),
        (["el negocio no es de mi papa, es mio"], "owner"),
        (["la fonda es de mi esposo y mia"], "owner"),
        # a relative's business next to the writer's own
        (
            [
                "tengo una paleteria en colima",
                "no, la de colima es de mi prima, la mia esta en manzanillo",
            ],
            "owner",
        ),
        # a first-person "tenemos" after a known role does not make an owner
        (["soy cajera en un super de hermosillo", "tenemos 3 sucursales"], "employee"),
        (["hola", "tengo taller de costura en moroleon"], "owner"),
        # an owner who speaks of the staff is still the owner
        (["aqui la cajera no le sabe a la compu, tengo una farmacia en tlaxcala"], "owner"),
    ],
)
def test_the_role_follows_the_latest_word(messages: list[str], role: str | None) -> None:
    assert chat(*messages).role == role


class _NearestIs:
    """Meaning that reads every description as one sector, as the bundled embedder would."""

    def __init__(self, sector: str) -> None:
        self.sector = sector

    def nearest(self, text: str, exclude: list[str]) -> Any:
        return SimpleNamespace(sector=self.sector, confidence=0.7)


def test_an_owner_whose_trade_is_read_by_meaning_is_still_the_owner() -> None:
    extractor = ProfileExtractor(SECTORS, meaning=_NearestIs("agricultura"))
    profile = chat("tenemos 12 hectareas de chile serrano en delicias", extractor=extractor)
    assert (profile.sector, profile.role) == ("agricultura", "owner")
    profile = chat("tengo 3 hijos y una duda de la ia", extractor=extractor)
    assert profile.role is None


# --- a bare place word never replaces a known trade ----------------------------------------------


def test_a_bare_place_word_does_not_replace_the_trade() -> None:
    profile = chat("tenemos un taller de serigrafia en gdl", "que me recomiendas pa mi taller?")
    assert profile.sector == "textil"
    profile = chat("tengo una veterinaria", "en mi tienda tambien vendo croquetas")
    assert profile.sector == "veterinaria"


# --- the words after a place word name the trade (bundled embedder) ------------------------------


@pytest.fixture(scope="module")
def extractor(tmp_path_factory: pytest.TempPathFactory) -> ProfileExtractor:
    from assistant.retrieval.embeddings import local_embeddings
    from assistant.understanding.sectors import SectorMeaning

    meaning = SectorMeaning(SECTORS, local_embeddings(), tmp_path_factory.mktemp("v"), "e5")
    meaning.warm_up()
    return ProfileExtractor(SECTORS, meaning=meaning)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("message", "usual"),
    [
        ("tenemos un taller de vitrales en queretaro", "taller-mecanico"),
        ("tengo un taller de encuadernacion", "taller-mecanico"),
        ("tengo una distribuidora de material electrico en leon", "abarrotes"),
    ],
)
def test_a_trade_after_a_place_word_is_not_the_place_words_sector(
    extractor: ProfileExtractor, message: str, usual: str
) -> None:
    # Another sector by meaning (with its confidence), or the neutral path.
    assert chat(message, extractor=extractor).sector != usual


@pytest.mark.slow
@pytest.mark.parametrize(
    ("message", "sectors"),
    [
        ("somos un taller de tejido de punto en san mateo atenco", {"textil", "artesanias"}),
        ("tengo un taller de velas aromaticas y jabones", {"artesanias"}),
        ("tenemos una distribuidora de refresco y botana, surtimos a tienditas", {"abarrotes"}),
        # the place word's own trade still is
        ("tengo un taller de mofles y radiadores", {"taller-mecanico"}),
    ],
)
def test_the_words_after_a_place_word_name_the_trade(
    extractor: ProfileExtractor, message: str, sectors: set[str]
) -> None:
    assert chat(message, extractor=extractor).sector in sectors


class _DeafEmbeddings:
    """An embedder that hears every text the same: only words can tell businesses apart."""

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0, 0.0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(t) for t in texts]


@pytest.mark.parametrize(
    ("message", "miss"),
    [
        ("atendemos a unos viejitos en un asilo de xalapa", True),
        ("tenemos casa de retiro, puros abuelitos", True),
        ("cuido a los peques de la colonia mientras sus mamás trabajan", False),
        ("guardería con maternal y estimulación, somos 4 cuidadoras", False),
    ],
)
def test_the_words_of_a_near_miss_tell_it_from_the_sector(
    tmp_path: Path, message: str, miss: bool
) -> None:
    from assistant.understanding.sectors import SectorMeaning

    meaning = SectorMeaning(SECTORS, _DeafEmbeddings(), tmp_path, "deaf")
    assert meaning.near_miss("guarderia", message) is miss


@pytest.mark.slow
def test_craft_beer_is_a_food_and_drink_producer(extractor: ProfileExtractor) -> None:
    profile = chat(
        "producimos cerveza artesanal en mexicali y la vendemos en barril", extractor=extractor
    )
    assert profile.sector == "agroindustria"


# --- a plant gets the ideas of a plant -----------------------------------------------------------


def test_a_plant_of_seventy_gets_no_idea_for_one_made_to_measure_job() -> None:
    knowledge = read_knowledge(ROOT / "knowledge")
    profile = chat("tenemos una fabrica de muebles en ocotlan, somos 75 en dos turnos")
    assert (profile.sector, profile.size) == ("manufactura", "mediana")
    ideas = top_use_cases(knowledge, profile, n=12)
    assert ideas
    said = " ".join(f"{uc.title} {uc.problem}" for uc in ideas).lower()
    assert "portón" not in said and "clóset" not in said


def test_a_message_that_opens_with_the_business_keeps_it_over_what_it_makes() -> None:
    # "cocinas" is what a carpentry makes and "mis hijos" who works there: neither is the giro.
    profile = chat(
        "que tal, carpinteria en tlaxcala, hacemos cocinas y roperos, somos 4 con mis hijos"
    )
    assert profile.sector == "manufactura"
    # A lone verb about a known business still does not replace it.
    assert chat("tengo un taller de costura", "fabricamos uniformes, somos 6").sector == "textil"


# --- the business an owner names: place word and complement, clients, products ------------------


@pytest.fixture(scope="module")
def by_words(tmp_path_factory: pytest.TempPathFactory) -> ProfileExtractor:
    """Rules plus the sectors' own words (an embedder that hears every text alike)."""
    from assistant.understanding.sectors import SectorMeaning

    meaning = SectorMeaning(SECTORS, _DeafEmbeddings(), tmp_path_factory.mktemp("deaf"), "deaf")
    return ProfileExtractor(SECTORS, meaning=meaning)


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        # the complement's own words name another trade than the place word's
        ("abrimos un consultorio para gatitos y perros en orizaba", "veterinaria"),
        ("tenemos un ranchito de chivas en el semidesierto", "ganaderia"),
        ("no, mas bien es un consultorio de mascotas", "veterinaria"),
        # a selling place sells what factories make: the shop, never the factory
        ("tengo una tiendita de ropa de bebe en el mercado", "tienda-de-ropa"),
        # among trades that share the word, a selling place takes the one that sells
        ("somos mayoristas de pollo en la central", "carniceria"),
        # a place word and its complement may be a name of their own
        ("tenemos una bodega chica de vino cerca de ensenada", "agroindustria"),
    ],
)
def test_the_complement_of_a_place_word_names_the_business(
    by_words: ProfileExtractor, message: str, sector: str
) -> None:
    assert chat(message, extractor=by_words).sector == sector


@pytest.mark.parametrize(
    "message",
    [
        "nuestra distribuidora de productos de limpieza le surte a escuelas",
        "tengo un local de muebles rusticos en el centro",
    ],
)
def test_a_shop_is_not_the_factory_of_what_it_sells(
    by_words: ProfileExtractor, message: str
) -> None:
    assert chat(message, extractor=by_words).sector != "manufactura"


@pytest.mark.parametrize(
    ("message", "client"),
    [
        ("desinfectamos restaurantes y bares del centro", "restaurante"),
        ("limpiamos hoteles y oficinas por toda la riviera", "turismo"),
        ("vigilamos fraccionamientos, bodegas y hoteles de la zona", "turismo"),
    ],
)
def test_the_places_a_service_is_done_to_are_clients(message: str, client: str) -> None:
    assert chat(message).sector != client


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        ("vendemos pulque y curados en el tianguis de los domingos", "agroindustria"),
        ("tenemos un viñedo chico y sacamos unas mil botellas al año", "agroindustria"),
        ("hago comida para fiestas, taquizas y bodas, sin local", "eventos"),
        ("no es fonda, es cocina para eventos", "eventos"),
    ],
)
def test_a_business_named_by_what_it_makes_or_serves(message: str, sector: str) -> None:
    assert chat(message).sector == sector


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        # who the owner counts among the staff is not the business
        ("administro la funeraria de mis tios en tampico, somos 7 con los choferes", "funeraria"),
        # "pa" is "para" in the name of a business
        ("rento sonido pa fiestas y xv años en el pueblo", "eventos"),
        # silversmiths and their workshop
        ("soy platero, tengo mi tallercito en el centro con 2 ayudantes", "artesanias"),
        ("tenemos como 12 hectareas de limon en apatzingan", "agricultura"),
        ("pusimos una optica, mi hija es optometrista", "consultorio"),
        # a person's trade said of them is not the business's
        ("soy el gerente de una ferreteria de materiales, el dueño es arquitecto", "ferreteria"),
        ("mi esposo es contador y trabaja desde la casa", "servicios-profesionales"),
    ],
)
def test_more_ways_owners_name_their_business(message: str, sector: str) -> None:
    assert chat(message).sector == sector


def test_a_trade_named_with_a_bare_es_in_a_correction_is_read_by_meaning() -> None:
    # "no, es estudio de tatuajes": no list sector says it, so the owner's words go by meaning
    # (here every description reads as the neutral path) instead of leaving the giro empty.
    extractor = ProfileExtractor(SECTORS, meaning=_NearestIs("general"))
    profile = chat(
        "tengo una estetica en leon, somos 2",
        "nel, es estudio de grabacion de podcasts, no estetica",
        extractor=extractor,
    )
    assert profile.sector == "general"
