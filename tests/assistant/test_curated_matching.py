"""Curated answers matched the way owners write (issue 11, "Answering"): spellings and slang,
misspelt and shrunk words, the name a question is about, the facet it asks, and follow-ups that
stay on the answer just given. Pure matching over hand-made entries (lexical only, no index)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from assistant.answering import curated
from assistant.answering.answerer import Answerer
from assistant.answering.curated import (
    CuratedAnswers,
    facets,
    institution_for,
    owner_words,
    referral_for,
)
from assistant.answering.use_cases import best_use_case
from assistant.knowledge.reader import read_knowledge
from assistant.schemas import BusinessProfile, Topic
from assistant.turn import TurnInput
from tests.helpers import ROOT, SameMeaning, entry

ENTRIES = {
    e.id: e
    for e in (
        entry(
            "cursos-gratis",
            "¿Hay cursos gratis de inteligencia artificial para mi negocio?",
            ["hay cursos gratis de ia?", "cursos gratuitos de ia del gobierno", "ia sin pagar"],
            "Sí, varios y en español: Elements of AI y Capacítate para el Empleo, sin costo.",
        ),
        entry(
            "dc3-cursos",
            "¿Los cursos gratuitos de IA en línea dan constancia DC-3?",
            ["los cursos de aws dan dc3", "curso en linea con dc3 gratis", "dc3 de un curso"],
            "Por lo general no: la DC-3 solo la expide un agente capacitador registrado ante la "
            "STPS o tu empresa.",
        ),
        entry(
            "meta-ai",
            "¿Qué es Meta AI en WhatsApp y me sirve para mi negocio?",
            ["circulo azul de whatsapp que es", "meta ai es gratis?", "como quito meta ai"],
            "Es el asistente de IA de Meta dentro de WhatsApp (el círculo azul): es gratis, pero "
            "no contesta por ti a tus clientes.",
        ),
        entry(
            "sello-que-es",
            "¿Qué es el sello Hecho en México y para qué me sirve?",
            ["hecho en mexico que es", "para que sirve el sello hecho en mexico", "sello mx"],
            "Es un distintivo de la Secretaría de Economía para productos hechos en México.",
        ),
        entry(
            "sello-costo",
            "¿Cuánto cuesta obtener el sello Hecho en México?",
            ["cuanto cobran por el sello", "hay que pagar por el sello", "precio del sello"],
            "Nada: el trámite ante la Secretaría de Economía es gratuito.",
        ),
        entry(
            "cert-precio",
            "¿Cuánto cuesta el examen de certificación de AWS?",
            ["precio de la certificacion de aws", "examen aws cuanto", "certificarse en aws"],
            "Cuesta 100 dólares (AWS Certification) más impuestos.",
        ),
        entry(
            "fondeso",
            "¿Qué créditos da el gobierno de la Ciudad de México a pequeños negocios?",
            ["fondeso credito", "prestamo cdmx negocio tasa 0", "apoyo para emprender en cdmx"],
            "El Fondeso da créditos de 10 mil a 100 mil pesos, sin interés los más chicos.",
            topics=["crédito"],
        ),
        entry(
            "credito-equipo",
            "¿Hay un crédito especial para comprar computadoras?",
            ["me prestan para pagar software", "prestamo para digitalizar", "credito para compu"],
            "No hay uno exclusivo: hay créditos pyme para equipo con garantía de Nafin.",
            topics=["crédito"],
        ),
        entry(
            "sofom",
            "¿Me conviene una Sofom o caja popular en vez de un banco?",
            ["sofom o banco", "caja popular es seguro", "no me dan en el banco que otra opcion"],
            "Puede ser una opción si el banco no te da financiamiento; compara la tasa total.",
            topics=["crédito"],
        ),
    )
}


def top(index: CuratedAnswers, query: str, **kw: Any) -> str:
    return index.rank(query, {}, **kw)[0].entry.id


def test_owner_spellings_and_slang_read_as_the_entries_words() -> None:
    said = owner_words("q onda, cuanto sale el chat gpt pa mi negocio? lo puedo descontar?")
    assert "cuanto cuesta" in said and "chatgpt" in said and "para mi" in said
    assert "deducir" in said
    assert "saberesmx" in owner_words("vi algo de saberes mx") and "dc3" in owner_words("dc 3")
    assert "whatsapp" in owner_words("me escriben por whats") and "dinero" in owner_words("lana")


def test_a_misspelt_or_shrunk_word_is_read_as_the_entries_word() -> None:
    index = CuratedAnswers(ENTRIES)
    assert index.tokens("hay cursos gratiz?") == index.tokens("hay cursos gratis?")
    assert index.tokens("hay cursitos gratis?") == index.tokens("hay cursos gratis?")
    # An English word of an answer ("certification") does not hide the word owners ask with.
    assert "certificasion" not in " ".join(index.tokens("cuanto sale la certificasion de aws"))


def test_the_name_a_question_asks_about_wins_over_a_closer_phrase() -> None:
    index = CuratedAnswers(ENTRIES)
    # "cursos gratis de ia" is a whole paraphrase of the free-courses entry, but the question
    # is about the DC-3.
    assert top(index, "los cursos gratis de ia le dan dc 3 a mis trabajadores?") == "dc3-cursos"
    assert top(index, "q es el circulito azul q me salio en el whats?") == "meta-ai"


def test_the_facet_asked_picks_the_entry_on_it() -> None:
    assert facets("y eso se paga?") == {"cost"}
    assert "what" in facets("oye y eso que es?")
    index = CuratedAnswers(ENTRIES)
    assert top(index, "el sello hecho en mexico se paga?") == "sello-costo"
    assert top(index, "el sello hecho en mexico pa que sirve?") == "sello-que-es"


def test_a_follow_up_whose_words_are_in_the_answer_just_given_stays_on_it() -> None:
    index = CuratedAnswers(ENTRIES)
    related = index.related(["fondeso"])
    assert set(related) == {"fondeso", "credito-equipo", "sofom"}
    asked = "y hasta cuanto te prestan?"

    def score(eid: str, stay: list[str]) -> float:
        ranked = index.rank(asked, {}, within=related, in_answer=0.3, stay=stay)
        return next(m.score for m in ranked if m.entry.id == eid)

    # "prestan" is the answer's "créditos": the entry just given keeps the follow-up…
    assert score("fondeso", ["fondeso"]) > score("fondeso", [])
    assert top(index, asked, within=related, in_answer=0.3, stay=["fondeso"]) == "fondeso"
    # …but not one whose answer holds none of its words.
    assert score("sofom", ["sofom"]) == score("sofom", [])


def test_a_question_for_an_institution_is_referred_there_and_words_inside_words_are_not() -> None:
    assert institution_for("cuanto pago de cuotas del imss por cada empleado?") is not None
    assert "IMSS" in referral_for("cuanto pago de cuotas del imss por cada empleado?").name
    assert institution_for("como hago pa no andar marcando a cada cliente?") is None
    assert institution_for("quedo satisfecho con el servicio?") is None
    assert "IMPI" in referral_for("cuanto cuesta registrar mi marca?").name


CASE = "agricultura-plagas-con-foto"


def test_a_business_outside_the_list_gets_the_closest_sectors_idea() -> None:
    knowledge = read_knowledge(ROOT / "knowledge")
    index = CuratedAnswers(knowledge.faq)
    said = index.tokens(
        "las plantas del vivero se enferman, se puede saber que tienen con una foto?"
    )
    # Close in meaning to the farmers' idea (the index's dense score), not to a general one.
    found = best_use_case(said - index.generic, knowledge, "general", {CASE: 0.89})
    assert found is not None
    sector, case, _ = found
    assert sector.id == "agricultura" and case.id == CASE


# ---- a name said in passing, the facet asked, owners' words for what they mean ---------------
NEIGHBOURS = {
    **ENTRIES,
    **{
        e.id: e
        for e in (
            entry(
                "plan-que-es",
                "¿Qué es el Plan México?",
                [
                    "que es el plan mexico",
                    "de que trata el plan mexico",
                    "plan mexico explicado facil",
                ],
                "Es la estrategia económica del gobierno federal presentada en enero de 2025.",
                topics=["Plan México"],
            ),
            entry(
                "plan-exportar",
                "¿Hay financiamiento para pymes que exportan?",
                [
                    "creditos para exportar mi producto",
                    "apoyo para pymes exportadoras",
                    "quiero exportar",
                ],
                "Sí: la banca de desarrollo tiene crédito y garantías para exportadoras.",
                topics=["exportación"],
            ),
            entry(
                "credito-requisitos",
                "¿Qué me piden para un crédito pyme con garantía de Nafin?",
                ["requisitos credito pyme", "necesito aval para un credito nafin", "me piden buro"],
                "Alta en el SAT, un año operando, buen historial y un aval.",
                topics=["requisitos"],
            ),
            entry(
                "nafin-directo",
                "¿Puedo ir directo a Nafin a pedir un crédito con garantía?",
                ["nafin presta directo", "voy a nafin o al banco", "nafin me atiende a mi"],
                "No: Nafin da la garantía y el crédito lo tramitas en un banco.",
                topics=["Nafin"],
            ),
            entry(
                "ia-offline",
                "¿La IA funciona sin internet?",
                [
                    "la ia funciona sin internet",
                    "sin datos en el celular sirve la ia",
                    "jala chatgpt offline",
                ],
                "Casi toda trabaja en servidores: sin señal no contesta.",
                topics=["conectividad"],
            ),
            entry(
                "internet-campo",
                "¿En el campo se usa menos internet que en la ciudad?",
                [
                    "en los ranchos hay internet",
                    "internet en zonas rurales",
                    "hay señal en el campo",
                ],
                "Sí: 68.5 % de la población rural usa internet.",
                topics=["conectividad"],
            ),
        )
    },
}


def test_owner_slang_and_machines_read_as_the_entries_words() -> None:
    # WhatsApp's "k" for "qu", through the one normaliser's respelling.
    assert "aqui" in owner_words("aki tambien dan credito?")
    assert "quiero" in owner_words("kiero saber del sello")
    # A business's machines are the "equipo" the credit and deduction entries speak of.
    assert "equipo" in owner_words("hay lana pa una freidora nueva?")
    assert "equipo" in owner_words("credito para cambiar la maquinaria")
    # Without a connection is one idea; "sin" alone is a stop word.
    assert "offline" in owner_words("en la milpa no hay señal, sirve sin datos?")


def test_a_name_said_in_passing_does_not_pick_the_entry_that_defines_it() -> None:
    index = CuratedAnswers(NEIGHBOURS)
    assert top(index, "con el plan mexico hay creditos pa los q exportamos artesanias?") == (
        "plan-exportar"
    )
    # Asked what it is, or named alone, it still does.
    assert top(index, "oye y eso del plan mexico q es?") == "plan-que-es"
    assert top(index, "de que trata el plan mexico") == "plan-que-es"


def test_selling_abroad_is_read_as_exporting() -> None:
    assert "exportar" in owner_words("queremos vender al extranjero")
    assert "exportar" in owner_words("se puede mandar mercancia a otros paises?")
    index = CuratedAnswers(NEIGHBOURS)
    assert top(index, "pa mandar mis artesanias a otros paises hay credito?") == "plan-exportar"


def test_a_question_of_requirements_picks_the_entry_on_them() -> None:
    assert facets("y pa un credito que papeles me piden?") == {"requirements"}
    index = CuratedAnswers(NEIGHBOURS)
    asked = "pa un credito con garantia de nafin que papeles ocupo? que me piden"
    assert top(index, asked) == "credito-requisitos"


def test_a_question_about_working_offline_is_not_one_about_rural_internet() -> None:
    index = CuratedAnswers(NEIGHBOURS)
    assert top(index, "desde el rancho sin internet puedo usar la ia?") == "ia-offline"


# ---- follow-ups: the last topic, unless the follow-up names a new subject --------------------
TOOLS = {
    **ENTRIES,
    **{
        e.id: e
        for e in (
            entry(
                "wa-business",
                "¿WhatsApp Business cuesta? ¿Qué me sirve para mi negocio?",
                ["whatsapp business es gratis?", "catalogo en whatsapp", "mensaje automatico"],
                "La app WhatsApp Business es gratis. Te da catálogo, respuestas rápidas y etiquetas.",
                topics=["herramientas"],
            ),
            entry(
                "herramientas-gratis",
                "¿Me alcanza con las versiones gratis de las herramientas de IA?",
                ["sirve la version gratis de chatgpt", "pago la ia o uso la gratis", "ia gratis"],
                "Para empezar, casi siempre sí: ChatGPT, Gemini y Meta AI tienen versión gratis.",
                topics=["herramientas"],
            ),
        )
    },
}


def follow_up(after: str, message: str) -> list[str]:
    """The curated entries a follow-up gets right after the entry `after` was the answer."""
    answerer = Answerer(SimpleNamespace(faq=TOOLS), SameMeaning(TOOLS))  # type: ignore[arg-type]
    last = Topic(kind="faq", ids=[after])
    turn = TurnInput(
        session_id="s",
        message=message,
        channel="web",
        profile=BusinessProfile(),
        history=(("user", "el whatsapp business se paga?"), ("assistant", "Es gratis.")),
        topic=last,
    )
    chosen = answerer._curated(turn, last, message, None, None, follow=True, leans=True)
    return [m.entry.id for m in chosen]


def test_a_follow_up_that_names_a_new_subject_is_matched_on_it() -> None:
    # "y…" leans on WhatsApp Business, but it asks for courses: not the free-tools entry next
    # to it on the same subject.
    assert follow_up("wa-business", "y pa aprender yo hay cursos de ia gratis?") == [
        "cursos-gratis"
    ]
    # A bare follow-up still resolves against the last topic.
    assert follow_up("wa-business", "¿y trae catálogo?")[:1] == ["wa-business"]


# ---- a money ask no entry names: the closest financing entry, unless a figure is asked -------
CREDIT = {
    e.id: e
    for e in (
        entry(
            "credito-equipo",
            "¿Hay apoyo para comprar maquinaria o surtir?",
            ["credito para maquina", "apoyo para equipo", "prestamo para surtir"],
            "Lo que hay es crédito con garantía de Nafin o Bancomext; pregunta en tu banco.",
            topics=["financiamiento"],
        ),
    )
}


def closest_credit(message: str) -> list[str]:
    answerer = Answerer(SimpleNamespace(faq=CREDIT), SameMeaning(CREDIT))  # type: ignore[arg-type]
    found = answerer._closest_on(message, "financiamiento", BusinessProfile(), dt.date(2026, 12, 4))
    return [] if found is None else list(found.topic.ids if found.topic else [])


def test_a_money_ask_gets_the_closest_financing_entry_but_not_for_a_rate_or_a_date() -> None:
    assert closest_credit("hay algun apoyo pa comprar otro horno de pan?") == ["credito-equipo"]
    # A bank's rate or a call's opening date is a figure the entry does not give: the
    # refusal that names who has it is the honest answer.
    assert closest_credit("que tasa de interes me cobra banorte por un credito pyme?") == []
    assert closest_credit("cuando abre la convocatoria del fondo de apoyo a pymes?") == []


def _plain_lexical(
    index: CuratedAnswers, query: frozenset[str], eid: str, asks_what: bool
) -> float:
    """The overlap score as first written: every weight summed again for every phrase."""
    generic, qwords = curated._GENERIC, curated._QUESTION_WORDS
    q = query - generic
    if not q:
        return 0.0
    wq = sum(index.weight(t) for t in q)
    best = 0.0
    for phrase, what in zip(index._phrases[eid], index._asks_what[eid], strict=True):
        phrase = phrase - generic
        shared = q & phrase
        common = sum(index.weight(t) for t in shared)
        if shared - qwords:
            best = max(best, 2 * common / (wq + sum(index.weight(t) for t in phrase)))
            content = shared - qwords
            if len(content) >= 3 or (content == phrase - qwords and len(content) >= 2):
                inside = sum(index.weight(t) for t in content)
                contained = inside / sum(index.weight(t) for t in phrase - qwords)
                if len(content) <= 3 and what and not asks_what:
                    said = sum(index.weight(t) for t in q - qwords)
                    contained *= min(1.0, inside / (curated.NAME_SHARE * said))
                best = max(best, curated.CONTAINED * contained)
    return best


def test_the_precomputed_phrase_weights_score_every_entry_as_the_plain_formula() -> None:
    """The phrases' weights are worked out once per knowledge load (a turn ranks every entry,
    up to three times); the scores and the misspelling lookup stay exactly what they were."""
    index = CuratedAnswers(read_knowledge(ROOT / "knowledge").faq)
    for message in (
        "oiga y cuanto sale sacar la firma electronica pa facturar?",
        "q es eso del plan mexico, aplica pa mi tallercito de costura?",
        "mis chavos no saben usar la compu, hay cursos gratis en espanol?",
        "cuanto me prestan en nafin y q papeles piden",
    ):
        said = index.tokens(message)
        asks_what = "what" in facets(message)
        for eid in index.entries:
            assert index.lexical(said, eid, asks_what) == _plain_lexical(
                index, said, eid, asks_what
            ), (message, eid)
        for word in ("certificasion", "facturasion", "capasitacion", "cursitos", "tallercito"):
            vocab = sorted(index._vocab_set)
            limit = 1 if len(word) < 9 else 2
            near = [v for v in vocab if abs(len(v) - len(word)) <= limit and v[0] == word[0]]
            indexed = [v for n in range(len(word) - limit, len(word) + limit + 1)
                       for v in index._vocab_by.get((word[0], n), ())]  # fmt: skip
            assert sorted(indexed) == near, word


# ---- follow-ups that ask only for an aspect of the topic, in fresh words ----------------------
ECONOMIA = {"name": "Secretaría de Economía: Marca Hecho en México", "url": "https://example.org/m"}
# The topic's entries (a made-up distinctive and a made-up apprentice program) next to entries on
# other subjects whose questions share the aspect words ("papeles", "duran", "cuesta").
ASPECTS = {
    e.id: e
    for e in (
        entry(
            "marca-que-es",
            "¿Qué es el distintivo Marca Hecho en México?",
            [
                "marca hecho en mexico que es",
                "para que sirve la marca hecho en mexico",
                "distintivo mx",
            ],
            "Es un distintivo de la Secretaría de Economía para productos fabricados en México.",
            topics=["Marca Hecho en México", "distintivo", "ventas"],
            refer_to=ECONOMIA,
        ),
        entry(
            "marca-costo",
            "¿Cuánto cuesta el distintivo Marca Hecho en México?",
            [
                "cuanto cobran por la marca hecho en mexico",
                "la marca hecho en mexico se paga",
                "precio del distintivo",
            ],
            "Nada: se pide gratis en línea en marca.economia.gob.mx.",
            topics=["Marca Hecho en México", "distintivo", "costo"],
            refer_to=ECONOMIA,
        ),
        entry(
            "marca-papeles",
            "¿Qué documentos piden para el distintivo Marca Hecho en México?",
            [
                "requisitos marca hecho en mexico",
                "que necesito para la marca hecho en mexico",
                "papeles del distintivo",
            ],
            "Tu constancia de situación fiscal y una identificación oficial.",
            topics=["Marca Hecho en México", "distintivo", "requisitos"],
        ),
        entry(
            "marca-plazo",
            "¿Cuánto tarda el distintivo Marca Hecho en México y cuánto dura?",
            [
                "en cuanto tiempo dan la marca hecho en mexico",
                "vigencia marca hecho en mexico",
                "cuando vence el distintivo",
            ],
            "Economía responde en un máximo de 10 días hábiles y el distintivo vale cinco años.",
            topics=["Marca Hecho en México", "distintivo", "plazos"],
        ),
        entry(
            "becarios",
            "¿Cómo recibo becarios del programa Aprende Conmigo?",
            [
                "aprende conmigo para negocios",
                "quiero un becario de aprende conmigo",
                "como me registro en aprende conmigo",
            ],
            "Da de alta tu negocio en aprendeconmigo.gob.mx y publica un plan de capacitación. "
            "Los becarios se quedan contigo hasta 12 meses. Tú no les pagas: el gobierno les da "
            "una beca mensual. El registro de negocios está abierto todo el año.",
            topics=["Aprende Conmigo", "becarios", "STPS"],
        ),
        entry(
            "credito-papeles",
            "¿Qué papeles me piden para un crédito pyme?",
            [
                "requisitos credito pyme",
                "que documentos piden en el banco para un prestamo",
                "papeles para un credito",
            ],
            "Alta en el SAT, buen historial en el buró de crédito y un aval.",
            topics=["financiamiento", "crédito", "requisitos"],
        ),
        entry(
            "cursos-duran",
            "¿Cuánto duran los cursos de inteligencia artificial?",
            [
                "cuanto tiempo dura un curso de ia",
                "cuantas horas son los cursos",
                "cuanto tardo en terminar un curso",
            ],
            "Entre 1 y 30 horas, según el curso; los de AWS son los más cortos.",
            topics=["capacitación", "duración"],
        ),
        entry(
            "ia-costo",
            "¿Cuánto cuesta usar inteligencia artificial en mi negocio?",
            ["la ia es cara", "cuanto sale la ia", "hay que pagar por la ia"],
            "Para empezar no cuesta: hay versiones gratis de ChatGPT y Gemini.",
            topics=["primeros pasos", "precios"],
        ),
        entry(
            "vender-internet",
            "¿Hay cursos para vender por internet?",
            ["curso para vender en linea", "como vendo por internet", "tienda en linea curso"],
            "Sí: cursos gratis para vender en línea con tu propia tienda.",
            topics=["comercio en línea", "vender"],
        ),
        entry(
            "estimulo-extra",
            "¿Qué es el estímulo extra por capacitar del Plan México?",
            [
                "deduccion adicional plan mexico",
                "el 25 extra por capacitacion",
                "estimulo por capacitar",
            ],
            "Un 25 % más de deducción sobre el aumento de tu gasto en capacitación.",
            topics=["impuestos", "Plan México", "estímulos fiscales", "capacitación"],
        ),
        entry(
            "estimulo-resico",
            "Estoy en RESICO, ¿me toca el estímulo del Plan México?",
            [
                "resico y el estimulo del plan mexico",
                "el estimulo es para resico",
                "resico plan mexico",
            ],
            "No: el decreto deja fuera a las personas físicas del RESICO.",
            topics=["impuestos", "RESICO", "Plan México", "estímulos fiscales"],
        ),
        entry(
            "resico-que-es",
            "¿Qué es el RESICO?",
            ["que es resico", "regimen simplificado de confianza", "soy resico y no se que es"],
            "Un régimen del SAT para personas físicas con ingresos de hasta 3.5 millones.",
            topics=["impuestos", "RESICO", "SAT", "régimen fiscal"],
        ),
    )
}


def after(topic: str, message: str) -> list[str]:
    """The curated entries a follow-up gets right after the entry `topic` was the answer."""
    answerer = Answerer(SimpleNamespace(faq=ASPECTS), SameMeaning(ASPECTS))  # type: ignore[arg-type]
    last = Topic(kind="faq", ids=[topic])
    turn = TurnInput(
        session_id="s",
        message=message,
        channel="web",
        profile=BusinessProfile(),
        history=(("user", ASPECTS[topic].question), ("assistant", ASPECTS[topic].answer)),
        topic=last,
    )
    chosen = answerer._curated(turn, last, message, None, None, follow=True, leans=True)
    return [m.entry.id for m in chosen]


def test_a_follow_up_that_asks_only_for_an_aspect_stays_on_the_topic() -> None:
    # Papers, a length, a price: every topic has them; the words don't make it another one.
    # No entry of the apprentice program is on them: a sentence of its text says it, or who has
    # it; not the entries on a bank credit's papers, on how long courses last, on what AI costs.
    assert after("becarios", "y q papeles piden?") == []
    assert after("becarios", "¿y eso cuánto dura?") == []
    assert after("becarios", "¿y eso sale caro?") == []
    # The distinctive has an entry on each: that one.
    assert after("marca-costo", "y ke documentos hay q juntar?") == ["marca-papeles"]
    assert after("marca-que-es", "¿y en cuánto tiempo te lo dan?") == ["marca-plazo"]
    assert after("marca-papeles", "¿y se paga algo?") == ["marca-costo"]


def test_a_follow_up_that_names_another_subject_leaves_the_topic() -> None:
    assert after("marca-costo", "¿y pa vender por internet hay cursos?") == ["vender-internet"]


def test_the_owners_own_case_is_asked_of_the_topic() -> None:
    # "¿y si estoy en RESICO?" after the stimulus: the stimulus for RESICO, not what RESICO is.
    assert after("estimulo-extra", "¿y si estoy en resico?") == ["estimulo-resico"]


def test_only_aspect_words_name_no_subject() -> None:
    index = CuratedAnswers(ASPECTS)
    for message in (
        "¿y dónde lo doy de alta?",
        "y ke documentos me van a pedir",
        "¿cuánto se tarda?",
        "y en mi ciudad hay oficina?",
        "¿y quién lo da?",
    ):
        assert index.subject(message) == frozenset(), message
    assert index.subject("¿y pa vender por internet?")


def test_the_sentence_that_says_the_aspect_asked() -> None:
    index = CuratedAnswers(ASPECTS)

    def said(message: str) -> str:
        found = index.stating(message, ["becarios"])
        return " ".join(found[1]) if found else ""

    assert said("¿y eso me cuesta algo?").startswith("Tú no les pagas")
    assert (
        said("¿y cuándo abren el registro?") == "El registro de negocios está abierto todo el año."
    )
    assert "12 meses" in said("¿y cuánto tiempo se quedan?")
    # No list of papers in the text: what is asked of you is how you apply.
    assert said("y q papeles ocupo?").startswith("Da de alta tu negocio en aprendeconmigo.gob.mx")
    # Who gives it: the sentence that names the institution behind the topic (in words, not in
    # a web address).
    found = index.stating("¿y quién lo da?", ["marca-costo"])
    assert found is not None and found[0].id == "marca-que-es"
