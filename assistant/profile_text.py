"""How the profile is shown to the user, and the short questions that complete it."""

from __future__ import annotations

from assistant.schemas import BusinessProfile

SIZE_ES = {
    "micro": "microempresa",
    "pequeña": "pequeña empresa",
    "mediana": "mediana empresa",
    "grande": "empresa grande",
}
ROLE_ES = {
    "owner": "dueño(a)",
    "employee": "empleado(a)",
    "it": "encargado(a) de sistemas",
    "developer": "desarrollador(a)",
}
GOAL_ES = {
    "sell_more": "vender más",
    "customer_service": "atender clientes",
    "save_time": "ahorrar tiempo",
    "inventory": "inventario",
    "marketing": "publicidad",
    "finance": "finanzas",
}

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


def describe_profile(profile: BusinessProfile, corrected: bool = False, full: bool = False) -> str:
    """One or two lines: 'Entiendo: tienes una fonda en Oaxaca…' plus the maturity reason."""
    parts = []
    if profile.sector_name or profile.sector:
        parts.append(
            f"tu negocio es del giro {(profile.sector_name or profile.sector or '').lower()}"
        )
    if profile.state:
        place = (
            f"{profile.city}, {profile.state}"
            if profile.city and profile.city != profile.state
            else profile.state
        )
        parts.append(f"en {place}")
    if profile.employees is not None:
        size = f" ({SIZE_ES[profile.size]})" if profile.size else ""
        parts.append(f"{profile.employees} persona{'s' if profile.employees != 1 else ''}{size}")
    if profile.goals:
        parts.append("quieres " + ", ".join(GOAL_ES.get(g, g) for g in profile.goals))
    if full and profile.weekly_hours is not None:
        parts.append(f"{profile.weekly_hours:g} h por semana para aprender")
    if full and profile.role:
        parts.append(f"eres {ROLE_ES[profile.role]}")
    lead = "Corregido. Ahora tengo:" if corrected else ("Tu perfil:" if full else "Entiendo:")
    text = f"{lead} {'; '.join(parts)}." if parts else lead
    if profile.maturity:
        reason = f" {profile.maturity_reason}" if profile.maturity_reason else ""
        text += f"\nNivel digital: {profile.maturity}/5.{reason}"
    return text


def next_questions(profile: BusinessProfile, limit: int = 2) -> tuple[list[str], list[str]]:
    """At most `limit` short questions for the missing slots, and their quick replies."""
    questions: list[str] = []
    replies: list[str] = []
    for slot in profile.missing()[:limit]:
        question, options = QUESTIONS[slot]
        questions.append(question)
        replies.extend(options)
    return questions, replies[:3]
