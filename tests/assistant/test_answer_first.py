"""The question asked is answered first and once (issue 11, "Answering"): no second curated
answer that says again what the first one says, the business described around a question is
not part of what is searched, a "¿verdad?" gets its "Sí"/"No" first, and a reply to a question
opens with the answer, before what we understood of the business. Pure functions and the
offline composer, no index."""

from __future__ import annotations

import datetime as dt

from assistant.answering.curated import CuratedAnswers, facets
from assistant.answering.evidence import question_of
from assistant.answering.questions import _OTHERS_USE, confirmation_tag, topic_correction
from assistant.answering.sentences import _VERDICT, _WHO, lead_with
from assistant.composition.offline import compose
from assistant.schemas import BusinessProfile, Recommendations, Source, Topic, TrainingStep
from assistant.turn import Answer, Evidence, TurnContext
from assistant.understanding.reader import classify
from assistant.understanding.text import fold
from tests.helpers import entry

REPEATED = {
    e.id: e
    for e in (
        entry(
            "talleres-gratis",
            "¿Hay talleres gratis de fotografía de producto?",
            [
                "talleres sin costo de fotos",
                "taller de fotos gratis",
                "fotos de producto sin pagar",
            ],
            "Sí, en español: el taller de fotos con celular de la Cámara de Comercio y el de "
            "Mercado Libre para vendedores, los dos sin costo y en línea.",
        ),
        entry(
            "talleres-espanol",
            "¿Los talleres de fotografía de producto vienen en español?",
            [
                "talleres de fotos en español",
                "taller de fotos en mi idioma",
                "fotos de producto sin ingles",
            ],
            "Sí: el taller de fotos con celular de la Cámara de Comercio y el de Mercado Libre "
            "para vendedores vienen en español, en línea y sin costo.",
        ),
        entry(
            "taller-horario",
            "¿A qué hora son los talleres de fotografía?",
            ["horario del taller de fotos", "a que hora es el taller", "cuando es el taller"],
            "Los sábados de 10 a 12; se graban para verlos después.",
        ),
    )
}


def test_a_second_curated_answer_that_says_the_same_is_redundant() -> None:
    index = CuratedAnswers(REPEATED)
    assert index.redundant("talleres-gratis", "talleres-espanol")
    assert not index.redundant("talleres-gratis", "taller-horario")


def test_the_business_told_before_a_question_without_marks_is_not_searched() -> None:
    asked = question_of("manejo una imprenta en toluca con 6 chavos, cuanto me sale gemini pro?")
    assert asked.startswith("cuanto me sale gemini")
    assert "imprenta" not in asked
    # A clause that is the question itself stays.
    assert "tengo que pagar" in question_of("tengo que pagar algo por la constancia, verdad?")
    # With its own "¿…?", the question is already apart.
    assert question_of("tenemos una lavanderia. ¿dan factura?") == "¿dan factura?"


def test_a_confirmation_tag_is_read_apart_from_the_question() -> None:
    assert confirmation_tag("el curso de santander da constancia, ¿cierto?") == (
        "el curso de santander da constancia?",
        True,
    )
    assert confirmation_tag("ya con eso me dan la beca, o no?")[1]
    assert confirmation_tag("¿cuánto dura el diplomado?") == ("¿cuánto dura el diplomado?", False)
    assert not confirmation_tag("¿no?")[1]  # a bare "¿no?" is no tag of anything


def test_a_confirmation_gets_the_sentence_that_confirms_or_corrects_first() -> None:
    text = (
        "Es un apoyo estatal para equipar talleres. No es automático: un comité revisa cada "
        "solicitud. Se pide en la oficina de desarrollo económico."
    )
    found = Answer(kind="curated", evidence=(Evidence(text=text, n=1),))
    assert lead_with(found, _VERDICT).evidence[0].text.startswith("No es automático: un comité")
    assert "Es un apoyo estatal" in lead_with(found, _VERDICT).evidence[0].text
    # An answer that already opens with its verdict is left as it is.
    plain = Answer(
        kind="curated", evidence=(Evidence(text="Sí, cuesta 50 pesos. No hay otra.", n=1),)
    )
    assert lead_with(plain, _VERDICT) == plain


def test_a_question_told_with_the_business_is_answered_before_the_diagnosis() -> None:
    answer = Answer(
        kind="curated",
        evidence=(Evidence(text="No: el permiso se pide cada año ante tu municipio.", n=1),),
        verified_on=dt.date(2026, 12, 4),
        topic=Topic(kind="faq", ids=["permiso"]),
    )
    ctx = TurnContext(
        message="tengo una paleteria en colima, el permiso ya no se renueva verdad?",
        intent="question",
        profile=BusinessProfile(sector="paleteria", state="Colima"),
        changed=["sector", "state"],
        is_question=True,
        explicit_question=True,
        evidence=list(answer.evidence),
        sources=[
            Source(n=1, title="Municipio", url="https://example.org/p", kind="faq", snippet="")
        ],
        answer=answer,
    )
    text = compose(ctx)
    assert text.startswith("No: el permiso se pide cada año"), text
    assert text.index("No: el permiso") < text.index("Entiendo que")


# ---- eligibility: who qualifies and how to apply, before what the program is ----------------
PROGRAM = {
    e.id: e
    for e in (
        entry(
            "vales-que-es",
            "¿Qué son los vales de equipamiento del municipio?",
            ["vales de equipamiento que son", "para que sirven los vales", "vales municipio"],
            "Son apoyos del municipio para comprar equipo de trabajo, creados en 2024.",
        ),
        entry(
            "vales-quien-puede",
            "¿Quién puede pedir los vales de equipamiento del municipio?",
            ["requisitos vales de equipamiento", "quienes pueden pedir los vales", "vales para mi"],
            "Los negocios con menos de 10 personas y un año abiertos; se piden en la ventanilla.",
        ),
    )
}


