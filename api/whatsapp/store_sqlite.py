"""SQLite `WhatsAppStore`: one file, WAL, `synchronous=FULL` so an acknowledged POST survives
power loss. All calls run on one dedicated thread so the event loop never blocks on disk.

Users are keyed by `user_hash` and messages by `wamid_hash` (see `api/whatsapp/store.py`). Scrubbing a row's data is not
enough on its own for SQLite: the old bytes would stay in the freed space of the page and in
earlier WAL frames. So `secure_delete` is on (freed space is zeroed) and `settle()` truncates
the WAL with a checkpoint once a user has no work left.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from api.whatsapp.payloads import InboundMessage, StatusUpdate, wamid_hash
from api.whatsapp.store import (
    DEDUP_SECONDS,
    RECORD_SECONDS,
    SCHEMA_VERSION,
    InboundState,
    OutboundMessage,
    hashed_user,
    hashed_wamid,
    migrated_inbound,
    migrated_outbound,
    migrated_status,
)
from assistant.errors import StorageError

T = TypeVar("T")
log = logging.getLogger(__name__)
_BUSY_TIMEOUT = 10.0  # seconds another connection may hold the write lock before we fail

_SCHEMA = """
CREATE TABLE IF NOT EXISTS wa_inbound (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    wamid_hash TEXT NOT NULL UNIQUE,
    user_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    data TEXT NOT NULL,
    received_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS wa_inbound_pending ON wa_inbound (state, user_hash, seq);
CREATE TABLE IF NOT EXISTS wa_outbound (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    inbound_id TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    next_attempt_at REAL NOT NULL,
    wamid_hash TEXT,
    data TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS wa_outbound_pending ON wa_outbound (state, user_hash, seq);
CREATE INDEX IF NOT EXISTS wa_outbound_wamid ON wa_outbound (wamid_hash);
CREATE TABLE IF NOT EXISTS wa_status (
    wamid_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    received_at REAL NOT NULL,
    PRIMARY KEY (wamid_hash, status)
);
CREATE TABLE IF NOT EXISTS wa_user (
    user_hash TEXT PRIMARY KEY,
    last_inbound_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS wa_lease (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at REAL NOT NULL
);
"""


class SqliteWhatsAppStore:
    """`WhatsAppStore` over a local SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wa-sqlite")
        self._db: sqlite3.Connection | None = None
        self._closed = False
        self._scrubbed = False  # data was scrubbed since the last `settle()`

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        def call() -> T:
            if self._db is None:
                raise StorageError()
            try:
                with self._db:  # one transaction per call
                    return fn(self._db)
            except sqlite3.Error as exc:
                raise StorageError() from exc

        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, call)
        except RuntimeError as exc:  # executor already shut down (store closed)
            raise StorageError() from exc

    async def setup(self) -> None:
        def open_db() -> None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(
                self.path, timeout=_BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA secure_delete=ON")  # scrubbed and deleted bytes are zeroed
            if _migrate(db):
                db.execute("VACUUM")  # also drops what version 1 deleted without zeroing
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.isolation_level = "DEFERRED"  # back to implicit transactions for `with db:`
            self._db = db

        try:
            await asyncio.get_running_loop().run_in_executor(self._pool, open_db)
        except sqlite3.Error as exc:
            raise StorageError() from exc

    async def close(self) -> None:
        def close_db() -> None:
            if self._db is not None:
                self._db.close()
                self._db = None

        if self._closed:
            return
        self._closed = True
        await asyncio.get_running_loop().run_in_executor(self._pool, close_db)
        self._pool.shutdown(wait=True)

    async def add_inbound(self, messages: list[InboundMessage], now: float) -> list[bool]:
        def tx(db: sqlite3.Connection) -> list[bool]:
            fresh = []
            for msg in messages:
                cur = db.execute(
                    "INSERT OR IGNORE INTO wa_inbound (wamid_hash, user_hash, state, data,"
                    " received_at, updated_at) VALUES (?, ?, 'pending', ?, ?, ?)",
                    (msg.key, msg.user_hash, msg.model_dump_json(), now, now),
                )
                fresh.append(cur.rowcount == 1)
                if cur.rowcount == 1:
                    db.execute(
                        "INSERT INTO wa_user (user_hash, last_inbound_at) VALUES (?, ?) "
                        "ON CONFLICT(user_hash) DO UPDATE SET last_inbound_at = "
                        "max(last_inbound_at, excluded.last_inbound_at)",
                        (msg.user_hash, msg.timestamp),
                    )
            return fresh

        return await self._run(tx)

    async def add_statuses(self, statuses: list[StatusUpdate], now: float) -> list[bool]:
        def tx(db: sqlite3.Connection) -> list[bool]:
            return [
                db.execute(
                    "INSERT OR IGNORE INTO wa_status (wamid_hash, status, data, received_at) "
                    "VALUES (?, ?, ?, ?)",
                    (s.key, s.status, s.record(), now),
                ).rowcount
                == 1
                for s in statuses
            ]

        return await self._run(tx)

    async def users_with_work(self, now: float, limit: int = 200) -> list[str]:
        def q(db: sqlite3.Connection) -> list[str]:
            rows = db.execute(
                "SELECT user_hash, min(seq) AS s FROM ("
                " SELECT user_hash, seq FROM wa_inbound WHERE state = 'pending'"
                " UNION ALL"
                " SELECT user_hash, seq FROM wa_outbound WHERE state = 'pending'"
                "  AND next_attempt_at <= ?"
                ") GROUP BY user_hash ORDER BY s LIMIT ?",
                (now, limit),
            ).fetchall()
            return [r[0] for r in rows]

        return await self._run(q)

    async def pending_inbound(self, user_hash: str) -> list[InboundMessage]:
        def q(db: sqlite3.Connection) -> list[InboundMessage]:
            rows = db.execute(
                "SELECT data FROM wa_inbound WHERE state = 'pending' AND user_hash = ? ORDER BY seq",
                (user_hash,),
            ).fetchall()
            return [InboundMessage.model_validate_json(r[0]) for r in rows]

        return await self._run(q)

    async def complete_inbound(
        self, key: str, state: InboundState, outbound: list[OutboundMessage], now: float
    ) -> None:
        def tx(db: sqlite3.Connection) -> None:
            row = db.execute("SELECT data FROM wa_inbound WHERE wamid_hash = ?", (key,)).fetchone()
            if row is not None:  # done: keep only the record (no phone, no text, no wamid)
                record = InboundMessage.model_validate_json(row[0]).record()
                db.execute(
                    "UPDATE wa_inbound SET state = ?, data = ?, updated_at = ? "
                    "WHERE wamid_hash = ?",
                    (state, json.dumps(record), now, key),
                )
                self._scrubbed = True
            for msg in outbound:
                msg.created_at = msg.created_at or now
                msg.updated_at = now
                db.execute(
                    "INSERT OR IGNORE INTO wa_outbound (id, inbound_id, user_hash, state,"
                    " next_attempt_at, wamid_hash, data, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        msg.id,
                        msg.inbound_id,
                        msg.user_hash,
                        msg.state,
                        msg.next_attempt_at,
                        msg.wamid_hash,
                        msg.stored().model_dump_json(),
                        now,
                    ),
                )

        await self._run(tx)

    @staticmethod
    def _outbound(row: Any) -> OutboundMessage:
        msg = OutboundMessage.model_validate_json(row[1])
        msg.seq = row[0]
        return msg

    async def pending_outbound(self, user_hash: str) -> list[OutboundMessage]:
        def q(db: sqlite3.Connection) -> list[OutboundMessage]:
            rows = db.execute(
                "SELECT seq, data FROM wa_outbound WHERE state = 'pending' AND user_hash = ? "
                "ORDER BY seq",
                (user_hash,),
            ).fetchall()
            return [self._outbound(r) for r in rows]

        return await self._run(q)

    async def save_outbound(self, message: OutboundMessage, now: float) -> None:
        message.updated_at = now

        def tx(db: sqlite3.Connection) -> None:
            db.execute(
                "UPDATE wa_outbound SET state = ?, next_attempt_at = ?, wamid_hash = ?, data = ?,"
                " updated_at = ? WHERE id = ?",
                (
                    message.state,
                    message.next_attempt_at,
                    message.wamid_hash,
                    message.stored().model_dump_json(),
                    now,
                    message.id,
                ),
            )
            if message.state != "pending":
                self._scrubbed = True

        await self._run(tx)

    async def last_inbound(self, user_hash: str) -> float | None:
        def q(db: sqlite3.Connection) -> float | None:
            row = db.execute(
                "SELECT last_inbound_at FROM wa_user WHERE user_hash = ?", (user_hash,)
            ).fetchone()
            return float(row[0]) if row else None

        return await self._run(q)

    async def acquire_lease(self, name: str, owner: str, ttl: float, now: float) -> bool:
        def tx(db: sqlite3.Connection) -> bool:
            cur = db.execute(
                "INSERT INTO wa_lease (name, owner, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET owner = excluded.owner,"
                " expires_at = excluded.expires_at"
                " WHERE wa_lease.owner = excluded.owner OR wa_lease.expires_at <= ?",
                (name, owner, now + ttl, now),
            )
            return cur.rowcount == 1

        return await self._run(tx)

    async def forget_user(self, user_hash: str) -> int:
        """Delete everything kept about this user (texts, replies, statuses, times); pending
        messages stay so they are still answered. Returns the number of rows deleted."""

        def tx(db: sqlite3.Connection) -> int:
            wamids = [
                r[0]
                for r in db.execute(
                    "SELECT wamid_hash FROM wa_outbound WHERE user_hash = ?"
                    " AND wamid_hash IS NOT NULL",
                    (user_hash,),
                )
            ]
            n = 0
            for wamid in wamids:
                n += db.execute("DELETE FROM wa_status WHERE wamid_hash = ?", (wamid,)).rowcount
            n += db.execute(
                "DELETE FROM wa_outbound WHERE user_hash = ? AND state != 'pending'", (user_hash,)
            ).rowcount
            n += db.execute(
                "DELETE FROM wa_inbound WHERE user_hash = ? AND state != 'pending'", (user_hash,)
            ).rowcount
            n += db.execute("DELETE FROM wa_user WHERE user_hash = ?", (user_hash,)).rowcount
            self._scrubbed = True
            return n

        return await self._run(tx)

    async def settle(self) -> None:
        """Checkpoint and truncate the WAL if data was scrubbed since last time: its earlier
        frames still hold the pending rows (phone numbers and texts) as they were."""
        if not self._scrubbed:
            return
        self._scrubbed = False

        def checkpoint(db: sqlite3.Connection) -> bool:
            # Never wait here for another process's reader (webhook writes queue behind this
            # thread): if one is active, try again at the next settle.
            db.execute("PRAGMA busy_timeout = 0")
            try:
                return bool(db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0)
            except sqlite3.OperationalError:  # "database is locked"
                return False
            finally:
                db.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT * 1000)}")

        if not await self._run(checkpoint):
            self._scrubbed = True

    async def release_dead_leases(self, is_dead: Callable[[str], bool]) -> int:
        """Drop leases whose owner `is_dead` says is a process that no longer exists."""

        def tx(db: sqlite3.Connection) -> int:
            owners = {r[0] for r in db.execute("SELECT DISTINCT owner FROM wa_lease")}
            dead = [o for o in owners if is_dead(o)]
            return sum(
                db.execute("DELETE FROM wa_lease WHERE owner = ?", (o,)).rowcount for o in dead
            )

        return await self._run(tx)

    async def release_lease(self, name: str, owner: str) -> None:
        await self._run(
            lambda db: db.execute(
                "DELETE FROM wa_lease WHERE name = ? AND owner = ?", (name, owner)
            )
        )

    async def purge(self, now: float) -> None:
        def tx(db: sqlite3.Connection) -> None:
            db.execute(
                "DELETE FROM wa_inbound WHERE state != 'pending' AND received_at < ?",
                (now - DEDUP_SECONDS,),
            )
            db.execute(
                "DELETE FROM wa_outbound WHERE state != 'pending' AND updated_at < ?",
                (now - RECORD_SECONDS,),
            )
            db.execute("DELETE FROM wa_status WHERE received_at < ?", (now - RECORD_SECONDS,))
            db.execute("DELETE FROM wa_lease WHERE expires_at < ?", (now,))

        await self._run(tx)

    async def inbound_state(self, wamid: str) -> str | None:
        def q(db: sqlite3.Connection) -> str | None:
            row = db.execute(
                "SELECT state FROM wa_inbound WHERE wamid_hash = ?", (wamid_hash(wamid),)
            ).fetchone()
            return row[0] if row else None

        return await self._run(q)

    async def outbound(self, user_hash: str | None = None) -> list[OutboundMessage]:
        def q(db: sqlite3.Connection) -> list[OutboundMessage]:
            if user_hash is None:
                rows = db.execute("SELECT seq, data FROM wa_outbound ORDER BY seq").fetchall()
            else:
                rows = db.execute(
                    "SELECT seq, data FROM wa_outbound WHERE user_hash = ? ORDER BY seq",
                    (user_hash,),
                ).fetchall()
            return [self._outbound(r) for r in rows]

        return await self._run(q)

    async def statuses(self, wamid: str) -> list[StatusUpdate]:
        def q(db: sqlite3.Connection) -> list[StatusUpdate]:
            rows = db.execute(
                "SELECT data FROM wa_status WHERE wamid_hash = ?", (wamid_hash(wamid),)
            ).fetchall()
            # Stored with the hash; given back with the wamid asked about.
            found = [
                StatusUpdate.model_validate_json(r[0]).model_copy(update={"wamid": wamid})
                for r in rows
            ]
            return sorted(found, key=lambda s: s.timestamp)

        return await self._run(q)


