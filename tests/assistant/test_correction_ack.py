"""A correction is acknowledged by saying what changed, not the whole profile again."""

from __future__ import annotations

from assistant.composition.offline import noted, what_changed
from assistant.schemas import BusinessProfile


def _profile(**kw: object) -> BusinessProfile:
    base = {"sector": "ferreteria", "sector_name": "Ferreterías", "state": "Hidalgo"}
    return BusinessProfile.model_validate({**base, **kw})


def test_a_moved_town_names_its_state() -> None:
    line = what_changed(_profile(city="Tula", state="Tamaulipas"), {"state", "city"})
    assert line == "Corregido: tu negocio está en Tula, Tamaulipas."


def test_a_role_correction_says_the_new_role() -> None:
    line = what_changed(_profile(role="employee"), {"role"})
    assert line is not None and "no eres dueño(a)" in line
    assert "ferreter" not in line.lower()  # only what changed


def test_nothing_sayable_falls_back() -> None:
    assert what_changed(_profile(), {"signals"}) is None


def test_a_note_on_a_new_state_names_it_with_the_town() -> None:
    note = noted(_profile(city="Nogales", state="Veracruz"), {"state"})
    assert note == "Anotado: estás en Nogales, Veracruz."
