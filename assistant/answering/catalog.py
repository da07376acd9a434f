"""Facts read straight from the course catalog: price, language, hours, level, certificate,
provider, what it is about and where to sign up, for the courses a message names or points to
("esos", "el segundo", "el de Google")."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from assistant.answering.sentences import sentences
from assistant.knowledge.models import Course
from assistant.understanding.text import fold, keyword_tokens, stopwords, words

Fact = Literal["price", "language", "duration", "level", "certificate", "provider", "about", "link"]

_FACTS: tuple[tuple[Fact, re.Pattern[str]], ...] = (
    (
        "price",
        re.compile(
            r"\b(cuanto cuesta|cuanto cobran|cuesta|costo|precio|gratis|gratuit|pagar|"
            r"sin costo|se paga|cobran)"
        ),
    ),
    ("language", re.compile(r"\b(espanol|ingles|idioma|subtitul|traducid)")),
    (
        "duration",
        re.compile(
            # "¿Y esos cuánto duran?": the plural too.
            r"\b(cuanto duran?|duracion|cuantas horas|cuanto tiempo|cuanto tardan?|"
            r"horas|semanas|duran?)\b"
        ),
    ),
    ("level", re.compile(r"\b(nivel|basico|avanzado|intermedio|dificil|facil|principiante)")),
    # "¿Da certificación?" asks for one; "sacar la certificación Cloud Practitioner" names the
    # exam (the course itself), not what it gives.
    (
        "certificate",
        re.compile(
            r"\b(certificad|constancia|diploma|credencial|insignia|certifica\b|certifican"
            r"|(?:da|dan|dara|daran|tiene|tienen|incluye|incluyen|con|sin) certificacion)"
        ),
    ),
    ("provider", re.compile(r"\b(quien lo da|quien los da|quien imparte|proveedor|de quien es)")),
    (
        "link",
        re.compile(
            r"\b(link|liga|enlace|donde me inscribo|como me inscribo|como entro|"
            r"donde lo tomo|url|pagina)"
        ),
    ),
    ("about", re.compile(r"\b(de que trata|que ensena|que aprendo|que temas|que veo|de que es)")),
)
_ORDINALS = {
    "primero": 0,
    "primer": 0,
    "1": 0,
    "1o": 0,
    "segundo": 1,
    "2": 1,
    "2o": 1,
    "tercero": 2,
    "tercer": 2,
    "3": 2,
    "3o": 2,
    "cuarto": 3,
    "4": 3,
    "quinto": 4,
    "5": 4,
    "sexto": 5,
    "septimo": 6,
    "ultimo": -1,
}
_ORDINAL = re.compile(
    r"\b(?:el|la|del|al|los)\s+(primero|primer|segundo|tercero|tercer|cuarto|quinto|sexto|"
    r"septimo|ultimo|[1-7]o?)\b"
)
_PLURAL_REF = re.compile(
    r"\b(esos|estos|esas|estas|todos esos|alguno|algunos|de la lista|de esos|cual de|cuales de"
    r"|todos|cada uno)\b"
)
_AS_COURSE = re.compile(r"\b(?:curso|diplomado)\b|\b(?:el|la) de\b")
# "¿Ese viene en español?", "y ese da constancia?": the one course just talked about.
_SINGLE_REF = re.compile(r"\b(ese|este|el curso ese|ese curso|este curso)\b")
# "¿Cuál es el más fácil?", "¿hay uno más corto?": the list just shown, ranked.
_EASIEST = re.compile(r"\bmas (facil|faciles|sencillo|basico|facilito|tranquilo)\b")
_SHORTEST = re.compile(r"\bmas (corto|cortito|rapido|breve)\b|\bmenos (dura|tiempo|horas)\b")
_COURSE_WORD = re.compile(r"\b(curso|cursos|ruta|examen|certificacion)\b")
# Words a course title shares with many others: they name nothing on their own.
_GENERIC = set(
    "curso cursos de la el los las en para con y a ia inteligencia artificial generativa "
    "introduccion fundamentos aws google microsoft amazon ibm essentials basico ai".split()
)
_PROVIDER_GENERIC = set(
    "open academy training and certification networking fundacion universidad learning con "
    "para el empleo nacional autonoma de mexico en".split()
)
_PROVIDER_REF = re.compile(r"\b(?:el|la|los|las)\s+de\s+([a-z0-9]+)")


@dataclass(frozen=True)
class CourseFacts:
    """Which courses a message is about, what it asks of them, and the answer lines."""

    courses: tuple[Course, ...]
    facts: tuple[Fact, ...]
    lines: tuple[str, ...]
    filtered: bool = False  # "¿hay alguno con constancia?": the lines list the ones that have it
    pointed: bool = False  # the message pointed at the courses just shown ("esos", "el segundo")
    # The message named the course by its title ("¿cuánto dura Elements of AI?"): the words it
    # named it with, which a curated answer must say to answer for it instead.
    named_by: frozenset[str] = frozenset()


def asked_facts(message: str) -> tuple[Fact, ...]:
    folded = fold(message)
    return tuple(fact for fact, rx in _FACTS if rx.search(folded))


@lru_cache(maxsize=1024)  # the catalog's titles, read at every question
def _title_words(title: str, title_es: str) -> frozenset[str]:
    """A course's distinctive title words (in English and Spanish), without the notes in
    parentheses ("(en inglés)", "(ruta de aprendizaje)"), which name no course."""
    said = re.sub(r"\([^)]*\)", " ", f"{title} {title_es}")
    return frozenset(set(words(said)) - _GENERIC - stopwords())


@lru_cache(maxsize=256)
def _provider_words(provider: str) -> frozenset[str]:
    """A provider's distinctive words ("santander", "cisco", "slim")."""
    return frozenset(set(words(provider)) - _GENERIC - _PROVIDER_GENERIC - stopwords())


