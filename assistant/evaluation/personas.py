"""Persona conversations: is the profile right, and is the recommended path sound?

Each persona is a whole conversation run through `Assistant.respond` in a fresh session. The
final profile and the last recommendations shown are checked against the persona's `expect`
and against the catalog itself (prerequisite order, levels, hours, links, sector of use cases).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.evaluation.runner import converse, discard_session, new_session_id, run_sync
from assistant.knowledge.reader import Knowledge
from assistant.schemas import BusinessProfile, ChatResponse, Recommendations, Role
from assistant.understanding.text import fold

Level = Literal["fundamental", "intermediate", "advanced"]
LEVEL_RANK = {"fundamental": 1, "intermediate": 2, "advanced": 3}
METRICS = (
    "profile_accuracy",
    "path_contains_expected",
    "prerequisite_order",
    "level_fit",
    "use_case_sector_fit",
    "hours_consistent",
    "links_https",
)


class PersonaExpect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sector: str | None = None
    state: str | None = None
    role: Role | None = None
    max_level: Level | None = None
    courses_any: list[str] = Field(default_factory=list)
    courses_none: list[str] = Field(default_factory=list)
    weekly_hours: float | None = None
    min_courses: int | None = Field(default=None, ge=0)


class Persona(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    turns: list[str] = Field(min_length=1)
    expect: PersonaExpect = Field(default_factory=PersonaExpect)


class PersonaSet(BaseModel):
    personas: list[Persona] = Field(min_length=1)


class PersonaResult(BaseModel):
    """Outcome of one persona: each check is True/False, or absent when it does not apply."""

    id: str
    checks: dict[str, bool] = Field(default_factory=dict)
    profile_fields: dict[str, bool] = Field(default_factory=dict)
    failures: list[str] = Field(default_factory=list)
    profile: dict[str, Any] = Field(default_factory=dict)
    path: list[str] = Field(default_factory=list)
    use_cases: list[str] = Field(default_factory=list)
    total_hours: float | None = None
    weeks: int | None = None


def load(path: Path) -> list[Persona]:
    """The personas of a YAML file; ids must be unique."""
    data = PersonaSet.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    seen: set[str] = set()
    for persona in data.personas:
        if persona.id in seen:
            raise ValueError(f"persona repetida: {persona.id}")
        seen.add(persona.id)
    return data.personas


def unknown_courses(personas: list[Persona], knowledge: Knowledge) -> list[str]:
    """Expected course ids that the catalog does not have (a typo in the eval set)."""
    return [
        f"{p.id}: el curso esperado «{cid}» no existe en el catálogo"
        for p in personas
        for cid in [*p.expect.courses_any, *p.expect.courses_none]
        if cid not in knowledge.courses
    ]


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and fold(a).strip() == fold(b).strip()


def _check_profile(expect: PersonaExpect, profile: BusinessProfile, result: PersonaResult) -> None:
    for field in ("sector", "state", "role"):
        wanted = getattr(expect, field)
        if wanted is None:
            continue
        got = getattr(profile, field)
        ok = _same(wanted, got)
        result.profile_fields[field] = ok
        if not ok:
            result.failures.append(f"{result.id}: {field} esperado «{wanted}», obtenido «{got}»")
    if expect.weekly_hours is not None:
        got_hours = profile.weekly_hours
        ok = got_hours is not None and abs(got_hours - expect.weekly_hours) < 0.01
        result.profile_fields["weekly_hours"] = ok
        if not ok:
            result.failures.append(
                f"{result.id}: horas por semana esperadas {expect.weekly_hours:g}, obtenidas {got_hours}"
            )


def _check_expected_courses(expect: PersonaExpect, path: list[str], result: PersonaResult) -> None:
    if not (expect.courses_any or expect.courses_none or expect.min_courses):
        return
    ok = True
    if expect.courses_any and not set(expect.courses_any) & set(path):
        ok = False
        result.failures.append(
            f"{result.id}: ninguno de los cursos esperados {expect.courses_any} está en la ruta {path}"
        )
    banned = [cid for cid in expect.courses_none if cid in path]
    if banned:
        ok = False
        result.failures.append(
            f"{result.id}: la ruta incluye cursos que no le corresponden: {banned}"
        )
    if expect.min_courses and len(path) < expect.min_courses:
        ok = False
        result.failures.append(
            f"{result.id}: la ruta tiene {len(path)} curso(s), se esperaban al menos {expect.min_courses}"
        )
    result.checks["path_contains_expected"] = ok


def _check_order(path: list[str], knowledge: Knowledge, result: PersonaResult) -> None:
    position = {cid: i for i, cid in enumerate(path)}
    ok = True
    for i, cid in enumerate(path):
        course = knowledge.courses.get(cid)
        if course is None:
            ok = False
            result.failures.append(f"{result.id}: la ruta recomienda un curso que no existe: {cid}")
            continue
        for pre in course.prerequisites:
            if pre in position and position[pre] > i:
                ok = False
                result.failures.append(
                    f"{result.id}: «{pre}» es requisito de «{cid}» pero aparece después"
                )
    result.checks["prerequisite_order"] = ok


def _check_levels(
    expect: PersonaExpect, recs: Recommendations, knowledge: Knowledge, result: PersonaResult
) -> None:
    if expect.max_level is None:
        return
    limit = LEVEL_RANK[expect.max_level]
    above = []
    for step in recs.training_path:
        course = knowledge.courses.get(step.course_id)
        level = course.level if course else step.level
        if LEVEL_RANK.get(level, 0) > limit:
            above.append(f"{step.course_id} ({level})")
    if above:
        result.failures.append(
            f"{result.id}: cursos por encima del nivel {expect.max_level}: {above}"
        )
    result.checks["level_fit"] = not above


def _check_hours(recs: Recommendations, profile: BusinessProfile, result: PersonaResult) -> None:
    known = [s.duration_hours for s in recs.training_path if s.duration_hours]
    total = round(sum(known), 1) if known else None
    unknown = sum(1 for s in recs.training_path if not s.duration_hours)
    problems = []
    if (recs.total_hours is None) != (total is None) or (
        total is not None and recs.total_hours is not None and abs(recs.total_hours - total) > 0.05
    ):
        problems.append(f"total_hours={recs.total_hours} pero la suma de duraciones es {total}")
    if recs.unknown_duration != unknown:
        problems.append(f"unknown_duration={recs.unknown_duration} pero hay {unknown} sin duración")
    hours = profile.weekly_hours
    expected_weeks = math.ceil(total / hours) if total and hours else None
    if recs.weeks != expected_weeks:
        problems.append(
            f"weeks={recs.weeks} pero ceil({total} h / {hours} h por semana) = {expected_weeks}"
        )
    for problem in problems:
        result.failures.append(f"{result.id}: {problem}")
    result.checks["hours_consistent"] = not problems


def _check_links(recs: Recommendations, result: PersonaResult) -> None:
    bad = [s.course_id for s in recs.training_path if not s.url.startswith("https://")]
    bad += [p.id for p in recs.programs if not p.url.startswith("https://")]
    if bad:
        result.failures.append(f"{result.id}: enlaces sin https: {bad}")
    result.checks["links_https"] = not bad


def _check_use_cases(
    expect: PersonaExpect,
    profile: BusinessProfile,
    recs: Recommendations,
    knowledge: Knowledge,
    result: PersonaResult,
) -> None:
    sector = expect.sector if expect.sector in knowledge.sectors else profile.sector
    if not expect.sector and not recs.use_cases:
        return
    # The sector's ideas for this size (completed with general ones when too few fit).
    allowed = {uc.id for uc in knowledge.ideas.get((sector, profile.size), [])} if sector else set()
    if not recs.use_cases:
        result.failures.append(f"{result.id}: no se recomendó ningún caso de uso para «{sector}»")
        result.checks["use_case_sector_fit"] = False
        return
    foreign = [uc.id for uc in recs.use_cases if uc.id not in allowed]
    if foreign:
        result.failures.append(
            f"{result.id}: casos de uso que no son del giro «{sector}»: {foreign}"
        )
    result.checks["use_case_sector_fit"] = not foreign


def check(
    persona: Persona, profile: BusinessProfile, recs: Recommendations, knowledge: Knowledge
) -> PersonaResult:
    """Every check for one persona's final profile and recommendations."""
    path = [s.course_id for s in recs.training_path]
    result = PersonaResult(
        id=persona.id,
        path=path,
        use_cases=[uc.id for uc in recs.use_cases],
        total_hours=recs.total_hours,
        weeks=recs.weeks,
        profile=profile.model_dump(
            include={"sector", "state", "role", "weekly_hours", "goals", "maturity"}
        ),
    )
    expect = persona.expect
    _check_profile(expect, profile, result)
    _check_expected_courses(expect, path, result)
    if path:
        _check_order(path, knowledge, result)
        _check_levels(expect, recs, knowledge, result)
        _check_hours(recs, profile, result)
        _check_links(recs, result)
    _check_use_cases(expect, profile, recs, knowledge, result)
    return result


