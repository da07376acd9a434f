"""What to do with one inbound message: ask the assistant, answer a fixed text, or ignore."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from api.whatsapp.choices import text_for_choice
from api.whatsapp.payloads import InboundMessage
from assistant.limits import MAX_MESSAGE_CHARS
from assistant.understanding.places import state_from_coordinates

log = logging.getLogger(__name__)

MAX_USER_TEXT = MAX_MESSAGE_CHARS

ONLY_TEXT = "Por ahora solo puedo leer mensajes de texto. ¿Me lo escribes?"
NO_AUDIO = "Por ahora no puedo escuchar audios. ¿Me lo escribes en un mensaje de texto?"
NO_MEDIA = (
    "Por ahora no puedo ver imágenes, videos ni archivos; solo leo mensajes de texto. "
    "¿Me lo escribes?"
)
TOO_LONG = (
    f"Tu mensaje es muy largo para mí (máximo {MAX_USER_TEXT} caracteres). "
    "¿Me lo resumes en un mensaje más corto?"
)
ASK_STATE = "Gracias por tu ubicación. ¿En qué estado de la República está tu negocio?"
ASK_STATE_ABROAD = (
    "Recibí tu ubicación, pero no parece estar en México. "
    "¿En qué estado de la República está tu negocio?"
)

_MEDIA = {"image", "video", "document", "sticker"}
_SILENT = {"reaction", "system", "ephemeral", "revoke"}


@dataclass(frozen=True)
class Action:
    """`ask`: send `text` to the assistant; `reply`: send `text` as is; `ignore`: nothing."""

    kind: Literal["ask", "reply", "ignore"]
    text: str = ""


def _ask(text: str | None) -> Action:
    text = (text or "").strip()
    if not text:
        return Action("reply", ONLY_TEXT)
    if len(text) > MAX_USER_TEXT:
        return Action("reply", TOO_LONG)
    return Action("ask", text)


async def _location(lat: float, lon: float) -> Action:
    try:
        state = state_from_coordinates(lat, lon)
    except Exception:
        log.exception("whatsapp: state_from_coordinates failed")
        return Action("reply", ASK_STATE)
    if state and state.strip():
        return Action("ask", f"Estoy en {state.strip()}")
    return Action("reply", ASK_STATE_ABROAD)


async def interpret(msg: InboundMessage) -> Action:
    """Decide how to answer `msg` (reactions and system notices are ignored)."""
    if msg.type == "text":
        return _ask(msg.text)
    if msg.type == "interactive":
        if msg.interactive_type in ("button_reply", "list_reply"):
            return _ask(text_for_choice(msg.choice_id, msg.choice_title))
        return Action("reply", ONLY_TEXT)
    if msg.type == "button":  # template quick reply
        return _ask(msg.text)
    if msg.type == "request_welcome":  # the user opened the chat for the first time
        return Action("ask", "Hola")
    if msg.type == "location":
        if msg.latitude is None or msg.longitude is None:
            return Action("reply", ASK_STATE)
        return await _location(msg.latitude, msg.longitude)
    if msg.type in _SILENT:
        return Action("ignore")
    if msg.type == "audio":
        return Action("reply", NO_AUDIO)
    if msg.type in _MEDIA:
        return Action("reply", NO_MEDIA)
    return Action("reply", ONLY_TEXT)