def naming_words(message: str, c: Course) -> frozenset[str]:
    """The words a message names course `c` with: of its title, and of its provider."""
    said = set(words(message)) - _GENERIC - stopwords()
    title = _title_words(c.title, c.title_es)
    common = said & title
    if not common:
        return frozenset()
    return frozenset(common | (said & (_provider_words(c.provider) - title)))


def named_as_course(message: str, c: Course) -> frozenset[str]:
    """The words a message names course `c` with, when it names it as one course ("el curso
    Elements of AI", "el de Cisco"); empty for words that only happen to be in a title ("¿cuánto
    cuesta el marketing digital con IA?") or a platform's courses ("los cursos de Skill Builder")."""
    named = naming_words(message, c)
    if _AS_COURSE.search(fold(message)) or named - _title_words(c.title, c.title_es):
        return named
    return frozenset()


def _named(message: str, catalog: Mapping[str, Course], pool: Sequence[Course]) -> list[Course]:
    """Courses the message names by title words, or by a title word with the provider ("el de
    Gemini de Santander"). ("El de Google" within the last list is `referenced_courses`'s.)"""
    folded = fold(message)
    said = set(words(message)) - _GENERIC - stopwords()
    exam = bool(re.search(r"\b(examen|certificacion)\b", folded))
    if not said:
        return []
    best: list[tuple[float, Course]] = []
    # By id: the pool is courses of the catalog, and comparing whole models field by field,
    # for every course of the catalog, was most of this function's time.
    shown = {c.id for c in pool}
    for c in list(pool) + [c for c in catalog.values() if c.id not in shown]:
        title = _title_words(c.title, c.title_es)
        if not title:
            continue
        common = said & title
        # Two distinctive title words ("cloud practitioner"), all of a short title in either
        # language ("el de ciberseguridad"), or a title word with its provider ("el de Gemini de
        # Santander").
        whole = any(
            t and t <= said for t in (_title_words(c.title, ""), _title_words("", c.title_es))
        )
        by_provider = bool(common and said & (_provider_words(c.provider) - title))
        if len(common) >= 2 or (common and common == title) or whole or by_provider:
            score = len(common) / len(title) + (0.5 if c.id in shown else 0.0)
            score += 0.3 * by_provider
            # "el examen de Cloud Practitioner" is the certification, not the prep course.
            if exam and c.format == "exam" and "certified" in fold(c.title):
                score += 0.5
            best.append((score, c))
    best.sort(key=lambda t: -t[0])
    return [c for _, c in best[:1]]


def _by_word(c: Course, word: str) -> bool:
    return word in fold(c.provider) or word in fold(c.title) or word in fold(c.title_es)


def _the_one_titled(message: str, found: list[Course]) -> list[Course]:
    """Of several courses a pointer fits ("el de Excel"), the one whose title also says the rest
    of the message ("…de intermedio a avanzado"), if one does; else all of them."""
    if len(found) < 2:
        return found
    said = set(words(message)) - _GENERIC - stopwords()
    hits = [len(said & _title_words(c.title, c.title_es)) for c in found]
    return [found[hits.index(max(hits))]] if hits.count(max(hits)) == 1 else found


