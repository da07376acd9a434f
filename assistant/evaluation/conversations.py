"""Conversation scenarios (evals/conversations.yaml): every turn of every chat, checked.

Each scenario runs in a fresh session through the public `Assistant.respond` entry point, on the
scenario's channel. Every turn is checked on its own: the profile slots expected so far, the kind
of reply (answer, follow-up, refusal, ...), required and forbidden phrases, the language of the
courses shown and the reply's length. Metrics are reported separately for the `dev` and
`heldout` splits, so tuning on one part can be told apart from progress on the other.

Goals are checked both ways. `profile.goals` alone means "at least these": every expected goal
must be among the profile's goals (`profile_slot_accuracy`, the `goals` slot). A turn with
`goals_exact: true` also fails when the profile holds a goal the owner never stated ("perfil.goals
de más"): its goals must be exactly the ones expected so far, none when the scenario expects no
goals yet. `goal_precision` is, over the turns that expect goals (a non-empty `goals` so far, or
`goals_exact`), the share of the goals read that were expected (micro-averaged over turns; `None`
when no goal was read). On turns without `goals_exact` an unlisted goal counts as not expected,
so there it is a lower bound. An exact turn with a goal too many fails `turns_all_checks_passed`
and `scenarios_all_checks_passed`, not `profile_slot_accuracy`.

The checker works on `Observed` turns (answer, profile, path, refusal flag), not on live
responses, so its rules are testable without an assistant.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.evaluation.answers import normalize
from assistant.evaluation.runner import discard_session, new_session_id, run_sync
from assistant.schemas import ChatResponse, Role, Size
from assistant.understanding.places import same_town

Kind = Literal["diagnosis", "answer", "followup", "refusal", "language", "offtopic", "smalltalk"]
Split = Literal["dev", "heldout"]
SPLITS: tuple[Split, ...] = ("dev", "heldout")
SLOTS = (
    "sector",
    "state",
    "city",
    "employees",
    "size",
    "role",
    "goals",
    "weekly_hours",
    "reads_english",
)
# How much of a reply's opening `lead_any` reads: about the first two sentences on a phone.
LEAD = 160
# Kinds whose reply should not be a refusal unless the scenario says otherwise.
_ANSWERABLE_BY_DEFAULT = {"diagnosis", "answer", "followup", "language", "smalltalk"}
# Phrases the offline composer uses to refuse; used only when the response carries no
# structured refusal flag. Broad on purpose: a reworded refusal is still a refusal.
_REFUSAL = re.compile(
    r"no tengo informacion confiable|queda fuera de lo que se hacer|no puedo cambiar mis reglas"
    r"|no tengo (informacion|ese dato|esa informacion|datos|el dato|la fecha|el paso a paso)"
    r"|no (esta|viene|aparece) en mis fuentes|mis fuentes no (lo )?(dicen|cubren|traen|tienen)"
    r"|no (encontre|halle) (informacion|nada|ese dato)|no lo se\b|no puedo responder"
)
_INJECTION_REFUSAL = re.compile(r"no puedo cambiar mis reglas|instrucciones internas")
LIMITS = {"web": 900, "whatsapp": 1024}  # first-reply budget per channel (issue 11, item 4)


# ---- the scenario file -------------------------------------------------------------------------
class ProfileExpect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sector: str | list[str] | None = None
    state: str | None = None
    city: str | None = None
    employees: int | None = None
    size: Size | None = None
    role: Role | None = None
    goals: list[str] | None = None
    weekly_hours: float | None = None
    reads_english: bool | None = None

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class TurnExpect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile: ProfileExpect = Field(default_factory=ProfileExpect)
    kind: Kind
    answerable: bool | None = None
    include_any: list[str] = Field(default_factory=list)
    include_all: list[str] = Field(default_factory=list)
    not_include: list[str] = Field(default_factory=list)
    # The question asked is answered first: one of these opens the reply (its first LEAD chars).
    lead_any: list[str] = Field(default_factory=list)
    path_spanish_only: bool = False
    course_not: list[str] = Field(default_factory=list)
    # At least one course of the shown path is at one of these levels (vacuous when no path is
    # shown): an advanced user or a technical role does not get only the basics.
    path_level_any: list[Literal["fundamental", "intermediate", "advanced"]] = Field(
        default_factory=list
    )
    max_chars: int | None = Field(default=None, gt=0)
    # The profile's goals are exactly the ones expected so far: a goal the owner never stated
    # ("el inventario lo llevo bien", a question about a loan) fails the turn.
    goals_exact: bool = False

    @property
    def is_answerable(self) -> bool:
        if self.answerable is not None:
            return self.answerable
        return self.kind in _ANSWERABLE_BY_DEFAULT

    @model_validator(mode="after")
    def _refusal_names_an_institution(self) -> TurnExpect:
        if self.kind == "refusal" and not self.include_any:
            raise ValueError("a refusal must name the institution that handles it (include_any)")
        return self


class ScenarioTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: str = Field(min_length=1)
    expect: TurnExpect


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    split: Split
    channel: Literal["web", "whatsapp"]
    outside_list: bool
    persona: str
    turns: list[ScenarioTurn] = Field(min_length=1, max_length=5)


class ScenarioSet(BaseModel):
    scenarios: list[Scenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ScenarioSet:
        seen: set[str] = set()
        for scenario in self.scenarios:
            if scenario.id in seen:
                raise ValueError(f"escenario repetido: {scenario.id}")
            seen.add(scenario.id)
        return self


def load(path: Path) -> ScenarioSet:
    return ScenarioSet.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


# ---- what one turn produced --------------------------------------------------------------------
@dataclass
class Observed:
    """The parts of a reply the checks look at."""

    answer: str
    profile: dict[str, Any]
    path: list[tuple[str, list[str]]] = field(default_factory=list)  # (course id, languages)
    refused: bool = False
    levels: list[str] = field(default_factory=list)  # the level of each course of the path


def is_refusal(response: ChatResponse) -> bool:
    """A structured refusal flag when the response has one, otherwise the refusal phrases."""
    for name in ("refused", "refusal"):
        flag = getattr(response, name, None)
        if isinstance(flag, bool):
            return flag
    return bool(_REFUSAL.search(normalize(response.answer)))


def observe(response: ChatResponse) -> Observed:
    return Observed(
        answer=response.answer,
        profile=response.profile.model_dump(),
        path=[(s.course_id, list(s.languages)) for s in response.recommendations.training_path],
        refused=is_refusal(response),
        levels=[s.level for s in response.recommendations.training_path],
    )


# ---- checking ----------------------------------------------------------------------------------
class TurnResult(BaseModel):
    scenario: str
    split: Split
    channel: str
    outside_list: bool
    turn: int
    kind: Kind
    answerable: bool
    refused: bool
    chars: int
    slots: dict[str, bool] = Field(default_factory=dict)  # slot -> right after this turn
    overwrites: list[str] = Field(default_factory=list)
    content_ok: bool = True  # include/not_include/path/length checks
    goals_ok: bool = True  # no goal beyond the expected ones (only checked with goals_exact)
    # Goals read on a turn that expects goals, and how many of them were expected (precision).
    goals_read: int = 0
    goals_expected_read: int = 0
    failures: list[str] = Field(default_factory=list)
    path: list[str] = Field(default_factory=list)
    spanish_courses: int = 0  # courses with "es", counted only when the user reads no English
    courses_counted: int = 0
    repetition: float | None = None  # vs. the previous reply of the same scenario
    user: str = ""


def _same_text(a: Any, b: Any) -> bool:
    return a is not None and b is not None and normalize(str(a)) == normalize(str(b))


def slot_ok(slot: str, expected: Any, profile: dict[str, Any]) -> bool:
    """Whether the profile holds the expected value of one slot."""
    actual = profile.get(slot)
    if slot == "sector":
        accepted = expected if isinstance(expected, list) else [expected]
        return actual in accepted
    if slot == "state":
        return _same_text(expected, actual)
    if slot == "city":
        # A town's official name and its everyday one are the same answer.
        return _same_text(expected, actual) or (
            expected is not None and actual is not None and same_town(str(expected), str(actual))
        )
    if slot == "goals":
        return set(expected) <= set(actual or [])
    if slot == "weekly_hours":
        return actual is not None and math.isclose(float(actual), float(expected), abs_tol=0.01)
    if slot == "reads_english":
        return isinstance(actual, bool) and actual is expected
    return bool(actual == expected)


def extra_goals(expected: list[str] | None, profile: dict[str, Any]) -> list[str]:
    """The profile's goals that are not among the expected ones (none expected: all of them)."""
    wanted = set(expected or [])
    return [g for g in profile.get("goals") or [] if g not in wanted]


