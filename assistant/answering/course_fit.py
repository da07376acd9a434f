"""What the person asking changes in a course answer: someone new to computers starts with the
computer course, a relative who reads English gets the English courses named for them, and a
language the catalog lacks is said plainly."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from assistant.answering.catalog import CourseFacts, provider_name, title_of
from assistant.knowledge.models import Course
from assistant.schemas import BusinessProfile
from assistant.understanding.maturity import COMPUTER_BASICS_TOPICS, new_to_computers
from assistant.understanding.text import fold

# Who, in a message of the owner's, never used a computer: the staff ("mis empleados no le
# entienden a la compu", "los muchachos no saben usar la computadora") or the owner.
_STAFF = re.compile(
    r"\b(?:mis|los|las|nuestros|nuestras)\s+(?:empleados?|empleadas?|trabajadores|trabajadoras"
    r"|muchachos|muchachas|chavos|chavas|chicas|chicos|ayudantes|meseros|meseras|cajeros"
    r"|cajeras|vendedores|vendedoras|mecanicos|costureras|cocineras|gente)\b"
)
_COMPUTER = re.compile(r"\b(?:compus?|computadoras?|computacion|laptops?|pc|lap)\b")

# A relative (or helper) who reads English: "mi hija sí sabe inglés", "mi sobrino habla inglés",
# "mi hijo lee bien el inglés". Up to three words between, none of them a "no".
_KIN = (
    "hija|hijo|hijas|hijos|sobrina|sobrino|nieta|nieto|esposa|esposo|hermana|hermano|prima|primo"
    "|nuera|yerno|cunada|cunado|socia|socio|muchacha|muchacho|chava|chavo|vieja|viejo|senora"
)
_KIN_ENGLISH = re.compile(
    rf"\bmis?\s+({_KIN})\b((?:\s+\w+){{0,5}}?)\s+(?:si\s+|tambien\s+|bien\s+)?"
    r"(?:sabe|saben|habla|hablan|lee|leen|entiende|entienden|domina|dominan|maneja)"
    r"(?:\s+(?:bien|muy|mucho|perfecto|bastante|harto|algo|de)){0,3}\s+(?:el\s+|al\s+)?ingles\b"
)
_KIN_SHOWN = {"vieja": "esposa", "viejo": "esposo", "senora": "señora"}
_KIN_ACCENTS = {"cunada": "cuñada", "cunado": "cuñado"}

# Languages an owner may ask courses in (folded name -> catalog code, or None for the ones no
# catalog entry lists: the national languages, French, German...), and how they are written.
LANGUAGES: dict[str, tuple[str | None, str]] = {
    "portugues": ("pt", "portugués"),
    "frances": ("fr", "francés"),
    "aleman": ("de", "alemán"),
    "italiano": ("it", "italiano"),
    "japones": ("ja", "japonés"),
    "chino": ("zh", "chino"),
    "coreano": ("ko", "coreano"),
    "nahuatl": (None, "náhuatl"),
    "zapoteco": (None, "zapoteco"),
    "mixteco": (None, "mixteco"),
    "maya": (None, "maya"),
    "otomi": (None, "otomí"),
    "tzotzil": (None, "tzotzil"),
    "tzeltal": (None, "tzeltal"),
    "mazateco": (None, "mazateco"),
    "totonaco": (None, "totonaco"),
    "purepecha": (None, "purépecha"),
    "mixe": (None, "mixe"),
    "chinanteco": (None, "chinanteco"),
}
# Words that are also places or nicknames ("la Riviera Maya", "el Chino"): only "en maya".
_AMBIGUOUS = frozenset({"maya", "chino", "mixe"})
_NAMES = "|".join(LANGUAGES)
_IN_LANGUAGE = re.compile(rf"\ben\s+(?:lengua\s+|idioma\s+)?({_NAMES})\b")
_LANGUAGE_WORD = re.compile(rf"\b({_NAMES})\b")
_COURSE_WORD = re.compile(r"\b(?:curso|cursos|cursito|cursitos|capacitacion\w*|ruta)\b")
# A bare follow-up on the courses just listed: "¿y vienen en náhuatl?", "¿hay en portugués?".
_BARE_ASK = re.compile(
    r"^\W*(?:y\s+)?(?:(?:esos?|esas?|los|las)\s+)?(?:vienen?|hay|estan?|tienen?|los hay|sale|salen)"
    r"\s+(?:tambien\s+)?en\s+(?:lengua\s+|idioma\s+)?\w+\W*$"
)


def asked_language(message: str, on_courses: bool = False) -> str | None:
    """The language (folded name) courses are asked in, other than Spanish and English: "¿hay
    cursos en portugués?", "cursos zapoteco", or right after courses were listed "¿y vienen en
    náhuatl?". Not whether the AI answers customers in it ("¿me ayuda a contestar en
    italiano?")."""
    folded = fold(message)
    courses = bool(_COURSE_WORD.search(folded))
    m = _IN_LANGUAGE.search(folded)
    if m and (courses or (on_courses and _BARE_ASK.match(folded))):
        return m.group(1)
    m = _LANGUAGE_WORD.search(folded)
    if m and m.group(1) not in _AMBIGUOUS and courses:
        return m.group(1)
    return None


