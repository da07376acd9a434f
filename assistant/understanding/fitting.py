"""An idea's first step, fitted to what the owner said (read here, with the rest of the owner's
Spanish, so the recommender and the answers fit it alike).

The stored first step of a use case carries an example written for one kind of business of the
sector ("cotizar playeras con bordado", "una reforma o una resolución", "respuestas en español y
en inglés"). An owner who named their product, document or language reads the step with it:
- a language named ("contestarles en italiano", "en varios idiomas") replaces the step's English;
- a product the owner makes or sells ("maquilamos pantalón de mezclilla") or a document they
  work with ("resumir las pólizas") takes the place of the example marked in the data
  (`UseCase.step_examples`);
- an example written for another business of the sector (a barandal for a carpintería, a fonda's
  menu for a cafetería) gives way to neutral wording.

And one way to say an idea in a sentence: "Para eso te sirve «título»: cómo. Empieza así: paso".
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.knowledge.models import StepExample, UseCase
from assistant.understanding.text import canonical, fold

# Languages an owner may ask to answer in (folded -> as written in Spanish).
LANGUAGES = {
    "ingles": "inglés",
    "frances": "francés",
    "italiano": "italiano",
    "aleman": "alemán",
    "portugues": "portugués",
    "japones": "japonés",
    "chino": "chino",
    "mandarin": "chino mandarín",
    "coreano": "coreano",
    "ruso": "ruso",
    "holandes": "neerlandés",
    "hebreo": "hebreo",
    "arabe": "árabe",
    "maya": "maya",
    "zapoteco": "zapoteco",
    "nahuatl": "náhuatl",
    "mixteco": "mixteco",
    "tzotzil": "tzotzil",
}
_LANGUAGE = re.compile(
    r"\b(?:en|al|a|hablan|habla|hablen|escriben|idioma)\s+(?:puro\s+|el\s+)?("
    + "|".join(LANGUAGES)
    + r")\b(?:\s+(?:y|e|o)\s+(?:en\s+|al\s+)?("
    + "|".join(LANGUAGES)
    + r"))?"
)
_MANY = re.compile(r"\b(?:varios|otros|distintos|diferentes|muchos|cualquier|su)\s+idiomas?\b")
# The step's English, as the data writes it ("en español y en inglés", "al inglés").
_STEP_ENGLISH = re.compile(r"\b(en|al) (?:español (?:y en|e) )?inglés\b")

# Documents an owner works with (folded stem -> "a document" as the step says it).
DOCUMENTS = {
    "poliza": "una póliza",
    "contrato": "un contrato",
    "reglamento": "un reglamento",
    "manual": "un manual",
    "expediente": "un expediente",
    "licitacion": "unas bases de licitación",
    "bases de licitacion": "unas bases de licitación",
    "convocatoria": "una convocatoria",
    "norma": "una norma",
    "ley": "una ley",
    "escritura": "una escritura",
    "sentencia": "una sentencia",
    "dictamen": "un dictamen",
    "estado de cuenta": "un estado de cuenta",
    "ficha tecnica": "una ficha técnica",
    "acta": "un acta",
    "reglas de operacion": "unas reglas de operación",
    "avaluo": "un avalúo",
    "peritaje": "un peritaje",
}
_DOCUMENT = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(d) for d in DOCUMENTS), key=len, reverse=True))
    + r")(?:s|es)?\b"
)
# Words that end the list of what the business makes ("hacemos sudaderas y pants, somos 6").
_ENDS = (
    "y e pero para pa en con desde porque por somos tenemos tengo soy estoy aqui alla que q a al "
    "como sobre mas todo todos cada me nos se trabajo trabajamos atiendo atendemos ahi donde "
    "cuando hace hasta sin"
)
_ITEM = r"(?!(?:{0})\b)[a-zn]+(?:\s+(?!(?:{0})\b)[a-zn]+){{0,4}}".format("|".join(_ENDS.split()))
# "maquilamos pantalón de mezclilla", "vendemos café de olla, chilaquiles y molletes": what the
# business makes or sells, up to where the list ends.
_MAKES = re.compile(
    r"\b(?:vendo|vendemos|hago|hacemos|maquilo|maquilamos|maquila de|fabrico|fabricamos|produzco"
    r"|producimos|elaboro|elaboramos|preparo|preparamos|confecciono|confeccionamos|cosemos"
    r"|coso|horneamos|horneo|ofrezco|ofrecemos)\s+"
    rf"({_ITEM}(?:(?:\s*,\s*|\s+(?:y|e)\s+){_ITEM}){{0,4}})"
)
# What says nothing about the product ("hacemos de todo", "vendo poquito", "hago lo que sea").
_NOT_A_PRODUCT = frozenset(
    "de lo todo poco poquito mucho muchas muchos bien mal varias varios cosas cosa algo bastante "
    "diario chamba trabajo trabajos servicio servicios entregas cotizaciones presupuestos "
    "pedidos ventas menos tambien igual ya un una unos unas el la los las mi mis su sus "
    "nuestra nuestro nuestros nuestras comida productos producto mercancia".split()
)
_WHAT_YOU_DO = "[lo que haces]"  # the general ideas' blank for the business
_ARTICLE = re.compile(r"^(?:los|las|el|la|unos|unas|puros|puras)\s+")


@lru_cache(maxsize=256)  # every idea of a turn asks the same text
def named_language(message: str) -> str | None:
    """The language the owner asks to answer in ("contestarle en italiano" -> "italiano",
    "en inglés y francés" -> "inglés y francés"), "varios" for several unnamed; Spanish is not
    one to ask for. None when no language is named."""
    folded = fold(message)
    found = [
        (m.start(), [LANGUAGES[g] for g in m.groups() if g and g in LANGUAGES])
        for m in _LANGUAGE.finditer(folded)
    ]
    names = list(dict.fromkeys(n for _, group in sorted(found) for n in group))
    if names:
        return " y ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    return "varios" if _MANY.search(folded) else None


@lru_cache(maxsize=256)  # every idea of a turn asks the same text
def named_document(message: str) -> str | None:
    """A document the owner works with ("resumir las polizas" -> "una póliza")."""
    m = _DOCUMENT.search(fold(message))
    return DOCUMENTS[m.group(1)] if m else None


@lru_cache(maxsize=256)  # every idea of a turn asks the same text
def named_product(said: str) -> str | None:
    """What the business makes or sells, in the owner's words ("maquilamos pantalon de
    mezclilla" -> "pantalon de mezclilla"); None when they said nothing specific."""
    folded = fold(said)
    # The owner's own spelling (accents and all) when folding kept every character in place.
    plain = canonical(said).lower()
    original = plain if len(plain) == len(folded) else folded
    for m in _MAKES.finditer(folded):
        item = _ARTICLE.sub("", m.group(1).strip())
        first = item.split()[0] if item else ""
        if first and first not in _NOT_A_PRODUCT and len(item) >= 4:
            start = m.start(1) + len(m.group(1)) - len(m.group(1).lstrip())
            start += len(m.group(1).strip()) - len(item)
            return original[start : m.end(1)].strip() or item
    return None


