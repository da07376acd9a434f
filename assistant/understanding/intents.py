"""What the user wants from this turn, by rules that survive typos and missing accents."""

from __future__ import annotations

import re
from typing import Literal

from assistant.understanding.text import fold

Intent = Literal[
    "greeting",
    "profile",
    "forget",
    "handoff",
    "question",
    "diagnosis",
    "out_of_scope",
    "thanks",
    "injection",
]

_HELLO = (
    r"(hola+|holi|ola|buen[oa]s?|buen dia|dias|tardes|noches|que tal|hey|saludos|que onda|buenas)"
)
_GREETING = re.compile(rf"^\s*{_HELLO}(\s*[,!.¡]*\s*{_HELLO})*[\s!.,?¡¿]*$")
_THANKS = re.compile(r"^\s*(gracias|muchas gracias|mil gracias|ok gracias|va,? gracias)\b[\s!.]*$")
_PROFILE = re.compile(r"\b(mi perfil|que sabes de mi|mis datos guardados|ver (mi )?perfil)\b")
_FORGET = re.compile(
    r"\b(borra|borrar|elimina|eliminar|olvida|olvidar|quita)( todos)? (mis datos|mi informacion|todo lo que sabes"
    r"|mi perfil|mi historial)\b|\bolvidame\b"
)
_HANDOFF = re.compile(
    r"\b(hablar|platicar|comunicarme|contactar) con (una |un )?(persona|humano|asesor|asesora|agente|alguien)\b"
    r"|\b(quiero|necesito) (un|una) (asesor|asesora|persona|humano)\b"
)
# Words that place a message inside our domain even when retrieval finds nothing useful.
DOMAIN = re.compile(
    r"\b(marca|registr\w*|tramite\w*|permiso\w*|licencia\w*|impi|banco\w*|tasa|interes|fondo|convocatoria|emprend\w*|beca\w*|subsidio\w*"
    r"|negocio|empresa|pyme|mipyme|changarro|tienda|tiendita|venta|vender|cliente|curso|cursos"
    r"|capacita\w*|aprender|certifica\w*|programa|apoyo|credito|prestamo|financiamiento|impuesto\w*"
    r"|sat|rfc|cfdi|factura\w*|deduc\w*|estimulo|incentivo|plan mexico|polo|polos|gobierno"
    r"|ia|inteligencia artificial|chatgpt|nube|aws|amazon|whatsapp|redes sociales|inventario"
    r"|marketing|publicidad|empleado\w*|trabajador\w*|digital\w*|internet|computadora|compu)\b"
)
# Attempts to change our rules. They never change the answer's rules; the turn gets a fixed,
# polite reply instead of retrieval on text written to steer us.
INJECTION = re.compile(
    r"\b(ignora\w*|olvida\w*|omite|omitir|desobedece\w*|salta\w*|anula\w*|ignore)\b.{0,40}"
    r"\b(instruccion\w*|reglas?|indicaciones|restricciones|prompt|instructions|rules)\b"
    r"|system prompt|prompt del sistema|mensaje del sistema|instrucciones (internas|del sistema|originales|ocultas)"
    r"|tus (instrucciones|reglas)|(?m:^\s*(system|sistema)\s*:)|\[(system|sistema)\]|<\s*/?\s*system\s*>"
    r"|modo (desarrollador|dios|sin filtros?)|developer mode|jailbreak|\b(eres|seras|modo) dan\b|do anything now"
    r"|actua como|actuar como|finge (que eres|ser)|eres ahora|a partir de ahora (eres|seras|vas a)"
    r"|sin restricciones|sin filtros?|dime (tu|tus) (prompt|instrucciones|reglas)"
    r"|(revela\w*|muestrame)\b.{0,30}\b(prompt|instruccion\w*|reglas|indicaciones|configuracion)\b"
    r"|responde (solo )?en ingles|answer in english|reply in english"
)


def classify(message: str) -> Intent:
    """The turn's intent; 'question' covers anything about courses, programs and use cases."""
    text = fold(message).strip()
    if INJECTION.search(text):
        return "injection"
    if _FORGET.search(text):
        return "forget"
    if _PROFILE.search(text):
        return "profile"
    if _HANDOFF.search(text):
        return "handoff"
    if _GREETING.match(text):
        return "greeting"
    if _THANKS.match(text):
        return "thanks"
    return "question"


def in_domain(message: str) -> bool:
    return bool(DOMAIN.search(fold(message)))
