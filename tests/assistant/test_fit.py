"""Recommendations that fit the business and the person: ideas for the business's size, and
courses for the user's level and role."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.knowledge.models import SectorDef
from assistant.knowledge.reader import Knowledge, index_ideas, read_knowledge
from assistant.recommendation.recommend import recommend, top_use_cases
from assistant.schemas import BusinessProfile
from tests.helpers import ROOT, owner_chat

FIXTURE_KNOWLEDGE = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"


def _sized(sector: SectorDef, sizes: dict[str, list[str]], new_id: str = "") -> SectorDef:
    """The sector with sizes on some of its ideas (and, with `new_id`, under another id)."""
    cases = [
        uc.model_copy(
            update={
                "sizes": sizes.get(uc.id, uc.sizes),
                "id": uc.id.replace(sector.id, new_id) if new_id else uc.id,
            }
        )
        for uc in sector.use_cases
    ]
    return sector.model_copy(update={"use_cases": cases, "id": new_id or sector.id})


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    k = read_knowledge(FIXTURE_KNOWLEDGE)
    small = ["micro", "pequeña"]
    k.sectors["manufactura"] = _sized(
        k.sectors["manufactura"],
        {"manufactura-mostrar-como-quedara": small, "manufactura-cotizaciones-a-la-medida": small},
    )
    k.sectors["abarrotes"] = _sized(
        k.sectors["abarrotes"], {uc.id: small for uc in k.sectors["abarrotes"].use_cases}
    )
    # A neutral sector whose ideas are written for bigger businesses.
    restaurante = k.sectors["restaurante"]
    big = {uc.id: ["mediana", "grande"] for uc in restaurante.use_cases}
    k.sectors["general"] = _sized(restaurante, big, new_id="general")
    index_ideas(k)  # the sizes changed after the knowledge was read
    return k


def _ids(knowledge: Knowledge, **profile: object) -> list[str]:
    return [uc.id for uc in top_use_cases(knowledge, BusinessProfile(**profile), n=12)]


def test_a_big_plant_gets_no_idea_written_for_a_small_workshop(knowledge: Knowledge) -> None:
    big = _ids(knowledge, sector="manufactura", size="grande", employees=300)
    assert "manufactura-mostrar-como-quedara" not in big
    assert "manufactura-cotizaciones-a-la-medida" not in big
    assert big, "the plant still gets the ideas that fit any size"
    small = _ids(knowledge, sector="manufactura", size="micro", employees=3)
    assert "manufactura-mostrar-como-quedara" in small


def test_an_unknown_size_keeps_every_idea(knowledge: Knowledge) -> None:
    ids = _ids(knowledge, sector="manufactura")
    assert set(ids) == {uc.id for uc in knowledge.sectors["manufactura"].use_cases}


def test_too_few_ideas_for_the_size_are_completed_with_general_ones(knowledge: Knowledge) -> None:
    ids = _ids(knowledge, sector="abarrotes", size="grande", employees=150)
    assert ids and all(i.startswith("general-") for i in ids)
    # A corner shop of the same sector keeps its own ideas, and only those.
    shop = _ids(knowledge, sector="abarrotes", size="micro", employees=2)
    assert shop and all(i.startswith("abarrotes-") for i in shop)


def test_a_sector_s_own_ideas_come_before_the_general_ones(knowledge: Knowledge) -> None:
    ids = _ids(knowledge, sector="manufactura", size="grande")
    own = [i for i in ids if i.startswith("manufactura-")]
    assert len(own) >= 2 and ids[: len(own)] == own


def test_the_neutral_path_has_ideas_for_every_size() -> None:
    """The real `general` sector completes any sector: three ideas at least for each size."""
    real = read_knowledge(Path(__file__).resolve().parents[2] / "knowledge")
    general = real.sectors["general"]
    for size in ("micro", "pequeña", "mediana", "grande"):
        assert sum(uc.fits_size(size) for uc in general.use_cases) >= 3, size


def test_a_need_is_never_answered_with_an_idea_for_another_size(knowledge: Knowledge) -> None:
    from assistant.answering.use_cases import best_use_case
    from assistant.understanding.text import keyword_tokens

    said = set(keyword_tokens("ensenarle al cliente una imagen de como quedara el trabajo"))
    found = best_use_case(said, knowledge, "manufactura", {}, "micro")
    assert found is not None and found[1].id == "manufactura-mostrar-como-quedara"
    found = best_use_case(said, knowledge, "manufactura", {}, "grande")
    assert found is None or found[1].id != "manufactura-mostrar-como-quedara"


# ---------------------------------------------------------------- level and role


@pytest.fixture(scope="module")
def real() -> Knowledge:
    return read_knowledge(Path(__file__).resolve().parents[2] / "knowledge")


def _path(real: Knowledge, profile: BusinessProfile) -> list[tuple[str, str]]:
    return [(s.course_id, s.level) for s in recommend(real, profile).training_path]


def test_someone_who_never_used_a_computer_starts_with_one_even_with_whatsapp(
    real: Knowledge,
) -> None:
    profile = owner_chat("vendo elotes y esquites, computadora nunca he usado, nomas whatsapp")
    assert "no_computer" in profile.signals and profile.maturity == 2
    path = _path(real, profile)
    assert path and path[0][0] == "capacitate-conocimientos-basicos-pc"
    assert all(level == "fundamental" for _, level in path)


def test_an_excel_power_user_is_not_sent_back_to_the_basics(real: Knowledge) -> None:
    profile = owner_chat("tengo una zapateria, las existencias las llevo con macros en VBA")
    assert profile.maturity == 4
    path = _path(real, profile)
    assert "santander-excel-basico-intermedio" not in dict(path)
    assert any(level != "fundamental" for _, level in path)


def test_a_systems_person_who_programs_gets_more_than_introductions(real: Knowledge) -> None:
    profile = owner_chat("soy la encargada de sistemas de una farmacia, programo en python")
    assert profile.role == "it" and profile.maturity == 5
    assert any(level != "fundamental" for _, level in _path(real, profile))


def test_a_developer_gets_technical_courses_past_the_introductions(real: Knowledge) -> None:
    profile = owner_chat("chambeo de programador en un despacho contable")
    assert profile.role == "developer"
    path = _path(real, profile)
    assert any(level != "fundamental" for _, level in path)
    owners_only = {
        cid for cid, c in real.courses.items() if set(c.audience) <= {"owner", "employee"}
    }
    assert not owners_only & set(dict(path))


@pytest.mark.parametrize(
    "message",
    ["trabajo como desarrolladora en una tienda en linea", "me dedico a programar sistemas"],
)
def test_a_developer_says_it_in_several_ways(message: str) -> None:
    assert owner_chat(message).role == "developer"


@pytest.mark.parametrize(
    ("message", "signal"),
    [
        ("busco cursos de python para mi sobrino", "programming"),
        ("quiero aprender power bi", "office_automation"),
        ("no se programar nada", "programming"),
    ],
)
def test_a_tool_named_to_learn_is_not_a_tool_in_use(message: str, signal: str) -> None:
    assert signal not in owner_chat(message).signals


@pytest.mark.parametrize(
    ("message", "city"),
    [
        ("hacemos sillas y escritorios de oficina en irapuato", "Irapuato"),
        ("vendo papeleria y articulos de oficina en leon", "León"),
    ],
)
def test_an_office_product_is_no_office_somewhere_else(message: str, city: str) -> None:
    assert owner_chat(message).city == city


def test_ideas_written_for_another_size_are_replaced_once_the_size_is_known(
    knowledge: Knowledge,
) -> None:
    from assistant.recommendation.recommend import IDEAS, plan, recommend

    before = BusinessProfile(sector="manufactura")
    first = plan("tengo una fabrica", before, ["sector"], recommend(knowledge, before), {}, True)
    assert "manufactura-mostrar-como-quedara" in first.ideas
    after = before.model_copy(update={"employees": 120, "size": "grande"})
    recs = recommend(knowledge, after)
    resized = plan("somos 120", after, ["employees", "size"], recs, first.sent, True)
    assert IDEAS in resized.show and resized.ideas
    assert not set(resized.ideas) & set(first.ideas)
    assert "manufactura-mostrar-como-quedara" not in resized.ideas
    # A size that changes nothing the owner saw sends nothing again.
    small = before.model_copy(update={"employees": 3, "size": "micro"})
    again = plan(
        "somos 3", small, ["employees", "size"], recommend(knowledge, small), first.sent, True
    )
    assert IDEAS not in again.show


@pytest.mark.parametrize(
    ("message", "size"),
    [
        ("somos una pyme mediana, hacemos tarimas de madera", "mediana"),
        ("trabajo en una compañia grande de autotransporte", "grande"),
        ("tenemos una microempresa de bordados", "micro"),
        ("tengo un negocio pequeño de tortas", None),  # owners say it of a micro business
    ],
)
def test_a_size_said_in_words_counts_when_no_headcount_is_given(
    message: str, size: str | None
) -> None:
    assert owner_chat(message).size == size


def test_a_headcount_outranks_the_size_word() -> None:
    profile = owner_chat("somos una empresa mediana, somos 8 trabajadores, vendemos pisos")
    assert profile.employees == 8 and profile.size == "micro"


@pytest.mark.parametrize(
    ("message", "employees"),
    [("en la carpinteria nomas estamos mi ayudante y yo", 2), ("mis 2 chalanes y yo", 3)],
)
def test_the_people_i_work_with_and_me(message: str, employees: int) -> None:
    assert owner_chat(message).employees == employees


def test_a_relative_s_facebook_does_not_make_a_beginner_an_expert(real: Knowledge) -> None:
    profile = owner_chat(
        "tengo una lavanderia, de computadoras no se nada, mi sobrino me sube las promos a instagram"
    )
    assert "no_computer" in profile.signals and (profile.maturity or 0) >= 3
    path = _path(real, profile)
    assert path and path[0][0] == "capacitate-conocimientos-basicos-pc"
    # Someone who keeps the books in Excel is at a computer, whatever else they say.
    at_pc = owner_chat("no se nada de compus pero llevo el inventario en excel, tengo ferreteria")
    assert "capacitate-conocimientos-basicos-pc" not in dict(_path(real, at_pc))


@pytest.mark.parametrize(
    ("message", "employees"),
    [
        ("soy la contadora de una distribuidora de 45 empleados", 45),
        ("es una fabrica de 2,500 obreros en matamoros", 2500),
        ("hago uniformes de 30 meseros para un salon", None),  # a client's staff, not ours
        ("atiendo el puesto yo solita", 1),
        ("trabajo para una constructora de 200 trabajadores", 200),
        ("le vendo a una empresa de 80 empleados", None),  # a client
    ],
)
def test_a_business_of_n_workers_is_its_headcount(message: str, employees: int | None) -> None:
    assert owner_chat(message).employees == employees


def test_a_course_serves_a_goal_when_a_word_starts_one_of_its_phrases() -> None:
    """One pattern per phrase list (not one search per phrase, per course, per goal): a course
    serves a goal exactly when a word of its topics starts one of the goal's phrases."""
    import re

    from assistant.recommendation import recommend as rec

    knowledge = read_knowledge(ROOT / "knowledge")
    served = 0
    for course in knowledge.courses.values():
        text = rec._topics(course)
        for phrases in [*rec.GOAL_TOPICS.values(), rec.COMPUTER_BASICS_TOPICS, ()]:
            plain = any(re.search(rf"\b{re.escape(p)}", text) for p in phrases)
            assert rec._has(text, phrases) == plain, (course.id, phrases)
            served += plain
    assert served  # some course serves some goal: the comparison is not all-False
    assert rec._has("ventas por internet", ("venta",)) and not rec._has("preventa", ("venta",))


