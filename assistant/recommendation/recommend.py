"""Profile -> use cases, a training path ordered by prerequisites, and the programs that apply.

Explainable and deterministic; `recommend_all` returns the complete recommendations of a turn.
"""

from __future__ import annotations

import datetime as dt
import math
from graphlib import CycleError, TopologicalSorter

from assistant.knowledge.models import Course, LearningPath, UseCase
from assistant.knowledge.reader import Knowledge
from assistant.retrieval.hybrid import Filters, HybridRetriever
from assistant.schemas import (
    BusinessProfile,
    ProgramRec,
    Recommendations,
    SearchHit,
    TrainingStep,
    UseCaseRec,
)
from assistant.turn import Recommended
from assistant.understanding.text import words

GOAL_NAMES = {
    "sell_more": "vender más",
    "customer_service": "atender mejor a tus clientes",
    "save_time": "ahorrar tiempo",
    "inventory": "controlar tu inventario",
    "marketing": "darte a conocer",
    "finance": "llevar mejor tus cuentas",
}
LEVEL_ES = {"fundamental": "básico", "intermediate": "intermedio", "advanced": "avanzado"}
_LEVEL_RANK = {"fundamental": 1, "intermediate": 2, "advanced": 3}
MAX_STEPS = 5
HORIZON_WEEKS = 8


def _allowed_level(profile: BusinessProfile) -> int:
    """Highest course level that fits the maturity and role (1 basic .. 3 advanced)."""
    maturity = profile.maturity or 2
    technical = profile.role in ("it", "developer")
    if maturity <= 2:
        return 2 if technical else 1
    if maturity == 3:
        return 3 if technical else 2
    return 3 if technical else 2


def top_use_cases(knowledge: Knowledge, profile: BusinessProfile, n: int = 3) -> list[UseCase]:
    """The n use cases of the sector that best fit goals and digital maturity."""
    sector_file = knowledge.sectors.get(profile.sector or "")
    if not sector_file:
        return []
    maturity = profile.maturity or 2
    goals = set(profile.goals)

    def score(uc: UseCase) -> float:
        fit = 2.0 * len(goals & set(uc.goals))
        fit += 1.0 if uc.maturity_min <= maturity else -1.5 * (uc.maturity_min - maturity)
        fit += {"gratis": 1.0, "bajo": 0.5}.get(uc.cost_class, 0.0)
        fit += {"bajo": 0.5, "medio": 0.0, "alto": -0.5}[uc.effort]
        return fit

    ranked = sorted(sector_file.use_cases, key=lambda uc: (-score(uc), uc.id))
    return ranked[:n]


def _best_path(knowledge: Knowledge, profile: BusinessProfile) -> LearningPath | None:
    role = profile.role or "owner"

    def score(path: LearningPath) -> float:
        s = 3.0 if path.audience == role else (-2.0 if role in ("it", "developer") else 0.0)
        s += 2.0 if profile.sector and profile.sector in path.sectors else 0.0
        return s

    candidates = sorted(knowledge.paths, key=lambda p: (-score(p), p.id))
    return candidates[0] if candidates and score(candidates[0]) > 0 else None


def _course_score(course: Course, profile: BusinessProfile, boosts: dict[str, float]) -> float:
    role = profile.role or "owner"
    s = boosts.get(course.id, 0.0)
    s += 1.5 if role in course.audience else -4.0
    s += 1.0 if course.free else (-0.5 if course.free is False else 0.0)
    s += 1.0 if "es" in course.languages else 0.0
    over = _LEVEL_RANK[course.level] - _allowed_level(profile)
    s -= 3.0 * max(over, 0)
    if course.format == "exam" and role == "owner":
        s -= 2.0
    return s


def _with_prerequisites(chosen: list[str], knowledge: Knowledge, limit: int) -> list[str]:
    """Add missing prerequisites first, then order topologically (stable by choice order)."""
    selected = list(dict.fromkeys(chosen))
    for cid in list(selected):
        for pre in knowledge.courses[cid].prerequisites:
            if pre in knowledge.courses and pre not in selected:
                selected.insert(selected.index(cid), pre)
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
    if course.free:
        parts.append("es gratis")
    if "es" in course.languages:
        parts.append("está en español")
    elif course.languages:
        parts.append("está en inglés (puedes usar subtítulos o el traductor del navegador)")
    if profile.maturity and profile.maturity <= 2 and course.level == "fundamental":
        parts.append("empieza desde lo básico, sin conocimientos técnicos")
    # Two reasons read well on a phone; more become noise.
    text = (
        "; ".join(list(dict.fromkeys(parts))[:2])
        or f"nivel {LEVEL_ES[course.level]} adecuado para ti"
    )
    return text[0].upper() + text[1:] + "."


