"""Understanding an owner, one failure class of issue 11 per test, in the owners' own words.

Rules only (fast): the sector by meaning has its own tests below with the bundled embedder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.schemas import BusinessProfile
from assistant.turn import TurnInput
from assistant.understanding.language import detect_language
from assistant.understanding.profile import ProfileExtractor
from tests.helpers import CountingEmbeddings, knowledge_sectors
from tests.helpers import owner_chat as chat

SECTORS = knowledge_sectors()
RULES = ProfileExtractor(SECTORS)


# --- only statements about the owner's own business change the profile ----------------------


def test_words_inside_a_question_do_not_change_the_sector() -> None:
    profile = chat(
        "tenemos un hotelito en Bacalar, 8 cuartos",
        "¿eso de la IA sirve para hoteles chicos o es para fábricas?",
    )
    assert profile.sector == "turismo"


def test_a_sales_channel_is_not_a_corner_shop() -> None:
    profile = chat("hago blusas bordadas y rebozos en sancris y los vendo en mi tienda de facebook")
    assert profile.sector == "artesanias"
    assert "social_media" in profile.signals


def test_another_persons_business_does_not_change_the_sector() -> None:
    profile = chat(
        "tengo una farmacia en saltillo",
        "mi vecino tiene una panaderia y usa chatgpt, eso sirve pa farmacias?",
    )
    assert profile.sector == "farmacia"
    profile = chat(
        "tengo una tiendita en chilpancingo", "mi primo en Queretaro tiene una panaderia"
    )
    assert (profile.sector, profile.state) == ("abarrotes", "Guerrero")


def test_a_place_mentioned_as_a_topic_does_not_move_the_business() -> None:
    profile = chat(
        "empacamos aguacate en Uruapan, Michoacán",
        "y la region de AWS en Queretaro nos sirve de algo?",
    )
    assert (profile.state, profile.city) == ("Michoacán", "Uruapan")
    profile = chat("tengo un taller en chihuahua capital", "fui a un curso en monterrey de IA")
    assert (profile.state, profile.city) == ("Chihuahua", "Chihuahua")


# --- negations and corrections win ------------------------------------------------------------


def test_a_denied_sector_is_dropped() -> None:
    profile = chat("tenemos una maquila en juarez", "No somos textiles, hacemos arneses electricos")
    assert profile.sector == "manufactura"
    profile = chat("tengo un restaurante de mariscos", "no es restaurante eh")
    assert profile.sector is None


def test_corrections_replace_numbers() -> None:
    assert chat("somos 10 en el taller", "no, somos 12").employees == 12
    assert chat("tengo una fonda", "puedo 5 horas a la semana", "no, mejor 2").weekly_hours == 2


def test_ya_no_removes_a_signal() -> None:
    profile = chat("tengo una tiendita y vendo en linea por mercado libre", "ya no vendo en linea")
    assert profile.sector == "abarrotes"
    assert "online_sales" not in profile.signals


# --- signals and goals as owners say them ----------------------------------------------------


@pytest.mark.parametrize(
    ("message", "goal"),
    [
        ("quiero que los clientes regresen mas seguido", "retention"),
        ("que no se me den de baja los socios", "retention"),
        ("quiero llenar en temporada baja", "sell_more"),
        ("quiero mas reservas directas", "sell_more"),
        ("nos interesa predecir fallas en las maquinas de corte", "maintenance"),
        ("la conciliacion bancaria me mata cada mes", "finance"),
        ("se nos atrasan mucho las colegiaturas", "finance"),
        ("me preguntan lo mismo 50 veces al dia", "customer_service"),
        ("las cotizaciones me llevan horas", "save_time"),
        ("quiero salir mas en google maps", "marketing"),
        ("tenemos muchas piezas defectuosas", "quality"),
    ],
)
def test_goals_in_owner_words(message: str, goal: str) -> None:
    assert goal in chat(message).goals


@pytest.mark.parametrize(
    "message",
    [
        "vendemos por instagram y facebook",
        "todo lo vendo en mercado libre",
        "los cuartos los vendemos por booking",
    ],
)
def test_selling_on_platforms_is_a_maturity_signal(message: str) -> None:
    profile = chat("tengo un hotelito en tulum", message)
    assert profile.sector == "turismo"
    assert profile.maturity is not None and profile.maturity >= 3


# --- people --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        ("tengo un taller mecanico, somos 4 mecanicos y yo", 5),
        ("somos 2 veterinarios y una recepcionista", 3),
        ("tengo un minisuper, yo y 2 cajeras", 3),
        ("soy agente de seguros, trabajo con 2 asistentes", 3),
        ("soy dentista, tengo mi consultorio y una asistente", 2),
        ("tengo una tlapaleria y mi hijo me ayuda", 2),
    ],
)
def test_headcount_as_owners_say_it(message: str, employees: int) -> None:
    assert chat(message).employees == employees


def test_capital_means_the_states_namesake_city() -> None:
    profile = chat("tengo una lavanderia en Queretaro capital")
    assert (profile.state, profile.city) == ("Querétaro", "Querétaro")


# --- language ability and language ----------------------------------------------------------


@pytest.mark.parametrize(
    ("messages", "reads"),
    [
        (["no hablo ingles"], False),
        (["esos vienen en español? porque ingles no leo nada"], False),
        (["no se nada de ingles eh, nomas español"], False),
        (["mi hijo si sabe ingles, yo no"], False),
        (["mi papa no lee ingles pero yo si"], True),
        (["si leo ingles tecnico"], True),
        (["yo hablo y leo ingles bien"], True),
        (["no leo ingles", "bueno, ya aprendi, ahora si leo ingles"], True),
        (["de ingles casi nada, la verdad"], False),
        (["se poquito ingles"], False),
        (["el ingles no se me da"], False),
    ],
)
def test_reads_english_is_a_profile_slot(messages: list[str], reads: bool) -> None:
    assert chat("tengo una fonda", *messages).reads_english is reads


def test_reads_english_unknown_until_said() -> None:
    assert chat("tengo una fonda en tuxtla").reads_english is None


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("Can you answer in English please?", "en"),
        ("Hello! I run a small bed and breakfast. Do you have courses in English?", "en"),
        ("我在墨西哥有一家小餐馆", "other"),
        ("У меня маленький магазин", "other"),
        ("ok, I try in spanish: es un bed and breakfast de 6 cuartos", "es"),
        ("tengo un food truck, el delivery lo hago por whats", "es"),
        ("hola", "es"),
        # Spanish typed with odd Unicode is still Spanish (full-width, no-break, zero-width)
        ("ｔｉｅｎｄａ　ｄｅ　ａｂａｒｒｏｔｅｓ　ｅｎ　ｃｏｌｉｍａ", "es"),
        ("tengo\u00a0una\u00a0estética\u200b en León", "es"),
        ("🙏🙏 ｈｏｌａ, ¿ｑｕé ｃｕｒｓｏｓ ｈａｙ?", "es"),
    ],
)
def test_detect_language(message: str, language: str) -> None:
    assert detect_language(message) == language


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("Oi! Eu tenho uma loja de sorvetes em Mérida. Vocês podem ajudar com isso?", "pt"),
        ("bom dia, tenho um salão de beleza com minha irmã, quero usar IA", "pt"),
        # A Spanish owner who greets in Portuguese or names a SIM chip is still Spanish
        ("obrigado jaja, oye y los cursos de celular son gratis?", "es"),
        ("compre un chip sim para la tienda, somos tres, em pues no se como le hago", "es"),
    ],
)
def test_portuguese_gets_the_spanish_notice_not_a_refusal(message: str, language: str) -> None:
    assert detect_language(message) == language


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # Customers who write in English describe the business: no request to change language
        (
            "tengo una agencia de tours en Bacalar, los gringos nos escriben en ingles y no les entendemos",
            "question",
        ),
        ("mis huespedes hablan en ingles y mi muchacha nomas español", "question"),
        # Asked of us, it is
        ("oye, contestame en ingles mejor", "language"),
        ("me puedes escribir en ingles?", "language"),
    ],
)
def test_a_request_for_english_is_asked_of_us(message: str, intent: str) -> None:
    from assistant.understanding.reader import classify

    assert classify(message) == intent


# --- businesses served, places named in passing, nicknames (fresh wordings) --------------------


@pytest.mark.parametrize(
    ("messages", "sector"),
    [
        (["hacemos tortillas de maiz y le surtimos a varias fondas"], "tortilleria"),
        (["tenemos una refaccionaria, vendemos balatas a los talleres"], "refaccionaria"),
        (["tengo una polleria", "le vendo pollo a las taquerias de la zona"], "carniceria"),
        (["damos fumigacion en casas, escuelas y restaurantes"], None),
        # How they sell or what they are about to do is not a client.
        (["vendemos al mayoreo abarrotes y dulces"], "abarrotes"),
        (["hacemos entregas a domicilio, somos taqueria"], "restaurante"),
        (["voy a abrir una panaderia en mi colonia"], "panaderia"),
        (["atiendo a mis clientas en mi estetica"], "estetica"),  # clients, then the owner's own
        (["hacemos muebles rusticos de madera"], "manufactura"),
    ],
)
def test_a_business_the_owner_serves_is_not_theirs(messages: list[str], sector: str | None) -> None:
    assert chat(*messages).sector == sector


def test_where_the_goods_go_is_not_where_the_business_is() -> None:
    profile = chat("empacamos aguacate en Uruapan y le vendemos a un broker de Monterrey")
    assert (profile.state, profile.city) == ("Michoacán", "Uruapan")
    profile = chat("surtimos a los abarrotes de Toluca, estamos en Metepec")
    assert (profile.state, profile.city) == ("Estado de México", "Metepec")
    profile = chat("tengo una papeleria frente a la prepa en Irapuato")
    assert (profile.state, profile.city) == ("Guanajuato", "Irapuato")


@pytest.mark.parametrize(
    ("message", "place"),
    [
        ("bordo servilletas en San Cris", ("Chiapas", "San Cristóbal de las Casas")),
        ("tengo un changarro en Chilpo", ("Guerrero", "Chilpancingo")),
        ("estamos en Cuerna", ("Morelos", "Cuernavaca")),
        ("tengo mi taller en culichi", ("Sinaloa", "Culiacán")),
        ("rentamos cuartos en Playa", ("Quintana Roo", "Playa del Carmen")),
        ("tengo una tienda en Sn Luis", ("San Luis Potosí", "San Luis Potosí")),
        ("tengo un hotelito en Pto Vallarta", ("Jalisco", "Puerto Vallarta")),
        ("vivo cerca de la playa", (None, None)),
        ("me gusta ir a la playa los domingos", (None, None)),
        ("vendo ropa de playa", (None, None)),
    ],
)
def test_towns_by_the_names_owners_use(message: str, place: tuple[str | None, str | None]) -> None:
    profile = chat(message)
    assert (profile.state, profile.city) == place


def test_a_question_states_a_goal_only_when_it_asks_how_to_get_there() -> None:
    assert chat("tengo una fonda", "¿cuánto me cuesta el curso?").goals == []
    assert chat("tengo una fonda", "¿hay cursos de marketing?").goals == []
    assert "retention" in chat("¿cómo le hago para que regresen los clientes?").goals
    assert "finance" in chat("¿la IA me ayuda a llevar las cuentas?").goals


def test_owner_words_about_computers_and_greetings() -> None:
    from assistant.understanding.reader import Reader

    assert "no_computer" in chat("no le sé a la compu, tengo una tiendita").signals
    reader = Reader(SECTORS)
    turn = TurnInput(
        session_id="s",
        message="que onda, tengo una taqueria en Puebla",
        channel="web",
        profile=BusinessProfile(),
    )
    assert reader.understand(turn).intent == "diagnosis"


def test_a_place_asked_about_is_not_the_owners() -> None:
    profile = chat("tengo una fonda", "¿en qué estado hay más apoyos, en Jalisco o en Nuevo León?")
    assert profile.state is None
    # Asked about their own business, the place is theirs.
    assert chat("¿hay apoyos para mi negocio en Oaxaca?").state == "Oaxaca"


def test_a_place_corrected_with_an_interjection() -> None:
    profile = chat("tengo un taller en Leon", "ah no perdon, en Irapuato")
    assert (profile.state, profile.city) == ("Guanajuato", "Irapuato")


def test_a_sales_channel_or_a_bare_verb_does_not_replace_a_known_business() -> None:
    assert chat("tengo una panaderia", "vendo por facebook y whatsapp").sector == "panaderia"
    assert chat("tengo un taller de costura", "fabricamos uniformes").sector == "textil"
    # With no business known yet, selling online is the business.
    assert chat("vendo por mercado libre").sector == "comercio-en-linea"


def test_a_denial_then_the_same_business_in_other_words() -> None:
    assert chat("tengo una fonda", "no somos fonda, somos cocina economica").sector == "restaurante"
    # A generic word after a denial does not bring the denied business back.
    profile = chat("tenemos una muebleria", "no fabricamos nada, solo vendemos muebles")
    assert profile.sector != "manufactura"


@pytest.mark.parametrize(
    ("message", "reads"),
    [
        ("no le sé al inglés", False),
        ("inglés no le entiendo", False),
        ("no hablo ni papa de inglés", False),
        ("el inglés sí se me da", True),
        ("el inglés no se me da", False),
        ("leo algo de inglés", True),
        ("aqui todos hablamos ingles con los turistas", True),
        ("no entiendo nada en ingles", False),
        ("aqui nadie le sabe al ingles", False),
        ("el ingles no lo masco", False),
    ],
)
def test_english_as_owners_say_it(message: str, reads: bool) -> None:
    assert chat(message).reads_english is reads


@pytest.mark.parametrize(
    ("message", "goal"),
    [
        ("se nos va todo el tiempo en contestar mensajes", "save_time"),
        ("quiero que los clientes paguen a tiempo", "finance"),
        ("llevo los abonos en un cuaderno y no me cuadran", "finance"),
        ("me interesa atender mejor por whatsapp", "customer_service"),
        ("ojala me salgan mas trabajos este año", "sell_more"),
        ("queremos vender en otras ciudades", "sell_more"),
    ],
)
def test_more_goals_in_owner_words(message: str, goal: str) -> None:
    assert goal in chat(message).goals


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        ("trabajamos 6", 6),
        ("trabajamos como 8 en el taller", 8),
        ("tengo una asistente", 2),
        ("tengo un chalan que me ayuda", 2),
        ("trabajamos 8 horas diarias", None),
        ("somos una familia de 6 y todos le entramos", 6),
        ("somos como unas 20 personas", 20),
        ("somos una cooperativa de 12 socias que bordamos", 12),
        ("tengo un box de crossfit con 60 socios", None),  # members, not workers
        ("trabajo con 2 socios", 3),
        ("busco un ayudante", None),
    ],
)
def test_headcount_in_more_owner_words(message: str, employees: int | None) -> None:
    assert chat(message).employees == employees


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        ("tenemos dos salones de belleza", "estetica"),  # a phrase's head word in plural
        ("atiendo una ferre", "ferreteria"),
        ("soy pintor de casas", "construccion"),
        ("tengo un bar en el centro", "restaurante"),
        ("vendo tamales en las mañanas", "restaurante"),
        ("tenemos un motel", "turismo"),
        ("soy dj para bodas", "eventos"),
        ("tenemos una imprenta", "papeleria"),
        ("tenemos una granja de cerdos", "ganaderia"),  # livestock, not crops
        ("vendo seguros de gastos medicos", "servicios-profesionales"),
        ("soy agente de seguros", "servicios-profesionales"),
        ("doy clases de zumba en un salon", "gimnasio"),  # the trade after "de" says more
        ("hago pan casero y lo vendo en bici", "panaderia"),
        ("arreglo carros en mi cochera", "taller-mecanico"),
    ],
)
def test_more_businesses_by_name(message: str, sector: str) -> None:
    assert chat(message).sector == sector


def test_a_business_named_in_a_question_is_in_the_domain() -> None:
    assert RULES.names_a_business("¿y para salones de belleza también sirve?")
    assert not RULES.names_a_business("¿cómo está el clima hoy?")


# --- sector by meaning (bundled embedder) -----------------------------------------------------


# A slice of knowledge/sectors.yaml keeps this under a few seconds; the full set is measured in
# the dev conversations.
MEANING_SECTORS = [
    s
    for s in SECTORS
    if s.id
    in {
        "restaurante",
        "turismo",
        "estetica",
        "manufactura",
        "textil",
        "agroindustria",
        "agricultura",
        "abarrotes",
        "servicios-profesionales",
        "inmobiliaria",
        "papeleria",
        "dulceria",
        "reparacion-de-celulares",
        "taller-mecanico",
        "general",
    }
]


@pytest.fixture(scope="module")
def meaning(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from assistant.understanding.sectors import SectorMeaning

    cache = tmp_path_factory.mktemp("vectors")
    built = SectorMeaning(MEANING_SECTORS, CountingEmbeddings(), cache, "e5")
    built.warm_up()
    return built


@pytest.mark.slow
def test_sector_vectors_are_stored_once(meaning, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from assistant.understanding.sectors import SectorMeaning

    counting = CountingEmbeddings()
    again = SectorMeaning(MEANING_SECTORS, counting, meaning._cache_dir, "e5")
    again.warm_up()
    assert again.ready and counting.texts == 0  # loaded from the data dir, nothing embedded
    changed = [
        s.model_copy(update={"description": s.description + " Y más."}) for s in MEANING_SECTORS
    ]
    stale = SectorMeaning(changed, counting, meaning._cache_dir, "e5")
    stale.warm_up()
    assert counting.texts > 0  # an edited description is embedded again, never a stale vector


@pytest.mark.slow
def test_a_business_named_by_its_description_words(meaning) -> None:  # type: ignore[no-untyped-def]
    extractor = ProfileExtractor(MEANING_SECTORS, meaning=meaning)
    profile = chat("empacamos aguacate en Uruapan pa exportar", extractor=extractor)
    assert profile.sector == "agroindustria"
    assert profile.sector_confidence is not None and 0 < profile.sector_confidence < 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "message",
    [
        "tengo un estudio de tatuajes en tijuana, somos 3 tatuadores",
        "tenemos una muebleria en villahermosa, vendemos a credito en abonos",
        "tenemos una empresa de limpieza de oficinas en merida",
        "tenemos una empresa de fumigacion y control de plagas en casas",
    ],
)
def test_a_business_outside_the_list_is_never_silently_wrong(meaning, message: str) -> None:  # type: ignore[no-untyped-def]
    extractor = ProfileExtractor(MEANING_SECTORS, meaning=meaning)
    profile = chat(message, extractor=extractor)
    # Either the neutral path, or a near sector with a confidence below certainty.
    assert (
        profile.sector == "general"
        and profile.sector_confidence == 0.0
        or (profile.sector_confidence is not None and profile.sector_confidence < 1)
    )
    assert profile.sector not in {"manufactura", "restaurante", "abarrotes"}


@pytest.mark.slow
def test_a_denied_sector_is_not_guessed_again(meaning) -> None:  # type: ignore[no-untyped-def]
    extractor = ProfileExtractor(MEANING_SECTORS, meaning=meaning)
    profile = chat(
        "tenemos una muebleria en villahermosa, vendemos a credito",
        "nosotros no fabricamos, solo vendemos muebles",
        extractor=extractor,
    )
    assert profile.sector == "general"


@pytest.mark.slow
def test_meaning_is_only_asked_for_statements_without_a_sector(meaning) -> None:  # type: ignore[no-untyped-def]
    counting = CountingEmbeddings()
    from assistant.understanding.sectors import SectorMeaning

    quiet = SectorMeaning(MEANING_SECTORS, counting, meaning._cache_dir, "e5")
    extractor = ProfileExtractor(MEANING_SECTORS, meaning=quiet)
    chat(
        "tengo una fonda en tuxtla, somos 3",  # an alias names it: no embedding
        "¿hay cursos gratis?",  # a question: no embedding
        "tengo como 2 horitas a la semana",
        extractor=extractor,
    )
    assert counting.texts == 0


# --- through the real assistant (fixture corpus) ---------------------------------------------


def test_the_assistant_understands_an_owner_turn_by_turn(assistant) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    async def chat_with(*messages: str) -> list:  # type: ignore[type-arg]
        out = []
        for message in messages:
            out.append(await assistant.respond("sess-understand", message, "web"))
        return out

    first, question, english = asyncio.run(
        chat_with(
            "buenas, tengo una fondita en tuxtla, somos 3 y ingles no leo nada",
            "¿eso de la IA sirve para fondas o es para fabricas?",
            "Can you answer in English please?",
        )
    )
    assert first.profile.sector == "restaurante"
    assert (first.profile.state, first.profile.employees) == ("Chiapas", 3)
    assert first.profile.reads_english is False
    assert question.profile.sector == "restaurante"  # a word in a question never overwrites
    assert english.intent == "language"
    assert "español" in english.answer and "instrucciones internas" not in english.answer
    assert english.profile.reads_english is False  # what the owner said of herself stands
    assert len(english.answer) < 400


def test_a_guessed_sector_is_named_as_a_guess() -> None:
    from assistant.understanding.profile import sector_phrase

    said = BusinessProfile(sector="restaurante", sector_name="Restaurantes", sector_confidence=1.0)
    guessed = said.model_copy(update={"sector_confidence": 0.6})
    general = BusinessProfile(sector="general", sector_name="General", sector_confidence=0.0)
    assert sector_phrase(said) == "tu negocio es del giro restaurantes"
    assert sector_phrase(guessed) == "lo más parecido a tu negocio es el giro restaurantes"
    assert "no está en mi lista" in (sector_phrase(general) or "")


@pytest.mark.slow
def test_a_job_is_not_a_business_to_match(meaning) -> None:  # type: ignore[no-untyped-def]
    extractor = ProfileExtractor(MEANING_SECTORS, meaning=meaning)
    profile = chat("soy programador y quiero aprender Amazon Bedrock", extractor=extractor)
    assert profile.sector is None  # still asked what the business does
    assert profile.role == "developer"


@pytest.mark.slow
def test_a_generic_word_naming_another_business_is_not_guessed(meaning) -> None:  # type: ignore[no-untyped-def]
    extractor = ProfileExtractor(MEANING_SECTORS, meaning=meaning)
    # "tienda" alone reads as a corner shop; "tienda de regalos" is another business.
    assert (
        chat("tengo una tienda de regalos y novedades", extractor=extractor).sector != "abarrotes"
    )
    assert chat("tengo una tienda", extractor=extractor).sector == "abarrotes"
    # …unless its own words still say so: a tomato grower is farming.
    profile = chat("soy productor de tomate en sinaloa", extractor=extractor)
    assert profile.sector == "agricultura"


@pytest.mark.slow
def test_a_headcount_correction_does_not_reopen_the_sector(meaning) -> None:  # type: ignore[no-untyped-def]
    extractor = ProfileExtractor(MEANING_SECTORS, meaning=meaning)
    profile = chat(
        "tengo una fonda en el mercado, somos 4",
        "mas bien somos 9 contando a los de temporada",
        extractor=extractor,
    )
    assert (profile.sector, profile.employees) == ("restaurante", 9)


def test_ingest_stores_the_sector_vectors(indexed_dir: Path) -> None:
    # The first start after an ingest loads them instead of embedding every description.
    assert list(indexed_dir.glob("sector_vectors-*.npz"))


@pytest.mark.parametrize(
    "message",
    [
        "ｔｅｎｇｏ　ｕｎａ　ｐａｎａｄｅｒíａ　ｅｎ　ｔｌａｘｃａｌａ",
        "tengo\u00a0una\u00a0panadería en\u2009Tlaxcala",
        "ten\u200bgo una pana\u00addería en Tlax\ufeffcala",
    ],
)
def test_odd_unicode_reads_like_plain_spanish(message: str) -> None:
    """Full-width letters, no-break or thin spaces, zero-width characters and soft hyphens are
    undone by the one normaliser: the same business and place as plain text."""
    from tests.helpers import owner_chat

    profile = owner_chat(message)
    assert (profile.sector, profile.state) == ("panaderia", "Tlaxcala")


@pytest.fixture(scope="module")
def near_miss_extractor(tmp_path_factory: pytest.TempPathFactory) -> ProfileExtractor:
    from assistant.retrieval.embeddings import local_embeddings
    from assistant.understanding.sectors import SectorMeaning

    kept = {"guarderia", "servicios-profesionales", "consultorio", "educacion", "general"}
    sectors = [s for s in SECTORS if s.id in kept]
    cache = tmp_path_factory.mktemp("near")
    return ProfileExtractor(
        sectors, meaning=SectorMeaning(sectors, local_embeddings(), cache, "e5")
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("message", "sector"),
    [
        # a business that only sounds like a sector (its near_misses in knowledge/) is not it
        ("tenemos una casa de reposo para viejitos en Colima", "general"),
        ("mi hermana y yo cuidamos ancianos en su domicilio", "general"),
        ("somos una agencia de seguridad, ponemos vigilantes", "general"),
        # ... while the sector's own businesses still are
        ("cuido a los bebés de las señoras que trabajan", "guarderia"),
        ("llevamos la contabilidad de pequeñas empresas", "servicios-profesionales"),
    ],
)
def test_a_near_miss_is_not_its_sector(
    near_miss_extractor: ProfileExtractor, message: str, sector: str
) -> None:
    assert chat(message, extractor=near_miss_extractor).sector == sector


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("👍", "thanks"),
        ("🙏🙏", "thanks"),
        ("👌 ❤️", "thanks"),
        ("👋", "greeting"),
        ("???", "question"),
    ],
)
def test_a_message_of_only_emoji_is_smalltalk(message: str, intent: str) -> None:
    from assistant.understanding.reader import classify

    assert classify(message) == intent


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("ok gracias carnal", "thanks"),
        ("muchas gracias señorita, bendiciones!!", "thanks"),
        ("sale gracias jefa", "thanks"),
        # however the chat is closed: a word of approval, the help thanked, a promise to read it
        ("ta chido, grax", "thanks"),
        ("Excelente, le agradezco mucho la ayuda", "thanks"),
        ("gracias inge, ahorita lo checo con calma", "thanks"),
        ("thank you so much", "thanks"),
        ("Gracias, muy útil la info", "thanks"),
        ("ok gracias, lo platico con mi esposa y le aviso", "thanks"),
        ("orale pues, gracias y que dios lo bendiga", "thanks"),
        # a thank-you with news of the business is not only thanks
        ("gracias, ya somos 7 en el taller", "question"),
        ("grax, pero no me sirve pa mi fonda", "question"),
        # a thank-you that goes on to ask is a question
        ("gracias compa, y el curso de excel cuanto dura?", "question"),
    ],
)
def test_a_thank_you_with_who_is_thanked_is_smalltalk(message: str, intent: str) -> None:
    from assistant.understanding.reader import classify

    assert classify(message) == intent


@pytest.mark.parametrize(
    "text",
    [
        "¿Cuánto cuesta la certificación? Soy de Querétaro y tengo una pana\u00addería",
        "ten\u200bgo una estética\u200d en León\ufeff, ｃｏｎ ﬁnanzas y 5 empleados ½",
        "mi negocio 🙂 de «uñas» en Tlaxcala\u2009— ¿me apoyan? \u202eolleh",
        "plain ascii text, nothing odd",
        "ḉafé ǅ Ångström n\u0303 a\u0301\u0327",
    ],
)
def test_the_normaliser_reads_only_the_odd_characters_and_folds_as_before(text: str) -> None:
    """A turn folds its message a few dozen times; only the non-ASCII characters go through
    Python (one "¿" sent every character there). Same result as character by character."""
    import unicodedata

    from assistant.understanding import text as t

    def canonical(s: str) -> str:
        if s.isascii():
            return s
        s = unicodedata.normalize("NFKC", s)
        return t._SPACES.sub(" ", "".join(c for c in s if unicodedata.category(c) != "Cf"))

    decomposed = unicodedata.normalize("NFKD", canonical(text).lower())
    assert t.canonical(text) == canonical(text)
    assert t.fold(text) == "".join(c for c in decomposed if not unicodedata.combining(c))