def referenced_courses(
    message: str, catalog: Mapping[str, Course], last: Sequence[str], current: Sequence[str] = ()
) -> tuple[list[Course], bool]:
    """The courses a message points to, and whether it pointed (vs. named them).

    "el segundo" -> the second of the last list; "esos" -> all of it; "Cloud Practitioner" -> by
    title; "el de Google" -> by provider within the last list; "ese" -> the one course the last
    reply was about (`current`).
    """
    pool = [catalog[c] for c in last if c in catalog]
    folded = fold(message)
    ordinal = _ORDINAL.search(folded)
    if ordinal and pool:
        i = _ORDINALS[ordinal.group(1)]
        if i < len(pool):
            return [pool[i]], True
    provider = _PROVIDER_REF.search(folded)
    if provider and pool:
        # "el de excel ese", "el de Google": one of the list just shown.
        found = _the_one_titled(message, [c for c in pool if _by_word(c, provider.group(1))])
        if found:
            return found, True
    named = _named(message, catalog, pool)
    if named:
        return named, False
    talked = [catalog[c] for c in current if c in catalog]
    if len(talked) == 1 and _SINGLE_REF.search(folded):
        return talked, True
    if pool and _PLURAL_REF.search(folded):
        return pool, True
    if pool and _COURSE_WORD.search(folded):
        # "¿cuánto cuestan los cursos?": the ones just shown, but a curated answer goes first.
        return pool, False
    return [], False


def title_of(c: Course) -> str:
    return c.title_es.replace(" (traducción)", "").strip()


def _language(c: Course) -> str:
    if "es" in c.languages:
        return "en español"
    return "solo en inglés" if c.languages == ["en"] else "no en español"


def _price(c: Course) -> str:
    if c.free:
        return "gratis"
    return c.cost.rstrip(".")


def _duration(c: Course) -> str:
    if c.duration_hours:
        h = c.duration_hours
        return f"{h * 60:g} minutos" if h < 1 else f"unas {h:g} horas"
    if c.duration_note and re.search(r"\d", c.duration_note):
        # What the sources do say ("6 capítulos de 5 a 10 h cada uno (unas 30 h…)").
        note = c.duration_note.rstrip(".")
        return note[0].lower() + note[1:] if note[1:2].islower() else note
    return "duración no confirmada"


LEVEL_ES = {"fundamental": "básico", "intermediate": "intermedio", "advanced": "avanzado"}


def _certificate(c: Course) -> str:
    if c.certificate is True:
        return "da constancia o certificado"
    if c.certificate is False:
        return "no da constancia"
    return "no está confirmado si da constancia"


def fact_text(c: Course, fact: Fact) -> str:
    if fact == "price":
        return _price(c)
    if fact == "language":
        return _language(c)
    if fact == "duration":
        return _duration(c)
    if fact == "level":
        return f"nivel {LEVEL_ES.get(c.level, c.level)}"
    if fact == "certificate":
        return _certificate(c)
    if fact == "provider":
        return f"lo da {c.provider}"
    if fact == "link":
        return str(c.url)
    return c.summary.split(". ")[0].rstrip(".")


def course_line(c: Course, facts: Sequence[Fact]) -> str:
    said = "; ".join(fact_text(c, f) for f in facts)
    if list(facts) == ["provider"]:
        return f"«{title_of(c)}»: {said}."  # the provider once
    return f"«{title_of(c)}» ({provider_name(c)}): {said}."


def provider_name(c: Course) -> str:
    """ "Fundación Carlos Slim (Capacítate para el Empleo)" -> its name only, to go inside
    another pair of parentheses."""
    return re.sub(r"\s*\([^)]*\)", "", c.provider).strip()


# How a yes-or-no question asks a fact, read on folded text: for free or for a cost, for Spanish
# or for English.
_ASKS_FREE = re.compile(r"\b(gratis|gratuit\w*|sin costo)\b")
_ASKS_COST = re.compile(r"\b(cuesta|cuestan|costo|cobran|cobra|se paga|pagar|precio)\b")
_ASKS_ENGLISH = re.compile(r"\bingles\b")
# Question words that ask for a thing or a figure, not for yes or no ("¿cuánto cuesta?").
_OPEN = re.compile(r"\b(cual|cuales|cuanto|cuanta|cuantos|cuantas|cuando|como|donde|que)\b")


