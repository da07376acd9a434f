"""Profile -> use cases, a training path and the programs that apply.

Explainable and deterministic. What an owner checks, and what this module keeps true:
- Spanish first: a course without Spanish appears only for someone who reads English, or when no
  Spanish course covers what was asked; its title then says "(en inglés)".
- Ideas fit the business's size: a plant of 300 gets no workshop quotes, a stall of two no
  production line (`UseCase.sizes`, `Knowledge.ideas`).
- The level fits maturity and role: an advanced Excel user gets the next level of what the route
  offers, not only basics; someone who never used a computer (even with WhatsApp daily) starts
  with one; the person in charge of systems goes past the introductions.
- Only real courses: a guide or an exam is a step only when the user asked for it; developer
  tooling (Bedrock, LangChain, RAG) only for technical roles or when named.
- Every "why" is true for this user: it names the use case, route, goal or word that put the
  course there.
- Programs: the user's state first, then national ones that match the goal; statistics are not
  programs, and a document past its review date says when it was verified.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from graphlib import CycleError, TopologicalSorter

from assistant.knowledge.models import Course, LearningPath, UseCase
from assistant.knowledge.reader import GENERAL_SECTOR, Knowledge, Program
from assistant.schemas import (
    BusinessProfile,
    ProgramRec,
    Recommendations,
    SearchHit,
    TrainingStep,
    UseCaseRec,
)
from assistant.turn import Recommended
from assistant.understanding.fitting import fit_step
from assistant.understanding.maturity import COMPUTER_BASICS_TOPICS, new_to_computers
from assistant.understanding.reader import (
    EXPORT,
    FIELD,
    MONEY,
    NEW_CLIENTS,
    TRAINING,
    support_asked,
)
from assistant.understanding.text import fold, keyword_tokens, words

GOAL_NAMES = {
    "sell_more": "vender más",
    "customer_service": "atender mejor a tus clientes",
    "save_time": "ahorrar tiempo",
    "inventory": "controlar tu inventario",
    "marketing": "darte a conocer",
    "finance": "llevar mejor tus cuentas",
    "retention": "que tus clientes regresen",
    "maintenance": "prevenir fallas",
    "quality": "cuidar la calidad",
}
# Words of a course's topics that show it serves a goal (folded, matched as substrings).
GOAL_TOPICS: dict[str, tuple[str, ...]] = {
    "sell_more": ("venta", "vender", "comercio electronico", "tienda en linea", "negocio digital"),
    "marketing": ("marketing", "redes sociales", "publicidad", "seo", "publicaciones"),
    "customer_service": ("atencion al cliente", "clientes", "servicio de calidad"),
    "retention": ("clientes", "seguimiento de clientes", "marketing"),
    "save_time": ("productividad", "asistentes de ia", "trabajo diario", "automatizacion"),
    "inventory": ("inventario", "excel", "hojas de calculo"),
    "finance": ("finanzas", "contabilidad", "presupuesto", "excel"),
    "maintenance": ("aprendizaje automatico", "prediccion", "analisis de datos"),
    "quality": ("aprendizaje automatico", "analisis de datos", "servicio de calidad"),
}
LEVEL_ES = {"fundamental": "básico", "intermediate": "intermedio", "advanced": "avanzado"}
_LEVEL_RANK = {"fundamental": 1, "intermediate": 2, "advanced": 3}
MAX_STEPS = 5
HORIZON_WEEKS = 8
EN_MARK = "(en inglés)"
_TRANSLATION_MARK = re.compile(r"\s*\(traducci[oó]n\)", re.I)
# Tools only someone who programs can use: shown to other roles only when they name them.
_DEVELOPER_TOPICS = (
    "bedrock",
    "langchain",
    "rag",
    "api",
    "vpc",
    "python",
    "javascript",
    "html",
    "programacion",
    "agentes de ia",
    "ia agentica",
    "modelos fundacionales",
    "arquitectura",
)
# Topics that only make sense for some sectors ("atención al huésped" is for lodging).
_SECTOR_TOPICS: dict[str, frozenset[str]] = {
    "hoteleria": frozenset({"turismo", "hotel", "agencia-de-viajes"}),
}
# Program documents that inform but offer nothing to apply for.
_NOT_PROGRAM_TOPICS = ("estadisticas", "glosario", "endutih", "metas", "polos en evaluacion")
# Development zones (polos, the Interoceanic Corridor): incentives for whoever sets up inside a
# declared zone. An explainer of all zones offers nothing to apply for, and a micro or small
# business does not set up a plant in an industrial zone: for it they are no "apoyo".
_ZONE_TOPICS = ("polos de desarrollo", "corredor interoceanico")
_SMALL = ("micro", "pequeña")
_TRAINING_TOPICS = ("capacitacion gratuita", "cursos gratis")
# Goal -> topics of national programs that serve it (folded substrings).
GOAL_PROGRAM_TOPICS: dict[str, tuple[str, ...]] = {
    "sell_more": ("pagos digitales", "cobrar con tarjeta", "compras publicas", "hecho en mexico"),
    "marketing": ("hecho en mexico", "pagos digitales"),
    "customer_service": ("pagos digitales",),
    "retention": ("pagos digitales",),
    "finance": ("financiamiento", "credito", "estimulos fiscales", "deduccion"),
    "inventory": ("financiamiento",),
    "save_time": ("tramites digitales",),
    "maintenance": ("financiamiento", "deduccion"),
    "quality": ("hecho en mexico", "deduccion"),
}
MAX_PROGRAMS = 3
# Topics of a program that offers money: credit, guarantees, or a tax break on what you buy.
_MONEY_TOPICS = ("financiamiento", "credito", "prestamos")
_EQUIPMENT_TAX_TOPICS = ("deduccion inmediata",)
# A program shown for an ask must serve it (understanding/reader.support_asked): free courses
# are no answer to "¿hay apoyo pa comprar otra lavadora?".


def program_kind(program: Program) -> str:
    """What a program offers: money (credit, a tax break), training, or something else (a
    seal, a way to sell to the government, card payments)."""
    text = _folded_topics(program)
    if any(t in text for t in _TRAINING_TOPICS):
        return TRAINING
    if any(t in text for t in _MONEY_TOPICS + _EQUIPMENT_TAX_TOPICS):
        return MONEY
    return "other"


def _serves_need(program: Program, need: str | None) -> bool:
    """Whether a program answers the turn's ask (any program does when nothing was asked)."""
    if need is None:
        return True
    kind = program_kind(program)
    text = _folded_topics(program)
    if need == TRAINING:
        return kind == TRAINING or "capacitacion" in text
    if need == FIELD:
        # Only a program written for farms or ranches; none of the national ones is.
        return bool(set(program.meta.sectors) & {"agricultura", "ganaderia"})
    money = any(t in text for t in _MONEY_TOPICS)
    if need == EXPORT:
        # The seal itself, not a program that only names "Talento Hecho en México".
        return money or "hecho en mexico" in (fold(t) for t in program.meta.topics)
    return money or any(t in text for t in _EQUIPMENT_TAX_TOPICS)


