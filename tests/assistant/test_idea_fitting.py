"""Ideas that fit the trade and the question: the first step takes the product, document or
language the owner named, an example written for another business of the sector gives way,
and an ask for new clients gets the idea for being known."""

from __future__ import annotations

from functools import lru_cache

import pytest

from assistant.knowledge.models import StepExample, Tool, UseCase
from assistant.knowledge.reader import Knowledge, read_knowledge
from assistant.recommendation.recommend import goal_focus, new_client_goals, recommend
from assistant.schemas import BusinessProfile
from assistant.understanding.fitting import (
    fit_step,
    idea_sentence,
    named_document,
    named_language,
    named_product,
)
from assistant.understanding.reader import in_domain
from tests.helpers import ROOT


@lru_cache(maxsize=1)
def _real() -> Knowledge:
    return read_knowledge(ROOT / "knowledge")


def _idea(step: str, examples: list[StepExample] | None = None) -> UseCase:
    return UseCase(
        id="prueba-idea",
        title="Una idea de prueba",
        problem="Algo que le pasa al dueño todos los días.",
        what_ai_does="La IA le ayuda a hacerlo más rápido y mejor.",
        tools=[Tool(name="ChatGPT", cost="plan gratuito disponible")],
        effort="bajo",
        cost_class="gratis",
        maturity_min=1,
        first_step=step,
        goals=["save_time"],
        step_examples=examples or [],
    )


CAKE = StepExample(
    text="un pastel de tres pisos con fondant",
    kind="product",
    fits=["pasteleria", "reposteria"],
    named="{} como lo pidió el cliente",
    neutral="lo que te encargaron",
)
STEP = 'Pídele a Copilot: "Imagen de un pastel de tres pisos con fondant". Mándala al cliente.'


@pytest.mark.parametrize(
    ("said", "product"),
    [
        ("en mi taller cosemos mandiles y cofias para hospitales, somos 4", "mandiles y cofias"),
        ("Elaboramos mole poblano y pipián para fiestas", "mole poblano y pipián"),
        ("fabrico huaraches de piel, pero casi no vendo", "huaraches de piel"),
        ("vendemos de todo un poco en el tianguis", None),
        ("tengo una papeleria en el centro", None),
    ],
)
def test_what_the_business_makes_is_read_in_the_owners_words(said: str, product: str) -> None:
    assert named_product(said) == product


def test_the_owners_product_takes_the_place_of_the_example() -> None:
    idea = _idea(STEP, [CAKE])
    step = fit_step(idea, "hacemos galletas decoradas y cupcakes en Saltillo")
    assert "galletas decoradas y cupcakes como lo pidió el cliente" in step
    assert "fondant" not in step


def test_an_example_for_another_trade_gives_way_to_neutral_words() -> None:
    idea = _idea(STEP, [CAKE])
    assert "lo que te encargaron" in fit_step(idea, "tengo una cafeteria con postres")
    # Written for this trade, or nothing known: the stored example stays.
    assert fit_step(idea, "tengo una pasteleria en Torreon") == STEP
    assert fit_step(idea, "") == STEP


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("se puede contestarles en portugues a los brasileños?", "portugués"),
        ("muchos hablan aleman y no les entiendo", "alemán"),
        ("quiero responder en ingles y en frances", "inglés y francés"),
        ("atender en distintos idiomas sin saberlos", "varios"),
        ("quiero vender mas en temporada", None),
    ],
)
def test_the_language_asked_for_is_read(message: str, language: str | None) -> None:
    assert named_language(message) == language


def test_the_language_named_replaces_the_steps_english() -> None:
    idea = _idea("Pídele a ChatGPT las 5 respuestas en español y en inglés y guárdalas.")
    step = fit_step(idea, "", "¿me ayuda a escribirle en japones a un cliente?")
    assert "en japonés" in step and "inglés" not in step
    many = fit_step(idea, "", "me escriben en otros idiomas")
    assert "inglés" not in many and "idiomas" in many


def test_a_document_named_goes_into_the_step() -> None:
    assert named_document("resumir las actas de asamblea del condominio") == "un acta"
    assert named_document("hay mucha demanda en diciembre") is None
    real = _real()
    idea = next(
        uc
        for uc in real.sectors["servicios-profesionales"].use_cases
        if uc.id == "servicios-profesionales-resumir-documentos"
    )
    step = fit_step(idea, "soy gestor inmobiliario", "me toca explicar escrituras larguisimas")
    assert "una escritura" in step and "reforma" not in step


def test_real_ideas_of_a_near_sector_lose_the_other_trades_example() -> None:
    real = _real()
    profile = BusinessProfile(sector="manufactura", size="micro")
    said = "tengo una carpinteria en Tlaquepaque, somos mi cuñado y yo"
    steps = " ".join(uc.first_step for uc in recommend(real, profile, said).use_cases)
    assert "barandal" not in steps
    herrero = "soy herrero en Tlaquepaque, hago portones"
    kept = " ".join(uc.first_step for uc in recommend(real, profile, herrero).use_cases)
    assert "barandal" in kept


def test_one_idea_reads_as_one_sentence() -> None:
    text = idea_sentence("Menú por WhatsApp", "La IA te acomoda el menú.", "Escribe tu menú hoy.")
    assert text == (
        "Para eso te sirve «Menú por WhatsApp»: la IA te acomoda el menú. "
        "Empieza así: escribe tu menú hoy."
    )
    # A brand at the start keeps its capital.
    assert "Empieza así: NotebookLM" in idea_sentence("X", "", "NotebookLM resume el archivo.")


@pytest.mark.parametrize(
    "message",
    [
        "y como le hacemos pa jalar clientela nueva?",
        "ya tengo pagina en fb pero no nos pelan",
        "queremos darnos a conocer en la zona",
    ],
)
def test_an_ask_for_new_clients_is_about_being_known(message: str) -> None:
    assert new_client_goals(message)[0] == "marketing"
    assert in_domain(message, business_known=True)


def test_an_ask_for_new_clients_gets_the_idea_for_being_known() -> None:
    real = _real()
    profile = BusinessProfile(sector="restaurante", goals=["inventory", "sell_more"])
    recs = recommend(real, profile, "tengo una fonda")
    focus, goal = goal_focus(recs, profile, "oye y pa que vengan clientes nuevos a la fonda?")
    idea = next(uc for uc in recs.use_cases if uc.id == focus)
    assert goal == "marketing" and "marketing" in idea.goals
    assert new_client_goals("quiero vender mas a los que ya vienen") == ()
