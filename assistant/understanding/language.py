"""A small language check: is this answer Spanish? (An LLM may drift to English.)"""

from __future__ import annotations

from assistant.understanding.text import words

_ES = {
    "de",
    "la",
    "que",
    "el",
    "en",
    "y",
    "los",
    "para",
    "con",
    "una",
    "por",
    "las",
    "del",
    "tu",
    "es",
    "puedes",
    "te",
    "un",
    "se",
    "como",
    "mas",
    "tus",
    "negocio",
    "curso",
    "si",
    "al",
}
_EN = {
    "the",
    "and",
    "to",
    "of",
    "you",
    "for",
    "with",
    "is",
    "your",
    "in",
    "that",
    "this",
    "are",
    "can",
    "it",
    "on",
    "be",
    "course",
    "business",
    "will",
    "an",
    "as",
    "or",
    "have",
}


def is_spanish(text: str) -> bool:
    """True when Spanish function words clearly outnumber English ones."""
    tokens = words(text)
    if len(tokens) < 4:
        return True
    es = sum(t in _ES for t in tokens)
    en = sum(t in _EN for t in tokens)
    return es >= 2 and es > 1.5 * en