# ---- the trouble the owner stated leads ----------------------------------------------------
@pytest.fixture(scope="module")
def shipped() -> Knowledge:
    return read_knowledge(ROOT / "knowledge")


def test_a_trouble_no_idea_of_the_sector_serves_gets_the_general_idea_first(
    shipped: Knowledge,
) -> None:
    # No idea written for restaurants is about customers who stop coming back.
    assert not any("retention" in uc.goals for uc in shipped.sectors["restaurante"].use_cases)
    ideas = top_use_cases(
        shipped, BusinessProfile(sector="restaurante", size="micro", goals=["retention"]), n=3
    )
    assert "retention" in ideas[0].goals
    # ... and the sector's own ideas still follow it.
    own = {uc.id for uc in shipped.sectors["restaurante"].use_cases}
    assert {uc.id for uc in ideas[1:]} <= own

    # A sector with its own idea for that trouble keeps it first.
    gym = top_use_cases(
        shipped, BusinessProfile(sector="gimnasio", size="micro", goals=["retention"]), n=3
    )
    assert gym[0].id in {uc.id for uc in shipped.sectors["gimnasio"].use_cases}
    assert "retention" in gym[0].goals


def test_a_broken_machine_gets_an_idea_about_maintenance(shipped: Knowledge) -> None:
    ideas = top_use_cases(
        shipped, BusinessProfile(sector="tortilleria", size="micro", goals=["maintenance"]), n=3
    )
    assert "maintenance" in ideas[0].goals
    # Without a stated trouble the tortillería's own ideas come first, as before.
    plain = top_use_cases(shipped, BusinessProfile(sector="tortilleria", size="micro"), n=3)
    assert all(uc.id.startswith("tortilleria") for uc in plain)


def test_a_corrected_business_gets_its_own_ideas(knowledge: Knowledge) -> None:
    from assistant.recommendation.recommend import IDEAS, plan, recommend

    before = BusinessProfile(sector="manufactura")
    first = plan("tengo una fabrica", before, ["sector"], recommend(knowledge, before), {}, True)
    after = BusinessProfile(sector="general")
    fixed = plan(
        "no, es otra cosa", after, ["sector"], recommend(knowledge, after), first.sent, True
    )
    assert IDEAS in fixed.show and fixed.ideas
    assert not set(fixed.ideas) & set(first.ideas)
