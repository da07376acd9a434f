"""The short questions that complete the diagnosis, with quick replies that fit WhatsApp."""

from __future__ import annotations

from assistant.schemas import BusinessProfile

# (question, quick replies); quick replies stay within WhatsApp's 20-character button titles.
QUESTIONS: dict[str, tuple[str, list[str]]] = {
    "sector": (
        "¿A qué se dedica tu negocio?",
        ["Tengo una tiendita", "Tengo una fonda", "Tengo un taller"],
    ),
    "goals": (
        "¿Qué te gustaría mejorar primero?",
        ["Vender más", "Atender clientes", "Ahorrar tiempo"],
    ),
    "state": ("¿En qué estado está tu negocio?", []),
    "weekly_hours": (
        "¿Cuántas horas a la semana puedes dedicar a aprender?",
        ["1 hora", "3 horas", "5 horas"],
    ),
}


def next_questions(profile: BusinessProfile, limit: int = 2) -> tuple[list[str], list[str]]:
    """At most `limit` short questions for the missing slots, and their quick replies."""
    questions: list[str] = []
    replies: list[str] = []
    for slot in profile.missing()[:limit]:
        question, options = QUESTIONS[slot]
        questions.append(question)
        replies.extend(options)
    return questions, replies[:3]