def mentioned_courses(knowledge: Knowledge, said: str) -> list[str]:
    """Courses named by a distinctive word the user wrote ("Bedrock", "PartyRock", "prompts")."""
    if not said:
        return []
    user_words = {w for w in words(said) if len(w) >= 5}
    titles = {
        cid: {w for w in words(f"{c.title} {c.title_es}") if len(w) >= 5}
        for cid, c in knowledge.courses.items()
    }
    frequency: dict[str, int] = {}
    for title_words in titles.values():
        for w in title_words:
            frequency[w] = frequency.get(w, 0) + 1
    # A word in many titles ("inteligencia", "generativa") names no course in particular.
    distinctive = {w for w in user_words if 0 < frequency.get(w, 0) <= 3}
    return sorted(cid for cid, title_words in titles.items() if title_words & distinctive)


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
            reasons.setdefault(cid, []).append(f"te sirve para «{uc.title}»")
    for cid in mentioned_courses(knowledge, said):
        boosts[cid] = boosts.get(cid, 0.0) + 4.0
        reasons.setdefault(cid, []).insert(0, "trata justo lo que pediste")
    goal_text = [GOAL_NAMES[g] for g in profile.goals if g in GOAL_NAMES]
    candidates = [
        c
        for c in knowledge.courses.values()
        if _course_score(c, profile, boosts) > 0 and (c.id in boosts or not boosts)
    ]
    candidates.sort(key=lambda c: (-_course_score(c, profile, boosts), c.id))
    budget = (profile.weekly_hours or 3.0) * HORIZON_WEEKS
    chosen: list[str] = []
    hours = 0.0
    for course in candidates:
        if len(chosen) >= MAX_STEPS:
            break
        extra = course.duration_hours or 0.0
        if chosen and hours + extra > budget:
            continue
        chosen.append(course.id)
        hours += extra
    ordered = _with_prerequisites(chosen, knowledge, MAX_STEPS)
    for cid in ordered:
        for later in ordered:
            if cid in knowledge.courses[later].prerequisites:
                reasons.setdefault(cid, []).insert(
                    0, f"es la base para «{knowledge.courses[later].title_es}»"
                )
    if goal_text and ordered:
        reasons.setdefault(ordered[0], []).append(f"es un buen primer paso para {goal_text[0]}")
    steps = []
    for cid in ordered:
        c = knowledge.courses[cid]
        steps.append(
            TrainingStep(
                course_id=c.id,
                title=c.title_es,
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


def recommend(knowledge: Knowledge, profile: BusinessProfile, said: str = "") -> Recommendations:
    """Use cases and a training path for the profile (`recommend_all` adds the programs).

    `said` is what the user wrote in this conversation; courses it names get priority.
    """
    use_cases = top_use_cases(knowledge, profile)
    steps, total, weeks, unknown = training_path(knowledge, profile, use_cases, said)
    sector_name = profile.sector_name or profile.sector or ""
    return Recommendations(
        training_path=steps,
        use_cases=[
            UseCaseRec(
                id=uc.id,
                title=uc.title,
                sector=sector_name,
                summary=uc.what_ai_does,
                first_step=uc.first_step,
                related_courses=[c for c in uc.related_courses if c in knowledge.courses],
            )
            for uc in use_cases
        ],
        total_hours=total,
        weeks=weeks,
        unknown_duration=unknown,
    )


def programs(
    knowledge: Knowledge, retriever: HybridRetriever, profile: BusinessProfile
) -> tuple[list[ProgramRec], list[SearchHit]]:
    """Plan México documents that apply (the user's state first, then national ones), max 3."""
    query = "capacitación gratuita en inteligencia artificial y apoyos para Mipymes"
    if profile.sector_name:
        query += f" de {profile.sector_name}"
    local: list[SearchHit] = []
    if profile.state:
        state_query = f"polos de desarrollo e inversión en {profile.state}"
        local = retriever.search(
            state_query, k=8, filters=Filters(kind="program", state=profile.state)
        )
        local = list({h.doc_id: h for h in reversed(local)}.values())[::-1][:2]
    picked = local + retriever.search(query, k=8, filters=Filters(kind="program"))
    recs: list[ProgramRec] = []
    hits: list[SearchHit] = []
    for hit in picked:
        program = knowledge.programs.get(hit.doc_id)
        if not program or any(h.doc_id == hit.doc_id for h in hits) or len(recs) >= 3:
            continue
        hits.append(hit)
        doc = program.meta
        recs.append(
            ProgramRec(
                id=doc.id,
                title=doc.title,
                url=hit.url,
                summary=doc.summary,
                # What we can vouch for is the day a person checked it, not a validity date
                # that may have passed: answers say "verificado el …".
                valid_as_of=doc.verified_on.isoformat(),
                stale=doc.review_by < dt.date.today(),
            )
        )
    return recs, hits


def recommend_all(
    knowledge: Knowledge, retriever: HybridRetriever, profile: BusinessProfile, said: str = ""
) -> Recommended:
    """The complete recommendations of a turn, with the passages its programs cite."""
    recs, hits = programs(knowledge, retriever, profile)
    base = recommend(knowledge, profile, said)
    return Recommended(base.model_copy(update={"programs": recs}), tuple(hits))
