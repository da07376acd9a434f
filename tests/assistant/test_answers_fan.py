"""Answers that carry the fact asked for (round six, fa scenarios): who handles labour law,
school validity and trademarks; "aquí"/"mi estado" read as the state the owner is in; a question
read again from another clause when the first reading matches nothing; a stored "Sí."/"No." kept
only on a yes-or-no question and the date first for "¿hasta cuándo?"; one course's facts as a
sentence that answers. Fresh wordings, not the scenarios'."""

from __future__ import annotations

from assistant.answering.catalog import (
    catalog_answer,
    catalog_overview,
    course_sentence,
    says_fact_of,
)
from assistant.answering.curated import institution_for
from assistant.answering.curated_choice import _MY_STATE, _other_readings
from assistant.answering.evidence import question_of
from assistant.answering.openers import asks_yes_or_no, opened_for, without_verdict
from assistant.knowledge.reader import read_knowledge
from assistant.turn import Answer, Evidence
from assistant.understanding.reader import _QUESTION
from assistant.understanding.text import fold
from tests.helpers import ROOT

KNOWLEDGE = read_knowledge(ROOT / "knowledge")


def _office(question: str) -> str:
    ref = institution_for(question)
    return ref.name if ref is not None else ""


def test_labour_law_school_validity_and_trademarks_have_their_office() -> None:
    assert "Profedet" in _office("cuanto le doy de aguinaldo a mi ayudante de medio tiempo?")
    assert "Profedet" in _office("si despido a la cajera le tengo que pagar algo?")
    assert "SEP" in _office("mi guarderia ocupa rvoe o con el permiso basta?")
    assert "IMPI" in _office("i want to register the trademark de mis salsas")
    assert "IMPI" in _office("como registro el logotipo de la taqueria")
    # A season or a chore is not labour law.
    assert _office("en temporada de vacaciones se llena el hotel, como contesto mas rapido?") == ""
    assert (
        _office("quiero que la ia le diga al personal cuantos dias de vacaciones les tocan") == ""
    )


def test_here_and_my_state_name_the_owners_state() -> None:
    assert _MY_STATE.sub("Sonora", "¿ya hay polo por acá?") == "¿ya hay polo Sonora?"
    assert _MY_STATE.sub("Yucatán", "en mi estado dan apoyos?") == "en Yucatán dan apoyos?"
    assert not _MY_STATE.search("¿acaso hay cursos?")


def test_a_question_is_read_again_from_its_other_clauses() -> None:
    message = "gano como 3 millones al año, me dejan entrar a resico o no"
    readings = _other_readings(message, message, message)
    assert readings == ["me dejan entrar a resico o no"]
    # The question clause and the whole message, when the first reading was another one.
    said = "quiero presentar el AZ-900, ¿sigue vigente?"
    assert _other_readings(said, "¿sigue vigente?", said) == ["¿sigue vigente?"]
    assert _other_readings(said, "¿sigue vigente?", "¿sigue vigente?") == [said]


def test_where_the_owner_heard_of_it_is_no_part_of_the_question() -> None:
    assert question_of("que es eso del sello hecho en mexico q pasaron en la tele") == (
        "que es eso del sello hecho en mexico"
    )
    # Not when what follows is still the question.
    assert "sello" in question_of("que es eso que vi en face del sello?")


def test_a_question_without_a_question_mark() -> None:
    assert _QUESTION.search(fold("tengo 2 empleados, les tengo que dar contrato o no"))
    assert _QUESTION.search(fold("oye y cuanto cuesta"))
    assert not _QUESTION.search(fold("tengo una fonda en tlaquepaque"))


def test_a_stored_verdict_only_answers_a_yes_or_no_question() -> None:
    text = "Sí. La bolsa es de 30,000 millones. Rige hasta el 30 de septiembre de 2030."
    assert without_verdict(text, "¿y eso de la bolsa cuánto es?").startswith("La bolsa")
    assert without_verdict(text, "¿todavía hay bolsa?") == text
    named = 'Sí: "Sello Violeta", que dio el gobierno en 2025.'
    assert without_verdict(named, "q es el sello violeta") == (
        'Es "Sello Violeta", que dio el gobierno en 2025.'
    )
    # A verdict that says more than yes or no stays.
    assert without_verdict("No es automático: se pide.", "¿cómo lo pido?").startswith("No es")
    assert asks_yes_or_no("¿me toca a mí?") and not asks_yes_or_no("¿a quién le toca?")


def test_until_when_opens_with_the_date() -> None:
    found = Answer(
        kind="curated",
        evidence=(
            Evidence(
                text="Sí. Hay una bolsa para pymes. El apoyo rige del 2 de marzo de 2026 al "
                "1 de julio de 2029. Pide tu turno pronto.",
                n=1,
            ),
        ),
    )
    opened = opened_for(found, "oye y hasta cuando se puede pedir?")
    assert opened.evidence[0].text.startswith("El apoyo rige del 2 de marzo")
    # An opening that already says there is no date stays first.
    none = Answer(
        kind="curated",
        evidence=(Evidence(text="No hay fecha publicada. La anterior cerró en 2025.", n=1),),
    )
    assert opened_for(none, "¿cuándo abren?").evidence[0].text.startswith("No hay fecha")


def test_one_courses_fact_is_a_sentence_that_answers() -> None:
    courses = KNOWLEDGE.courses
    elements = courses["elements-of-ai-es"]
    spanish = course_sentence(elements, ["language"], "y ese de elements lo hay en español?")
    assert spanish.startswith("Sí, «") and "))" not in spanish
    chatgpt = courses["santander-fundamentos-chatgpt"]
    paid = course_sentence(chatgpt, ["price"], "el de fundamentos de chatgpt se paga?")
    assert paid.startswith("No, «") and "gratis" in paid
    length = course_sentence(chatgpt, ["duration"], "cuanto tiempo me lleva fundamentos de chatgpt")
    assert length.startswith("No sé cuánto dura «Fundamentos de ChatGPT»")
    assert "no confirmado" in length
    # An open question gets no verdict.
    assert not course_sentence(chatgpt, ["price"], "cuanto cuesta?").startswith(("Sí", "No,"))
    found = catalog_answer("el curso elements of ai cuantas horas le tengo que meter?", courses, ())
    assert found is not None and "30 a 60 h" in found.lines[0]


def test_a_course_named_in_a_list_says_nothing_of_its_length() -> None:
    listed = 'Para empezar: "Domina la IA con Gemini" (unas 2 horas) o "Fundamentos de ChatGPT".'
    named = frozenset({"fundamentos", "chatgpt"})
    assert not says_fact_of(listed, named, ("duration",))
    assert says_fact_of(listed, frozenset({"domina", "gemini"}), ("duration",))


def test_do_the_courses_cost_is_not_answered_yes_they_are_free() -> None:
    overview = catalog_overview("y los cursos cuestan algo?", KNOWLEDGE.courses)
    assert overview is not None and not overview.lines[0].startswith("Sí")
    free = catalog_overview("hay cursos gratis?", KNOWLEDGE.courses)
    assert free is not None and free.lines[0].startswith("Sí")
