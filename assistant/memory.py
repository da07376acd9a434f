"""Conversation memory per session: models, the `SessionStore` port and its factory.

Every store honours the same contract:
- `save_turn` is atomic: both turns, the profile and the pending questions, or nothing.
- The stored history is bounded by tokens: the newest turns that fit, always the last exchange.
- History keeps the user's text as written (it is theirs to see and delete); the turn log
  behind staff reports keeps it redacted, and feedback reasons are redacted too.
- `delete` forgets everything keyed by the session: profile, history, feedback, turn log.
- Backend failures surface as `StorageError`; unknown sessions or messages as `NotFound`.
"""

from __future__ import annotations

import errno
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.errors import StorageError
from assistant.redact import redact
from assistant.schemas import BusinessProfile, Channel
from assistant.settings import Settings

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


class SessionState(BaseModel):
    """What we remember about one conversation."""

    session_id: str
    profile: BusinessProfile = Field(default_factory=BusinessProfile)
    history: list[Turn] = Field(default_factory=list)
    pending_questions: list[str] = Field(default_factory=list)


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
        """The session's profile, bounded history and pending questions; None if unknown."""

    @abstractmethod
    def save_turn(
        self,
        session_id: str,
        user: Turn,
        assistant: Turn,
        profile: BusinessProfile,
        pending_questions: list[str],
    ) -> None:
        """Atomically append one exchange and store the profile; a repeated exchange is ignored."""

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


def ensure_writable_dir(path: Path) -> None:
    """Create `path` if needed and prove we can write data there, or raise StorageError."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path) as probe:
            # Creating an empty file needs no free blocks: write and sync a page to find a
            # full disk now, at startup, instead of at the first user's turn.
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageError(
                f"No hay espacio libre en el disco de la carpeta de datos «{path}». Libera "
                "espacio o cambia MIPYME_DATA_DIR."
            ) from exc
        raise StorageError(
            f"No podemos escribir en la carpeta de datos «{path}». Revisa que exista, que "
            "tenga permiso de escritura y espacio libre, o cambia MIPYME_DATA_DIR."
        ) from exc


def needs_data_dir(settings: Settings) -> bool:
    """Whether serving writes under MIPYME_DATA_DIR (embedded Chroma, or SQLite sessions)."""
    return not (settings.chroma_host and settings.redis_url)


def build_session_store(settings: Settings) -> SessionStore:
    """Redis when `REDIS_URL` is set, otherwise SQLite in the data directory."""
    # Imported here because both backends import this module's models.
    if settings.redis_url:
        from assistant.memory_redis import RedisSessionStore

        return RedisSessionStore(settings.redis_url, settings.redis_prefix, settings.history_tokens)
    from assistant.memory_sqlite import SqliteSessionStore

    ensure_writable_dir(settings.data_dir)
    return SqliteSessionStore(settings.sqlite_path, settings.history_tokens)
