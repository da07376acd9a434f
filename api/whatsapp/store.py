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
store.

Message ids (wamids). Meta's wamid (`wamid.HBgM…`) is base64 that contains the phone number,
so it is no better than the number as a key. Every wamid the store keeps beyond pending data is
`wamid_hash` (HMAC-SHA256 with its own key from the same secret): the inbound dedup key
(`InboundMessage.key`), outbound ids (`<key>#<n>`) and their `inbound_id`, the hash of the
wamid Graph gave each reply (`OutboundMessage.wamid_hash`) and the status key. Dedup and status
lookups hash the incoming wamid. The wamid in clear is needed only to mark the message read (and
for a reply that quotes it), so it stays in a pending message's data and goes with the rest.

Both stores are at `SCHEMA_VERSION` 3. Older data is migrated when the store opens, pending
rows included, so nothing that was waiting is lost: version 1 (phone as key) and version 2
(wamids in clear) have their keys hashed, so a wamid seen before the upgrade is still a
duplicate after it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from api.whatsapp.payloads import (
    InboundMessage,
    StatusUpdate,
    is_user_hash,
    is_wamid_hash,
    user_hash,
    wamid_hash,
)

DEDUP_SECONDS = 7 * 24 * 3600  # Meta redelivers for up to 7 days (channels.md §1.4)
RECORD_SECONDS = 30 * 24 * 3600
# 1: keyed by the phone number; 2: keyed by `user_hash`, done rows scrubbed; 3: wamids hashed
SCHEMA_VERSION = 3

InboundState = Literal["pending", "answered", "ignored"]
OutboundState = Literal["pending", "sent", "failed", "expired"]


class OutboundMessage(BaseModel):
    """One Graph API message body waiting to be (or already) sent."""

    id: str  # `<inbound key>#<part>`: no wamid in clear
    inbound_id: str  # the inbound message's `key` (`wamid_hash`)
    user_hash: str  # `payloads.user_hash`; the phone is only in `body["to"]` while pending
    phone_number_id: str
    body: dict[str, Any]
    fallback_text: str | None = None
    state: OutboundState = "pending"
    attempts: int = 0
    next_attempt_at: float = 0.0
    created_at: float = 0.0
    updated_at: float = 0.0
    wamid_hash: str | None = None  # of the wamid Graph returned: statuses are matched by it
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


# --------------------------------------------------------- migration of older stores' data
def hashed_user(value: str) -> str:
    """A version-1 user key (phone or BSUID) as its `user_hash`; a hash stays as it is."""
    return value if is_user_hash(value) else user_hash(value)


def hashed_wamid(value: str) -> str:
    """A wamid as its `wamid_hash`; a hash stays as it is."""
    return value if is_wamid_hash(value) else wamid_hash(value)


def hashed_outbound_id(value: str) -> str:
    """`<wamid>#<n>` (versions 1-2) as `<wamid_hash>#<n>`."""
    head, sep, part = value.rpartition("#")
    return hashed_wamid(head) + sep + part if sep else hashed_wamid(value)


def migrated_inbound(data: str, state: str) -> str:
    """An inbound row's data of any version, in the current form: a pending message keeps its
    data (it is the reply's address) with its `key`; a done one keeps only its `record()`."""
    fields = json.loads(data)
    if "user_key" in fields:  # a whole message (pending, or done in version 1)
        msg = InboundMessage.model_validate(fields)
        return msg.model_dump_json() if state == "pending" else json.dumps(msg.record())
    # A version-2 record: {wamid, user_hash, type, timestamp, received_at}.
    fields["key"] = hashed_wamid(str(fields.pop("wamid", None) or fields.get("key") or ""))
    return json.dumps(fields)


def migrated_outbound(data: str, user: str | None) -> OutboundMessage:
    """An outbound row's data of any version, keyed and scrubbed as now."""
    fields = json.loads(data)
    fields["user_hash"] = hashed_user(str(fields.pop("user_key", None) or user or ""))
    fields["id"] = hashed_outbound_id(str(fields["id"]))
    fields["inbound_id"] = hashed_wamid(str(fields["inbound_id"]))
    wamid = fields.pop("wamid", None) or fields.get("wamid_hash")
    fields["wamid_hash"] = hashed_wamid(str(wamid)) if wamid else None
    return OutboundMessage.model_validate(fields).stored()


def migrated_status(data: str) -> str:
    """A status record of any version: without `raw`, the wamid hashed."""
    fields = json.loads(data)
    fields["wamid"] = hashed_wamid(str(fields["wamid"]))
    return StatusUpdate.model_validate(fields).model_dump_json(exclude={"raw"})
