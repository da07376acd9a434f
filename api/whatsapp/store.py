"""Durable inbox (with wamid dedup), outbox, statuses, last-inbound times and per-user leases.

Two implementations share this protocol: `SqliteWhatsAppStore` (default, one file under
`settings.data_dir`) and `RedisWhatsAppStore` (when `REDIS_URL` is set, for several workers).

Inbound life cycle: `pending` → `answered` (its replies were written to the outbox in the same
transaction) or `ignored`. Outbound life cycle: `pending` → `sent` | `failed` | `expired`;
nothing leaves the outbox without one of those states.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from api.whatsapp.payloads import InboundMessage, StatusUpdate

DEDUP_SECONDS = 7 * 24 * 3600  # Meta redelivers for up to 7 days (channels.md §1.4)
RECORD_SECONDS = 30 * 24 * 3600

InboundState = Literal["pending", "answered", "ignored"]
OutboundState = Literal["pending", "sent", "failed", "expired"]


class OutboundMessage(BaseModel):
    """One Graph API message body waiting to be (or already) sent."""

    id: str
    inbound_id: str
    user_key: str
    phone_number_id: str
    body: dict[str, Any]
    fallback_text: str | None = None
    state: OutboundState = "pending"
    attempts: int = 0
    next_attempt_at: float = 0.0
    created_at: float = 0.0
    updated_at: float = 0.0
    wamid: str | None = None
    error_code: int | None = None
    error: str | None = None
    seq: int = 0


class WhatsAppStore(Protocol):
    """What the webhook route and the worker need from storage."""

    async def setup(self) -> None: ...

    async def close(self) -> None: ...

    async def add_inbound(self, messages: list[InboundMessage], now: float) -> list[bool]:
        """Store new messages durably; False for a wamid seen in the last 7 days."""
        ...

    async def add_statuses(self, statuses: list[StatusUpdate], now: float) -> list[bool]:
        """Record statuses; False for an already recorded (wamid, status)."""
        ...

    async def users_with_work(self, now: float, limit: int = 200) -> list[str]:
        """Users with pending inbound messages or due outbound ones, oldest first."""
        ...

    async def pending_inbound(self, user_key: str) -> list[InboundMessage]:
        """This user's pending messages in arrival order."""
        ...

    async def complete_inbound(
        self, wamid: str, state: InboundState, outbound: list[OutboundMessage], now: float
    ) -> None:
        """Atomically mark a message answered/ignored and enqueue its replies."""
        ...

    async def pending_outbound(self, user_key: str) -> list[OutboundMessage]:
        """This user's unsent outbound messages in order."""
        ...

    async def save_outbound(self, message: OutboundMessage, now: float) -> None: ...

    async def last_inbound(self, user_key: str) -> float | None: ...

    async def acquire_lease(self, name: str, owner: str, ttl: float, now: float) -> bool: ...

    async def release_lease(self, name: str, owner: str) -> None: ...

    async def release_dead_leases(self, is_dead: Callable[[str], bool]) -> int:
        """Drop leases held by processes that no longer exist (at startup)."""
        ...

    async def forget_user(self, user_key: str) -> int:
        """Delete what is kept about a user who asked to be forgotten (not pending work)."""
        ...

    async def purge(self, now: float) -> None:
        """Forget dedup keys and records past their retention."""
        ...

    # Inspection (tests, operators).
    async def inbound_state(self, wamid: str) -> str | None: ...

    async def outbound(self, user_key: str | None = None) -> list[OutboundMessage]: ...

    async def statuses(self, wamid: str) -> list[StatusUpdate]: ...
