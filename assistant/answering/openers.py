"""How an answer opens for the kind of question asked: a stored "Sí."/"No." only when the owner
asked yes or no (an entry written for "¿necesito…?" also answers "¿qué es…?"), and for "¿hasta
cuándo?" the sentence with the date, not a verdict on something else."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answering.curated import facets
from assistant.answering.sentences import sentences
from assistant.turn import Answer
from assistant.understanding.text import MONTHS, fold

# Question words that ask for a thing, a figure, a date, a way or a place, not for yes or no
# (read on folded text; a bare "que" is often a relative: "¿hay algo que pueda hacer?").
_OPEN_QUESTION = re.compile(
    r"\b(?:cual|cuales|cuanto|cuanta|cuantos|cuantas|cuando|como|donde|quien|quienes"
    r"|por que|porque|para que|pa que|en que consiste)\b"
    r"|\b(?:que|q|k) (?:es|son|significa|quiere decir|onda con|hace|hacen|da|dan|piden"
    r"|necesito|ocupo|papeles|requisitos|tengo que|debo)\b"
)
# A verdict that stands alone before the answer: "Sí.", "No.", "Sí:" (what follows is the
# answer itself), never "No es automático: …" nor "Sí, si guardas datos…".
_BARE_VERDICT = re.compile(r"^(?:Sí|Si|No)(?:\.\s+|:\s+)", re.IGNORECASE)
# "¿Qué es…?" answered from an entry that opened "Sí: «Crece tu Mipyme…», que lanzaron…".
_WHAT_IS = re.compile(r"\b(?:que|q|k) (?:es|son)\b")
# "¿Hasta cuándo?", "¿para cuándo?", "¿cuándo abre?": a date is what is asked.
# (A "cuando" inside a clause is a conjunction: "¿qué pasa cuando repruebo?".)
_WHEN = re.compile(
    r"\b(?:hasta|para|pa|desde) cuando\b|\b(?:que|en que) fecha\b"
    r"|(?:^|[?¿,.;]\s*)(?:(?:y|oye|oiga|pero|entonces)\s+)*cuando\b"
)
# An opening that already speaks to when: a date, or that none is published.
_SAYS_WHEN = re.compile(r"\bfecha\b|\bconfirmad[oa]\b|\bvigencia\b|\bdura\b|\bplazo\b")
_DATE = re.compile(rf"\b\d{{1,2}} de (?:{'|'.join(MONTHS)})\b|\b(?:19|20)\d\d\b")


def asks_yes_or_no(message: str) -> bool:
    """Whether a question asks for yes or no: no question word asks for a thing instead."""
    return not _OPEN_QUESTION.search(fold(message))


# A price verdict that opens an entry on cost: "Nada: el trámite… es gratuito".
_COST_VERDICT = re.compile(r"^(?:Nada|Gratis|Cero)(?:\.\s+|:\s+)", re.IGNORECASE)


def without_cost_verdict(text: str, message: str) -> str:
    """`text` without a "Nada:"/"Gratis:" that opens it, when `message` asks no price ("¿me
    conviene sacar el sello?" is not answered "Nada: …"); the rest still says it is free."""
    m = _COST_VERDICT.match(text)
    if m is None or "cost" in facets(message):
        return text
    rest = text[m.end() :]
    return rest[0].upper() + rest[1:] if rest else text


def unverdicted(text: str) -> str:
    """`text` without a "Sí."/"No."/"Sí:" that opens it (the answer to "¿cuáles bancos?" is
    no verdict)."""
    m = _BARE_VERDICT.match(text)
    rest = text[m.end() :] if m else ""
    return rest[0].upper() + rest[1:] if rest else text


def without_verdict(text: str, message: str) -> str:
    """`text` without a "Sí."/"No."/"Sí:" that opens it, when `message` asks no yes or no
    question ("¿qué es Crece tu Mipyme?", "¿hasta cuándo dura?"), nor a "Nada:" when it asks
    no price."""
    text = without_cost_verdict(text, message)
    m = _BARE_VERDICT.match(text)
    if m is None or asks_yes_or_no(message):
        return text
    rest = text[m.end() :]
    if not rest:
        return text
    if m.group(0).rstrip().endswith(":") and _WHAT_IS.search(fold(message)):
        return f"Es {rest}"  # "Sí: «Crece tu Mipyme…», que lanzaron…" -> "Es «Crece tu Mipyme…»…"
    return rest[0].upper() + rest[1:]


def dated(sentence: str) -> bool:
    """Whether a sentence gives a date ("rige del 22 de enero de 2025 al 30 de septiembre de
    2030", "en 2026")."""
    return bool(_DATE.search(fold(sentence)))


def asks_when(message: str) -> bool:
    return bool(_WHEN.search(fold(message)))


def opened_for(found: Answer, message: str) -> Answer:
    """`found` opening the way `message` asks: no verdict on an open question, and the sentence
    with a date first when the question asks when (the rest keeps its order)."""
    if found.kind not in ("curated", "evidence") or not found.evidence:
        return found
    first = found.evidence[0]
    text = without_verdict(first.text, message)
    if asks_when(message) and not asks_yes_or_no(message):
        parts = sentences(text)
        said = dated(parts[0]) or bool(_SAYS_WHEN.search(fold(parts[0])))
        at = None if said else next((i for i, x in enumerate(parts) if dated(x)), None)
        if at:
            text = " ".join([parts[at], *parts[:at], *parts[at + 1 :]])
    if text == first.text:
        return found
    return replace(found, evidence=(replace(first, text=text), *found.evidence[1:]))