def _verdict(c: Course, fact: Fact, folded: str) -> str:
    """ "Sí"/"No" for a yes-or-no question on one course's fact, "" when the question is open
    ("¿cuánto cuesta?") or the record doesn't say."""
    if _OPEN.search(folded):
        return ""
    if fact == "price":
        if _ASKS_FREE.search(folded):
            return "Sí" if c.free else "No"
        if _ASKS_COST.search(folded):
            return "No" if c.free else "Sí"
    if fact == "language":
        if _ASKS_ENGLISH.search(folded) and "espanol" not in folded:
            return "Sí" if "en" in c.languages else "No"
        return "Sí" if "es" in c.languages else "No"
    if fact == "certificate" and c.certificate is not None:
        return "Sí" if c.certificate else "No"
    return ""


def _known(c: Course, fact: Fact) -> str | None:
    """What one course's record says of a fact, as a predicate ("está en español"); None when
    it doesn't say."""
    if fact == "price":
        return "es gratis" if c.free else f"tiene costo: {_price(c)}"
    if fact == "language":
        return f"está {_language(c)}"
    if fact == "duration":
        said = _duration(c)
        if said == "duración no confirmada":
            return None
        return f"dura {said}" if c.duration_hours else f"lleva {said}"
    if fact == "certificate":
        return None if c.certificate is None else _certificate(c)
    if fact == "level":
        return f"es de nivel {LEVEL_ES.get(c.level, c.level)}"
    if fact == "provider":
        return f"lo da {c.provider}"
    if fact == "link":
        return f"se toma en {c.url}"
    return None


_UNKNOWN = {"duration": "cuánto dura {}", "certificate": "si {} da constancia"}
_UNKNOWN_NOUN = {"duration": "la duración", "certificate": "la constancia"}

# How a sentence states each fact of a course (folded text).
_STATES_FACT: dict[str, re.Pattern[str]] = {
    "price": re.compile(r"\b(gratis|gratuit\w*|sin costo|pesos|dolares|usd|cuesta|costo)\b"),
    "duration": re.compile(r"\b(\d+ ?(?:minutos?|horas?|h|semanas|meses|capitulos)|dura)\b"),
    "language": re.compile(r"\b(espanol|ingles|idiomas?|subtitul\w*)\b"),
    "certificate": re.compile(r"\b(constancia|certificad\w*|diploma|insignia)\b"),
    "level": re.compile(r"\b(basico|intermedio|avanzado|principiantes?)\b"),
}


def says_fact_of(text: str, named_by: frozenset[str], facts: Sequence[Fact]) -> bool:
    """Whether `text` states a fact asked right after naming the course (by the words
    `named_by`), before the next title it quotes: a list that names it in passing ("…Gemini
    (unas 2 horas) o «Fundamentos de ChatGPT»") says nothing of its length."""
    for sentence in sentences(fold(text)):
        said = words(sentence)
        if not named_by <= set(said):
            continue
        last = max(sentence.find(w) for w in named_by)
        after = sentence[last:]
        next_title = _OPENING_QUOTE.search(after)
        after = after[: next_title.start()] if next_title else after
        if any(rx.search(after) for f, rx in _STATES_FACT.items() if f in facts):
            return True
    return False


# The opening quote of a title (a closing one follows a letter).
_OPENING_QUOTE = re.compile(r"(?:^|(?<=\s))[\"«“]")


def course_sentence(c: Course, facts: Sequence[Fact], message: str) -> str:
    """One course's facts as a sentence that answers the question: "Sí"/"No" first when it asks
    yes or no, the provider once (without its own parentheses), and "no tengo confirmado" for
    what its record doesn't say ("«Fundamentos de ChatGPT» (Santander Open Academy): duración no
    confirmada" read like a database row)."""
    if "about" in facts or not facts:
        return course_line(c, facts)
    folded = fold(message)
    provider = provider_name(c)
    known = [(f, s) for f in facts if (s := _known(c, f)) is not None]
    missing = [f for f in facts if _known(c, f) is None]
    # The provider once: "lo da Santander Open Academy" needs no "(Santander…)" after the title.
    by = f" ({provider})" if provider and "provider" not in dict(known) else ""
    named = f"«{title_of(c)}»{by}"
    subject = "" if known else named
    # The course named once: "No sé cuánto dura «…» ni si da constancia".
    unknown = [
        " ".join(_UNKNOWN.get(f, "ese dato").format(subject if i == 0 else "").split())
        for i, f in enumerate(missing)
    ]
    said: list[str] = []
    if known:
        verdict = _verdict(c, known[0][0], folded)
        clauses = [s for _, s in known]
        body = ", ".join(clauses[:-1]) + (" y " if len(clauses) > 1 else "") + clauses[-1]
        # Without a verdict the sentence starts "El curso…": "«…» (AWS Educate) dura 45 minutos"
        # read as a database row (and has too few Spanish words for the language check).
        said.append(f"{verdict}, {named} {body}." if verdict else f"El curso {named} {body}.")
    if unknown:
        nouns = [_UNKNOWN_NOUN.get(f, "ese dato") for f in missing]
        data = (
            f"{nouns[0]} es un dato no confirmado"
            if len(nouns) == 1
            else f"{' y '.join(nouns)} son datos no confirmados"
        )
        said.append(
            f"No sé {' ni '.join(unknown)}: {data} en mis fuentes; revísalo en su página antes"
            " de inscribirte."
        )
    return " ".join(said)


