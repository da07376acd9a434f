"""How a message asks: whether it leans on the last answer, confirms what was said, sets the last
topic aside, asks a fact, doubts AI itself, or asks what a name it just said is."""

from __future__ import annotations

import re

from assistant.answering.curated import (
    facets,
    names_in,
    owner_words,
)
from assistant.understanding.text import fold, keyword_tokens, words

# "¿y cómo lo tramito?", "¿y eso ya llegó a Oaxaca?": a question that leans on the last one.
# "¿Me lo dan aunque no tenga programa del Bienestar?": two pronouns before the verb stand for
# what was just talked about; so does "¿qué ley es?" (which one is the thing just told).
_FOLLOW_UP = re.compile(
    r"^\W*y\b|\b(eso|esos|esas|ese|esa|ahi|alli|tambien|entonces)\b"
    r"|^\W*(?:y\s+)?(?:que|q|cual)\s+\w+\s+(?:es|era)\b(?!\s+\w+\s+(?:de|del)\b)"
    r"|^\W*(?:pero\s+)?(?:me|te|se|nos|les?)\s+(?:lo|la|los|las)\s+"
    r"(?!(?:paso|pasa|pasamos|vivo|vive|arreglo|arreglamos|juego|rifo|rifa)\b)\w+"
)
_HERE = re.compile(r"\b(aqui|aca|por aca|mi estado|mi ciudad|mi municipio|de aqui)\b")


def leans_on_before(message: str) -> bool:
    """ "¿Y cómo lo tramito?", "¿y eso ya llegó?": a question that points back."""
    return bool(_FOLLOW_UP.search(fold(message)))


def is_short(message: str, words: int = 2) -> bool:
    return len(keyword_tokens(message)) <= words


# "No somos textiles, hacemos arneses": the owner talks about the business, nothing to refuse.
_ABOUT_ME = re.compile(
    r"\b(somos|soy|tengo|tenemos|vendemos|vendo|hacemos|hago|fabricamos|trabajo|trabajamos"
    r"|nosotros|mi negocio|mi hijo|mi hija|mi papa|mi mama|yo si|yo no)\b"
)
# "Usamos Excel y WhatsApp Business", "ya tenemos la denominación": what the owner already uses
# or has, told as a fact, asks for no explanation of it.
_USES = re.compile(r"\b(usamos|uso|utilizamos|utilizo|manejamos|manejo|ya tenemos|ya tengo)\b")
# "¿Se puede que la IA me traduzca…?", "¿de verdad sirve?": a question that a yes answers, and
# that the idea which shows how goes after.
_YES_NO = re.compile(
    r"^\W*(?:y\s+)?(?:se puede|puedo|podria|puede|pueden|me puede|nos puede|la ia (?:me |nos )?"
    r"(?:puede|podria|sirve|ayuda)|sirve|serviria|funciona|funcionaria|es posible|hay forma|hay manera"
    r"|me (?:ayuda|traduce|sirve)|nos (?:ayuda|sirve))\b"
    r"|\b(?:de verdad|en serio|neta|realmente) (?:sirve|funciona|ayuda)\b"
    r"|\b(?:sirve|funciona) (?:de verdad|en serio|o es)\b"
)
# "¿De verdad sirve o es puro cuento?", "¿neta funciona o es pura moda?": a doubt about AI
# itself, answered with an honest yes and its limits, then how to measure it.
_DOUBT = re.compile(
    r"\b(puro cuento|pura moda|puro rollo|pura mentira|de a mentis"
    r"|(?:de verdad|en serio|neta|realmente|si) (?:sirve|funciona|jala)"
    r"|(?:sirve|funciona|jala) (?:de verdad|en serio|o no))\b"
)
# What the doubt is about: AI itself ("eso de la IA"), not a course or a program.
_ABOUT_AI = re.compile(r"\b(ia|inteligencia artificial|eso|esto|esa|esta|la tecnologia)\b")
# Words of a request for recommendations, not of a subject ("pásame la ruta de cursos").
_RECOMMEND_WORDS = frozenset(
    keyword_tokens(
        "recomiendas recomienda recomiendan recomendacion curso cursos ruta rutas idea ideas "
        "pasame dame empezar tomar tomo mejor primero siguiente nivel para mi mio pasas mandas "
        "das enseñas muestras compartes sirve sirven conviene convienen"
    )
)
# "¿Cómo usan la IA las escuelas?", "¿para qué le sirve a un hotel?": how another business uses it.
_OTHERS_USE = re.compile(
    r"\b(?:como|para que|en que|pa que)\b(?:\s+\w+){0,3}?\s+(?:la\s+)?"
    r"(?:usan|usa|utilizan|utiliza|ocupan|ocupa|aprovechan|aprovecha|les? sirve|le sacan)\b"
)
# "¿Cuánto cuesta…?", "¿cuándo…?", "¿dónde…?" asked as a question: a fact, not a need.
_FACT_QUESTION = re.compile(
    r"\b(cuanto (?:\w+ ){0,3}(cuesta|cuestan|cobran|cobra|sale|salen|pago|pagar|paga|pagan|tarda"
    r"|tardan|dura|duran|queda|quedan|quita|quitan|descuenta|descuentan|retiene|es|son)"
    r"|que precio|cuando|donde|que requisitos|que documentos)\b"
)
# "…es gratis, ¿verdad?", "…ya me toca, ¿o no?": a tag that asks to confirm what was just said.
_CONFIRM_TAG = re.compile(
    r"[\s,]*¿?\s*(?:verdad|cierto|o no|no|correcto|neta|a poco|es asi|o me equivoco)"
    r"\s*\?+\s*$"
)


