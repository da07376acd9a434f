"""Answering, as owners ask: the knowledge answers, follow-ups keep their topic, and a refusal
happens only when nothing answers and then names who does (issue 11, item 2).

Real offline assistant over the fixture corpus (tests/fixtures/knowledge, with a few curated
answers in faq/respuestas.yaml), real Chroma and SQLite memory.
"""

from __future__ import annotations

from assistant.answering.curated import referral_for
from assistant.answering.evidence import _sentences
from assistant.understanding.text import fold
from tests.assistant.support import Harness

REFUSAL = "no tengo informacion confiable"
OUT_OF_SCOPE = "queda fuera de lo que se hacer"


def said(text: str) -> str:
    return fold(text)


# ---- refuses what the knowledge answers -----------------------------------------------------
async def test_the_seal_procedure_is_answered_from_the_curated_entry(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo un taller de zapatos en leon guanajuato, somos 14")
    r = await offline.say(sid, "como saco el sello hecho en mexico?")
    text = said(r.answer)
    assert "hechoenmexico.economia.gob.mx" in text
    assert REFUSAL not in text and OUT_OF_SCOPE not in text
    # The date it was checked travels with the answer, and so does its source.
    assert "datos verificados el 4 de diciembre de 2026" in text
    assert text.count("verificad") == 1  # once for the answer, not after every fact
    assert any(s.kind == "faq" and "hechoenmexico" in s.url for s in r.sources)
    assert r.confidence == 1.0


async def test_free_courses_are_listed_not_refused(offline: Harness) -> None:
    r = await offline.say(offline.sid(), "hay cursos gratis de ia?")
    text = said(r.answer)
    assert REFUSAL not in text
    assert "elements of ai" in text and "gratis" in text


async def test_an_exam_price_is_answered(offline: Harness) -> None:
    r = await offline.say(offline.sid(), "¿cuánto cuesta el examen de Cloud Practitioner?")
    assert "USD 100" in r.answer
    assert REFUSAL not in said(r.answer)


async def test_the_users_state_picks_the_entry_for_here(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo un restaurante en huamantla, tlaxcala, somos 10")
    r = await offline.say(sid, "¿hay polo de desarrollo aqui?")
    assert "Huamantla" in r.answer and "San José Chiapa" not in r.answer


async def test_a_state_named_in_the_question_wins_over_the_users(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo un restaurante en huamantla, tlaxcala, somos 10")
    r = await offline.say(sid, "¿y en puebla hay polo de desarrollo?")
    assert "San José Chiapa" in r.answer


# ---- follow-ups lose their topic --------------------------------------------------------------
async def test_follow_ups_on_the_seal_keep_the_topic(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "como saco el sello hecho en mexico?")
    cost = await offline.say(sid, "¿y cuánto cuesta?")
    assert "gratuito" in said(cost.answer), cost.answer
    lasts = await offline.say(sid, "¿y cuánto dura?")
    assert "cinco anos" in said(lasts.answer), lasts.answer
    for r in (cost, lasts):
        assert REFUSAL not in said(r.answer) and OUT_OF_SCOPE not in said(r.answer)


async def test_those_courses_are_the_ones_just_listed(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "hay cursos gratis de ia?")
    r = await offline.say(sid, "¿esos vienen en español? porque ingles no leo")
    text = said(r.answer)
    assert REFUSAL not in text and OUT_OF_SCOPE not in text
    # Two of the three are in Spanish; the AWS Educate one is English only, and it says so.
    assert "2 de 3 estan en espanol" in text
    assert "elementos de ia" in text and "capacitate" in text
    assert "solo en ingles" in text
    third = await offline.say(sid, "¿y el tercero cuánto dura?")
    assert "45 minutos" in third.answer, third.answer


async def test_a_short_follow_up_is_answered_from_the_text_just_given(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "¿cuánto cuesta el examen de Cloud Practitioner?")
    r = await offline.say(sid, "¿y cuantos puntos necesito pa pasar?")
    assert "700" in r.answer
    assert REFUSAL not in said(r.answer)


# ---- refusals point to whoever handles it ----------------------------------------------------
async def test_a_trademark_question_points_to_the_impi(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo una panaderia en pachuca hidalgo, somos 4")
    r = await offline.say(sid, "cuanto cuesta registrar mi marca y cuanto tarda?")
    text = said(r.answer)
    assert REFUSAL in text
    assert "impi" in text and "gob.mx/se" not in text
    assert r.confidence == 0.0


async def test_an_unknown_exam_detail_points_to_the_exam_provider(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "¿cuánto cuesta el examen de Cloud Practitioner?")
    r = await offline.say(sid, "¿y en que direccion esta el centro de examen en hermosillo?")
    text = said(r.answer)
    assert REFUSAL in text and "aws.amazon.com/certification" in text


async def test_off_topic_gets_a_short_friendly_redirect(offline: Harness) -> None:
    r = await offline.say(offline.sid(), "cuentame un chiste")
    assert len(r.answer) <= 400
    assert "inteligencia artificial" in r.answer and REFUSAL not in said(r.answer)


def test_referrals_by_subject() -> None:
    assert "SAT" in referral_for("¿cuánto ISR pago si facturo?").name
    assert "COFEPRIS" in referral_for("cuanto cuesta el registro sanitario").name
    assert "Nafin" in referral_for("¿me prestan con garantía?").name
    assert "Microsoft" in referral_for("¿cuándo cambia el examen AI-900?").name
    assert "Economía" in referral_for("¿qué más apoyos hay?").name


# ---- evidence an owner can read -------------------------------------------------------------
def test_evidence_sentences_are_whole_and_self_contained() -> None:
    text = (
        "Programa de ejemplo: costos\n"
        "| Curso | Costo |\n| --- | --- |\n| Uno | Gratis |\n"
        "El curso básico es gratuito y se toma en línea desde el celular.\n"
        "Aplicando las reglas anteriores, el monto final cambia cada año según el caso.\n"
        "y esto sigue a la mitad de una idea que empezó en otra parte del texto\n"
        "Fuente: https://example.org/costos (2026-01-01)\n"
    )
    got = _sentences(text)
    # Prose whole and on its own; the table as one plain sentence per row.
    assert got == [
        "El curso básico es gratuito y se toma en línea desde el celular.",
        "Uno: Gratis.",
    ]
