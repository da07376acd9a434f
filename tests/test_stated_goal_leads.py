"""The idea for the trouble the owner stated leads the first ideas ("lo primero" then means it),
and a role at a business names that business as where the writer works."""

from __future__ import annotations

import pytest

from assistant.knowledge.reader import read_knowledge
from assistant.recommendation.recommend import top_use_cases
from assistant.understanding.business_noun import BusinessNouns
from tests.helpers import ROOT, knowledge_sectors
from tests.helpers import owner_chat as chat

KNOWLEDGE = read_knowledge(ROOT / "knowledge")
NOUNS = BusinessNouns(knowledge_sectors())


@pytest.mark.parametrize(
    "message",
    [
        "ferreteria en salina cruz, somos dos, el inventario nunca me sale y no se q resurtir",
        "tengo papeleria en uruapan yo solo, siempre me sobra mercancia de la temporada escolar",
        "carniceria en apizaco, somos 3, se me pierde mucha carne cada semana y no se cuanto",
        "tengo una farmacia en tepic, somos 2 y se me caducan las medicinas en el anaquel",
    ],
)
def test_the_first_idea_serves_the_goal_the_owner_stated(message: str) -> None:
    profile = chat(message)
    assert profile.sector and profile.goals, profile
    ideas = top_use_cases(KNOWLEDGE, profile, n=3, said=message)
    assert set(ideas[0].goals) & set(profile.goals), [uc.id for uc in ideas]


def test_a_stated_goal_reorders_the_ideas_but_keeps_the_same_ones() -> None:
    profile = chat("tengo una tlapaleria en ixtepec, somos 3")
    assert not profile.goals
    with_goal = profile.model_copy(update={"goals": ["inventory"]})
    plain = [uc.id for uc in top_use_cases(KNOWLEDGE, profile, n=12)]
    led = [uc.id for uc in top_use_cases(KNOWLEDGE, with_goal, n=12)]
    assert led[0] != plain[0]  # the goal moved its idea up
    assert sorted(led) == sorted(plain)  # and nothing else came in or left


def test_two_stated_goals_each_get_an_idea_among_the_first_three() -> None:
    profile = chat("tengo papeleria en celaya con 2 empleados, quiero llevar bien el inventario")
    both = profile.model_copy(update={"goals": ["inventory", "marketing"]})
    first = top_use_cases(KNOWLEDGE, both, n=3)
    assert "inventory" in first[0].goals
    assert any("marketing" in uc.goals for uc in first[:2]), [uc.id for uc in first]


def test_a_niche_idea_nobody_cued_never_leads_for_a_goal() -> None:
    profile = chat("tengo una fonda en puebla, somos 4, quiero vender mas")
    ideas = top_use_cases(KNOWLEDGE, profile, n=3, said="tengo una fonda en puebla")
    assert not ideas[0].niche, ideas[0].id


@pytest.mark.parametrize(
    ("message", "sector", "left_out"),
    [
        (
            "tengo un criadero de mojarra en teapa, 8 estanques, se me mueren los peces",
            "agricultura",
            "agricultura-plagas-con-foto",
        ),
        (
            "tengo una escuela de manejo en Zacatecas con 3 autos",
            "educacion",
            "educacion-comunicacion-con-padres",
        ),
    ],
)
def test_an_idea_the_business_described_rules_out_is_not_offered(
    message: str, sector: str, left_out: str
) -> None:
    # Read with the embedder, the tilapia farm is agriculture; the rules alone leave it general.
    profile = chat(message).model_copy(update={"sector": sector})
    shown = [uc.id for uc in top_use_cases(KNOWLEDGE, profile, n=12, said=message)]
    assert shown and left_out not in shown
    # The same sector without those words still gets it.
    plain = profile.model_copy(update={"goals": []})
    assert left_out in [uc.id for uc in top_use_cases(KNOWLEDGE, plain, n=12, said="")]


def test_a_mixed_farm_keeps_the_crop_idea() -> None:
    message = "siembro maiz y frijol en mi parcela y tengo unas gallinas y dos vacas"
    profile = chat(message).model_copy(update={"sector": "agricultura"})
    shown = [uc.id for uc in top_use_cases(KNOWLEDGE, profile, n=12, said=message)]
    assert "agricultura-plagas-con-foto" in shown


@pytest.mark.parametrize(
    ("message", "sector", "noun"),
    [
        ("soy la encargada de una estetica en leon", "estetica", "una estética"),
        ("trabajo de mesero en una taqueria de la central", "restaurante", "una taquería"),
        ("le ayudo a mi abuelo en su tortilleria", "tortilleria", "una tortillería"),
        ("somos despachadores del taller de mi compadre", "taller-mecanico", "un taller"),
        ("le echo la mano a mi mama en la papeleria", "papeleria", "una papelería"),
    ],
)
def test_a_role_at_a_business_names_it(message: str, sector: str, noun: str) -> None:
    assert NOUNS.read(message, sector) == noun


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        ("mi prima es cajera en una farmacia", "farmacia"),  # someone else's job
        ("soy clienta de una estetica y quiero poner la mia", "estetica"),  # not a role there
        ("necesito apoyo en la papeleria", "papeleria"),  # "apoyo" asked, not given
        ("le ayudo a mi hijo con la tarea", "papeleria"),  # no business at all
    ],
)
def test_no_role_no_noun(message: str, sector: str) -> None:
    assert NOUNS.read(message, sector) is None


@pytest.mark.parametrize(
    "message",
    ["y lo primero x donde lo empiezo", "oye y eso primero q me dijiste como se hace"],
)
def test_the_first_idea_is_pointed_at_in_owners_spelling(message: str) -> None:
    from assistant.answering.ideas import _IDEA_HOW, _SAID_PLACE
    from assistant.understanding.text import fold

    folded = fold(message)
    assert _IDEA_HOW.search(folded)
    place = _SAID_PLACE.search(folded)
    assert place and place.group(1) == "primero"