def reads_english(profile: BusinessProfile) -> bool:
    """Only a clear "sí leo inglés" counts; unknown means the owner may not."""
    return getattr(profile, "reads_english", None) is True


def is_spanish(course: Course) -> bool:
    return "es" in course.languages


def course_title(course: Course) -> str:
    """The Spanish title, without our old translation marker, saying when it is in English."""
    title = _TRANSLATION_MARK.sub("", course.title_es).strip()
    if not is_spanish(course) and "inglés" not in title.lower():
        title = f"{title} {EN_MARK}"
    return title


def _topics(course: Course) -> str:
    return fold(" ".join([course.title, course.title_es, *course.topics]))


def _allowed_level(profile: BusinessProfile) -> int:
    """Highest course level that fits the maturity and role (1 basic .. 3 advanced)."""
    maturity = profile.maturity or 2
    technical = profile.role in ("it", "developer")
    if maturity <= 2:
        return 2 if technical else 1
    return 3 if technical else 2


def _is_developer_tool(course: Course) -> bool:
    return _names_developer_topic(_topics(course))


@lru_cache(maxsize=1024)  # the same few hundred course texts at every turn
def _names_developer_topic(text: str) -> bool:
    return any(re.search(rf"\b{re.escape(t)}\b", text) for t in _DEVELOPER_TOPICS)


def fits(course: Course, profile: BusinessProfile, mentioned: set[str]) -> bool:
    """Whether the course can be a step of this user's path at all."""
    named = course.id in mentioned  # asked for by name: guides, exams and tools are fine
    if course.format in ("guide", "exam") and not named:
        return False
    role = profile.role or "owner"
    technical = role in ("it", "developer")
    if not technical and _is_developer_tool(course) and not named:
        return False
    if role not in course.audience and not named:
        return False  # written for someone else (a job seeker, a developer)
    if _LEVEL_RANK[course.level] > _allowed_level(profile) + (1 if named else 0):
        return False
    text = _topics(course)
    for topic, sectors in _SECTOR_TOPICS.items():
        if topic in text and (profile.sector or "") not in sectors:
            return False
    return True


# An idea whose cue the owner wrote ("food truck", "lives") fits the business as described:
# it weighs more than a goal, so the food truck gets its ideas before the fonda's; a niche idea
# nobody cued goes after the sector's general ones.
CUE_WEIGHT = 3.0


def said_cue(uc: UseCase, said: str) -> bool:
    """Whether the owner's words (folded) hold one of the idea's cues, as whole words."""
    return _says(uc.cues, said)


def ruled_out(uc: UseCase, said: str) -> bool:
    """Whether the owner's words (folded) say the idea cannot fit ("tilapia" for a crop's pests)."""
    return _says(uc.not_for, said)


def _says(phrases: list[str], said: str) -> bool:
    return any(re.search(rf"\b{re.escape(fold(p))}\b", said) for p in phrases)


def top_use_cases(
    knowledge: Knowledge, profile: BusinessProfile, n: int = 3, skip: int = 0, said: str = ""
) -> list[UseCase]:
    """The n use cases of the user's own sector (the neutral `general` one when unknown) that
    best fit what the owner said, goals, digital maturity and size; `skip` pages past those
    already shown. Ideas written for another size are left out (see `Knowledge.ideas`)."""
    # A business of fifty or more people runs on computers and electronic invoices even when
    # the owner said nothing about them.
    big = profile.size in ("mediana", "grande")
    maturity = profile.maturity or (3 if big else 2)
    goals = set(profile.goals)
    folded = fold(said)

    def score(uc: UseCase) -> float:
        cued = said_cue(uc, folded)
        fit = CUE_WEIGHT if cued else (-CUE_WEIGHT if uc.niche else 0.0)
        fit += 2.0 * len(goals & set(uc.goals))
        fit += 1.0 if uc.maturity_min <= maturity else -1.5 * (uc.maturity_min - maturity)
        fit += {"gratis": 1.0, "bajo": 0.5}.get(uc.cost_class, 0.0)
        fit += {"bajo": 0.5, "medio": 0.0, "alto": -0.5}[uc.effort]
        fit += 1.0 if profile.size and profile.size in uc.sizes else 0.0  # written for this size
        return fit

    by_size = knowledge.ideas  # a sector the knowledge lacks gets the neutral path's ideas
    ideas = by_size.get((profile.sector or "", profile.size)) or by_size.get(
        (GENERAL_SECTOR, profile.size), []
    )
    ideas = [uc for uc in ideas if not ruled_out(uc, folded)]
    sector = knowledge.sectors.get(profile.sector or "")
    own = {uc.id for uc in sector.use_cases} if sector else set()
    # The sector's own ideas first; general ones only complete them.
    ranked = sorted(ideas, key=lambda uc: (uc.id not in own, -score(uc), uc.id))
    # ...but the trouble the owner stated comes first: an owner judges the reply by whether it
    # speaks to what they said, and "lo primero" then means that idea. Each stated goal (in the
    # order said, at most two) is led by its best ranked idea of the sector, or, when no idea of
    # the sector serves it ("fío mucho y ya no sé quién me debe" at a pollería), by the general
    # one. An easier idea with no goal of the owner's no longer outranks it; a niche idea
    # nobody cued never leads (an idea cued comes first, below).
    served = {g for uc in ranked if uc.id in own for g in uc.goals}
    general = sorted(
        (uc for uc in by_size.get((GENERAL_SECTOR, profile.size), []) if uc.id not in own),
        key=lambda uc: (-score(uc), uc.id),
    )
    lead: list[UseCase] = []
    for goal in profile.goals:
        if len(lead) == 2:
            break
        if any(goal in uc.goals for uc in lead):
            continue  # an idea already leading serves it
        pool = ranked if goal in served or not own else general
        extra = next(
            (
                uc
                for uc in pool
                if goal in uc.goals
                and (not uc.niche or said_cue(uc, folded))
                and (uc.id in own or not own or goal not in served)
            ),
            None,
        )
        if extra is not None:
            lead.append(extra)
    ranked = lead + [uc for uc in ranked if uc not in lead]
    # An idea the owner cued by how the business runs ("vendo en un carrito") still goes first:
    # it says which business this is; the stated trouble's idea follows it.
    ranked.sort(key=lambda uc: not said_cue(uc, folded))
    return ranked[skip : skip + n]


