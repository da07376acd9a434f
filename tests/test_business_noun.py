"""The owner's own name for the business, and the first sentence that says it back."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.composition.offline import noted, program_lines, understood, what_changed
from assistant.schemas import BusinessProfile, ProgramRec, Recommendations
from assistant.understanding.business_noun import BusinessNouns
from assistant.understanding.profile import ProfileExtractor
from tests.helpers import knowledge_sectors

SECTORS = knowledge_sectors()
NOUNS = BusinessNouns(SECTORS)
RULES = ProfileExtractor(SECTORS)


@pytest.mark.parametrize(
    ("message", "sector", "noun"),
    [
        ("oigan tengo una taqueria en la colonia centro de morelia", "restaurante", "una taquería"),
        ("tenemos 3 papelerias cerca de escuelas", "papeleria", "3 papelerías"),
        (
            "soy dueño de un tallercito de hojalateria y pintura",
            "taller-mecanico",
            "un tallercito de hojalatería",
        ),
        ("mi nevería está frente al kiosko", "paleteria", "una nevería"),
        (
            "pues yo trabajo en una carpinteria de muebles rusticos",
            "manufactura",
            "una carpintería de muebles rústicos",
        ),
        ("tenemos una pequeña pasteleria en el barrio", "panaderia", "una pequeña pastelería"),
    ],
)
def test_the_noun_is_the_owners_when_it_names_the_business(
    message: str, sector: str, noun: str
) -> None:
    assert NOUNS.read(message, sector) == noun


@pytest.mark.parametrize(
    ("message", "sector", "noun"),
    [
        ("mi suegra tiene una panaderia y yo le ayudo", "panaderia", None),  # someone else's
        # "pregunta" names nothing; "mi farmacia" does.
        ("tengo una pregunta sobre mi farmacia", "farmacia", "una farmacia"),
        ("vendo tortas en mi tienda de instagram", "restaurante", None),  # a sales channel
        ("quiero ideas para mi negocio", "abarrotes", None),  # "negocio" alone says nothing new
    ],
)
def test_only_the_words_that_name_the_business_give_the_noun(
    message: str, sector: str, noun: str | None
) -> None:
    assert NOUNS.read(message, sector) == noun


def test_a_guess_takes_only_a_premises_word_or_a_trade_noun() -> None:
    assert NOUNS.read("tenemos una cerrajeria en pachuca", "general", guessed=True) == (
        "una cerrajería"
    )
    assert NOUNS.read("tengo una duda sobre drones", "general", guessed=True) is None


def test_the_extractor_keeps_the_noun_with_the_sector_and_drops_it_with_a_denial() -> None:
    first = RULES.update(BusinessProfile(), "buenas, manejo una ferreteria chiquita en Zacatecas")
    assert first.profile.business_noun == "una ferretería chiquita"
    later = RULES.update(first.profile, "somos 4 y abrimos de lunes a sabado")
    assert later.profile.business_noun == "una ferretería chiquita"
    denied = RULES.update(first.profile, "perdon, no es ferreteria, es una papeleria")
    assert denied.profile.business_noun is None


# ---- the sentence ------------------------------------------------------------------------------
def _profile(**kw: object) -> BusinessProfile:
    base: dict[str, object] = {
        "sector": "panaderia",
        "sector_name": "Panaderías y pastelerías",
        "sector_confidence": 1.0,
    }
    return BusinessProfile.model_validate(base | kw)


def test_the_first_sentence_uses_the_owners_noun_and_no_template_words() -> None:
    p = _profile(business_noun="un horno de pan de leña", state="Tlaxcala", employees=5)
    text = understood(p)
    assert text == "Entiendo que tienes un horno de pan de leña en Tlaxcala y son 5 personas."
    city = p.model_copy(update={"city": "Huamantla", "goals": ["sell_more"]})
    assert understood(city).startswith(
        "Entiendo que tienes un horno de pan de leña en Huamantla, Tlaxcala, son 5 personas y"
    )


def test_one_person_is_said_without_a_gender() -> None:
    p = _profile(business_noun="una pastelería", employees=1)
    for text in (understood(p), what_changed(p, ["employees"]), noted(p, {"employees"})):
        assert text and "solo(a)" not in text and "sola" not in text and "solo " not in text
        assert "no tienes empleados" in text


def test_without_a_noun_the_sectors_name_and_never_del_giro() -> None:
    p = _profile(state="Colima")
    text = understood(p)
    assert "del giro" not in text and "panaderías y pastelerías" in text
    assert understood(_profile()) == "Entiendo que tu negocio es de panaderías y pastelerías."


def test_an_employee_works_there_and_a_guess_is_said_as_one() -> None:
    p = _profile(business_noun="una farmacia", role="employee", state="Sonora")
    assert understood(p).startswith("Entiendo que trabajas en una farmacia en Sonora")
    guess = _profile(business_noun="un estudio de uñas", sector_confidence=0.6)
    text = understood(guess)
    assert text.startswith("Entiendo que tienes un estudio de uñas.")
    assert "lo más parecido" in text.lower() and "del giro" not in text


def test_stale_programs_carry_one_date_for_the_block() -> None:
    old = dt.date(2025, 3, 9).isoformat()
    programs = [
        ProgramRec(
            id=f"p{i}",
            title=f"Apoyo {i}",
            url=f"https://x.mx/{i}",
            summary="s" * 30,
            valid_as_of=old,
            stale=True,
        )
        for i in range(3)
    ]
    lines = program_lines(Recommendations(programs=programs), _profile(), "whatsapp", [])
    text = "\n".join(lines)
    assert text.count("verificad") == 1 and "9 de marzo de 2025" in text
    assert old not in text  # no ISO date on a phone
