"""What nothing in knowledge/ answers is refused by pointing to whoever handles it, by name: a
state office for driving licences and civil records, the town hall for local permits, the
platform for its cut, the vendor for its own exam, the federal office of the subject (Profeco,
SENASICA, Conagua, ANAM, Infonavit…), never Economía by default nor the nearest unrelated
entry; and a follow-up to that refusal ("¿y cuánto tarda?") stays with the same institution
(issue 11, "Answering": refuse only when nothing answers; point to who does).

Wordings here are fresh, not copies of the evaluation's scenarios."""

from __future__ import annotations

import datetime as dt

from assistant.answering.answerer import Answerer
from assistant.answering.curated import (
    CIVIL_REGISTRY,
    STATE_VEHICLES,
    CuratedAnswers,
    for_state,
    institution_for,
    names_state_program,
    referral_for,
)
from assistant.knowledge.reader import Knowledge
from assistant.schemas import BusinessProfile, Topic
from assistant.turn import Answer, TurnInput, Understanding
from assistant.understanding.text import fold
from tests.assistant.support import Harness
from tests.helpers import SameMeaning, curated_reply, entry

TODAY = dt.date(2026, 12, 4)
REFUSAL = "no tengo informacion confiable"

ENTRIES = {
    e.id: e
    for e in (
        entry(
            "sello-tiempo",
            "¿Cuánto tarda el sello Hecho en México y cuánto tiempo dura?",
            ["cuanto tarda el tramite del sello", "cuanto dura el sello", "vigencia del sello"],
            "La Secretaría de Economía responde en máximo 10 días hábiles; el sello dura cinco "
            "años.",
            topics=["sello"],
        ),
        entry(
            "internet-cfe-precio",
            "¿Cuánto cuestan los paquetes de internet de la CFE?",
            ["precio internet cfe", "cuanto cuesta el chip de cfe", "paquetes cfe internet"],
            "Los paquetes de CFE Internet para Todos cuestan desde 30 pesos.",
            topics=["conectividad"],
        ),
        entry(
            "cloud-precio",
            "¿Cuánto cuesta el examen AWS Certified Cloud Practitioner?",
            [
                "precio examen cloud practitioner",
                "cuanto sale certificarse en aws",
                "clf-c02 precio",
            ],
            "Cuesta 100 dólares más impuestos y dura 90 minutos, en línea o en un centro.",
            topics=["certificación"],
        ),
    )
}


def name_for(question: str) -> str:
    return fold(referral_for(question).name)


def test_a_vendors_exam_goes_to_that_vendor_not_to_aws() -> None:
    assert "autodesk" in name_for("ya me quiero certificar en autocad, cuanto cuesta el examen?")
    assert "cisco" in name_for("donde presento la certificacion ccna aqui en leon?")
    assert "adobe" in name_for("el examen de adobe photoshop viene en español?")
    assert "aws" in name_for("cuanto cuesta el examen de aws?")
    # The software's own price is its page of prices, not its certifications.
    assert "precios" in name_for("cuanto cobra adobe al mes por lightroom?")


def test_a_platforms_cut_goes_to_the_platform() -> None:
    assert "uber" in name_for("oiga cuanto le quita uber eats a los restaurantes x pedido?")
    assert "didi" in name_for("didi cada cuando paga a los socios?")
    assert "airbnb" in name_for("airbnb cuanto cobra de comision al anfitrion?")


def test_state_offices_go_to_the_state_government_by_name() -> None:
    assert institution_for("a cuanto esta el tramite de licencia de conducir tipo A?") is (
        STATE_VEHICLES
    )
    assert institution_for("cuanto cobran por emplacar una camioneta nueva?") is STATE_VEHICLES
    assert institution_for("ocupo el acta de defuncion de mi papa pal banco") is CIVIL_REGISTRY
    named = fold(for_state(STATE_VEHICLES, "Sonora").name)
    assert "gobierno del estado de sonora" in named
    assert "registro civil de yucatan" in fold(for_state(CIVIL_REGISTRY, "Yucatán").name)
    assert "ciudad de mexico" in fold(for_state(STATE_VEHICLES, "Ciudad de México").name)
    assert names_state_program("el gobierno de nayarit tiene becas pa emprendedores?")
    assert not names_state_program("que es el plan mexico del gobierno de mexico?")