def _summary_line(courses: Sequence[Course], fact: Fact) -> str | None:
    """One sentence for a fact over several courses ("Los 5 están en español"). It states the
    fact without "Sí"/"No": the same question comes as "¿cuestan?" and "¿son gratis?", and "Sí,
    son gratis" answers the first one backwards."""
    n = len(courses)
    if fact == "language":
        es = [c for c in courses if "es" in c.languages]
        if len(es) == n:
            return f"Los {n} están en español." if n > 1 else "Está en español."
        if not es:
            return "Ninguno está en español." if n > 1 else "Está solo en inglés."
        return f"{len(es)} de {n} están en español:"  # each one's line follows
    if fact == "price":
        free = [c for c in courses if c.free]
        if len(free) == n:
            return f"Los {n} son gratis." if n > 1 else "Es gratis."
    if fact == "certificate":
        cert = [c for c in courses if c.certificate]
        if len(cert) == n:
            return (
                f"Los {n} dan constancia o certificado."
                if n > 1
                else "Da constancia o certificado."
            )
    return None


def catalog_answer(
    message: str,
    catalog: Mapping[str, Course],
    last: Sequence[str],
    limit: int = 5,
    current: Sequence[str] = (),
    on_courses: bool = False,
) -> CourseFacts | None:
    """Fact lines for the courses the message is about; None when it asks no catalog fact.

    `on_courses`: the last reply was about courses (a path shown, a course's facts), so a bare
    "¿y dónde me inscribo?" or "¿cuál es el más fácil?" asks about those (`current`, else the
    list `last`)."""
    facts = asked_facts(message)
    courses, pointed = referenced_courses(message, catalog, last, current)
    if not courses and on_courses and bare_follow_up(message):
        ranked = _ranked(message, [catalog[c] for c in last if c in catalog])
        if ranked is not None:
            return ranked
        if facts:
            talked = [catalog[c] for c in current if c in catalog]
            courses = talked or [catalog[c] for c in last if c in catalog]
            pointed = bool(courses)
    if not courses:
        return None
    if not facts:
        if not pointed or len(courses) != 1:
            return None
        facts = ("about",)  # "¿y el segundo?": what it is
    facts = facts[:3]
    one_named = not pointed and len(courses) == 1
    named_by = named_as_course(message, courses[0]) if one_named else frozenset()
    lines: list[str] = []
    filtered = False
    folded = fold(message)
    if len(courses) > 1 and re.search(r"\b(alguno|algun|cuales|cual)\b", folded):
        # "¿hay alguno con constancia?": list the ones that have it, not all of them.
        keep = [c for c in courses if all(_has(c, f) for f in facts)]
        if keep:
            courses, filtered = keep, True
    if len(courses) > 1 and len(facts) == 1 and not filtered:
        head = _summary_line(courses, facts[0])
        if head:
            lines.append(head)
            if not head.endswith(":"):
                return CourseFacts(tuple(courses), facts, tuple(lines), filtered, pointed, named_by)
    if len(courses) == 1 and not lines:
        # One course: a sentence that answers, not a row.
        lines.append(course_sentence(courses[0], facts, message))
    else:
        lines += [course_line(c, facts) for c in courses[:limit]]
    return CourseFacts(tuple(courses), facts, tuple(lines), filtered, pointed, named_by)


# Words that leave a follow-up on the courses bare ("¿y ese sí viene en español?").
_FILLER = frozenset(
    "y o ok oye entonces tambien igual si no ya tiene tienen viene vienen trae traen da dan hay "
    "uno una alguno cual cuales es son esta estan pa para empezar arrancar mas algo me te lo la "
    "le nos eso ese esos cuanto cuanta que como donde tengo tendria puedo sale salen".split()
)