def _language_step(text: str, language: str) -> str:
    """The step's English replaced by the language asked for."""
    if language == "varios":
        return _STEP_ENGLISH.sub(
            lambda m: (
                "en los idiomas en que más te escriben"
                if m.group(1) == "en"
                else "a los idiomas en que más te escriben"
            ),
            text,
        )
    if language == "inglés":
        return text
    return _STEP_ENGLISH.sub(lambda m: f"{m.group(1)} {language}", text)


def _says_any(folded: str, phrases: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(fold(p))}", folded) for p in phrases)


def _example(example: StepExample, folded_said: str, message: str) -> str | None:
    """What replaces one example of the step, or None to keep it."""
    if example.kind == "document":
        item = named_document(message) or named_document(folded_said)
    else:
        item = named_product(folded_said)
    if item and not _says_any(fold(item), example.fits or ["\0"]):
        return example.named.replace("{}", item)
    if folded_said.strip() and example.fits and not _says_any(folded_said, example.fits):
        return example.neutral
    return None


def fit_step(uc: UseCase, said: str = "", message: str = "") -> str:
    """The idea's first step for this owner: with the product, document or language they named
    (`message`: this turn's; `said`: all they wrote), and without an example of another business
    of the sector. The stored step when nothing is known."""
    text = uc.first_step
    folded = fold(said)
    for example in uc.step_examples:
        replacement = _example(example, folded, message)
        if replacement is not None:
            text = text.replace(example.text, replacement)
    if _WHAT_YOU_DO in text and (product := named_product(said)):
        text = text.replace(_WHAT_YOU_DO, product)  # "mi negocio de [lo que haces]"
    return fit_language(text, message if named_language(message) else said)


def fit_language(text: str, message: str) -> str:
    """Any text of an idea (its step, what the AI does) in the language the owner asked for."""
    language = named_language(message) if message else None
    return _language_step(text, language) if language else text


def lower_first(text: str) -> str:
    """ "Sube a NotebookLM…" -> "sube a NotebookLM…" (a brand or an acronym keeps its case)."""
    head = text.split(" ", 1)[0]
    if len(head) > 1 and (head[1:2].isupper() or any(c.isupper() for c in head[1:])):
        return text
    return text[:1].lower() + text[1:]


def idea_sentence(title: str, how: str, step: str, lead: str = "Para eso te sirve") -> str:
    """One idea said as owners read it: "Para eso te sirve «título»: cómo. Empieza así: paso"
    (no `lead`: "«título»: cómo. Empieza así: paso")."""
    how = how.strip().rstrip(".")
    text = f"{lead} «{title.rstrip('.')}»" if lead else f"«{title.rstrip('.')}»"
    text += f": {lower_first(how)}." if how else "."
    if step.strip():
        text += f" Empieza así: {lower_first(step.strip())}"
    return text
