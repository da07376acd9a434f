"""The deterministic Spanish composer: short, warm, readable on a phone, with citations [n]."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable

from assistant.recommendation.recommend import LEVEL_ES
from assistant.schemas import BusinessProfile
from assistant.turn import TurnContext
from assistant.understanding.language import detect_language, language_notice
from assistant.understanding.profile import sector_phrase
from assistant.understanding.text import clip

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


OFFICIAL_CHANNEL = (
    "Para confirmarlo, consulta el sitio oficial de la Secretaría de Economía "
    "(https://www.gob.mx/se) o llama a su línea de atención."
)
REFUSAL = "No tengo información confiable sobre eso en mis fuentes."


def describe_profile(profile: BusinessProfile, corrected: bool = False, full: bool = False) -> str:
    """One or two lines: 'Entiendo: tienes una fonda en Oaxaca…' plus the maturity reason."""
    parts = []
    if sector := sector_phrase(profile):
        parts.append(sector)
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


def _hours(h: float | None) -> str:
    return f"{h:g} h" if h else "duración no confirmada"


def _path_lines(ctx: TurnContext) -> list[str]:
    recs = ctx.recommendations
    if not recs.training_path:
        return []
    pace = ""
    if recs.total_hours and recs.weeks:
        weeks = "una semana" if recs.weeks == 1 else f"unas {recs.weeks} semanas"
        pace = f" ({recs.total_hours:g} h en total, {weeks} a tu ritmo"
        pace += (
            f"; {recs.unknown_duration} sin duración confirmada)" if recs.unknown_duration else ")"
        )
    elif recs.total_hours:
        pace = f" ({recs.total_hours:g} h conocidas)"
    lines = [f"*Tu ruta de capacitación*{pace}:"]
    for i, step in enumerate(recs.training_path, 1):
        cost = (
            "gratis" if step.cost.lower().startswith("gratis") else _first_sentence(step.cost, 40)
        )
        # On WhatsApp every byte costs the user data; the reasons travel in the course list.
        why = "" if ctx.channel == "whatsapp" else f"\n   {step.why}"
        lines.append(
            f"{i}. {short_title(step.title)} ({step.provider}; {_hours(step.duration_hours)}; "
            f"{LEVEL_ES.get(step.level, step.level)}; {cost}) {step.url}{why}"
        )
    return lines


def short_title(title: str) -> str:
    """Course titles without our translation marker, cut at a readable length."""
    title = title.replace(" (traducción)", "").strip()
    return clip(title, 68)


def _first_sentence(text: str, limit: int = 160) -> str:
    sentence = text.split(". ")[0].strip().rstrip(".")
    return clip(sentence, limit)


def _end(text: str) -> str:
    """A clipped sentence keeps its ellipsis; a whole one gets its period."""
    return text if text.endswith("…") else text.rstrip(",;: ") + "."


def _use_case_lines(ctx: TurnContext) -> list[str]:
    cases = ctx.recommendations.use_cases
    if not cases:
        return []
    lines = ["*Ideas de IA para tu negocio:*"]
    lines += [f"• {uc.title}: {_end(_first_sentence(uc.first_step))}" for uc in cases]
    return lines


def _program_lines(ctx: TurnContext) -> list[str]:
    by_url = {s.url: s.n for s in ctx.sources}
    lines = []
    for p in ctx.recommendations.programs:
        n = by_url.get(p.url)
        cite = f" [{n}]" if n else ""
        lines.append(f"• {_first_sentence(p.title, 90)}{cite} (verificado el {p.valid_as_of})")
    if any(p.stale for p in ctx.recommendations.programs):
        lines.append("Ojo: algunos de estos datos ya tocan revisión; confírmalos en la fuente.")
    return (["*Apoyos y datos de Plan México que te aplican:*", *lines]) if lines else []


_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()
OUT_OF_DOMAIN = (
    "Eso queda fuera de lo que sé hacer. Yo te ayudo a usar la inteligencia artificial "
    "en tu negocio: ideas para tu giro, cursos gratuitos y apoyos de Plan México."
)


def _cited(text: str, n: int) -> str:
    return f"{text} [{n}]" if n else text


def _answer_lines(ctx: TurnContext) -> list[str]:
    if not ctx.is_question:
        return []
    answer = ctx.answer
    refusal = answer.refusal if answer is not None else None
    if answer is not None and answer.kind == "none":
        return []
    if not ctx.confident or not ctx.evidence:
        if ctx.changed and not ctx.explicit_question:
            # The user described the business: the recommendations are the answer.
            return []
        out = refusal.reason == "out_of_domain" if refusal is not None else not ctx.in_domain
        if out:
            return [OUT_OF_DOMAIN]
        if refusal is not None and refusal.refer_url:
            # Point to whoever handles it (the SAT for taxes, the IMPI for a trademark…).
            return [
                f"{REFUSAL} Para eso, la fuente oficial es {refusal.refer_name}: {refusal.refer_url}"
            ]
        return [f"{REFUSAL} {OFFICIAL_CHANNEL}"]
    if answer is not None and answer.kind == "catalog":
        return [_cited(e.text, e.n) for e in ctx.evidence]
    lines = [" ".join(_cited(e.text, e.n) for e in ctx.evidence)]
    if answer is not None and answer.kind == "curated" and answer.verified_on:
        day = answer.verified_on
        lines.append(f"(Verificado el {day.day} de {_MONTHS[day.month - 1]} de {day.year}.)")
        if answer.caution:
            lines.append(answer.caution)
    return lines


def compose(ctx: TurnContext) -> str:
    """The whole answer for a regular turn (questions and diagnosis)."""
    blocks: list[list[str]] = []
    if ctx.changed and ctx.profile.sector:
        blocks.append([describe_profile(ctx.profile, corrected=ctx.corrected)])
    blocks.append(_answer_lines(ctx))
    if ctx.show_recommendations:
        blocks += [_use_case_lines(ctx), _path_lines(ctx), _program_lines(ctx)]
    if ctx.questions:
        blocks.append([" ".join(ctx.questions[:2])])
    text = "\n\n".join("\n".join(b) for b in blocks if b)
    return text or "Cuéntame un poco de tu negocio: ¿a qué se dedica y en qué estado está?"


def greeting(ctx: TurnContext) -> str:
    return (
        "¡Hola! Soy Mipyme IA. Te ayudo a aprovechar la inteligencia artificial en tu negocio: "
        "ideas para tu giro, cursos gratuitos en orden y los apoyos de Plan México que te aplican.\n\n"
        + (" ".join(ctx.questions[:2]) or "¿En qué te ayudo?")
    )


def thanks(ctx: TurnContext) -> str:
    return "¡Con gusto! Si quieres, pregúntame por un curso, un apoyo o una idea para tu negocio."


def profile_answer(ctx: TurnContext) -> str:
    if (
        not any(ctx.profile.model_dump(exclude={"signals", "goals"}).values())
        and not ctx.profile.goals
    ):
        return "Todavía no sé nada de tu negocio. Cuéntame a qué se dedica y en qué estado está."
    return describe_profile(ctx.profile, full=True) + (
        "\n\nSi algo está mal, corrígeme (por ejemplo: «no, estoy en Puebla»). "
        "Para borrar todo escribe «borra mis datos»."
    )


def forget_answer(ctx: TurnContext) -> str:
    return "Listo: borré tu perfil y tu historial. Si vuelves a escribir, empezamos de cero."


def handoff_answer(ctx: TurnContext) -> str:
    return f"Claro. Para hablar con una persona: {ctx.handoff_contact}"


def language_answer(ctx: TurnContext) -> str:
    return language_notice(detect_language(ctx.message))


def injection_answer(ctx: TurnContext) -> str:
    text = (
        "No puedo cambiar mis reglas ni compartir mis instrucciones internas. Lo que sí puedo es "
        "ayudarte con tu negocio: ideas de inteligencia artificial para tu giro, cursos gratuitos "
        "y apoyos de Plan México."
    )
    return text + ("\n\n" + " ".join(ctx.questions[:2]) if ctx.questions else "")


_WRITERS: dict[str, Callable[[TurnContext], str]] = {
    "greeting": greeting,
    "thanks": thanks,
    "profile": profile_answer,
    "forget": forget_answer,
    "handoff": handoff_answer,
    "injection": injection_answer,
    "language": language_answer,
}


def write(ctx: TurnContext) -> str:
    """The whole offline answer of a turn, by intent."""
    return _WRITERS.get(ctx.intent, compose)(ctx)


def chunks(text: str, size: int = 48) -> list[str]:
    """Split an offline answer into word-aligned deltas so every channel streams alike."""
    out, buf = [], ""
    for word in re.split(r"(?<=\s)", text):
        buf += word
        if len(buf) >= size:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


class OfflineComposer:
    """The `Composer` that needs no model: the same text for `write`, `stream` and `finalize`."""

    async def stream(self, ctx: TurnContext) -> AsyncIterator[str]:
        for piece in chunks(write(ctx)):
            yield piece

    def finalize(self, ctx: TurnContext, text: str) -> str:
        return write(ctx)