def _short_title(c: Course) -> str:
    return title_of(c).replace(" (en inglés)", "")


def _examples(courses: Sequence[Course], n: int = 2) -> str:
    titles = [f"«{_short_title(c)}»" for c in courses[:n]]
    return " y ".join(titles)


def language_answer(
    language: str, catalog: Mapping[str, Course], listed: Sequence[str]
) -> CourseFacts:
    """What there is in the language asked: none of the courses just listed (when the question
    points at them), what the whole catalog holds in it (often nothing), and what there is
    instead (Spanish first)."""
    code, name = LANGUAGES[language]
    shown = [catalog[c] for c in listed if c in catalog]
    spanish = [
        c
        for c in sorted(catalog.values(), key=lambda c: (not c.free, c.level != "fundamental"))
        if "es" in c.languages and c.format != "exam"
    ]
    have = [c for c in catalog.values() if code is not None and code in c.languages]
    lines: list[str] = []
    if shown and not any(code in c.languages for c in shown if code):
        es = sum("es" in c.languages for c in shown)
        lines.append(
            f"No, ninguno de los que te pasé viene en {name}: "
            + (
                f"los {len(shown)} están en español."
                if es == len(shown)
                else f"{es} de {len(shown)} están en español y los demás, en inglés."
            )
        )
    if not have:
        if not lines:
            lines.append(
                f"Ninguno de los cursos que conozco viene en {name}: están en español o en inglés."
            )
        lines.append(f"En español, por ejemplo, {_examples(spanish)}, gratis.")
        return CourseFacts(tuple(spanish[:2]), ("language",), tuple(lines))
    # "Universidad Nacional…", not "Universidad": the whole name, without its parentheses.
    providers = sorted({provider_name(c) for c in have})
    who = f", todos de {providers[0]}" if len(providers) == 1 else ""
    lines.append(
        f"En {name} solo hay {len(have)} de los cursos que conozco{who}, como "
        f"{_examples(have)} (también en inglés)."
    )
    lines.append(f"En español hay muchos más, como {_examples(spanish)}, gratis.")
    return CourseFacts((*have[:2], *spanish[:2]), ("language",), tuple(lines))


def new_to_computers_who(profile: BusinessProfile, said: Iterable[str]) -> str | None:
    """Who never used a computer, when someone did: "staff" when the owner said it of them
    ("mis empleados no le entienden a la compu"), else "owner"; None when nobody did."""
    if not new_to_computers(profile):
        return None
    for text in said:
        folded = fold(text)
        m = _COMPUTER.search(folded)
        if m and _STAFF.search(folded[: m.start()]):
            return "staff"
    return "owner"


def computer_course(catalog: Mapping[str, Course]) -> Course | None:
    """The catalog's first course on the computer itself, Spanish and free first."""
    basics = [
        c
        for c in catalog.values()
        if any(t in fold(" ".join(c.topics)) for t in COMPUTER_BASICS_TOPICS)
    ]
    basics.sort(key=lambda c: ("es" not in c.languages, not c.free))
    return basics[0] if basics else None


def computer_line(course: Course, who: str) -> str:
    """ "Como todavía no usas la computadora, empieza por «Conocimientos básicos de PC»…" """
    free = "gratis" if course.free else course.cost.rstrip(".")
    lang = "en español" if "es" in course.languages else "en inglés"
    provider = provider_name(course)
    if who == "staff":
        head = "Como tu equipo todavía no le entiende a la computadora, que empiecen por"
    else:
        head = "Como todavía no usas la computadora, empieza por"
    return (
        f"{head} «{title_of(course)}» de {provider} ({free} y {lang}): es el primer paso,"
        " antes de los cursos de IA."
    )


def english_reader(said: Iterable[str]) -> str | None:
    """The relative who reads English, as the owner named them ("tu hija"), from what the owner
    said; None when nobody was named."""
    for text in said:
        m = _KIN_ENGLISH.search(fold(text))
        if m and not re.search(r"\b(?:no|ni|nada)\b", m.group(2)):
            kin = m.group(1)
            return "tu " + _KIN_SHOWN.get(kin, _KIN_ACCENTS.get(kin, kin))
    return None


def english_for(catalog: Mapping[str, Course], n: int = 2) -> list[Course]:
    """Free, introductory English-only courses for someone who helps in the business (no exam,
    no course for programmers), the shortest known first."""
    pool = [
        c
        for c in catalog.values()
        if c.free
        and c.level == "fundamental"
        and "es" not in c.languages
        and "en" in c.languages
        and c.format not in ("exam", "program", "lab")
        and {"owner", "employee"} & set(c.audience)
    ]
    pool.sort(key=lambda c: (c.duration_hours is None, c.duration_hours or 0))
    return pool[:n]


def english_line(who: str, courses: Sequence[Course]) -> str:
    """ "Para tu hija, que sí lee inglés: «…» y «…» (en inglés, gratis)." """
    titles = " y ".join(f"«{_short_title(c)}»" for c in courses)
    return f"Para {who}, que sí lee inglés: {titles} (en inglés, gratis). Tu ruta sigue en español."