def test_local_permits_go_to_the_town_hall() -> None:
    for q in (
        "cuanto pago de predial por una bodega?",
        "que piden pa poner un anuncio espectacular en la azotea?",
        "como saco permiso pa un puesto ambulante en el tianguis?",
    ):
        assert "ayuntamiento" in name_for(q), q


def test_federal_subjects_go_to_their_office() -> None:
    cases = {
        "me llego una notificacion de la profeco, que hago?": "profeco",
        "q papeles pide senasica pa mover cerdos a otro estado?": "senasica",
        "el certificado fitosanitario pa exportar limon quien lo da?": "senasica",
        "cuanto cuestan los aretes pa mis borregos?": "siniiga",
        "cuanto aporto al infonavit por mi unico empleado?": "infonavit",
        "como afilio mi negocio a fonacot?": "fonacot",
        "cuanto cobra la cfe el kwh en tarifa comercial?": "comision federal de electricidad",
        "la cfe nos cobra un montononon de luz por el horno, a quien le reclamo?": "electricidad",
        "cuanto cobra un notario por un poder notarial?": "notaria",
        "cuanto cuesta un pedimento pa importar telas?": "anam",
        "conagua cuanto cobra por la concesion de un pozo?": "conagua",
        "como saco mi registro nacional de turismo?": "sectur",
        "q permiso de salubridad ocupa una cocina economica?": "cofepris",
    }
    for question, who in cases.items():
        assert who in name_for(question), question


def test_loose_words_name_no_institution() -> None:
    # Earrings sold by an artisan, steel plates, "no importa": no office's subject.
    assert institution_for("vendo aretes de plata en mi tienda de facebook") is None
    assert institution_for("cuanto cuestan las placas de acero pa la herreria?") is None
    assert institution_for("no importa el precio, quiero lo mejor") is None
    # The CFE's internet stays its internet company.
    assert "internet" in name_for("cuanto cuesta el chip de internet de la cfe?")


# ---- the answer --------------------------------------------------------------------------------
def reply(message: str, topic: Topic | None = None, state: str | None = None) -> Answer:
    return curated_reply(ENTRIES, message, topic=topic, state=state, today=TODAY)


def refused_to(found: Answer) -> str:
    assert found.kind == "refusal" and found.refusal is not None, found
    return fold(found.refusal.refer_name)


def test_the_refusal_names_the_owners_state() -> None:
    found = reply("cuanto sale la licencia de manejo de chofer?", state="Zacatecas")
    assert "gobierno del estado de zacatecas" in refused_to(found)


def test_a_follow_up_to_a_refusal_stays_with_its_institution() -> None:
    first = reply("como me registro ante el infonavit como patron?")
    assert "infonavit" in refused_to(first)
    assert first.topic is not None and first.topic.kind == "refusal"
    # "¿Cuánto tarda?" shares the words of the seal's entry; it still asks about the Infonavit.
    assert "infonavit" in refused_to(reply("y cuanto tarda eso?", topic=first.topic))
    assert "infonavit" in refused_to(reply("¿y qué papeles llevo?", topic=first.topic))


def test_a_new_subject_after_a_refusal_is_answered() -> None:
    first = reply("cuanto cobra rappi por pedido?")
    found = reply("oye y el examen de cloud practitioner cuanto cuesta?", topic=first.topic)
    assert found.kind == "curated" and found.topic is not None
    assert found.topic.ids[:1] == ["cloud-precio"]
    # Another institution's subject is referred there, not to the one before.
    other = reply("y el predial del local cuanto es?", topic=first.topic)
    assert "ayuntamiento" in refused_to(other)