def _contains(text: str, phrase: str) -> bool:
    """The phrase where a word starts: "uñas" is not in "vacunas", "encargad" is in "encargada"."""
    return re.search(r"(?<!\w)" + re.escape(normalize(phrase)), text) is not None


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9ñ%]+", normalize(text))
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def repetition(previous: str, current: str) -> float:
    """Share of the current reply's word 3-grams that the previous reply already had.

    Containment rather than Jaccard: a resent block followed by one new sentence is still a
    resent block, and a short reply that shares a greeting with a long one is not repetition.
    """
    now = shingles(current)
    if not now:
        return 0.0
    return len(now & shingles(previous)) / len(now)


def check_turn(
    scenario: Scenario,
    index: int,
    observed: Observed,
    expected_so_far: dict[str, Any],
    right_before: dict[str, bool],
    previous_answer: str | None,
    expected_before: dict[str, Any] | None = None,
) -> TurnResult:
    """Check one reply; `expected_so_far` already includes this turn's expected slots.

    A slot is overwritten when it was right after the previous turn, is wrong now, and this turn
    did not change what it should be (restating the same value in the scenario does not count
    as changing it; a correction that the assistant misses is a failure, not an overwrite).
    """
    expected_before = expected_before or {}
    turn = scenario.turns[index]
    expect = turn.expect
    text = normalize(observed.answer)
    result = TurnResult(
        scenario=scenario.id,
        split=scenario.split,
        channel=scenario.channel,
        outside_list=scenario.outside_list,
        turn=index + 1,
        kind=expect.kind,
        answerable=expect.is_answerable,
        refused=observed.refused,
        chars=len(observed.answer),
        path=[course for course, _ in observed.path],
        user=turn.user,
    )
    where = f"{scenario.id} #{index + 1}"
    for slot, value in expected_so_far.items():
        ok = slot_ok(slot, value, observed.profile)
        result.slots[slot] = ok
        if not ok:
            result.failures.append(
                f"{where}: perfil.{slot} = {observed.profile.get(slot)!r}, se esperaba {value!r}"
            )
            if right_before.get(slot) and expected_before.get(slot) == value:
                result.overwrites.append(slot)
                result.failures.append(f"{where}: perfil.{slot} sobrescrito por «{turn.user}»")
    goals_expected = expected_so_far.get("goals")
    if goals_expected or expect.goals_exact:
        read = list(observed.profile.get("goals") or [])
        extra = extra_goals(goals_expected, observed.profile)
        result.goals_read = len(read)
        result.goals_expected_read = len(read) - len(extra)
        if expect.goals_exact and extra:
            result.goals_ok = False
            result.failures.append(
                f"{where}: perfil.goals de más {extra} (se esperaban solo {goals_expected or []})"
            )

    content: list[str] = []
    if expect.include_any and not any(_contains(text, p) for p in expect.include_any):
        content.append(f"no dice ninguno de {expect.include_any}")
    missing = [p for p in expect.include_all if not _contains(text, p)]
    if missing:
        content.append(f"le falta {missing}")
    opening = normalize(observed.answer[:LEAD])
    if expect.lead_any and not any(_contains(opening, p) for p in expect.lead_any):
        content.append(f"no empieza por ninguno de {expect.lead_any}")
    present = [p for p in expect.not_include if _contains(text, p)]
    if present:
        content.append(f"dice {present}")
    if expect.max_chars and len(observed.answer) > expect.max_chars:
        content.append(f"{len(observed.answer)} caracteres (máx. {expect.max_chars})")
    english_only = [c for c, langs in observed.path if "es" not in langs]
    if expect.path_spanish_only and english_only:
        content.append(f"cursos sin español en la ruta: {english_only}")
    banned = [c for c in result.path if c in expect.course_not]
    if banned:
        content.append(f"cursos que no le quedan: {banned}")
    if expect.path_level_any and observed.levels:
        if not set(observed.levels) & set(expect.path_level_any):
            content.append(f"ruta solo de nivel {sorted(set(observed.levels))}")
    if expect.kind == "language" and _INJECTION_REFUSAL.search(text):
        content.append("respondió al inglés con el rechazo de inyección")
    if expect.kind == "refusal" and not observed.refused:
        content.append("no reconoce que no lo sabe (se esperaba una negativa)")
    if expect.is_answerable and observed.refused:
        content.append("negativa a algo que el conocimiento responde")
    result.content_ok = not content
    result.failures += [f"{where} ({expect.kind}): {reason}" for reason in content]

    if expected_so_far.get("reads_english") is False:
        result.courses_counted = len(observed.path)
        result.spanish_courses = len(observed.path) - len(english_only)
    if previous_answer is not None:
        result.repetition = round(repetition(previous_answer, observed.answer), 3)
    return result


