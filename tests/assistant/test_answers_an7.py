"""Questions answered from knowledge, not refused (an7 scenarios): what the ideas just listed
cost, asked in any tense; a short question about the rules ("¿qué ley aplica?") is the product's
subject and is asked of what the owner just told; materials brought from abroad are imported,
and the owner's case told beside a question steers the match. Fresh wordings, not the
scenarios'."""

from __future__ import annotations

import pytest

from assistant.answering.answerer import Answerer
from assistant.answering.curated import CuratedAnswers, owner_words
from assistant.answering.follow_ups import LEXICAL_TOLD
from assistant.answering.ideas import _IDEA_COST
from assistant.knowledge.reader import Knowledge
from assistant.schemas import Topic
from assistant.understanding.reader import in_domain

IMPORTED = "tramites-hecho-en-mexico-insumos-importados"


def _listed(knowledge: Knowledge, sector: str) -> list[str]:
    return [uc.id for uc in knowledge.sectors[sector].use_cases[:3]]


@pytest.mark.parametrize(
    "said",
    [
        "y eso cuanto nos costaria",
        "cuanto me va a costar todo eso?",
        "oye y en cuanto me saldria",
        "y cuanto salen esas cosas",
        "eso se paga?",
    ],
)
def test_what_it_costs_is_asked_in_any_tense(said: str) -> None:
    assert _IDEA_COST.search(said)


def test_the_ideas_only_listed_are_priced_one_by_one(
    answerer: Answerer, knowledge: Knowledge
) -> None:
    listed = _listed(knowledge, "estetica")
    after_diagnosis = Topic(kind="use_case", ideas=listed)
    found = answerer._idea_follow_up(
        "oigan y lo q me dicen cuanto me costaria?", after_diagnosis, "estetica"
    )
    assert found is not None and found.kind == "use_case"
    text = found.evidence[0].text
    titles = [uc.title for uc in knowledge.sectors["estetica"].use_cases[:3]]
    assert all(f"«{t}»" in text for t in titles), text
    assert "gratis" in text or "gratuito" in text
    # One idea given in full: its own price, not the whole list's.
    given = Topic(kind="use_case", ids=[listed[1]], ideas=listed)
    one = answerer._idea_follow_up("¿y cuánto costaría?", given, "estetica")
    assert one is not None and one.topic is not None and one.topic.ids == [listed[1]]


def test_rules_and_the_seal_are_the_products_subject() -> None:
    assert in_domain("¿y q ley me toca cumplir?")
    assert in_domain("hay multas por eso?")
    assert in_domain("nos dan el sello hecho en mexico?")
    assert not in_domain("¿quién ganó el partido ayer?")


def test_what_the_owner_just_told_names_the_subject_a_short_question_takes(
    answerer: Answerer,
) -> None:
    told = "en mi farmacia guardamos los datos de los clientes en una app con ia"
    subject = answerer._subject_of(told, None, LEXICAL_TOLD)
    assert subject is not None and subject.ids[0].startswith("datos-y-regulacion")
    # Told without any entry's words: no subject.
    assert answerer._subject_of("vendemos tacos al pastor en la noche", None, LEXICAL_TOLD) is None


def test_materials_from_abroad_are_imported() -> None:
    for said in (
        "el hilo lo compramos en china",
        "las piezas vienen de afuera",
        "la madera la traemos de canada",
    ):
        assert "importados" in owner_words(said), said
    # Selling abroad is still exporting.
    assert "exportar" in owner_words("queremos vender en otros paises")


def test_the_owners_case_beside_the_question_steers_the_match(knowledge: Knowledge) -> None:
    curated = CuratedAnswers(knowledge.faq)
    message = (
        "hacemos muebles y el herraje lo traemos de alemania, nos dan el sello hecho en mexico?"
    )
    question = "nos dan el sello hecho en mexico?"
    case = curated.case_beside(message, question, "tramites-hecho-en-mexico-que-es")
    assert case and set(case) <= curated.tokens("insumos importados")

    def place(extra: list[str]) -> int:
        ranked = curated.rank(question, {}, extra_tokens=extra)
        return [m.entry.id for m in ranked].index(IMPORTED)

    assert place(case) < place([])
    # Nothing rare beside the question: nothing steers.
    plain = "tengo una tienda, nos dan el sello hecho en mexico?"
    assert curated.case_beside(plain, question, "tramites-hecho-en-mexico-que-es") == []