def _best_path(knowledge: Knowledge, profile: BusinessProfile) -> LearningPath | None:
    role = profile.role or "owner"

    def score(path: LearningPath) -> float:
        if path.sectors and profile.sector not in path.sectors:
            return 0.0  # a route written for other kinds of business
        levels = {knowledge.courses[c].level for c in path.courses if c in knowledge.courses}
        if (profile.maturity or 2) >= 4 and levels <= {"fundamental"}:
            return 0.0  # a route for beginners says nothing true to an expert
        s = 3.0 if path.audience == role else (-2.0 if role in ("it", "developer") else 0.0)
        s += 2.0 if profile.sector and profile.sector in path.sectors else 0.0
        return s

    candidates = sorted(knowledge.paths, key=lambda p: (-score(p), p.id))
    return candidates[0] if candidates and score(candidates[0]) > 0 else None


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    rx = _starts_any(phrases)
    return rx is not None and rx.search(text) is not None


@lru_cache(maxsize=256)  # the goals' and the basics' few phrase lists, at every course
def _starts_any(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for "a word starts one of `phrases`" (one search per course and goal, not
    one per phrase); None for no phrases."""
    if not phrases:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + ")")


def _goal_matches(course: Course, profile: BusinessProfile) -> list[str]:
    text = _topics(course)
    return [g for g in profile.goals if _has(text, GOAL_TOPICS.get(g, ()))]


def _course_score(course: Course, profile: BusinessProfile, boosts: dict[str, float]) -> float:
    s = boosts.get(course.id, 0.0)
    s += 2.0 if is_spanish(course) else 0.0
    s += 1.0 if course.free else (-0.5 if course.free is False else 0.0)
    s += 1.0 * len(_goal_matches(course, profile))
    maturity = profile.maturity or 2
    if maturity >= 4:
        # Someone who already uses Excel daily learns nothing from another introduction.
        s += 1.5 if course.level != "fundamental" else -1.0
    elif profile.role in ("it", "developer") and course.level != "fundamental":
        s += 1.0  # the person in charge of systems goes past the introductions
    if new_to_computers(profile):
        text = _topics(course)
        s += 3.0 if any(t in text for t in COMPUTER_BASICS_TOPICS) else 0.0
        s -= 1.0 if course.format == "program" else 0.0
    return s


def _with_prerequisites(
    chosen: list[str], knowledge: Knowledge, profile: BusinessProfile, limit: int
) -> list[str]:
    """Add the prerequisites this user needs first, then order topologically (stable by choice
    order). An expert skips the basics; someone who reads no English skips English
    prerequisites of Spanish courses."""
    selected = list(dict.fromkeys(chosen))
    maturity = profile.maturity or 2
    # Transitively: an intermediate course pulls in its prerequisite, which may have its own
    # ("Building apps with Bedrock" -> "Getting started with Bedrock" -> its introduction).
    queue = list(selected)
    while queue:
        cid = queue.pop(0)
        course = knowledge.courses[cid]
        for pre in course.prerequisites:
            needed = knowledge.courses.get(pre)
            if needed is None or pre in selected:
                continue
            if maturity >= 4 and needed.level == "fundamental":
                continue
            past_basics = maturity >= 3 or profile.role in ("it", "developer")
            if past_basics and any(t in _topics(needed) for t in COMPUTER_BASICS_TOPICS):
                continue
            if not reads_english(profile) and is_spanish(course) and not is_spanish(needed):
                continue
            selected.insert(selected.index(cid), pre)
            queue.append(pre)
    selected = selected[: max(limit, 1)]
    rank = {cid: i for i, cid in enumerate(selected)}
    graph = {
        cid: {p for p in knowledge.courses[cid].prerequisites if p in rank} for cid in selected
    }
    sorter = TopologicalSorter(graph)
    try:
        sorter.prepare()
    except CycleError:
        return selected
    ordered: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=rank.__getitem__)
        ordered.extend(ready)
        sorter.done(*ready)
    return ordered


def _why(course: Course, profile: BusinessProfile, reasons: dict[str, list[str]]) -> str:
    parts = list(reasons.get(course.id, []))
    for goal in _goal_matches(course, profile)[:1]:
        parts.append(f"te ayuda a {GOAL_NAMES[goal]}")
    if new_to_computers(profile) and course.level == "fundamental":
        parts.append("empieza desde cero, sin conocimientos técnicos")
    if (profile.maturity or 2) >= 4 and course.level != "fundamental":
        parts.append(f"es de nivel {LEVEL_ES[course.level]}, para quien ya usa la computadora")
    if course.free:
        parts.append("es gratis")
    parts.append("está en español")
    parts = list(dict.fromkeys(parts))[:2]
    if not is_spanish(course):
        # Someone who reads no English must know before clicking.
        parts = [p for p in parts if p != "está en español"][:1] + ["está en inglés"]
    # Two reasons read well on a phone; more become noise.
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


# Brand and product words that name no course in particular.
_COMMON_NAMES = frozenset(
    {"aws", "amazon", "microsoft", "google", "ia", "ai", "ibm", "whatsapp", "mexico", "mx",
     "linkedin", "internet", "cisco", "santander", "skill", "builder", "fundamentos", "ruta",
     "plan", "curso", "introduccion", "certified", "practitioner", "cloud", "essentials"}
)  # fmt: skip
MAX_NAMED = 8


@lru_cache(maxsize=1024)  # course titles and topics, read again at every turn; callers copy
def _names(text: str, titles: bool) -> dict[str, str]:
    """Tool and product names in titles or topics ("Bedrock", "ChatGPT", "RAG", "Excel"),
    folded -> as the catalog writes them.

    Topics are lower case unless they name a tool; titles are capitalised by grammar, so only
    their all-caps or camel-case words (RAG, PartyRock) count there.
    """
    out: dict[str, str] = {}
    for token in re.findall(r"[\w+-]+", text):
        if re.fullmatch(r"[A-ZÁÉÍÓÚ][\w+-]*[A-Z][\w+-]*", token) or (
            not titles and re.fullmatch(r"[A-Z][A-Za-z]{2,}", token)
        ):
            for w in words(token):
                if w not in _COMMON_NAMES:
                    out.setdefault(w, token)
    return out


def _course_names(knowledge: Knowledge) -> dict[str, dict[str, str]]:
    names = {
        cid: {**_names(", ".join(c.topics), False), **_names(c.title_es, True)}
        for cid, c in knowledge.courses.items()
    }
    frequency: dict[str, int] = {}
    for found in names.values():
        for w in found:
            frequency[w] = frequency.get(w, 0) + 1
    # A name in many courses picks none in particular.
    return {
        cid: {w: shown for w, shown in found.items() if frequency[w] <= MAX_NAMED}
        for cid, found in names.items()
    }


def mentioned_courses(knowledge: Knowledge, said: str) -> dict[str, str]:
    """Courses about a tool or product the user named ("Bedrock", "Excel", "ChatGPT"), with
    the name as the catalog writes it."""
    written = set(words(said))
    out: dict[str, str] = {}
    for cid, names in _course_names(knowledge).items():
        hit = sorted(set(names) & written)
        if hit:
            out[cid] = names[hit[0]]
    return out


def _english_needed(mentioned: dict[str, str], ranked: list[Course]) -> list[Course]:
    """English courses for a name the user wrote that no Spanish course covers (two at most
    per name, best ranked first)."""
    by_name: dict[str, list[Course]] = {}
    for course in ranked:
        if course.id in mentioned:
            by_name.setdefault(mentioned[course.id], []).append(course)
    out: list[Course] = []
    for courses in by_name.values():
        if not any(is_spanish(c) for c in courses):
            out += [c for c in courses if c not in out][:2]
    return out


def training_path(
    knowledge: Knowledge, profile: BusinessProfile, use_cases: list[UseCase], said: str = ""
) -> tuple[list[TrainingStep], float | None, int | None, int]:
    """Ordered steps, total known hours, weeks at the user's pace, and unknown-duration count."""
    boosts: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    path = _best_path(knowledge, profile)
    if path:
        for i, cid in enumerate(path.courses):
            boosts[cid] = boosts.get(cid, 0.0) + 3.0 - 0.1 * i
            reasons.setdefault(cid, []).append(f"es parte de la ruta «{path.title}»")
    # Owner-oriented use cases matter less than the curated path for technical roles.
    uc_boost = 0.5 if profile.role in ("it", "developer") else 2.0
    for uc in use_cases:
        for cid in uc.related_courses:
            boosts[cid] = boosts.get(cid, 0.0) + uc_boost
            reasons.setdefault(cid, []).insert(0, f"te sirve para «{uc.title}»")
    mentioned = mentioned_courses(knowledge, said)
    expert = (profile.maturity or 2) >= 4
    for cid, name in mentioned.items():
        fundamental = knowledge.courses[cid].level == "fundamental"
        # Naming a tool you already use daily is no reason to start it from scratch.
        boosts[cid] = boosts.get(cid, 0.0) + (1.0 if fundamental and expert else 4.0)
        reasons.setdefault(cid, []).insert(0, f"trata de {name}, que mencionaste")
    if expert:
        # Someone past the basics gets the next level of what the route and the ideas offer
        # ("Excel intermedio-avanzado" instead of "Excel básico"); the basics leave below.
        for course in knowledge.courses.values():
            base = next((p for p in course.prerequisites if p in boosts), None)
            if base and course.level != "fundamental" and course.id not in boosts:
                boosts[course.id] = boosts[base]
                title = course_title(knowledge.courses[base])
                reasons.setdefault(course.id, []).append(f"es el siguiente nivel de «{title}»")
    pool = [c for c in knowledge.courses.values() if fits(c, profile, set(mentioned))]
    pool.sort(key=lambda c: (-_course_score(c, profile, boosts), c.id))
    english: list[Course] = []
    if not reads_english(profile) and any(is_spanish(c) for c in pool):
        # English only where nothing in Spanish covers the need: a tool the user named that
        # no Spanish course teaches (or no Spanish course at all, when the pool stays whole).
        english = _english_needed(mentioned, pool)
        pool = [c for c in pool if is_spanish(c)]
    if expert:
        # The basics of something more advanced on offer are what an expert already knows.
        bases = {p for c in pool for p in c.prerequisites}
        pool = [c for c in pool if not (c.level == "fundamental" and c.id in bases)]
    # A course earns its place through the route, a use case, a named tool or a goal, and for
    # the person in charge of systems through its level; others only fill a path that would
    # otherwise be too short to be useful.
    technical = profile.role in ("it", "developer")
    relevant = [
        c
        for c in pool
        if c.id in boosts or _goal_matches(c, profile) or (technical and c.level != "fundamental")
    ]
    if new_to_computers(profile):
        relevant += [
            c for c in pool if c not in relevant and _has(_topics(c), COMPUTER_BASICS_TOPICS)
        ]
    # Others only when nothing else fits: an honest short path beats padding.
    ranked = relevant or pool[:3]
    if new_to_computers(profile):
        # Someone new to computers starts with the computer, then the rest.
        ranked.sort(key=lambda c: not _has(_topics(c), COMPUTER_BASICS_TOPICS))
    ranked = english + [c for c in ranked if c not in english]
    budget = (profile.weekly_hours or 3.0) * HORIZON_WEEKS
    chosen: list[str] = []
    hours = 0.0
    for course in ranked:
        if len(chosen) >= MAX_STEPS:
            break
        extra = course.duration_hours or 0.0
        if chosen and hours + extra > budget:
            continue
        chosen.append(course.id)
        hours += extra
    ordered = _with_prerequisites(chosen, knowledge, profile, MAX_STEPS)
    for cid in ordered:
        for later in ordered:
            if cid in knowledge.courses[later].prerequisites:
                reasons.setdefault(cid, []).insert(
                    0, f"es la base para «{course_title(knowledge.courses[later])}»"
                )
    steps = []
    for cid in ordered:
        c = knowledge.courses[cid]
        steps.append(
            TrainingStep(
                course_id=c.id,
                title=course_title(c),
                provider=c.provider,
                url=c.url,
                level=c.level,
                duration_hours=c.duration_hours,
                cost=c.cost,
                languages=list(c.languages),
                why=_why(c, profile, reasons),
            )
        )
    known = [s.duration_hours for s in steps if s.duration_hours]
    total = round(sum(known), 1) if known else None
    unknown = sum(1 for s in steps if not s.duration_hours)
    weeks = math.ceil(total / profile.weekly_hours) if total and profile.weekly_hours else None
    return steps, total, weeks, unknown


def use_case_recs(
    knowledge: Knowledge,
    profile: BusinessProfile,
    use_cases: list[UseCase],
    said: str = "",
    message: str = "",
) -> list[UseCaseRec]:
    """The ideas as shown, each first step fitted to what the owner said (`fitting.fit_step`)."""
    sector = knowledge.sectors.get(profile.sector or "") or knowledge.sectors.get("general")
    return [
        UseCaseRec(
            id=uc.id,
            title=uc.title,
            sector=profile.sector_name or (sector.name if sector else ""),
            summary=uc.what_ai_does,
            first_step=fit_step(uc, said, message),
            related_courses=[c for c in uc.related_courses if c in knowledge.courses],
            goals=list(uc.goals),
        )
        for uc in use_cases
    ]


def recommend(
    knowledge: Knowledge, profile: BusinessProfile, said: str = "", message: str = ""
) -> Recommendations:
    """Use cases and a training path for the profile (`recommend_all` adds the programs).

    `said` is what the user wrote in this conversation; courses it names get priority, and the
    ideas' first steps take the product, document or language named in it (`message`: this
    turn's words).
    """
    use_cases = top_use_cases(knowledge, profile, n=12, said=said)
    # The path serves the ideas shown first; the others wait for "Más ideas".
    steps, total, weeks, unknown = training_path(knowledge, profile, use_cases[:3], said)
    return Recommendations(
        training_path=steps,
        use_cases=use_case_recs(knowledge, profile, use_cases, said, message),
        total_hours=total,
        weeks=weeks,
        unknown_duration=unknown,
    )


def _folded_topics(program: Program) -> str:
    return fold(" ".join(program.meta.topics))


def is_program(program: Program, profile: BusinessProfile | None = None) -> bool:
    """A document that offers this business something to apply for or use: not statistics, a
    glossary or zones still under evaluation; a declared development zone (never the explainer
    of all of them) unless the business is known to be micro or small."""
    text = _folded_topics(program)
    if any(t in text for t in _NOT_PROGRAM_TOPICS):
        return False
    main = fold(program.meta.topics[0]) if program.meta.topics else ""
    if main in _ZONE_TOPICS:  # the first topic says what the document is about
        return bool(program.meta.states) and (profile is None or profile.size not in _SMALL)
    return True


def _program_score(program: Program, profile: BusinessProfile, need: str | None = None) -> float:
    meta = program.meta
    if meta.sectors and (profile.sector or "") not in meta.sectors:
        return 0.0  # a support for other kinds of business
    if not _serves_need(program, need):
        return 0.0  # "¿hay crédito pa una máquina?": courses are no answer
    text = _folded_topics(program)
    s = 1.0 if any(t in text for t in _TRAINING_TOPICS) else 0.0
    if need is not None:
        # What was asked weighs more than the goals: credit first for a money ask.
        s += 3.0 if any(t in text for t in _MONEY_TOPICS) and need in (MONEY, EXPORT) else 0.0
        s += 1.0 if need == EXPORT and "exporta" in text else 0.0
    s += 2.0 if profile.sector and profile.sector in meta.sectors else 0.0
    for goal in profile.goals:
        s += 2.0 if any(t in text for t in GOAL_PROGRAM_TOPICS.get(goal, ())) else 0.0
    return s


def program_rec(program: Program, today: dt.date) -> ProgramRec:
    meta = program.meta
    return ProgramRec(
        id=meta.id,
        kind=program_kind(program),
        title=meta.title,
        url=meta.sources[0].url,
        summary=meta.summary,
        # What we can vouch for is the day a person checked it: answers say "verificado el".
        valid_as_of=meta.verified_on.isoformat(),
        stale=meta.review_by < today,
    )


def applicable_programs(
    knowledge: Knowledge,
    profile: BusinessProfile,
    today: dt.date | None = None,
    ask: str = "",
) -> tuple[list[ProgramRec], list[SearchHit]]:
    """The user's state first (when it fits the sector), then national programs that match
    the goal; at most three, with the hit each one cites. `ask` is this turn's message: a
    program must serve what it asks for (credit for a machine, not free courses)."""
    today = today or dt.date.today()
    need = support_asked(ask)
    docs = [p for p in knowledge.programs.values() if is_program(p, profile)]
    local = [
        p
        for p in docs
        if profile.state
        and profile.state in p.meta.states
        and (not p.meta.sectors or (profile.sector or "") in p.meta.sectors)
        and _serves_need(p, need)
    ]
    local.sort(key=lambda p: (-_program_score(p, profile, need), p.meta.id))
    national = [p for p in docs if not p.meta.states and _program_score(p, profile, need) > 0]
    national.sort(key=lambda p: (-_program_score(p, profile, need), p.meta.id))
    picked = (local[:2] + national)[:MAX_PROGRAMS]
    recs = [program_rec(p, today) for p in picked]
    hits = [
        SearchHit(
            id=f"{p.meta.id}:0",
            kind="program",
            title=p.meta.title,
            url=p.meta.sources[0].url,
            score=1.0,
            snippet=p.meta.summary,
            doc_id=p.meta.id,
            metadata={"published": p.meta.published.isoformat()},
        )
        for p in picked
    ]
    return recs, hits


def recommend_all(
    knowledge: Knowledge,
    profile: BusinessProfile,
    said: str = "",
    today: dt.date | None = None,
    ask: str = "",
) -> Recommended:
    """The complete recommendations of a turn, with the program documents they cite (`ask`:
    this turn's message, which the programs must serve)."""
    recs, hits = applicable_programs(knowledge, profile, today, ask)
    base = recommend(knowledge, profile, said, ask)
    return Recommended(base.model_copy(update={"programs": recs}), tuple(hits))


# ---- what a turn shows ----------------------------------------------------------------------
# Which recommendation blocks a turn shows, and which it only refers to.
#
# A conversation shows three blocks: ideas (use cases), the course path and the programs. The
# first diagnosis reply shows the ideas only; the path comes when asked for or once the weekly
# hours are known; the programs when asked for. A block already sent and unchanged is never sent
# again: the reply refers to it ("La ruta que te di sigue igual"). What was sent is tracked per
# session as one fingerprint per block.

IDEAS, PATH, PROGRAMS = "ideas", "path", "programs"
BLOCKS = (IDEAS, PATH, PROGRAMS)
IDEAS_SHOWN = 3
# The next steps an owner can choose from, as quick replies (the id of a WhatsApp button
# carries the full text; its title may be shorter).
NEXT_PATH = "Ver mi ruta de cursos"
NEXT_PROGRAMS = "Apoyos en mi estado"
NEXT_IDEAS = "Más ideas"

_ASK_PATH = re.compile(
    r"\bruta\b|\bcursos?\b.*\b(recomiend\w*|tomo|tomar|empiezo|empezar|sigue|siguiente|dame"
    r"|pasame|manda\w*)\b|\b(recomiend\w*|dame|pasame|cual|cuales|que|q|ke)\b.*\bcursos?\b"
    r"|\bsiguiente nivel\b|\bhay (?:algun |algunos |unos )?cursos?\b"
)
# The path asked for again ("pásame otra vez la ruta", "los cursos que me dijiste", its button):
# it is sent again, never only referred to.
_ASK_PATH_AGAIN = re.compile(
    r"\bruta\b"
    r"|\b(?:otra vez|de nuevo|nuevamente|repite\w*|vuelve\w*|reenvia\w*)\b.*\bcursos?\b"
    r"|\bcursos?\b.*\b(?:otra vez|de nuevo|nuevamente)\b"
    r"|\bcursos? (?:que|q|ke) (?:me )?(?:dijiste|diste|recomendaste|pasaste|mandaste|sugeriste)\b"
    r"|\b(?:pasa|manda|envia|dame|ver|ensena|muestra)\w*\b.*\bcursos?\b"
)
# A fact asked of the path ("¿cuánto dura la ruta?", "¿vienen en inglés?") is no ask to see it.
_PATH_FACT = re.compile(
    r"\b(?:cuanto|cuanta|cuantas|cuantos|dura\w*|cuesta\w*|costo|gratis|ingles|espanol|idioma"
    r"|horas|semanas?|por ?que|que es|de que|trata)\b"
)
# Course words: a reply that speaks of courses may carry the path.
_COURSES = re.compile(r"\b(?:cursos?|ruta|capacita\w*|aprend\w*)\b")
_ASK_PROGRAMS = re.compile(
    r"\b(apoyos?|programas?)\b.*\b(estado|aplica\w*|mi negocio|para mi)\b"
    r"|\b(que|q|ke|cuales) (apoyos?|programas?)\b"
    # "¿hay algún apoyo para…?", "¿existen apoyos?", "apoyos pa nosotros", "apoyos hay?"
    r"|\b(hay|existen?|tienen|conoces)\b( \w+)?( \w+)? apoyos?\b"
    r"|\bapoyos? (hay|existen|nos tocan|me tocan)\b"
    r"|\bapoyos?( hay)? (para|pa) (nosotros|mi|el|los|las|mis|negocios?)\b"
    r"|\bprogramas? (de|del) (gobierno|apoyo|economia)\b"
    # Money asked without the word "apoyo": "¿aquí dan créditos pa…?", "¿nos prestan pa surtir?"
    r"|\b(hay|existen?|dan|tienen|conoces|ofrecen)\b( \w+){0,2} (creditos?|prestamos?|financiamientos?)\b"
    r"|\b(me|nos|les) (prestan|apoyan|financian)\b"
    r"|\b(creditos?|prestamos?|financiamientos?)\b.*\bopciones\b"
)
_ASK_MORE_IDEAS = re.compile(r"\b(mas|otras?)\s+ideas?\b")
# "la segunda idea", "esa idea", "la idea 3": one idea of those given, not the list again.
ONE_IDEA = re.compile(
    r"\b(?:primera|segunda|tercera|cuarta|quinta|ultima|esa|esta|la misma)\s+idea\b"
    r"|\bidea\s+(?:numero\s+)?[1-5]\b"
)
# "va", "sí", "ok y luego?", "sale, ¿qué sigue?": the owner only says to go on, to the next step
# the last reply offered (its buttons), not about anything to answer.
_GO_ON = re.compile(
    r"^\W*(?:(?:va|vale|sale|ok|okay|okey|oki|okas|orale|si|sip|simon|dale|claro|de acuerdo"
    r"|bueno|perfecto|aja|andale|listo|ya|pues|bien|muy bien|vamos|adelante)\b[\s,.!¡¿?]*)*"
    r"(?:y\s+)?(?:luego|despues|ahora que|que sigue|que mas|siguiente)?\W*$"
)
_ASK_IDEAS = re.compile(
    r"\bideas?\b|\bque me (recomiendas|sugieres|aconsejas)\b|\bque (hago|puedo hacer)\b"
    r"|\bpor donde empiezo\b"
)
# Slots whose change changes the path or the programs.
_PATH_SLOTS = {"sector", "goals", "weekly_hours", "role", "maturity", "reads_english"}
_PROGRAM_SLOTS = {"sector", "goals", "state"}


@dataclass(frozen=True)
class Plan:
    """What a turn shows, what it only refers to, and the fingerprints to remember."""

    show: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    ideas: tuple[str, ...] = ()  # ids of the ideas shown this turn
    more_ideas: bool = False  # "Más ideas": the next ones after those already sent
    sent: dict[str, str] = field(default_factory=dict)
    next_steps: tuple[str, ...] = ()
    # The idea that best serves a goal the owner just stated ("que no me falten a las citas"),
    # and that goal: the reply points to that one idea instead of resending the list.
    focus: str = ""
    focus_goal: str = ""


def asks_path_again(message: str) -> bool:
    """Whether the message asks to see the path ("mándame otra vez los cursos", "Ver mi ruta
    de cursos"), not a fact of it: then a path sent before is sent again."""
    text = fold(message)
    return bool(_ASK_PATH_AGAIN.search(text)) and not _PATH_FACT.search(text)


def asked(message: str) -> set[str]:
    """The blocks a message asks for, by how owners ask ("pásame la ruta", "más ideas")."""
    text = fold(message)
    out = set()
    if _ASK_PATH.search(text) or asks_path_again(message):
        out.add(PATH)
    if _ASK_PROGRAMS.search(text):
        out.add(PROGRAMS)
    if _ASK_MORE_IDEAS.search(text):
        out.add("more")
    elif _ASK_IDEAS.search(text) and not ONE_IDEA.search(text):
        out.add(IDEAS)
    return out


def going_on(message: str, profile: BusinessProfile, sent: dict[str, str]) -> str | None:
    """The next step a bare "va", "sí" or "ok y luego?" takes, as its button's text: the path
    until it was sent, then the programs of the owner's state, then more ideas. None for any
    other message, or before we know the business (there is no step to take yet)."""
    folded = fold(message)
    if not profile.sector or not folded.strip() or not _GO_ON.match(folded):
        return None
    if PATH not in sent:
        return NEXT_PATH
    if PROGRAMS not in sent and profile.state:
        return NEXT_PROGRAMS
    return NEXT_IDEAS


def fingerprint(recs: Recommendations, block: str, profile: BusinessProfile) -> str:
    """What makes the path or the programs the same block: its items, and the pace."""
    if block == PATH:
        pace = f"{profile.weekly_hours:g}" if profile.weekly_hours else "-"
        return ",".join(s.course_id for s in recs.training_path) + f"@{pace}"
    return ",".join(p.id for p in recs.programs)


def _ideas_sent(sent: dict[str, str]) -> set[str]:
    return set(filter(None, sent.get(IDEAS, "").split(",")))


def unseen_ideas(recs: Recommendations, sent: dict[str, str]) -> list[str]:
    """Ids of the sector's ideas not sent yet, best first."""
    seen = _ideas_sent(sent)
    return [uc.id for uc in recs.use_cases if uc.id not in seen]


def plan(
    message: str,
    profile: BusinessProfile,
    changed: tuple[str, ...] | list[str],
    recs: Recommendations,
    sent: dict[str, str],
    diagnosis: bool,
    answered: bool = False,
    avoid: frozenset[str] = frozenset(),
) -> Plan:
    """The blocks of this turn. `sent` holds what earlier turns showed: the ids of the ideas,
    and the fingerprints of the path and the programs. `answered`: the turn answers a question,
    so a goal stated along the way gets no idea of its own (the answer is the reply)."""
    want = asked(message)
    if not profile.sector:
        # No business yet: only a developer or an employee who asks gets a path (for anyone
        # else the question is answered and the business asked about).
        want = want & {PATH} if profile.role in ("it", "developer", "employee") else set()
        if not want:
            return Plan(sent=dict(sent))
    changed_set = set(changed)
    seen = _ideas_sent(sent)
    more = "more" in want and bool(seen)
    # The first reply about a business shows its ideas, even when it came with a question.
    first = not seen and (diagnosis or bool(want) or "sector" in changed_set)
    if "more" in want and not more:
        want.add(IDEAS)
    # "Qué me recomiendas" once the ideas are out asks for the next thing: the path (not when
    # an idea answers a pain told: "se me caduca el yogurt, ¿qué hago?").
    if IDEAS in want and seen and PATH not in sent and not _only_ideas(message) and not answered:
        want = (want - {IDEAS}) | {PATH}
    show: list[str] = []
    unchanged: list[str] = []
    new_sent = dict(sent)
    ideas: list[str] = []
    focus, focus_goal = "", ""
    if more:
        ideas = unseen_ideas(recs, sent)[:IDEAS_SHOWN]
        (show if ideas else unchanged).append(IDEAS)
    elif first or IDEAS in want or "sector" in changed_set:
        # A business corrected ("no es estética, es estudio de tatuajes") gets its own ideas.
        # Ideas asked for again and unchanged are only referred to.
        top = [uc.id for uc in recs.use_cases[:IDEAS_SHOWN]]
        if top and set(top) <= seen:
            unchanged.append(IDEAS)
        elif top:
            ideas = top
            show.append(IDEAS)
    elif "size" in changed_set and seen - {uc.id for uc in recs.use_cases} and not answered:
        # The size came after the ideas, and some of them were written for another size ("somos
        # 80" after a workshop idea): the best ideas for this size that were not sent yet.
        ideas = unseen_ideas(recs, sent)[:IDEAS_SHOWN]
        if ideas:
            show.append(IDEAS)
    elif ("goals" in changed_set or new_client_goals(message)) and seen and not answered:
        # A new goal once the ideas are out: one idea for it, never the list again.
        focus, focus_goal = goal_focus(recs, profile, message, avoid)
        if focus and focus not in seen:
            ideas = [focus]
    if ideas:
        new_sent[IDEAS] = ",".join([*sorted(seen), *ideas])
    blocks = []
    if (
        PATH in want
        or ("weekly_hours" in changed_set and profile.weekly_hours is not None)
        or (first and profile.weekly_hours is not None)
        or (
            PATH in sent
            and _PATH_SLOTS & changed_set
            # An answer about something else carries no path ("Anotado" goals change it).
            and (not answered or _COURSES.search(fold(message)) or "reads_english" in changed_set)
        )
    ):
        blocks.append(PATH)
    if PROGRAMS in want or (PROGRAMS in sent and _PROGRAM_SLOTS & changed_set):
        blocks.append(PROGRAMS)
    for block in blocks:
        if not _has_items(recs, block):
            continue
        mark = fingerprint(recs, block, profile)
        if sent.get(block) == mark and not (block == PATH and asks_path_again(message)):
            unchanged.append(block)
        else:
            show.append(block)
            new_sent[block] = mark
    next_steps = []
    if PATH not in new_sent and recs.training_path:
        next_steps.append(NEXT_PATH)
    if PROGRAMS not in new_sent and profile.state and recs.programs:
        next_steps.append(NEXT_PROGRAMS)
    if IDEAS in new_sent and unseen_ideas(recs, new_sent):
        next_steps.append(NEXT_IDEAS)
    return Plan(
        tuple(show),
        tuple(unchanged),
        tuple(ideas),
        more,
        new_sent,
        tuple(next_steps[:3]),
        focus,
        focus_goal,
    )


FOCUS_MIN = 0.5
# Words of manner, amount and time say how much the owner wants something, not what it is
# about ("rápido", "más", "horas"): they pick no idea.
_MANNER = frozenset(
    keyword_tokens(
        "rapido rapida rapidos facil faciles mejor mejores mas menos mucho muchos mucha muchas "
        "tiempo horas hora dia dias diario siempre todo toda todos todas bien nuevo nuevos "
        "hacer hagan hace haga quiero quisiera queremos necesito ayuda seguido"
    )
)
# How owners name a goal itself ("quiero vender más", "que regresen los clientes"): a message
# with nothing else names no idea in particular, so the best ranked idea for that goal fits.
_GOAL_WORDS = frozenset(
    keyword_tokens(
        "vender venta ventas vendo clientes cliente regresen regresar vuelvan volver atender "
        "atencion servicio ahorrar inventario cuentas finanzas dinero ganar publicidad conocer "
        "conozcan calidad fallas negocio"
    )
)


def new_client_goals(message: str) -> tuple[str, ...]:
    """The goals, most specific first, of a message that asks for clients the business does
    not have yet (being known, then selling more); none for any other message."""
    return ("marketing", "sell_more") if NEW_CLIENTS.search(fold(message)) else ()


def goal_focus(
    recs: Recommendations,
    profile: BusinessProfile,
    message: str,
    avoid: frozenset[str] = frozenset(),
) -> tuple[str, str]:
    """The idea of the sector that the owner's words describe ("se me van horas haciendo
    presupuestos" -> "Presupuestos completos y más rápidos") and that serves one of the
    profile's goals, with that goal. Words many ideas share ("clientes") weigh little; the
    goal alone picks an idea only when the owner said nothing but the goal (an idea that only
    shares the goal's label may be about something else), and the words alone neither ("las máquinas" in a wish to predict failures does not
    make safety procedures the answer)."""
    said = set(keyword_tokens(message)) - _MANNER
    for goal in new_client_goals(message):
        # Clients the business does not have yet: the best ranked idea for being known, even
        # one already given (the reply then points back to it instead of saying it again).
        for uc in recs.use_cases:
            if goal in uc.goals:
                return uc.id, goal
    # The idea the last reply gave in full is not resent word for word for another ask.
    recs = recs.model_copy(update={"use_cases": [u for u in recs.use_cases if u.id not in avoid]})
    if not said - _GOAL_WORDS:
        # Only the goal was said: the best ranked idea for it (the ranking weighs the goals).
        for goal in reversed(profile.goals):
            for uc in recs.use_cases:
                if goal in uc.goals:
                    return uc.id, goal
        return "", ""
    docs = {
        uc.id: (set(keyword_tokens(uc.title)), set(keyword_tokens(f"{uc.summary} {uc.first_step}")))
        for uc in recs.use_cases
    }
    df = Counter(t for title, body in docs.values() for t in title | body)
    # The goal just stated is the newest: "para conseguir clientes" after saving time wants
    # clients, and an idea that only shares the word "clientes" with it serves the older goal.
    newest = profile.goals[-1:]
    serving = [uc for uc in recs.use_cases if set(uc.goals) & set(newest)]
    best, best_score = None, 0.0
    for uc in serving or recs.use_cases:
        if not set(uc.goals) & set(profile.goals):
            continue
        title, body = docs[uc.id]
        score = sum((1.5 if t in title else 1.0) / df[t] for t in said & (title | body))
        if score >= FOCUS_MIN and score > best_score:
            best, best_score = uc, score
    if best is None and serving and said & _GOAL_WORDS:
        # The goal in its own words ("conseguir clientes nuevos"): its best ranked idea.
        best = serving[0]
    if best is None:
        return "", ""
    return best.id, next(g for g in reversed(profile.goals) if g in best.goals)


def _only_ideas(message: str) -> bool:
    return bool(re.search(r"\bideas?\b", fold(message)))


def _has_items(recs: Recommendations, block: str) -> bool:
    if block == IDEAS:
        return bool(recs.use_cases)
    if block == PATH:
        return bool(recs.training_path)
    return bool(recs.programs)


def shown(recs: Recommendations, the_plan: Plan) -> Recommendations:
    """The recommendations payload of the turn: only the blocks shown (cards = shown blocks)."""
    path = PATH in the_plan.show
    by_id = {uc.id: uc for uc in recs.use_cases}
    return Recommendations(
        use_cases=[by_id[i] for i in the_plan.ideas if i in by_id],
        training_path=recs.training_path if path else [],
        programs=recs.programs if PROGRAMS in the_plan.show else [],
        total_hours=recs.total_hours if path else None,
        weeks=recs.weeks if path else None,
        unknown_duration=recs.unknown_duration if path else 0,
    )
