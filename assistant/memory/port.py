"""Conversation memory per session: models and the `SessionStore` port its adapters honour.

Every store honours the same contract:
- `save_turn` is atomic: both turns, the profile and the pending slots, or nothing.
- The stored history is bounded by tokens: the newest turns that fit, always the last exchange.
- History keeps the user's text as written (it is theirs to see and delete); the turn log
  behind staff reports keeps it redacted, and feedback reasons are redacted too.
- `delete` forgets everything keyed by the session: profile, history, feedback, turn log.
- Backend failures surface as `StorageError`; unknown sessions or messages as `NotFound`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.redact import redact
from assistant.schemas import BusinessProfile, Channel, Topic

Rating = Literal["up", "down"]

SESSION_NOT_FOUND = (
    "No encontramos esa conversación. Puede que se haya borrado o que haya expirado."
)
MESSAGE_NOT_FOUND = "No encontramos ese mensaje en la conversación."


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Turn(BaseModel):
    """One message of a conversation, as its author wrote it."""

    message_id: str
    role: Literal["user", "assistant"]
    text: str
    created_at: datetime = Field(default_factory=utcnow)
    channel: Channel = "web"
    intent: str | None = None
    confidence: float | None = None
    refused: bool = False
    # What the assistant's reply was about (answers and shown courses), for follow-ups.
    topic: Topic | None = None


class SessionState(BaseModel):
    """What we remember about one conversation."""

    session_id: str
    profile: BusinessProfile = Field(default_factory=BusinessProfile)
    history: list[Turn] = Field(default_factory=list)
    # Ids of the diagnosis slots asked about last ("weekly_hours"); older sessions may hold
    # question texts here, which simply match no slot.
    pending_slots: list[str] = Field(default_factory=list)
    # What the session was shown, per recommendation block, so an unchanged block is not resent.
    sent: dict[str, str] = Field(default_factory=dict)


class ReportRow(BaseModel):
    """One exchange for the staff report: redacted question, answer metadata and its rating."""

    session_id: str
    message_id: str
    channel: str
    user_text: str
    intent: str | None = None
    confidence: float | None = None
    refused: bool = False
    rating: Rating | None = None
    reason: str | None = None
    created_at: datetime


class SessionStore(ABC):
    """Port for per-session memory; `message_id` may name either turn of an exchange."""

    def __init__(self, max_history_tokens: int) -> None:
        self.max_history_tokens = max_history_tokens

    @abstractmethod
    def get(self, session_id: str) -> SessionState | None:
        """The session's profile, bounded history and pending slots; None if unknown."""

    @abstractmethod
    def save_turn(
        self,
        session_id: str,
        user: Turn,
        assistant: Turn,
        profile: BusinessProfile,
        pending_slots: list[str],
        sent: dict[str, str] | None = None,
    ) -> None:
        """Atomically append one exchange and store the profile (and, when given, what was
        shown); a repeated exchange is ignored."""

    @abstractmethod
    def has_message(self, session_id: str, message_id: str) -> bool:
        """Whether the session has a user or assistant message with this id."""

    @abstractmethod
    def add_feedback(
        self, session_id: str, message_id: str, rating: Rating, reason: str | None = None
    ) -> None:
        """Store or update the rating of an exchange; raises NotFound for unknown ids."""

    @abstractmethod
    def delete(self, session_id: str) -> bool:
        """Forget every trace of the session; returns whether anything existed."""

    @abstractmethod
    def list_turn_log(self) -> list[ReportRow]:
        """Every logged exchange with its rating (if any), oldest first."""

    @abstractmethod
    def ping(self) -> None:
        """Raise StorageError when the backend is unreachable."""

    def list_feedback(self) -> list[ReportRow]:
        """Rated exchanges, oldest first."""
        return [row for row in self.list_turn_log() if row.rating is not None]

    def close(self) -> None:  # noqa: B027 - optional hook, not every store holds resources
        """Release connections; safe to call twice."""


def keep_recent(token_counts: Sequence[int], max_tokens: int, floor: int = 2) -> int:
    """How many of the newest turns to keep: the longest suffix within `max_tokens`, ≥ floor."""
    total = kept = 0
    for count in reversed(token_counts):
        if kept >= floor and total + count > max_tokens:
            break
        total += count
        kept += 1
    return kept


def check_exchange(user: Turn, assistant: Turn) -> None:
    """Reject an exchange whose roles are swapped or whose ids collide."""
    if user.role != "user" or assistant.role != "assistant":
        raise ValueError("save_turn expects a user turn and then an assistant turn")
    if user.message_id == assistant.message_id:
        raise ValueError("the user and assistant turns need distinct message ids")


def report_row(session_id: str, user: Turn, assistant: Turn) -> ReportRow:
    """The turn-log row of an exchange, with the user's text redacted."""
    return ReportRow(
        session_id=session_id,
        message_id=assistant.message_id,
        channel=user.channel,
        user_text=redact(user.text),
        intent=assistant.intent,
        confidence=assistant.confidence,
        refused=assistant.refused,
        created_at=assistant.created_at,
    )


def clean_reason(reason: str | None) -> str | None:
    """A feedback reason as stored: redacted, or None when blank."""
    return redact(reason.strip()) if reason and reason.strip() else None