def check_scenario(scenario: Scenario, observed: list[Observed]) -> list[TurnResult]:
    """Check every turn of one scenario, carrying expected slots forward."""
    expected: dict[str, Any] = {}
    right_before: dict[str, bool] = {}
    previous: str | None = None
    results = []
    for index, seen in enumerate(observed):
        before = dict(expected)
        expected.update(scenario.turns[index].expect.profile.given())
        result = check_turn(scenario, index, seen, dict(expected), right_before, previous, before)
        right_before = dict(result.slots)
        previous = seen.answer
        results.append(result)
    return results


# ---- running -----------------------------------------------------------------------------------
async def run_scenario(assistant: Any, scenario: Scenario) -> list[Observed]:
    """All turns of one scenario in a fresh session, deleted afterwards."""
    session_id = new_session_id(scenario.id)
    observed = []
    try:
        for turn in scenario.turns:
            response = await assistant.respond(session_id, turn.user, scenario.channel)
            observed.append(observe(response))
    finally:
        discard_session(assistant, session_id)
    return observed


def evaluate(
    assistant: Any, data: ScenarioSet, limit: int | None = None, split: Split | None = None
) -> dict[str, Any]:
    """Run the scenarios (optionally one split, or the first `limit`) and report per split."""
    scenarios = [s for s in data.scenarios if split is None or s.split == split]
    scenarios = scenarios[:limit] if limit else scenarios

    async def run_all() -> list[TurnResult]:
        results: list[TurnResult] = []
        for scenario in scenarios:
            results += check_scenario(scenario, await run_scenario(assistant, scenario))
        return results

    return summarize(run_sync(run_all))


