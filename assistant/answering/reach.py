"""Whether a program that starts by states has reached the owner's: "¿y en mi estado ya está
eso?", "¿ya llegó a Chiapas?", "¿y a mi hermana en Tamaulipas cuándo le toca?". The entry lists
the states and the year each starts ("En 2026 arranca en 10 estados: …; desde 2027, …"); the
owner asked yes or when for one state, so the reply opens with that verdict, then the list."""

from __future__ import annotations

import re

from assistant.answering.sentences import sentences
from assistant.understanding.places import STATES
from assistant.understanding.text import fold

# A state's names as entries write them (full names and "CDMX"; the two-letter abbreviations an
# owner types are read by find_state, not here: "nl" or "df" inside a sentence are no state).
_STATE_NAMES = {
    state: re.compile(r"\b(?:" + "|".join(a for a in aliases.split("|") if len(a) >= 4) + r")\b")
    for state, aliases in STATES.items()
}
# "Baja California" is also the start of "Baja California Sur".
_BAJA = re.compile(r"\bbaja california(?! sur)\b")
# A rollout: a program that starts, arrives or applies in a year ("en 2026 arranca en…").
# ("Declaratorias desde 2023" dates a list, it starts nothing.)
_STARTS = re.compile(r"\b(?:arranca\w*|inicia\w*|empieza\w*|llega\w*|entra\w*)\b")
_YEAR = re.compile(r"\b20\d\d\b")
# "Los 15 polos no incluyen Oaxaca": a list of where it is not (read after the clause's colon:
# "Mipymes que todavía no cobran con tarjeta…: en 2026 arranca en…" lists where it is).
_DENIED = re.compile(r"\b(?:no|ni|sin|excepto)\b")
# A list has this many states at least (one or two named are an example, not where it reaches).
LISTED = 3


# "¿Y a mi hermana en Tamaulipas cuándo le toca?": when it reaches, asked mid-sentence.
_REACHES = r"(?:toca|llega|entra|aplica|arranca|empieza|inicia)\w*"
_WHEN_REACHES = re.compile(rf"\bcuando\b.*\b{_REACHES}|\b{_REACHES}\b.*\bcuando\b")


def asks_when_it_reaches(question: str) -> bool:
    """Whether `question` asks when something reaches a place ("¿cuándo le toca?")."""
    return bool(_WHEN_REACHES.search(fold(question)))


def states_in(text: str) -> list[str]:
    """The states `text` names, in the order of STATES."""
    folded = fold(text)
    found = [s for s, rx in _STATE_NAMES.items() if rx.search(folded)]
    if "Baja California" in found and not _BAJA.search(folded):
        found.remove("Baja California")
    return found


def rollout(text: str) -> str | None:
    """The sentence of `text` that lists the states a program starts in, by year; None when it
    has none (a ranking of states by connectivity is no rollout)."""
    for sentence in sentences(text):
        folded = fold(sentence)
        if len(states_in(sentence)) >= LISTED and _STARTS.search(folded) and _YEAR.search(folded):
            return sentence
    return None


def verdict(text: str, state: str, year: int) -> str | None:
    """Whether the rollout of an entry's `text` has reached `state` in `year`: "Sí, …" when a
    clause of it names the state with no later year, "Todavía no: … desde 2027" when a later
    one, "Todavía no: … no está" when none does. None when the text lists no rollout."""
    listed = rollout(text)
    if listed is None:
        return None
    for clause in re.split(r";\s*", listed):
        if state not in states_in(clause):
            continue
        if _DENIED.search(fold(clause.split(":")[-1])):
            return None  # "…no incluyen Oaxaca": the list says where it is not
        later = sorted(y for y in map(int, _YEAR.findall(clause)) if y > year)
        if later:
            return f"Todavía no: {state} entra desde {later[0]}."
        return f"Sí, {state} está en la lista."
    return f"Todavía no: {state} no está entre los estados con fecha anunciada."


def reach_verdict(text: str, state: str, year: int) -> str | None:
    """The verdict for `state`, then the rollout of `text` (for a follow-up on the program just
    explained); None when the text lists no rollout."""
    said = verdict(text, state, year)
    listed = rollout(text)
    return f"{said} {listed}" if said and listed else None
