"""An exam asked by name, code or nickname is answered only by an entry about that exam, never by
one about another exam (issue 11: the AI Practitioner is not the Cloud Practitioner)."""

from __future__ import annotations

from assistant.answering.curated import CuratedAnswers, exams_in
from tests.helpers import entry

ENTRIES = {
    e.id: e
    for e in (
        entry(
            "cloud-prac",
            "¿En qué idioma viene el examen Cloud Practitioner de AWS?",
            [
                "el examen de aws viene en español?",
                "idiomas del clf-c02",
                "cloud practitioner idioma",
            ],
            "La guía oficial del examen CLF-C02 está publicada en español.",
        ),
        entry(
            "ai-prac",
            "¿Qué trae el examen AWS AI Practitioner?",
            ["temario aif-c01", "que viene en el ai practitioner", "examen de ia de amazon temas"],
            "El examen AIF-C01 mide si entiendes la IA generativa.",
        ),
        entry(
            "ms-old",
            "¿Sigue el examen AI-900?",
            ["ai-900 vigente", "que paso con el ai-900", "azure ai fundamentals sigue"],
            "Se retiró en 2026 y lo reemplaza el examen AI-901.",
        ),
        entry(
            "aws-general",
            "¿Dónde se presenta un examen de AWS?",
            ["donde presento el examen de aws", "pearson vue aws", "examen aws desde casa"],
            "En un centro de Pearson VUE o desde tu casa con cámara.",
        ),
    )
}


def test_exam_names_codes_and_nicknames() -> None:
    assert exams_in("el de AI practitioner d amazon") == {"aws-ai-practitioner"}
    assert exams_in("la prueba clf c02") == {"aws-cloud-practitioner"}
    assert exams_in("la certif pa desarrolladores de ia generativa") == {"aws-genai-developer"}
    assert exams_in("ya no existe el ai 900?") == {"ai900"}
    assert exams_in("y el DP-900 q tal") == {"dp900"}
    assert exams_in("me salio en 300 pesos, de 100 en 100") == frozenset()


def test_an_entry_on_another_exam_is_left_out() -> None:
    index = CuratedAnswers(ENTRIES)
    ranked = [m.entry.id for m in index.rank("el ai practitioner de aws viene en español", {})]
    assert "cloud-prac" not in ranked
    assert ranked[0] == "ai-prac"
    # An exam no entry is about: the exam entries stay out, the general one may still answer.
    ranked = [m.entry.id for m in index.rank("examen pl-300 viene en español", {})]
    assert not {"cloud-prac", "ai-prac", "ms-old"} & set(ranked)
    assert "aws-general" in ranked


def test_a_message_naming_no_exam_keeps_every_entry() -> None:
    index = CuratedAnswers(ENTRIES)
    ranked = [m.entry.id for m in index.rank("el examen viene en español?", {})]
    assert set(ranked) == set(ENTRIES)


def test_the_exam_said_beside_the_question_counts() -> None:
    index = CuratedAnswers(ENTRIES)
    ranked = index.rank("viene en español?", {}, exams=exams_in("ya no quiero el AI-900"))
    assert "cloud-prac" not in [m.entry.id for m in ranked]


def test_the_exam_named_lifts_its_entry_and_leaves_the_general_one() -> None:
    index = CuratedAnswers(ENTRIES)
    ranked = index.rank("donde presento el examen de aws?", {}, exams={"aws-ai-practitioner"})
    by_id = {m.entry.id: m.score for m in ranked}
    plain = {m.entry.id: m.score for m in index.rank("donde presento el examen de aws?", {})}
    assert by_id["ai-prac"] > plain["ai-prac"]
    assert by_id["aws-general"] == plain["aws-general"]
