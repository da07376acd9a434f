"""Who actually handles what we can't answer: the refusal points there, not always to Economía."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.understanding.text import fold


@dataclass(frozen=True)
class Referral:
    name: str
    url: str


ECONOMIA = Referral("la Secretaría de Economía", "https://www.gob.mx/se")
AWS_EXAMS = Referral(
    "la página oficial de certificación de AWS (AWS Training and Certification)",
    "https://aws.amazon.com/certification/",
)

# Folded keyword pattern -> institution; the first that matches the question wins, so the
# specific ones (a trademark, a sanitary permit) come before the broad ones (taxes, credit).
_RULES: tuple[tuple[re.Pattern[str], Referral], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (
            r"\b(marcas?|patentes?|impi|propiedad industrial)\b",
            Referral(
                "el IMPI (Instituto Mexicano de la Propiedad Industrial)", "https://www.gob.mx/impi"
            ),
        ),
        (
            r"\b(cofepris|registro sanitario|permiso sanitario|sanitari)",
            Referral(
                "la COFEPRIS (Comisión Federal para la Protección contra Riesgos Sanitarios)",
                "https://www.gob.mx/cofepris",
            ),
        ),
        (
            r"\b(imss|seguro social|cuotas? obrero|infonavit)",
            Referral("el IMSS", "https://www.imss.gob.mx"),
        ),
        (
            r"\b(jovenes construyendo|jcf|aprendic|becari)",
            Referral(
                "Jóvenes Construyendo el Futuro (STPS)",
                "https://jovenesconstruyendoelfuturo.stps.gob.mx",
            ),
        ),
        (
            r"\b(dc-?3|stps|capacitador)",
            Referral(
                "la Secretaría del Trabajo y Previsión Social (STPS)", "https://www.gob.mx/stps"
            ),
        ),
        (
            r"\b(examen|certificacion|certificarme|repruebo|reprobar|pearson)",
            AWS_EXAMS,
        ),
        (
            r"\b(sat|isr|iva|cfdi|rfc|resico)\b|\b(impuesto|factura|deduc|declaracion|fiscal)",
            Referral("el SAT", "https://www.sat.gob.mx"),
        ),
        (r"\b(bancomext|exporta)", Referral("Bancomext", "https://www.bancomext.com")),
        (
            r"\b(credito|prestamo|financiamiento|nafin|banco|tasa de interes|garantia)",
            Referral("Nafin o tu banco", "https://www.nafin.com"),
        ),
        (
            r"\b(datos personales|privacidad|inai)",
            Referral(
                "la Secretaría Anticorrupción y Buen Gobierno", "https://www.gob.mx/buengobierno"
            ),
        ),
        (
            r"\b(internet|cfe|chip|señal|senal)",
            Referral("CFE Telecomunicaciones e Internet para Todos", "https://www.cfe.mx/internet"),
        ),
        (r"\b(saberes|microcredencial)", Referral("SaberesMX (SEP)", "https://saberes.gob.mx/")),
    )
)
_NON_AWS_EXAM = (
    (
        re.compile(r"\b(microsoft|azure|ai-?90)"),
        Referral("Microsoft Learn", "https://learn.microsoft.com/credentials/"),
    ),
    (
        re.compile(r"\b(google|gemini)"),
        Referral("Google Cloud", "https://cloud.google.com/learn/certification"),
    ),
)


def institution_for(question: str) -> Referral | None:
    """The institution whose subject `question` names (the IMSS for its fees, the IMPI for a
    trademark), or None when it names none."""
    folded = fold(question)
    for rx, ref in _RULES:
        if rx.search(folded):
            if ref is AWS_EXAMS:
                for other_rx, other in _NON_AWS_EXAM:
                    if other_rx.search(folded):
                        return other
            return ref
    return None


def institutions_in(text: str) -> frozenset[str]:
    """Every institution whose subject `text` speaks of (by name)."""
    folded = fold(text)
    found = {ref.name for rx, ref in _RULES if rx.search(folded)}
    if AWS_EXAMS.name in found:
        found |= {other.name for rx, other in _NON_AWS_EXAM if rx.search(folded)}
    return frozenset(found)


def referral_for(question: str, fallback: Referral | None = None) -> Referral:
    """The institution that handles what `question` asks; `fallback` (the topic's) or Economía."""
    return institution_for(question) or fallback or ECONOMIA
