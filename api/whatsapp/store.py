"""Durable inbox (with wamid dedup), outbox, statuses, last-inbound times and per-user leases.

Two implementations share this protocol: `SqliteWhatsAppStore` (default, one file under
`settings.data_dir`) and `RedisWhatsAppStore` (when `REDIS_URL` is set, for several workers).

Inbound life cycle: `pending` → `answered` (its replies were written to the outbox in the same
transaction) or `ignored`. Outbound life cycle: `pending` → `sent` | `failed` | `expired`;
nothing leaves the outbox without one of those states.

Phone numbers (issue 14). Every key, indexed column, lease name and log line names a user by
`user_hash` (`api/whatsapp/payloads.py`: HMAC-SHA256 keyed from `WHATSAPP_APP_SECRET`), never
by the phone number or BSUID. The number itself is needed for exactly one thing, the `to` of
a reply, so it lives only inside the data of rows that are still pending: an inbound message
not yet answered (its raw payload, `user_key`, `to`, text) and an outbound message Graph has
not accepted yet (its `body`). The moment a row is done, the store rewrites its data to the
`record()` / `stored()` form: wamid, state, timestamps, attempts, error code and the hash,
which is all that dedup (7 days) and delivery records (30 days) need. Keeping the rest for
those 7-30 days would only keep a phone book and the users' words for anyone who reads the
store. Both stores are at `SCHEMA_VERSION` 2; version-1 data (phone as key) is migrated when
the store opens, pending rows included, so nothing that was waiting is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from api.whatsapp.payloads import InboundMessage, StatusUpdate

DEDUP_SECONDS = 7 * 24 * 3600  # Meta redelivers for up to 7 days (channels.md §1.4)
RECORD_SECONDS = 30 * 24 * 3600
SCHEMA_VERSION = 2  # 1: keyed by the phone number; 2: keyed by `user_hash`, done rows scrubbed

InboundState = Literal["pending", "answered", "ignored"]
OutboundState = Literal["pending", "sent", "failed", "expired"]


class OutboundMessage(BaseModel):
    """One Graph API message body waiting to be (or already) sent."""

    id: str
    inbound_id: str
    user_hash: str  # `payloads.user_hash`; the phone is only in `body["to"]` while pending
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

    def stored(self) -> OutboundMessage:
        """The form a store writes: once Graph accepted it (or it failed or expired) the body
        with the phone number and the text is dropped; its type stays, for reports."""
        if self.state == "pending":
            return self
        kind = self.body.get("type")
        return self.model_copy(
            update={"body": {"type": kind} if kind else {}, "fallback_text": None}
        )


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
        """`user_hash` of users with pending inbound messages or due outbound ones, oldest
        first."""
        ...

    async def pending_inbound(self, user_hash: str) -> list[InboundMessage]:
        """This user's pending messages in arrival order."""
        ...

    async def complete_inbound(
        self, wamid: str, state: InboundState, outbound: list[OutboundMessage], now: float
    ) -> None:
        """Atomically mark a message answered/ignored and enqueue its replies."""
        ...

    async def pending_outbound(self, user_hash: str) -> list[OutboundMessage]:
        """This user's unsent outbound messages in order."""
        ...

    async def save_outbound(self, message: OutboundMessage, now: float) -> None: ...

    async def last_inbound(self, user_hash: str) -> float | None: ...

    async def acquire_lease(self, name: str, owner: str, ttl: float, now: float) -> bool: ...

    async def release_lease(self, name: str, owner: str) -> None: ...

    async def release_dead_leases(self, is_dead: Callable[[str], bool]) -> int:
        """Drop leases held by processes that no longer exist (at startup)."""
        ...

    async def forget_user(self, user_hash: str) -> int:
        """Delete what is kept about a user who asked to be forgotten (not pending work)."""
        ...

    async def settle(self) -> None:
        """Make data scrubbed so far unreadable from the store's files too (SQLite keeps old
        page images in its WAL until a checkpoint truncates it). Called when a user has no
        work left."""
        ...

    async def purge(self, now: float) -> None:
        """Forget dedup keys and records past their retention."""
        ...

    # Inspection (tests, operators).
    async def inbound_state(self, wamid: str) -> str | None: ...

    async def outbound(self, user_hash: str | None = None) -> list[OutboundMessage]: ...

    async def statuses(self, wamid: str) -> list[StatusUpdate]: ...
