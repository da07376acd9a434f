"""A small language check: is this answer Spanish? (An LLM may drift to English.)"""

from __future__ import annotations

import unicodedata

from assistant.understanding.text import canonical, words

SPANISH_WORDS = {
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
ENGLISH_WORDS = {
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


def non_latin_share(text: str) -> tuple[int, float]:
    """(letters outside the Latin script, their share of all letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0, 0.0
    other = sum(1 for c in letters if not unicodedata.name(c, "LATIN").startswith("LATIN"))
    return other, other / len(letters)


def is_spanish(text: str) -> bool:
    """True when Spanish function words clearly outnumber English ones, and the letters are
    Latin (Russian or Chinese has no Spanish or English function words to count)."""
    other, share = non_latin_share(canonical(text))
    if other >= 2 and share > 0.15:
        return False
    tokens = words(text)
    if len(tokens) < 4:
        return True
    es = sum(t in SPANISH_WORDS for t in tokens)
    en = sum(t in ENGLISH_WORDS for t in tokens)
    return es >= 2 and es > 1.5 * en


# Words that mark a message as English, beyond the function words above.
_EN_MORE = {
    "i",
    "my",
    "we",
    "our",
    "do",
    "does",
    "please",
    "hello",
    "hi",
    "thanks",
    "what",
    "how",
    "have",
    "has",
    "would",
    "could",
    "should",
    "english",
    "speak",
    "answer",
    "reply",
    "run",
    "own",
    "shop",
    "store",
    "small",
    "want",
    "need",
    "help",
    "there",
    "any",
    "talk",
    "dad",
    "mom",
}
_ES_MORE = {
    "hola",
    "tengo",
    "tenemos",
    "somos",
    "quiero",
    "necesito",
    "mi",
    "mis",
    "pero",
    "porque",
    "cuanto",
    "cuantos",
    "donde",
    "hay",
    "gracias",
    "buenas",
    "no",
    "ya",
    "esta",
    "estoy",
    "nada",
    "muy",
    "cursos",
    "puedo",
    "ingles",
    "espanol",
}


# Portuguese words Spanish never uses (folded): a Brazilian visitor's "Olá, tenho uma loja" is
# not Spanish with typos. Words both languages share ("somos", "tres", "sim" of a SIM card, the
# folded "pequena") are left out.
_PT_WORDS = {
    "tenho",
    "temos",
    "uma",
    "um",
    "em",
    "com",
    "nao",
    "voce",
    "voces",
    "podem",
    "pode",
    "ajudar",
    "ajuda",
    "meu",
    "minha",
    "meus",
    "minhas",
    "pessoas",
    "obrigado",
    "obrigada",
    "tambem",
    "muito",
    "isso",
    "isto",
    "eu",
    "estou",
    "quero",
    "gostaria",
    "loja",
    "trabalho",
    "oi",
    "bom",
    "fazer",
    "sou",
}


def detect_language(text: str) -> str:
    """ "es", "en", "pt" or "other" (a non-Latin script, e.g. Chinese, Russian, Arabic, Hindi).

    Only a clear majority of English words makes a message English: owners mix in "delivery",
    "bed and breakfast" or "online" and are still writing Spanish.
    """
    text = canonical(text)  # "ｈｏｌａ" is Latin text typed on a full-width keyboard
    letters = [c for c in text if c.isalpha()]
    if letters:
        latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
        if latin / len(letters) < 0.5:
            return "other"
    tokens = words(text)
    if len(tokens) < 2:
        return "es"
    en = sum(t in ENGLISH_WORDS or t in _EN_MORE for t in tokens)
    es = sum(t in SPANISH_WORDS or t in _ES_MORE for t in tokens)
    if en >= 2 and en > 1.5 * es and en / len(tokens) >= 0.3:
        return "en"
    pt = sum(t in _PT_WORDS for t in tokens)
    if pt >= 3 and pt > 1.5 * es and pt / len(tokens) >= 0.25:
        return "pt"
    return "es"


def language_notice(language: str) -> str:
    """The short Spanish reply to a message in English or another language: we answer in
    Spanish, and what to send us to get help (with one English line, so it is understood)."""
    lead = "Por ahora solo respondo en español (sorry, I can only answer in Spanish for now)."
    if language == "other":
        lead = "Por ahora solo respondo en español."
    elif language == "pt":
        lead = (
            "Por ahora solo respondo en español (desculpe, por enquanto só respondo em espanhol)."
        )
    return (
        f"{lead} Si me escribes en español a qué se dedica tu negocio y en qué estado está, te "
        "doy ideas de inteligencia artificial para tu giro, cursos gratuitos (la mayoría en "
        "español; también hay en inglés si los prefieres) y los apoyos que te aplican."
    )
