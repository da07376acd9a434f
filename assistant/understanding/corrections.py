"""Corrections: a figure corrected in short ("ponle 18", "eran 5 no 4") and which slots a correction
took back."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, Literal

from assistant.schemas import BusinessProfile
from assistant.understanding.figures import APPROX, NUM, to_number
from assistant.understanding.people import KIN, WORKER

# A new headcount said in short, as a correction of the one we hold: "cámbialo a 8", "ponle 18",
# "eran 5 no 4", "mejor pon 6". Read only when the message names no team and corrects, or opens
# with the new figure and speaks of people ("bueno 9, ya entró una mesera"; a "1." that opens a
# numbered list is no figure).
_OPENER = (
    rf"^\W*(?:(?:bueno|ok|okey|va|ah|ay|oye|pues|este|perdon|corrijo),? )*({NUM})"
    r"(?= ?(?:,|$|ya\b|con\b|contando\b))"
)
OPENS_WITH_FIGURE = re.compile(_OPENER)
_RECOUNT = re.compile(
    rf"\b(?:cambia(?:lo|la|le)? (?:a|por)|ponle|pon|mejor|eran|fueron|eramos) (?:que )?"
    rf"(?:somos |son )?{APPROX}({NUM})\b(?! ?(?:%|h?oras?|h?oritas?|hrs?|h|minutos?|mins?|años|"
    r"anos|meses|dias|semanas|pesos|mil|a la|al|por|x)\b)"
    rf"|\b({NUM}),? no (?:son |somos |eran |eramos )?(?:{NUM})\b|{_OPENER}"
)
_TAKEN_BACK = re.compile(rf"\bno (?:son |somos |eran |eramos )?({NUM})\b")
# Words about people: the short figure is the team, not the hours ("ponle 18, faltaron los
# choferes", "cámbialo a 8, ya entraron dos").
_ABOUT_PEOPLE = re.compile(
    rf"\b(?:{WORKER}|{KIN}|somos|eramos|contando|contrat\w*|entr(?:o|aron)|salio|salieron|"
    r"emplead[oa]s?|personal|plantilla)\b"
)


def figure_corrected(
    text: str, profile: BusinessProfile, asked: Collection[str]
) -> tuple[Literal["employees", "weekly_hours"], int] | None:
    """A figure corrected in short, and the slot it corrects: the one whose old value it takes
    back ("eran 5 no 4"), the team when people are named or no hours are held or asked for."""
    m = _RECOUNT.search(text)
    if m is None or profile.employees is None:
        return None
    figure = to_number(m.group(1) or m.group(2) or m.group(3))
    if not figure.is_integer() or figure < 1:
        return None
    if m.group(3) and not _ABOUT_PEOPLE.search(text):
        return None  # "bueno 3, gracias": no word of the team
    if back := _TAKEN_BACK.search(text):  # "eran 5 no 4": which slot held the 4
        old = to_number(back.group(1))
        if old == profile.employees:
            return "employees", int(figure)
        if profile.weekly_hours is not None and old == profile.weekly_hours:
            return "weekly_hours", int(figure)
    if _ABOUT_PEOPLE.search(text):
        return "employees", int(figure)
    # A bare figure right after "¿cuántas horas…?" answers it; with no hours held, there is
    # nothing else to correct.
    if profile.weekly_hours is None and "weekly_hours" not in asked:
        return "employees", int(figure)
    return None


CORRECTABLE = {
    "sector",
    "employees",
    "state",
    "city",
    "weekly_hours",
    "role",
    "signals",
    "goals",
    "reads_english",
}


def slot_replaced(old: Any, new: BusinessProfile, slot: str) -> bool:
    """Whether a slot lost what it held: a new value over an old one, or a tool or goal taken
    back. One more tool or goal ("no sé nada de compu, solo cel") adds, it corrects nothing."""
    if old in (None, []):
        return False
    if isinstance(old, list):
        return bool(set(old) - set(getattr(new, slot) or []))
    return True