def bare_follow_up(message: str) -> bool:
    """Whether a message asks only a catalog fact, a pointer or a ranking, and names nothing
    else ("¿y dónde me inscribo?", "¿ese tiene costo?"; not "¿cuánto cuesta el sello?")."""
    folded = fold(message)
    for rx in (*(rx for _, rx in _FACTS), _SINGLE_REF, _PLURAL_REF, _EASIEST, _SHORTEST):
        folded = rx.sub(" ", folded)
    return not set(words(folded)) - stopwords() - _FILLER


def _ranked(message: str, pool: Sequence[Course]) -> CourseFacts | None:
    """ "¿Cuál es el más fácil?" (the lowest level, the shortest among them) or "¿hay uno más
    corto?" (the fewest published hours) of the courses just shown; None for anything else."""
    folded = fold(message)
    if not pool or not (_EASIEST.search(folded) or _SHORTEST.search(folded)):
        return None
    if _SHORTEST.search(folded):
        timed = [c for c in pool if c.duration_hours]
        if not timed:
            line = (
                "Ninguno de esos cursos publica cuánto dura, así que no te puedo decir cuál es "
                "el más corto"
            )
            # Only what the catalog says: some are exams, programs or classes with a teacher.
            if all(c.format == "digital self-paced" for c in pool):
                line += "; todos son en línea y a tu ritmo"
            line += "."
            return CourseFacts(tuple(pool), ("duration",), (line,), pointed=True)
        best = min(timed, key=lambda c: c.duration_hours or 0.0)
        head = "El más corto de los que publican su duración:"
        return CourseFacts(
            (best,), ("duration",), (head, course_line(best, ["duration", "price"])), pointed=True
        )
    rank = {"fundamental": 0, "intermediate": 1, "advanced": 2}
    best = min(pool, key=lambda c: rank.get(c.level, 3))  # the first shown of the lowest level
    head = "El más sencillo para empezar:"
    facts: tuple[Fact, ...] = ("level", "about")
    return CourseFacts((best,), facts, (head, course_line(best, facts)), pointed=True)


def _has(c: Course, fact: Fact) -> bool:
    if fact == "language":
        return "es" in c.languages
    if fact == "price":
        return bool(c.free)
    if fact == "certificate":
        return bool(c.certificate)
    return True


_OVERVIEW = re.compile(r"\b(cursos?|capacitacion|capacitaciones)\b")


def asks_for_courses(text: str) -> bool:
    """Whether a text speaks of courses or training ("¿hay cursos pa ellas?")."""
    return bool(_OVERVIEW.search(fold(text)))


def catalog_overview(
    message: str, catalog: Mapping[str, Course], limit: int = 4
) -> CourseFacts | None:
    """ "¿Cuánto cuestan los cursos?", "¿hay cursos con constancia?": the catalog as a whole, with
    a few examples (Spanish first)."""
    folded = fold(message)
    facts = [f for f in asked_facts(message) if f in ("price", "language", "certificate")]
    if not facts or not _OVERVIEW.search(folded):
        return None
    fact = facts[0]
    courses = sorted(
        catalog.values(), key=lambda c: ("es" not in c.languages, c.level != "fundamental")
    )
    have = [c for c in courses if _has(c, fact)]
    if not have:
        return None
    what = {
        "price": "son gratis",
        "language": "están en español",
        "certificate": "dan constancia o certificado",
    }[fact]
    count = f"{len(have)} de los {len(courses)} cursos que conozco {what}"
    if fact == "price" and _ASKS_COST.search(folded) and not _ASKS_FREE.search(folded):
        # "¿Los cursos cuestan?": "Sí: 74… son gratis" says it backwards.
        most = 2 * len(have) > len(courses)
        head = f"La mayoría no: {count}. Por ejemplo:" if most else f"{count}. Por ejemplo:"
    elif fact == "language" and _ASKS_ENGLISH.search(folded) and "espanol" not in folded:
        head = f"{count}. Por ejemplo:"  # asked whether they come in English
    else:
        head = f"Sí: {count}. Por ejemplo:"
    lines = [
        head,
        *(
            course_line(c, [fact] if fact != "price" else ["price", "language"])
            for c in have[:limit]
        ),
    ]
    return CourseFacts(tuple(have[:limit]), (fact,), tuple(lines))


