"""Wire schemas shared by every channel: requests, responses and stream events."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from assistant.limits import MAX_ID_CHARS, MAX_MESSAGE_CHARS, SESSION_ID_PATTERN

Channel = Literal["web", "whatsapp", "api", "cli", "notebook", "openai"]
Role = Literal["owner", "employee", "it", "developer"]
Size = Literal["micro", "pequeña", "mediana", "grande"]


class ChatRequest(BaseModel):
    """One user turn."""

    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    session_id: str | None = Field(
        default=None, max_length=MAX_ID_CHARS, pattern=SESSION_ID_PATTERN
    )
    channel: Channel = "web"

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # Only spaces or line breaks is an empty message: a 422, not a turn.
        if not value.strip():
            raise PydanticCustomError(
                "string_too_short", "El mensaje no puede estar vacío.", {"min_length": 1}
            )
        return value


class BusinessProfile(BaseModel):
    """What we know about the user's business, built across turns."""

    sector: str | None = None
    sector_name: str | None = None
    # How sure we are of `sector`: 1.0 for the owner's own words ("tengo una fonda"), lower for a
    # business outside the list matched by meaning; answers say "lo más parecido es …" when low.
    sector_confidence: float | None = Field(default=None, ge=0, le=1)
    # The business as the owner named it, with its article ("una fondita", "2 refaccionarias"),
    # read with the sector; None when they named none clearly (replies use the sector's name).
    business_noun: str | None = None
    activity: Literal["comercio", "industria", "servicios"] | None = None
    employees: int | None = None
    size: Size | None = None
    state: str | None = None
    city: str | None = None
    maturity: int | None = Field(default=None, ge=1, le=5)
    maturity_reason: str | None = None
    signals: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    weekly_hours: float | None = None
    role: Role | None = None
    # Whether the owner reads English ("no leo inglés" → False); None until they say.
    reads_english: bool | None = None

    def missing(self) -> list[str]:
        """Which of the diagnosis slots are still unknown, most important first."""
        gaps = []
        if not self.sector:
            gaps.append("sector")
        if not self.goals:
            gaps.append("goals")
        if not self.state:
            gaps.append("state")
        if self.weekly_hours is None:
            gaps.append("weekly_hours")
        return gaps


class TrainingStep(BaseModel):
    course_id: str
    title: str
    provider: str
    url: str
    level: str
    duration_hours: float | None
    cost: str
    languages: list[str]
    why: str


class UseCaseRec(BaseModel):
    id: str
    title: str
    sector: str
    summary: str
    first_step: str
    related_courses: list[str]
    goals: list[str] = []  # the goals it serves (Goal ids), to say which idea fits a new goal


class ProgramRec(BaseModel):
    id: str
    # What it offers: "money" (credit, a tax break), "training" (free courses) or "other".
    kind: Literal["money", "training", "other"] = "other"
    title: str
    url: str
    summary: str
    valid_as_of: str
    # Past its review date: shown with a one-line caution, never as current.
    stale: bool = False


class Recommendations(BaseModel):
    training_path: list[TrainingStep] = Field(default_factory=list)
    use_cases: list[UseCaseRec] = Field(default_factory=list)
    programs: list[ProgramRec] = Field(default_factory=list)
    total_hours: float | None = None
    weeks: int | None = None
    unknown_duration: int = 0


class Source(BaseModel):
    n: int
    title: str
    url: str
    kind: str
    snippet: str
    published: str | None = None


class Topic(BaseModel):
    """What an answer was about, kept with the turn so follow-ups can lean on it."""

    # "refusal": a question nothing here answers, kept with who handles it ("¿y cuánto tarda?"
    # right after is still theirs).
    kind: Literal["faq", "courses", "use_case", "evidence", "refusal"]
    ids: list[str] = Field(default_factory=list)  # faq ids, course ids, use case or doc ids
    # Courses the reply listed, in order: "esos", "el segundo" point into this list.
    courses: list[str] = Field(default_factory=list)
    # Ideas the reply listed, in order: "la segunda idea", "lo de WhatsApp" point into this list.
    ideas: list[str] = Field(default_factory=list)
    label: str = ""
    refer_name: str = ""  # who handles this topic, for a refusal on a follow-up
    refer_url: str = ""


class ChatResponse(BaseModel):
    session_id: str
    message_id: str
    answer: str
    mode: Literal["offline", "llm"]
    profile: BusinessProfile
    recommendations: Recommendations = Field(default_factory=Recommendations)
    sources: list[Source] = Field(default_factory=list)
    follow_up: list[str] = Field(default_factory=list)
    intent: str = "question"
    confidence: float = 0.0


class SearchHit(BaseModel):
    """One retrieved passage, as printed by `mipyme-ia search --json`."""

    id: str
    kind: str
    title: str
    url: str
    score: float
    snippet: str
    # Cosine similarity of the dense match, None when only keywords found it.
    dense: float | None = None
    doc_id: str = ""
    text: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)


class FeedbackRequest(BaseModel):
    session_id: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    message_id: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    rating: Literal["up", "down"]
    reason: str | None = Field(default=None, max_length=1000)


# Stream events: one discriminated union, serialised in exactly one place (api/streaming.py).
class MetaEvent(BaseModel):
    type: Literal["meta"] = "meta"
    session_id: str
    message_id: str
    mode: Literal["offline", "llm"]


class DeltaEvent(BaseModel):
    type: Literal["delta"] = "delta"
    text: str


class SourcesEvent(BaseModel):
    type: Literal["sources"] = "sources"
    sources: list[Source]


class RecommendationsEvent(BaseModel):
    type: Literal["recommendations"] = "recommendations"
    recommendations: Recommendations
    profile: BusinessProfile
    follow_up: list[str] = Field(default_factory=list)


class DoneEvent(BaseModel):
    type: Literal["done"] = "done"
    response: ChatResponse


class ErrorEvent(BaseModel):
    type: Literal["error"] = "error"
    code: str
    message: str


ChatEvent = Annotated[
    MetaEvent | DeltaEvent | SourcesEvent | RecommendationsEvent | DoneEvent | ErrorEvent,
    Field(discriminator="type"),
]
