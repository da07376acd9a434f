"""The records a turn passes between its stages; each stage returns a new one and mutates none.

    TurnInput ──understanding──▶ Understanding ──answering──▶ Answer
                                      └──────recommendation──▶ Recommended
    TurnContext (assembled by the Assistant) ──composer──▶ text ──▶ ChatResponse

`TurnContext` is the one view both composers read. These are plain records: the stages' logic
lives in their rooms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from assistant.schemas import BusinessProfile, Recommendations, SearchHit, Source, Topic

Intent = Literal[
    "greeting",
    "profile",
    "forget",
    "handoff",
    "question",
    "diagnosis",
    "out_of_scope",
    "thanks",
    "injection",
    "language",  # written in English or another language: we answer that we speak Spanish
]


@dataclass(frozen=True)
class TurnInput:
    """The message and what memory holds for its session."""

    session_id: str
    message: str
    channel: str
    profile: BusinessProfile
    history: tuple[tuple[str, str], ...] = ()
    # Diagnosis slots we asked about last turn ("weekly_hours"), so a bare "2" can answer one.
    pending_slots: tuple[str, ...] = ()
    # The last answer's topic and the courses last shown, for follow-ups ("¿y esos?").
    topic: Topic | None = None
    last_courses: tuple[str, ...] = ()
    # The ideas listed most recently, in order ("la primera idea" a few turns later).
    last_ideas: tuple[str, ...] = ()
    # What earlier turns showed, per block ("ideas", "path", "programs"): never resent unchanged.
    sent: dict[str, str] = field(default_factory=dict)

    @property
    def path_sent(self) -> tuple[str, ...]:
        """The course ids of the training path last sent, in order (its fingerprint is
        "id,id,…@pace", written by recommendation.recommend.fingerprint)."""
        courses = self.sent.get("path", "").split("@")[0]
        return tuple(c for c in courses.split(",") if c)


@dataclass(frozen=True)
class Understanding:
    """What the message says and asks: intent, updated profile, and what to ask next."""

    intent: Intent
    profile: BusinessProfile
    changed: tuple[str, ...] = ()
    corrected: bool = False
    is_question: bool = False
    explicit_question: bool = False  # asked as a question, not only a description
    in_domain: bool = True
    wants_recommendations: bool = False
    next_slots: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    follow_up: tuple[str, ...] = ()
    llm_available: bool = True
    # "es", "en", "pt" or "other" (another script): anything but Spanish gets the language notice.
    language: str = "es"
    # The content words of what was asked ("cursos", "gratis"), for follow-ups and matching.
    topic_words: tuple[str, ...] = ()
    # What changed in the profile and why: (slot, reason), e.g. ("sector", "por significado").
    patch: tuple[tuple[str, str], ...] = ()
    # The support the question asks for: "money", "export", "field", "training" or None
    # (reader.support_asked); programs and answers must serve it.
    support: str | None = None


@dataclass(frozen=True)
class Evidence:
    """A sentence taken from a numbered source, to answer a direct question."""

    text: str
    n: int


@dataclass(frozen=True)
class Refusal:
    """Why a question got no answer, and who handles it instead."""

    reason: Literal["no_source", "out_of_domain"]
    refer_name: str = ""
    refer_url: str = ""


# "none": nothing to add to what the reply already shows (recommendations asked for).
AnswerKind = Literal["curated", "catalog", "use_case", "evidence", "refusal", "redirect", "none"]


@dataclass(frozen=True)
class Answer:
    """The answer to a direct question: cited texts (`evidence`, each with its source number),
    or not confident with the `refusal` that says why and who handles it."""

    sources: tuple[Source, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    confident: bool = True
    kind: AnswerKind = "evidence"
    # Catalog answers: one line per course or summary, already in `evidence` as one text.
    parts: tuple[str, ...] = ()
    verified_on: dt.date | None = None  # curated answers: "verificado el …"
    caution: str = ""  # one line when the curated answer's review date has passed
    topic: Topic | None = None
    refusal: Refusal | None = None


@dataclass(frozen=True)
class Recommended:
    """Complete recommendations, with the retrieved passages their programs cite."""

    recommendations: Recommendations
    program_hits: tuple[SearchHit, ...] = ()


@dataclass(frozen=True)
class TurnContext:
    """Everything one turn knows before the answer is written; both composers read this."""

    message: str
    intent: Intent
    profile: BusinessProfile
    channel: str = "web"
    changed: list[str] = field(default_factory=list)
    corrected: bool = False
    recommendations: Recommendations = field(default_factory=Recommendations)
    sources: list[Source] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    follow_up: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    is_question: bool = False
    explicit_question: bool = False
    llm_available: bool = True
    confident: bool = True
    in_domain: bool = True
    show_recommendations: bool = False
    handoff_contact: str = ""
    history: list[tuple[str, str]] = field(default_factory=list)
    pending_slots: list[str] = field(default_factory=list)
    # The recommendation blocks this turn shows ("ideas", "path", "programs"); `recommendations`
    # holds only those. Blocks asked for again but unchanged are only referred to: `recalled`
    # holds their content for that reference, `more_ideas` says the ideas are the next ones.
    blocks: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    recalled: Recommendations = field(default_factory=Recommendations)
    more_ideas: bool = False
    # The idea that serves a goal just stated (an id of `recalled.use_cases`) and that goal.
    focus: str = ""
    focus_goal: str = ""
    # The goals the profile had before this message: a note names only the new ones.
    goals_before: list[str] = field(default_factory=list)
    # What was shown so far, including this turn, for memory.
    sent: dict[str, str] = field(default_factory=dict)
    # A question we did not answer for lack of trustworthy sources.
    refused: bool = False
    # 1 for a non-question or an answered one, 0 for a refusal.
    confidence: float = 1.0
    # The answering stage's whole result (kind, date verified, refusal and referral).
    answer: Answer | None = None