# ---- metrics -----------------------------------------------------------------------------------
def percentile(values: list[int], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return float(ordered[rank - 1])


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def split_metrics(results: list[TurnResult]) -> dict[str, Any]:
    """The conversation metrics of one split."""
    with_slots = [r for r in results if r.slots]
    slot_checks = [ok for r in results for ok in r.slots.values()]
    # An overwrite can only happen to a slot that was right on the previous turn.
    could_overwrite = 0
    by_scenario: dict[str, list[TurnResult]] = {}
    for r in results:
        by_scenario.setdefault(r.scenario, []).append(r)
    for turns in by_scenario.values():
        for before, now in zip(turns, turns[1:], strict=False):
            could_overwrite += sum(
                1 for slot, ok in before.slots.items() if ok and slot in now.slots
            )
    overwrites = sum(len(r.overwrites) for r in results)
    questions = [r for r in results if r.kind in ("answer", "followup") and r.answerable]
    followups = [r for r in results if r.kind == "followup"]
    answerable = [r for r in results if r.answerable]
    refusals = [r for r in results if r.kind == "refusal"]
    counted = sum(r.courses_counted for r in results)
    goals_read = sum(r.goals_read for r in results)
    repeats = [r.repetition for r in results if r.repetition is not None]
    metrics: dict[str, Any] = {
        "scenarios": len(by_scenario),
        "turns": len(results),
        "profile_slot_accuracy": _share(sum(slot_checks), len(slot_checks)),
        "profile_turn_accuracy": _share(
            sum(all(r.slots.values()) for r in with_slots), len(with_slots)
        ),
        "profile_turn_accuracy_outside_list": _share(
            sum(all(r.slots.values()) for r in with_slots if r.outside_list),
            sum(1 for r in with_slots if r.outside_list),
        ),
        "goal_precision": _share(sum(r.goals_expected_read for r in results), goals_read),
        "overwrites": overwrites,
        "overwrite_rate": _share(overwrites, could_overwrite),
        "followups_resolved": _share(sum(r.content_ok for r in followups), len(followups)),
        "answerable_answered": _share(sum(r.content_ok for r in questions), len(questions)),
        "answerable_not_refused": _share(sum(not r.refused for r in questions), len(questions)),
        "wrong_refusals": _share(sum(r.refused for r in answerable), len(answerable)),
        "refusals_correct": _share(sum(r.content_ok for r in refusals), len(refusals)),
        "spanish_share": _share(sum(r.spanish_courses for r in results), counted),
        "spanish_courses_counted": counted,
        "turns_all_checks_passed": _share(
            sum(r.content_ok and r.goals_ok and all(r.slots.values()) for r in results),
            len(results),
        ),
        "scenarios_all_checks_passed": _share(
            sum(
                all(r.content_ok and r.goals_ok and all(r.slots.values()) for r in turns)
                for turns in by_scenario.values()
            ),
            len(by_scenario),
        ),
        "repetition_mean": round(sum(repeats) / len(repeats), 3) if repeats else None,
        "repetition_max": max(repeats) if repeats else None,
    }
    for channel, limit in LIMITS.items():
        lengths = [r.chars for r in results if r.channel == channel]
        first = [r.chars for r in results if r.channel == channel and r.turn == 1]
        metrics[f"length_p50_{channel}"] = percentile(lengths, 50)
        metrics[f"length_p95_{channel}"] = percentile(lengths, 95)
        metrics[f"first_length_p50_{channel}"] = percentile(first, 50)
        metrics[f"first_length_p95_{channel}"] = percentile(first, 95)
        metrics[f"first_over_limit_{channel}"] = _share(sum(c > limit for c in first), len(first))
    return metrics


def slot_accuracy(results: list[TurnResult]) -> dict[str, float | None]:
    """Accuracy of each profile slot over the turns that expect it."""
    out: dict[str, float | None] = {}
    for slot in SLOTS:
        checks = [r.slots[slot] for r in results if slot in r.slots]
        out[slot] = _share(sum(checks), len(checks))
    return out


def summarize(results: list[TurnResult]) -> dict[str, Any]:
    """Per-split metrics, per-slot accuracy and every failure with its reason."""
    report: dict[str, Any] = {"splits": {}, "failures": {}}
    for split in SPLITS:
        part = [r for r in results if r.split == split]
        if not part:
            continue
        report["splits"][split] = {"metrics": split_metrics(part), "slots": slot_accuracy(part)}
        report["failures"][split] = [f for r in part for f in r.failures]
    report["turns"] = [r.model_dump() for r in results]
    return report


def headline(report: dict[str, Any]) -> dict[str, float]:
    """Flat numbers for `--compare`: conversations.<split>.<metric>."""
    flat: dict[str, float] = {}
    for split, part in report.get("splits", {}).items():
        for key, value in part["metrics"].items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                flat[f"conversations.{split}.{key}"] = value
    return flat