# Words of any course question, not of what it is about.
_TOPIC_GENERIC = frozenset(
    keyword_tokens(
        "curso cursos capacitacion capacitaciones diplomado taller gratis gratuito gratuitos "
        "sin costo hay algun alguno alguna algunos recomiendas recomienda recomiendan espanol "
        "ingles ia inteligencia artificial negocio negocios aprender aprendo aprenda quiero "
        "busco buscar tomar tome sobre tema temas dan da dar tienen tiene para pa mi mis "
        "empleados gente personal oigan oye bueno buenas basico principiantes online virtual "
        "certificado constancia vale sirve ruta rutas ver"
    )
) | (
    # What a course costs is asked of any course, never a topic of one: "hay que pagar" is not
    # "publicidad pagada" ("pagar" and "pagada" share their stem).
    frozenset(
        keyword_tokens(
            "pagar pago pagos pagan paga pagarlos pagarle cuesta cuestan costo costos cobran "
            "cobra cobrar precio precios caro caros barato baratos"
        )
    )
)


def catalog_topic(query: str, catalog: Mapping[str, Course], limit: int = 3) -> CourseFacts | None:
    """ "¿Hay algún curso gratis de ciberseguridad?", "¿curso pa vender en línea?": the catalog's
    courses on the topic asked (by their titles and topics), Spanish and free first; None when
    the question asks for no course or names no topic a course is about. `named_by`: the
    stems of the topic asked, which a curated answer must speak of to answer instead."""
    if not _OVERVIEW.search(fold(query)):
        return None
    asked = set(keyword_tokens(query)) - _TOPIC_GENERIC
    if not asked:
        return None
    scored: list[tuple[int, Course]] = []
    for c in catalog.values():
        have = _topic_stems(c.title_es, tuple(c.topics))
        # Every word of the topic asked ("vender en línea", "contabilidad para no contadores"):
        # a course that shares one of them ("cuenta") is about something else.
        if asked <= have:
            scored.append((len(asked), c))
    if not scored:
        return None
    top = max(n for n, _ in scored)
    courses = sorted(
        (c for n, c in scored if n == top),
        key=lambda c: ("es" not in c.languages, not c.free, c.level != "fundamental"),
    )[:limit]
    facts: tuple[Fact, ...] = ("price", "language")
    lines = ("Cursos sobre ese tema:", *(course_line(c, facts) for c in courses))
    named = frozenset(
        asked & set().union(*(_topic_stems(c.title_es, tuple(c.topics)) for c in courses))
    )
    return CourseFacts(tuple(courses), facts, lines, named_by=named)


@lru_cache(maxsize=1024)
def _topic_stems(title: str, topics: tuple[str, ...]) -> frozenset[str]:
    return frozenset(keyword_tokens(" ".join([title, *topics])))


# "¿Cuánto dura mi ruta?", "¿cuántas horas son los cursos que me diste?", "la ruta completa":
# the owner's own path, not the catalog in general.
_OWN_PATH = re.compile(
    r"\b(mi|tu|la|esa|esta|toda la|de la) ruta\b|\bruta (completa|entera|para mi|que me)"
    r"|\b(mis|los|esos|estos) cursos\b|\blos que me (diste|recomendaste|pasaste|mandaste)\b"
)
# Providers and brands: a question that names one is about their courses, not the path.
_BRAND = re.compile(
    r"\b(aws|amazon|google|microsoft|ibm|cisco|santander|capacitate|linkedin|platzi|coursera"
    r"|elements|saberes\w*|centro publico|deeplearning)\b"
)

# "¿En cuánto la termino?", "¿cuánto me tardo?": how long, said of finishing it.
_HOW_LONG = re.compile(
    r"\bcuanto (me )?(voy a )?(tard|llev|tom)\w*"
    r"|\ben cuanto (tiempo )?(la |lo |los )?(termin|acab)\w*"
    r"|\bcuando (la |los )?(termin|acab)\w*"
)