def final_state(responses: list[ChatResponse]) -> tuple[BusinessProfile, Recommendations]:
    """The last profile, and per block (ideas, path, programs) the last one the user was shown:
    a conversation shows them over several turns and never resends an unchanged one."""
    recs = Recommendations()
    for response in responses:
        shown = response.recommendations
        if shown.training_path:
            recs = recs.model_copy(
                update={
                    "training_path": shown.training_path,
                    "total_hours": shown.total_hours,
                    "weeks": shown.weeks,
                    "unknown_duration": shown.unknown_duration,
                }
            )
        if shown.use_cases:
            recs = recs.model_copy(update={"use_cases": shown.use_cases})
        if shown.programs:
            recs = recs.model_copy(update={"programs": shown.programs})
    return responses[-1].profile, recs


def _fraction(passed: int, total: int) -> float:
    return round(passed / total, 3) if total else 1.0


def summarize(
    results: list[PersonaResult], extra_failures: list[str] | None = None
) -> dict[str, Any]:
    """Metrics (fractions 0..1), the failure list and per-persona details."""
    fields = [ok for r in results for ok in r.profile_fields.values()]
    metrics = {"profile_accuracy": _fraction(sum(fields), len(fields))}
    counts = {"profile_accuracy": len(fields)}
    for name in METRICS[1:]:
        flags = [r.checks[name] for r in results if name in r.checks]
        metrics[name] = _fraction(sum(flags), len(flags))
        counts[name] = len(flags)
    by_field: dict[str, list[bool]] = {}
    for r in results:
        for field, ok in r.profile_fields.items():
            by_field.setdefault(field, []).append(ok)
    return {
        "n": len(results),
        "metrics": metrics,
        "counts": counts,
        "profile_by_field": {f: _fraction(sum(v), len(v)) for f, v in by_field.items()},
        "failures": [*(extra_failures or []), *(f for r in results for f in r.failures)],
        "personas": [r.model_dump() for r in results],
    }


async def run_persona(assistant: Any, persona: Persona) -> PersonaResult:
    """Run one persona in a fresh session (deleted afterwards) and check the outcome."""
    session_id = new_session_id(persona.id)
    try:
        responses = await converse(assistant, session_id, persona.turns)
    finally:
        discard_session(assistant, session_id)
    profile, recs = final_state(responses)
    return check(persona, profile, recs, assistant.knowledge)


def evaluate(assistant: Any, data: list[Persona], limit: int | None = None) -> dict[str, Any]:
    """Run every persona (or the first `limit`) and return metrics and failures."""
    personas = data[:limit] if limit else data

    async def run_all() -> list[PersonaResult]:
        return [await run_persona(assistant, p) for p in personas]

    results = run_sync(run_all)
    return summarize(results, unknown_courses(personas, assistant.knowledge))
