"""Mexican business vocabulary, expanded into the words our documents use."""

from __future__ import annotations

import re

from assistant.understanding.text import fold

# Folded term -> words that the knowledge base uses for it.
GLOSSARY: dict[str, str] = {
    "pyme": "mipyme pequeña mediana empresa negocio",
    "pymes": "mipymes pequeñas medianas empresas negocios",
    "mipyme": "micro pequeña mediana empresa",
    "changarro": "tienda abarrotes tiendita negocio pequeño",
    "tiendita": "tienda abarrotes miscelánea",
    "miscelanea": "tienda abarrotes",
    "fonda": "restaurante cocina económica comida",
    "cocina economica": "restaurante fonda",
    "sat": "Servicio de Administración Tributaria impuestos fiscal",
    "rfc": "Registro Federal de Contribuyentes SAT",
    "curp": "Clave Única de Registro de Población",
    "cfdi": "factura electrónica comprobante fiscal digital SAT",
    "factura": "CFDI facturación electrónica",
    "facturar": "CFDI facturación electrónica",
    "resico": "Régimen Simplificado de Confianza SAT impuestos",
    "imss": "Instituto Mexicano del Seguro Social",
    "infonavit": "vivienda trabajadores",
    "nafin": "Nacional Financiera crédito financiamiento banca de desarrollo",
    "nafinsa": "Nacional Financiera crédito financiamiento",
    "bancomext": "Banco Nacional de Comercio Exterior crédito exportación",
    "economia": "Secretaría de Economía",
    "aws": "Amazon Web Services nube",
    "ia": "inteligencia artificial",
    "ai": "inteligencia artificial",
    "chatgpt": "inteligencia artificial generativa asistente",
    "compu": "computadora",
    "compus": "computadoras",
    "cel": "celular teléfono",
    "lana": "dinero financiamiento crédito",
    "prestamo": "crédito financiamiento",
    "credito": "financiamiento préstamo",
    "chamba": "trabajo empleo",
    "feria": "dinero",
    "gratis": "gratuito sin costo",
    "sin pagar": "gratis gratuito sin costo",
    "sin costo": "gratis gratuito",
    "kiero": "quiero",
    "alebrije": "artesanías artesano",
    "alebrijes": "artesanías artesano",
    "instrucciones al chatgpt": "prompts ingeniería de prompts",
    "escribirle": "prompt instrucciones",
    "prompt": "ingeniería de prompts instrucciones",
    "face": "Facebook redes sociales",
    "insta": "Instagram redes sociales",
    "polo": "polos de desarrollo económico para el bienestar",
    "polos": "polos de desarrollo económico para el bienestar",
    "podecobi": "polos de desarrollo económico para el bienestar",
    "deducir": "deducción inmediata estímulo fiscal",
    "deduccion": "deducción estímulo fiscal incentivo",
    "estimulo": "estímulo fiscal incentivo deducción",
    "incentivos": "estímulos fiscales deducción",
    "capacitar": "capacitación curso formación",
    "cursos": "capacitación formación curso",
    "certificacion": "certificación examen",
    "internet": "conectividad hogares",
    "whats": "WhatsApp",
    "wats": "WhatsApp",
    "guatsap": "WhatsApp",
    "tarjeta": "pagos digitales terminal cobro",
    "terminal": "pagos digitales cobro con tarjeta",
}

_TERMS = sorted(GLOSSARY, key=len, reverse=True)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(t) for t in _TERMS) + r")\b")


def expand(query: str) -> str:
    """The query plus the glossary words of every term it mentions."""
    found = dict.fromkeys(_PATTERN.findall(fold(query)))
    if not found:
        return query
    return query + " " + " ".join(GLOSSARY[t] for t in found)