def path_duration(
    message: str, catalog: Mapping[str, Course], path: Sequence[str], weekly_hours: float | None
) -> CourseFacts | None:
    """How long the owner's own path takes, from what each of its courses publishes: the known
    hours (with the weeks at the owner's pace) and how many courses publish no duration. None
    when the message does not ask how long the path it was given takes."""
    courses = [catalog[c] for c in path if c in catalog]
    folded = fold(message)
    if not courses or not ("duration" in asked_facts(message) or _HOW_LONG.search(folded)):
        return None
    if not _OWN_PATH.search(folded) or _BRAND.search(folded):
        return None  # "¿cuánto duran los cursos de AWS?" asks about others
    n = len(courses)
    known = [c for c in courses if c.duration_hours]
    total = sum(c.duration_hours or 0.0 for c in known)
    unknown = n - len(known)
    lines: list[str] = []
    if not known:
        lines.append(
            f"Ninguno de los {n} cursos de tu ruta publica cuánto dura, así que no te puedo dar "
            "un total confiable. Son en línea y a tu ritmo: empieza por el primero y avanza con "
            "las horas que tengas."
        )
        return CourseFacts(tuple(courses), ("duration",), tuple(lines), pointed=True)
    if unknown == 0:
        lines.append(f"Los {n} cursos de tu ruta suman unas {total:g} horas:")
    else:
        lines.append(
            f"De los {n} cursos de tu ruta, {len(known)} "
            + ("publica su duración:" if len(known) == 1 else "publican su duración:")
        )
    lines += [course_line(c, ["duration"]) for c in known]
    if unknown:
        rest = "El otro no la publica" if unknown == 1 else f"Los otros {unknown} no la publican"
        lines.append(f"{rest}, así que el total real puede ser mayor.")
    if weekly_hours:
        weeks = max(1, math.ceil(total / weekly_hours))
        span = "1 semana" if weeks == 1 else f"unas {weeks} semanas"
        what = "eso te lleva" if unknown else "la terminas en"
        lines.append(f"A {weekly_hours:g} horas por semana, {what} {span}.")
    return CourseFacts(tuple(known or courses), ("duration",), tuple(lines), pointed=True)


# "¿Hay cursos pa eso?", "¿algún curso de eso mismo?", "¿capacitación sobre esto?": a course
# question whose topic is what the last reply was about.
_ON_THAT = re.compile(
    r"\b(?:pa|para|de|sobre|con|en|por)\s+(?:eso|esto|ello|(?:esa|esta)\s+(?:idea|cosa|parte))\b"
    r"|\b(?:eso|esto|lo)\s+mism[oa]\b"
    r"|\b(?:pa|para)\s+(?:hacer|aprender)\s+(?:eso|esto|lo)\b"
)


# Courses, however the owner calls them ("cursitos", "un taller", "alguna capacitación").
_TRAINING = re.compile(r"\b(?:curs(?:o|os|ito|itos)|capacitaci\w*|taller(?:es)?|diplomados?)\b")


def asks_courses_on_that(message: str) -> bool:
    """Whether a message asks for courses on what was just said ("¿hay cursos gratis pa eso?")
    rather than on a topic it names."""
    folded = fold(message)
    return bool(_TRAINING.search(folded) and _ON_THAT.search(folded))


def courses_on(
    label: str, ids: Sequence[str], catalog: Mapping[str, Course], message: str, limit: int = 3
) -> CourseFacts:
    """The catalog's courses `ids` on the subject `label` the owner pointed at ("¿hay cursos pa
    eso?" after an idea): Spanish, free and fundamental first; only the free ones when asked
    "gratis" (and any are). When none is in the catalog, a line that says so."""
    found = [catalog[i] for i in dict.fromkeys(ids) if i in catalog]
    found.sort(key=lambda c: ("es" not in c.languages, not c.free, c.level != "fundamental"))
    free_asked = bool(_ASKS_FREE.search(fold(message)))
    free = [c for c in found if c.free]
    about = f" para «{label}»" if label else " sobre eso"
    if not found:
        line = (
            f"No tengo en mi catálogo un curso{about} en particular. "
            "Tu ruta de cursos te da las bases para empezar."
        )
        return CourseFacts((), (), (line,))
    if free_asked and free:
        shown, head = free[:limit], f"Cursos gratis{about}:"
    elif free_asked:
        shown, head = found[:limit], f"No encontré cursos gratis{about}; estos son los que conozco:"
    else:
        shown, head = found[:limit], f"Cursos{about}:"
    facts: tuple[Fact, ...] = ("price", "language")
    return CourseFacts(tuple(shown), facts, (head, *(course_line(c, facts) for c in shown)))


def courses_near(text: str, catalog: Mapping[str, Course], limit: int = 3) -> list[str]:
    """The catalog's courses whose titles and topics share most words with `text` (the question
    of an answer just given), beyond words any course question has; none when none shares one."""
    said = set(keyword_tokens(text)) - _TOPIC_GENERIC
    scored = [
        (len(said & _topic_stems(c.title_es, tuple(c.topics))), c.id) for c in catalog.values()
    ]
    top = max((n for n, _ in scored), default=0)
    return [cid for n, cid in scored if n == top][:limit] if top else []