def _migrate(db: sqlite3.Connection) -> bool:
    """Bring an older store to `SCHEMA_VERSION` in one transaction: version 1 (users keyed by
    phone number, done rows with their full data) and version 2 (wamids in clear as keys and in
    done rows). Pending rows keep their data and are still answered; done rows keep their
    hashed keys, so a wamid seen before is still a duplicate. True if there was anything."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'wa_inbound'").fetchone()
    if version >= SCHEMA_VERSION or not exists:
        return False
    db.execute("BEGIN IMMEDIATE")
    # Read again under the write lock: a second worker starting at the same time waited here
    # while the first migrated, and must not rename columns that are already renamed.
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        db.execute("COMMIT")
        return False
    try:
        if version < 2:
            for table in ("wa_inbound", "wa_outbound", "wa_user"):
                db.execute(f"ALTER TABLE {table} RENAME COLUMN user_key TO user_hash")
        for table in ("wa_inbound", "wa_outbound", "wa_status"):
            db.execute(f"ALTER TABLE {table} RENAME COLUMN wamid TO wamid_hash")
        for seq, key, wamid, state, data in db.execute(
            "SELECT seq, user_hash, wamid_hash, state, data FROM wa_inbound"
        ).fetchall():
            db.execute(
                "UPDATE wa_inbound SET user_hash = ?, wamid_hash = ?, data = ? WHERE seq = ?",
                (hashed_user(key), hashed_wamid(wamid), migrated_inbound(data, state), seq),
            )
        for seq, key, data in db.execute("SELECT seq, user_hash, data FROM wa_outbound").fetchall():
            msg = migrated_outbound(data, key)
            db.execute(
                "UPDATE wa_outbound SET id = ?, inbound_id = ?, user_hash = ?, wamid_hash = ?,"
                " data = ? WHERE seq = ?",
                (
                    msg.id,
                    msg.inbound_id,
                    msg.user_hash,
                    msg.wamid_hash,
                    msg.model_dump_json(),
                    seq,
                ),
            )
        for (key,) in db.execute("SELECT user_hash FROM wa_user").fetchall():
            db.execute(
                "UPDATE wa_user SET user_hash = ? WHERE user_hash = ?", (hashed_user(key), key)
            )
        for (name,) in db.execute("SELECT name FROM wa_lease").fetchall():
            if name.startswith("user:"):
                db.execute(
                    "UPDATE wa_lease SET name = ? WHERE name = ?",
                    ("user:" + hashed_user(name[5:]), name),
                )
        for wamid, status, data in db.execute(
            "SELECT wamid_hash, status, data FROM wa_status"
        ).fetchall():
            db.execute(
                "UPDATE wa_status SET wamid_hash = ?, data = ? WHERE wamid_hash = ? AND status = ?",
                (hashed_wamid(wamid), migrated_status(data), wamid, status),
            )
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    log.info(
        "whatsapp: store migrated from version %d to %d (users and messages keyed by hash)",
        version,
        SCHEMA_VERSION,
    )
    return True