def test_a_question_of_whether_i_qualify_is_its_own_facet() -> None:
    assert "who" in facets("¿mi taqueria califica para los vales?")
    assert "who" in facets("y a nosotros nos toca algo de eso o es pa los grandes?")
    assert "who" in facets("¿aplica para mi negocio el apoyo?")
    assert "who" in facets("¿puedo entrar al programa si soy persona fisica?")
    assert "who" not in facets("¿qué son los vales de equipamiento?")


def test_whether_i_qualify_picks_the_entry_on_who_can_over_the_definition() -> None:
    index = CuratedAnswers(PROGRAM)
    ranked = index.rank("¿mi estetica califica para los vales de equipamiento?", {})
    assert ranked[0].entry.id == "vales-quien-puede"


def test_whether_i_qualify_opens_with_who_can() -> None:
    text = (
        "Registra tu taller en la ventanilla con tu RFC. Pueden participar talleres y comercios "
        "con menos de 10 personas. La respuesta llega en un mes."
    )
    found = Answer(kind="curated", evidence=(Evidence(text=text, n=1),))
    assert lead_with(found, _WHO).evidence[0].text.startswith("Pueden participar talleres")


# ---- "no, te pregunto por…": the last topic set aside ---------------------------------------
def test_a_correction_of_topic_sets_the_last_one_aside() -> None:
    assert topic_correction("no, te pregunto por mi tlapaleria, que hago yo?") == (
        "mi tlapaleria, que hago yo?",
        True,
    )
    assert topic_correction("eso no, lo que quiero es saber como vendo mas en la cocina") == (
        "como vendo mas en la cocina?",
        True,
    )
    assert topic_correction("no me referia a eso, sino a los cursos gratis")[1]
    # Negations about the business or a plain "no" are no correction of topic.
    for message in ("no hablo ingles", "no tengo empleados", "no, gracias", "no"):
        assert topic_correction(message) == (message, False)


def test_thanks_are_thanks_whatever_leads_them() -> None:
    for message in ("ah ok, gracias", "sale, muchas gracias por la info", "va gracias!"):
        assert classify(message) == "thanks"
    assert classify("gracias, y cuanto cuesta?") == "question"


# ---- one list, not two ---------------------------------------------------------------------
def _step(cid: str) -> TrainingStep:
    return TrainingStep(
        course_id=cid,
        title=cid,
        provider="p",
        url=f"https://example.org/{cid}",
        level="básico",
        duration_hours=2,
        cost="Gratis",
        languages=["es"],
        why="",
    )


def test_a_curated_course_list_next_to_the_path_gives_only_its_opening() -> None:
    listed = "Sí, hay tres y sin costo. Uno de la cámara, otro del banco y otro de la alcaldía."
    answer = Answer(
        kind="curated",
        evidence=(Evidence(text=listed, n=1),),
        topic=Topic(kind="faq", ids=["talleres"], courses=["camara", "banco", "alcaldia"]),
    )
    ctx = TurnContext(
        message="¿hay talleres gratis?",
        intent="question",
        profile=BusinessProfile(sector="zapateria", state="Jalisco"),
        channel="whatsapp",
        is_question=True,
        explicit_question=True,
        evidence=list(answer.evidence),
        sources=[Source(n=1, title="T", url="https://example.org/t", kind="faq", snippet="")],
        answer=answer,
        blocks=["path"],
        recommendations=Recommendations(training_path=[_step("camara"), _step("banco")]),
    )
    text = compose(ctx)
    assert text.startswith("Sí, hay tres y sin costo. [1]"), text
    assert "Uno de la cámara" not in text
    assert "2 cursos gratis en español" in text


def test_how_another_business_uses_ai_is_asked_apart_from_statistics() -> None:
    for message in ("oye y los gimnasios como usan la ia?", "¿para que le sirve la ia a un hotel?"):
        assert _OTHERS_USE.search(fold(message)), message
    assert not _OTHERS_USE.search(fold("¿cuántos negocios usan IA en México?"))


def test_only_a_verdict_on_what_was_asked_is_moved_first() -> None:
    text = "Cuesta 30 pesos por hoja. No necesitas cita para ir. Se paga en la caja del municipio."
    found = Answer(kind="curated", evidence=(Evidence(text=text, n=1),))
    about_price = lead_with(found, _VERDICT, lambda s: "pesos" in s or "cuesta" in s.lower())
    assert about_price == found  # "No necesitas cita" is no answer to "cuesta 30, ¿cierto?"


def test_a_fact_over_the_courses_shown_never_answers_the_question_backwards() -> None:
    """ "¿y los cursos cuestan?" and "¿son gratis?" get the same true sentence: no "Sí" that
    would say they cost."""
    from assistant.answering.catalog import _summary_line
    from assistant.knowledge.models import Course

    def course(i: int, **kw: object) -> Course:
        base = {"free": True, "languages": ["es"], "certificate": True}
        return type("C", (), {**base, **kw, "id": f"c{i}"})()  # type: ignore[return-value]

    free = [course(i) for i in range(4)]
    assert _summary_line(free, "price") == "Los 4 son gratis."
    assert _summary_line(free[:1], "price") == "Es gratis."
    english = [course(i, languages=["en"]) for i in range(2)]
    assert _summary_line(english, "language") == "Ninguno está en español."
    assert not any(
        (_summary_line(free, f) or "").startswith(("Sí", "No"))
        for f in ("price", "language", "certificate")
    )