def confirmation_tag(message: str) -> tuple[str, bool]:
    """The message without its confirmation tag, and whether it had one: the tag says nothing of
    the subject (and "verdad", a word no entry uses, would outweigh the words that do)."""
    folded = fold(message)
    m = _CONFIRM_TAG.search(folded)
    if m is None or m.start() == 0:
        return message, False
    tail = len(folded) - m.start()  # the tag is at the end: cut as many characters there
    return message[: len(message) - tail].rstrip(" ,¿") + "?", True


# "No, te pregunto por mi papelería…", "no me refiero a eso…", "eso no, lo que quiero es…": the
# owner sets the last topic aside; the words that say so are not what is asked.
_SET_ASIDE = re.compile(
    r"^\W*(?:(?:no|nel|nop|nope)\b[\s,.!]*(?:eso\b[\s,.!]*)?(?:no\b[\s,.!]*)?"
    r"(?:(?:yo\s+)?te\s+(?:pregunto|preguntaba|pregunte|digo|decia)|(?:me\s+)?refiero|me\s+referia"
    r"|(?:yo\s+)?(?:hablo|hablaba)(?=\s+(?:de|del|sobre)\b)|es\s+eso|era\s+eso|quiero\s+eso"
    r"|pregunte\s+eso|te\s+pregunte\s+eso)"
    r"|eso\s+no\b|no\s+es\s+eso|no\s+era\s+eso)(?:\s+eso\b)?"
    r"(?:\s+(?:a|de|por|sobre|con)\s+eso\b)?(?:\s+(?:por|a|al|de|del|sobre|con)\b)?[\s,.;:!]*"
)
_WHAT_I_WANT = re.compile(
    r"^\W*(?:sino\s+(?:que\s+)?|mas\s+bien\s+)?(?:(?:yo\s+)?te\s+(?:pregunto|preguntaba)\s+"
    r"|lo\s+que\s+(?:yo\s+)?(?:quiero|quisiera|necesito|pregunto|te\s+pregunto|busco)"
    r"(?:\s+saber)?(?:\s+es)?(?:\s+saber)?\s+)?"
)


def topic_correction(message: str) -> tuple[str, bool]:
    """The message without the words that set the last topic aside, and whether it had them
    ("no, me refiero a mi florería, ¿qué hago yo?" -> "mi florería, ¿qué hago yo?")."""
    folded = fold(message)
    m = _SET_ASIDE.match(folded)
    if m is None:
        return message, False
    rest = folded[m.end() :]
    more = _WHAT_I_WANT.match(rest)
    cut = m.end() + (more.end() if more else 0)
    tail = len(folded) - cut  # folding keeps the length of what follows a cut like this one
    stripped = message[len(message) - tail :].strip(" ,.;:")
    if not keyword_tokens(stripped):
        return message, False
    # What the owner turns to is asked, with or without "?" ("lo que quiero es saber cómo…").
    return (stripped if "?" in stripped else stripped + "?"), True


# "cuanto sale shopify al mes": owners often leave out the "?"; a message that opens with the
# question word still asks.
_OPENS_ASKING = re.compile(
    r"^\W*(?:y\s+|oye\s+|oigan?\s+)?(?:cuanto|cuanta|cuando|donde|que precio)\b"
)
# Facets that ask for a figure, a date or a list of papers: what only the thing's owner states.
_FACT_FACETS = frozenset({"cost", "time", "requirements"})


def asks_fact(message: str) -> bool:
    folded = fold(message)
    asking = "?" in message or bool(_OPENS_ASKING.match(folded))  # not "no sé cuánto pan hornear"
    return asking and bool(_FACT_QUESTION.search(folded))


def asks_fact_of(message: str, explicit: bool) -> bool:
    """Whether a question asks a price, a fee, a date or the requirements of something: what a
    text about something else can't answer, however close its words."""
    return asks_fact(message) or (explicit and bool(facets(message) & _FACT_FACETS))


# "Me pidieron las DC-3, ¿q es eso?": what "eso" points to is the name said before it.
_WHAT_IS_THAT = re.compile(
    r"\b(?:que|q|k) (?:es|son|significa|onda con) (?:eso|esto|esa|ese|esos|esas)\b(?! del?\b)"
    r"|\b(?:eso|esto|esa|ese|esos|esas) (?:que|q|k) (?:es|son|significa)\b"
)


def what_is_that(message: str) -> str | None:
    """ "Vino un inspector y me pidió las DC-3, ¿q es eso?" -> "qué es dc3": a question about
    what something is, put with a pronoun, asks about the name the message says (the inspector
    who came is how it came up). None when it says no name we know, or asks something else."""
    said = owner_words(message)
    if not _WHAT_IS_THAT.search(said):
        return None
    named = [w for w in words(said) if names_in(w)]
    return f"que es {' '.join(dict.fromkeys(named))}" if named else None


_QUESTION_STEMS = frozenset(keyword_tokens("cuanto cuanta cuantos cuantas donde cuando como quien"))
