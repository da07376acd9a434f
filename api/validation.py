"""Spanish, human-readable summaries of pydantic validation errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# field -> (noun phrase with article, is feminine)
_FIELDS: dict[str, tuple[str, bool]] = {
    "message": ("El mensaje", False),
    "session_id": ("El identificador de sesión", False),
    "message_id": ("El identificador del mensaje", False),
    "channel": ("El canal", False),
    "rating": ("La calificación", True),
    "reason": ("El motivo", False),
    "q": ("La búsqueda", True),
    "level": ("El nivel", False),
    "topic": ("El tema", False),
    "model": ("El modelo", False),
    "messages": ("La lista de mensajes", True),
    "role": ("El rol", False),
    "content": ("El contenido", False),
    "user": ("El usuario", False),
}


def _subject(loc: Sequence[Any]) -> tuple[str, bool]:
    names = [str(p) for p in loc[1:] if not isinstance(p, int)]
    if not names:
        return ("El cuerpo de la solicitud", False)
    name = names[-1]
    return _FIELDS.get(name, (f"El campo «{name}»", False))


def _one(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    loc = tuple(error.get("loc") or ())
    subject, fem = _subject(loc)
    a = "a" if fem else "o"
    if kind == "missing":
        if len(loc) <= 1:
            return "Falta el cuerpo de la solicitud: envía un objeto JSON."
        return f"Falta {subject[0].lower()}{subject[1:]}."
    if kind == "string_too_short":
        if ctx.get("min_length", 1) <= 1:
            return f"{subject} no puede estar vací{a}."
        return f"{subject} debe tener al menos {ctx['min_length']} caracteres."
    if kind == "string_too_long":
        return f"{subject} supera los {ctx.get('max_length')} caracteres."
    if kind == "too_short":
        return f"{subject} no puede estar vací{a}."
    if kind == "too_long":
        return f"{subject} tiene demasiados elementos (máximo {ctx.get('max_length')})."
    if kind in {"literal_error", "enum"}:
        return f"{subject} debe ser uno de estos valores: {ctx.get('expected', '')}."
    if kind == "string_pattern_mismatch":
        return f"{subject} tiene caracteres no permitidos (usa letras, números, - o _)."
    if kind == "string_type":
        return f"{subject} debe ser texto."
    if kind in {"model_attributes_type", "dict_type", "model_type"}:
        if len(loc) <= 1:
            return "El cuerpo debe ser un objeto JSON (con Content-Type: application/json)."
        return f"{subject} debe ser un objeto JSON."
    if kind == "list_type":
        return f"{subject} debe ser una lista."
    if kind.startswith(("int_", "float_", "decimal_")):
        return f"{subject} debe ser un número."
    if kind.startswith("bool_"):
        return f"{subject} debe ser verdadero o falso (true/false)."
    if kind == "extra_forbidden":
        return f"{subject} no se admite en esta solicitud."
    return f"{subject} no es válid{a}."


def describe(errors: Sequence[dict[str, Any]], limit: int = 3) -> str:
    """One Spanish sentence per distinct problem (at most `limit`), joined with spaces."""
    seen: list[str] = []
    for error in errors:
        text = _one(error)
        if text not in seen:
            seen.append(text)
    return " ".join(seen[:limit]) or "La solicitud no es válida."