async def test_a_platforms_cut_is_refused_not_answered_with_an_idea(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo 2 taxis trabajando en plataforma en leon gto")
    r = await offline.say(sid, "cuanto se queda didi de cada viaje que hacen?")
    text = fold(r.answer)
    assert REFUSAL in text
    assert "didi" in text


def test_a_companys_fee_is_held_only_by_a_figure_said_with_its_name() -> None:
    partners = entry(
        "pagos-digitales",
        "¿Hay algún programa para cobrar con tarjeta sin renta de terminal?",
        ["programa cobrar con tarjeta", "terminal sin renta", "pagos digitales gobierno"],
        "Sí: un programa con Banorte y Spin que promueve esquemas sin renta: solo pagas una "
        "comisión por cobro. Arrancó el 3 de marzo de 2026 en 10 estados.",
        topics=["pagos"],
    )
    priced = entry(
        "tarifa-spin",
        "¿Cuánto cobra Spin por cobro con tarjeta?",
        ["comision de spin", "spin cuanto cobra", "tarifa spin por cobro"],
        "Spin cobra 2.9 % más IVA por cada cobro con tarjeta de crédito o débito, sin renta.",
        topics=["pagos"],
    )
    index = CuratedAnswers({partners.id: partners, priced.id: priced})
    banorte = institution_for("banorte cuanto cobra?")
    # The program names Banorte among its partners; it says no fee of Banorte's.
    assert not index.holds_fact("pagos-digitales", "¿y cuánto cobra banorte por cobro?", banorte)
    # An entry that states the fee with the company's name holds it.
    assert index.holds_fact("tarifa-spin", "y spin cuanto cobra de comision?")


def test_a_security_firms_licence_goes_to_the_security_office() -> None:
    assert "seguridad" in name_for("que permiso piden pa abrir una agencia de seguridad privada?")
    assert institution_for("tenemos una empresa de seguridad privada con 20 guardias") is None


def test_a_question_passed_on_for_someone_else_is_still_asked() -> None:
    # No "?", and it does not open with the question word: the boss wants a figure.
    found = reply("mi jefa quiere saber cuanto cobra booking por cada reservacion")
    assert "booking" in refused_to(found)


def test_lenders_terminals_carriers_and_state_taxes_go_to_who_charges_them() -> None:
    cases = {
        "konfio a cuanto presta y que pide?": "konfio",
        "la terminal getnet cuanto cobra por cobro?": "getnet",
        "paypal cuanto me quita por cada venta?": "paypal",
        "izzi cuanto cobra el internet pa negocio?": "izzi",
        "donde sacan mis meseros la tarjeta de salud?": "ayuntamiento",
        "cuanto pago de impuesto sobre nomina?": "finanzas",
        "la mia de semarnat pa un aserradero cuanto tarda? manifestacion de impacto ambiental": "semarnat",
        "como saco el repse pa dar servicios especializados?": "trabajo",
    }
    for question, who in cases.items():
        assert who in name_for(question), question
    assert "sat" in name_for("cuanto iva le cobro a mis clientes?")


def test_a_state_tax_is_sent_to_the_owners_state() -> None:
    found = reply("oiga y el impuesto sobre nomina cuanto es?", state="Puebla")
    assert "gobierno del estado de puebla" in refused_to(found)


def test_federal_permits_fishing_and_us_food_rules_go_to_their_office() -> None:
    cases = {
        "cuanto tarda la sict en darme el permiso de autotransporte federal?": "sict",
        "renovar licencia federal pa mis traileros q piden?": "sict",
        "como saco permiso de pesca pa la lancha?": "conapesca",
        "hay que registrar la planta en la fda pa vender salsas en texas?": "fda",
        "la denominacion de origen del mezcal quien la da?": "impi",
        "compartamos cuanto interes cobra?": "compartamos",
    }
    for question, who in cases.items():
        assert who in name_for(question), question


def test_a_follow_up_about_another_institutions_business_is_sent_there() -> None:
    apprentices = entry(
        "aprendices",
        "¿Cómo recibo aprendices de Jóvenes Construyendo el Futuro?",
        ["como meto un aprendiz de jcf", "recibir becarios jovenes construyendo", "jcf alta"],
        "Registra tu negocio como centro de trabajo y publica un plan de capacitación. Tú no les "
        "pagas: el gobierno les da el apoyo mensual y el seguro del IMSS.",
        topics=["jcf"],
    )
    answerer = Answerer(
        Knowledge(faq={apprentices.id: apprentices}),
        SameMeaning({apprentices.id: apprentices}),  # type: ignore[arg-type]
    )
    topic = Topic(
        kind="faq", ids=[apprentices.id], refer_name="Jóvenes Construyendo el Futuro (STPS)"
    )

    def after(message: str) -> Answer:
        turn = TurnInput(
            session_id="s", message=message, channel="web", profile=BusinessProfile(),
            history=(("user", apprentices.question), ("assistant", "…")), topic=topic,
        )  # fmt: skip
        understood = Understanding(
            intent="question", profile=BusinessProfile(), is_question=True, explicit_question=True
        )
        return answerer.answer(turn, understood, TODAY)

    # Registering one's own bakers with the IMSS is the IMSS's business; the entry only says the
    # apprentices get its insurance.
    assert "imss" in refused_to(after("y pa inscribir a mis 3 panaderos al seguro social q hago?"))
    # Asking about the insurance the entry speaks of stays on it.
    assert after("¿y el seguro del imss se los dan a los aprendices?").kind != "refusal"


def test_a_course_sharing_words_with_an_offices_business_is_not_its_answer() -> None:
    from assistant.knowledge.models import Course

    guide = Course.model_validate(
        {
            "id": "guia-registro-vendedor",
            "title": "Seller registration guide",
            "title_es": "Guía de registro del vendedor en línea",
            "provider": "Tienda Grande (Vender en línea)",
            "url": "https://example.org/guia",
            "format": "guide",
            "level": "fundamental",
            "cost": "Gratis",
            "free": True,
            "languages": ["es"],
            "audience": ["owner"],
            "topics": ["ventas en línea"],
            "summary": "Paso a paso para abrir tu cuenta de vendedor, subir productos y cobrar.",
            "source": "Página de la tienda",
            "confidence": "alta",
            "verified_on": "2026-12-04",
            "review_by": "2027-03-04",
        }
    )
    answerer = Answerer(
        Knowledge(faq=ENTRIES, courses={guide.id: guide}),
        SameMeaning(ENTRIES),  # type: ignore[arg-type]
    )
    turn = TurnInput(
        session_id="s", message="q registro me pide cofepris pa vender mis salsas en linea y cuanto cuesta?",
        channel="web", profile=BusinessProfile(),
    )  # fmt: skip
    understood = Understanding(
        intent="question", profile=BusinessProfile(), is_question=True, explicit_question=True
    )
    assert "cofepris" in refused_to(answerer.answer(turn, understood, TODAY))


def test_civil_protection_is_named_not_only_the_town_hall() -> None:
    # The unit that inspects exits and extinguishers, by name (the owner asked for it).
    found = reply("q nos revisa proteccion civil pa abrir el salon de eventos?")
    assert "proteccion civil" in refused_to(found)
    assert "proteccion civil" in name_for("cuanto cuesta el programa interno pa mi fonda?")
    # Other local permits stay with the town hall's licensing desk.
    assert "ayuntamiento" in name_for("cuanto sale la licencia de funcionamiento?")


def test_permits_for_a_body_go_to_the_owners_state_health_office() -> None:
    found = reply(
        "pa cremar a un finado que trajeron de Oaxaca, quien da el permiso?", state="Puebla"
    )
    assert "secretaria de salud del gobierno del estado de puebla" in refused_to(found)
    assert "registro civil" in refused_to(found)  # who gives the death certificate, too
    assert "salud" in name_for("que piden pa llevar los restos mortales de mi tio a sonora?")
    # A funeral home's own chores ask for no permit, and other remains are not a body.
    assert institution_for("como aviso a las familias de los difuntos del pago?") is None
    assert institution_for("tengo permiso pa vender restos de tela?") is None
