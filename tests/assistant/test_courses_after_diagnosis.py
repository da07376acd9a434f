"""After a diagnosis that listed ideas, "¿y cursos pa eso?" is about the idea for the trouble the
owner told, not a refusal nor the first idea listed (b7 blind scenario: a funeral home whose
clients fall behind on their plans). Real knowledge and catalog, lexical matching only.

Wordings here are fresh, not copies of the evaluation's scenarios."""

from __future__ import annotations

import datetime as dt

from assistant.answering.answerer import Answerer
from assistant.schemas import BusinessProfile, Topic
from assistant.turn import TurnInput, Understanding

TODAY = dt.date(2026, 12, 4)
# Neither trouble's idea is listed first: the first idea listed is no answer to either.
IDEAS = [
    "ferreteria-encontrar-la-pieza",
    "ferreteria-inventario-y-resurtido",
    "ferreteria-cotizaciones-rapidas",
]


def ask(answerer: Answerer, told: str, message: str) -> str:
    profile = BusinessProfile(sector="ferreteria", state="Sonora")
    turn = TurnInput(
        session_id="s", message=message, channel="web", profile=profile,
        history=(("user", told), ("assistant", "Ideas para tu negocio: …")),
        topic=Topic(kind="use_case", ideas=IDEAS),
    )  # fmt: skip
    understood = Understanding(
        intent="question", profile=profile, is_question=True, explicit_question=True
    )
    found = answerer.answer(turn, understood, TODAY)
    assert found.kind == "catalog", found
    return " ".join(e.text for e in found.evidence)


def test_courses_for_that_follow_the_trouble_told(answerer: Answerer) -> None:
    said = ask(
        answerer, "se me acaba el cemento y no me doy cuenta hasta que no hay", "hay cursos pa eso?"
    )
    assert "Inventario" in said
    said = ask(answerer, "tardo horas en mandar cotizaciones a los albañiles", "y cursos pa eso?")
    assert "Cotizar" in said
