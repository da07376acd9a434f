"""Answers the knowledge holds, asked the way owners ask them (blind dev scenarios b4a/b4b):
charging customers by card is no question of price, a state named is where the question asks
about, a facet a paraphrase asks is no mismatch, a bare follow-up gets the sentences of the
last answer that state what it asks, and a name the catalog never mentions goes to the curated
answer on it. Pure matching over hand-made entries (lexical only), plus the real catalog."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from assistant.answering.answerer import Answerer
from assistant.answering.catalog import catalog_answer
from assistant.answering.curated import CuratedAnswers, facets, owner_words
from assistant.answering.sentences import with_antecedent
from assistant.knowledge.reader import read_knowledge
from assistant.schemas import BusinessProfile, Topic
from assistant.turn import TurnInput
from tests.helpers import ROOT, SameMeaning, entry

TODAY = dt.date(2026, 12, 4)

ENTRIES = {
    e.id: e
    for e in (
        entry(
            "terminal-estados",
            "¿El programa de terminales sin renta ya aplica en mi estado?",
            [
                "terminal sin renta aplica en mi estado",
                "a mi negocio le toca la terminal",
                "terminal sin renta fija",
            ],
            "Arranca en 2026 en Sonora, Durango y Colima; después, el resto del país.",
            topics=["pagos", "terminal"],
        ),
        entry(
            "polos-durango",
            "¿Hay polo de desarrollo en Durango?",
            ["polo en durango", "plan mexico durango", "polos durango"],
            "Sí, Durango tiene un polo en evaluación.",
            states=["Durango"],
        ),
        entry(
            "tarjeta-bienestar",
            "¿Cómo consigo la tarjeta de descuentos gratis del municipio?",
            [
                "tarjeta de descuentos gratis",
                "tarjeta de descuentos requisitos",
                "donde dan la tarjeta de descuentos",
            ],
            "Es gratis y se pide en la presidencia. Piden INE y comprobante de domicilio.",
            topics=["descuentos", "tarjeta"],
        ),
        entry(
            "requisitos-banco",
            "¿Qué requisitos piden los bancos para abrir una cuenta?",
            ["papeles para abrir cuenta en el banco", "que piden en el banco", "cuenta de banco"],
            "Cada banco fija los suyos; suelen pedir identificación y RFC.",
            topics=["bancos", "requisitos"],
        ),
        entry(
            "fondo-municipal",
            "¿Qué créditos da el fondo municipal a las fonditas?",
            [
                "fondo municipal creditos",
                "el municipio presta a negocios",
                "prestamo del municipio",
            ],
            "El fondo presta de 5 mil a 20 mil pesos a 12 meses. Piden identificación, CURP y "
            "comprobante de domicilio, y se tramita en sus módulos.",
            topics=["creditos", "fondo municipal"],
        ),
        entry(
            "sello-que-es",
            "¿Qué es el sello Hecho en México y para qué me sirve?",
            [
                "para que sirve el sello hecho en mexico",
                "el sello hecho en mexico ayuda a vender",
                "distintivo hecho en mexico que es",
            ],
            "Es un distintivo de la Secretaría de Economía para productos hechos en México.",
        ),
        entry(
            "sello-insumos",
            "Si uso materiales importados, ¿puedo tener el sello Hecho en México?",
            [
                "hecho en mexico con materia prima importada",
                "insumos de fuera y el sello",
                "piezas importadas hecho en mexico",
            ],
            "Sí, si el producto se fabrica aquí aunque uses insumos importados.",
        ),
    )
}


def test_charging_customers_by_card_is_not_a_question_of_price() -> None:
    assert "cost" not in facets("oigan y pa cobrar con tarjeta a mis clientes que hago?")
    assert "cost" not in facets("quiero cobrar con el celular, se puede?")
    assert "cost" in facets("y por el curso te cobran algo?")
    assert "registro" in owner_words("y pa eso donde me apunto?")
    assert "registro" in owner_words("como nos inscribimos?")


def test_a_facet_the_entrys_own_paraphrase_asks_is_no_mismatch() -> None:
    index = CuratedAnswers(ENTRIES)
    ranked = index.rank("q papeles piden pa la tarjeta de descuentos?", {})
    assert ranked[0].entry.id == "tarjeta-bienestar"


def test_a_name_in_passing_with_another_question_does_not_pick_what_it_is() -> None:
    index = CuratedAnswers(ENTRIES)
    asked = "el sello hecho en mexico nos sirve si la materia prima la traemos importada?"
    assert index.rank(asked, {})[0].entry.id == "sello-insumos"
    assert index.rank("el sello hecho en mexico pa que sirve?", {})[0].entry.id == "sello-que-es"


def _answerer() -> Answerer:
    return Answerer(SimpleNamespace(faq=ENTRIES, courses={}), SameMeaning(ENTRIES))  # type: ignore[arg-type]


def test_a_bare_follow_up_gets_the_sentences_of_the_last_answer_that_state_it() -> None:
    answerer = _answerer()
    last = Topic(kind="faq", ids=["fondo-municipal"])
    found = answerer._facet_of_last("y que papeles hay que llevar?", last, TODAY)
    assert found is not None
    assert "CURP" in found.evidence[0].text and "5 mil" not in found.evidence[0].text
    price = answerer._facet_of_last("y sale gratis o cuanto?", last, TODAY)
    assert price is not None and "5 mil a 20 mil" in price.evidence[0].text
    # A follow-up that names a subject of its own is matched on it, not read inside.
    assert answerer._facet_of_last("y pal banco que papeles piden?", last, TODAY) is None


def test_a_sentence_that_points_back_brings_the_one_before() -> None:
    answer = "Los dan BBVA y Banorte. No hay registro en línea: pregunta en esos bancos."
    chosen = ["No hay registro en línea: pregunta en esos bancos."]
    assert with_antecedent(chosen, answer) == ["Los dan BBVA y Banorte.", *chosen]
    assert with_antecedent(["Los dan BBVA y Banorte."], answer) == ["Los dan BBVA y Banorte."]


def test_a_name_the_courses_never_mention_goes_to_the_curated_answer() -> None:
    knowledge = read_knowledge(ROOT / "knowledge")
    shown = ["elements-of-ai-es", "santander-fundamentos-chatgpt"]
    answerer = Answerer(knowledge, SameMeaning(knowledge.faq))  # type: ignore[arg-type]
    dc3 = catalog_answer(
        "el dueño quiere saber si esos cursos traen constancia dc 3", knowledge.courses, shown
    )
    assert dc3 is not None and dc3.pointed
    assert answerer._names_beyond("el dueño quiere saber si esos cursos traen constancia dc 3", dc3)
    plain = catalog_answer("y esos dan constancia?", knowledge.courses, shown)
    assert plain is not None and not answerer._names_beyond("y esos dan constancia?", plain)


def test_the_age_asked_is_the_years_the_answer_gives() -> None:
    assert "anos" in owner_words("y de que edad los aceptan?")


STATE_FUNDS = {
    **ENTRIES,
    **{
        e.id: e
        for e in (
            entry(
                "credito-equipo-banco",
                "¿Hay crédito para comprar equipo para mi negocio?",
                ["credito para maquinas", "prestamo para equipo", "apoyo para comprar equipo"],
                "Hay créditos pyme con garantía de la banca de desarrollo; pregunta en tu banco.",
                topics=["financiamiento", "credito"],
            ),
            entry(
                "fondo-estatal",
                "¿Mi estado tiene un fondo de créditos para pymes?",
                [
                    "creditos del gobierno estatal",
                    "fondo estatal en mi estado",
                    "prestamos del estado",
                ],
                "Varios estados tienen uno; pregunta en la Secretaría de Desarrollo Económico.",
                topics=["financiamiento", "fondos estatales"],
            ),
            entry(
                "polo-sinaloa",
                "¿Hay polo de desarrollo en Sinaloa?",
                ["polo en sinaloa", "plan mexico sinaloa", "polos de sinaloa"],
                "Sí, en Topolobampo, con vocación de energía y logística.",
                states=["Sinaloa"],
            ),
        )
    },
}


def test_promos_are_promotions() -> None:
    assert "promociones" in owner_words("les mando promos por whats")


def test_a_state_named_asks_for_the_state_level() -> None:
    index = CuratedAnswers(STATE_FUNDS)
    assert (
        index.rank("hay prestamos en sinaloa pa negocios?", {}, named_states=["Sinaloa"])[
            0
        ].entry.id
        == "fondo-estatal"
    )


def test_a_follow_up_that_only_names_a_place_stays_on_the_subject() -> None:
    answerer = Answerer(SimpleNamespace(faq=STATE_FUNDS), SameMeaning(STATE_FUNDS))  # type: ignore[arg-type]
    last = Topic(kind="faq", ids=["credito-equipo-banco"])
    turn = TurnInput(
        session_id="s",
        message="y pa sinaloa hay algo?",
        channel="whatsapp",
        profile=BusinessProfile(state="Sinaloa"),
        history=(("user", "hay prestamo pa una maquina nueva?"), ("assistant", "Hay créditos.")),
        topic=last,
    )
    chosen = answerer._curated(turn, last, turn.message, "Sinaloa", None, follow=True, leans=True)
    assert [m.entry.id for m in chosen] == ["fondo-estatal"]
    assert answerer._only_a_place("y pa sinaloa hay algo?")
    assert not answerer._only_a_place("y en sinaloa hay polo?")


def test_a_fact_asked_of_the_course_named_just_before() -> None:
    knowledge = read_knowledge(ROOT / "knowledge")
    answerer = Answerer(knowledge, SameMeaning(knowledge.faq))  # type: ignore[arg-type]
    facts = answerer._course_named_before(
        "y es muy dificil? no se nada de programar", "el de elements of ai cuantas horas son?"
    )
    assert facts is not None and [c.id for c in facts.courses] == ["elements-of-ai-es"]
    assert "nivel" in facts.lines[0]
    # Something else named in the question is not about that course.
    assert (
        answerer._course_named_before(
            "y el sello hecho en mexico cuanto cuesta?", "el de elements of ai cuantas horas son?"
        )
        is None
    )


DEVICES = {
    **ENTRIES,
    **{
        e.id: e
        for e in (
            entry(
                "cursos-gratis",
                "¿Hay cursos gratis de inteligencia artificial?",
                ["hay cursos gratis de ia", "cursos gratuitos de ia", "cursos sin pagar"],
                "Sí, varios y en español: Elements of AI y Capacítate para el Empleo, sin costo.",
            ),
            entry(
                "solo-tablet",
                "Solo tengo tableta, no computadora, ¿puedo usar IA?",
                ["no tengo compu solo tableta", "ia desde la tableta", "sirve la tableta pa la ia"],
                "Sí: ChatGPT, Gemini y Copilot tienen app para tableta y se usan igual que en "
                "la computadora.",
            ),
        )
    },
}


def test_what_is_told_next_to_the_question_adds_its_own_entry() -> None:
    answerer = Answerer(SimpleNamespace(faq=DEVICES), SameMeaning(DEVICES))  # type: ignore[arg-type]
    message = "hay cursos gratis de ia? nomas tengo tableta, no compu"
    turn = TurnInput(session_id="s", message=message, channel="web", profile=BusinessProfile())
    chosen = answerer._curated(turn, None, "hay cursos gratis de ia?", None, None, False, False)
    assert [m.entry.id for m in chosen] == ["cursos-gratis", "solo-tablet"]
    # A business described next to the question names no entry: one answer.
    plain = TurnInput(
        session_id="s", message="tengo una fonda, hay cursos gratis de ia?", channel="web",
        profile=BusinessProfile(),
    )  # fmt: skip
    alone = answerer._curated(plain, None, "hay cursos gratis de ia?", None, None, False, False)
    assert [m.entry.id for m in alone] == ["cursos-gratis"]
