"""SQLite session store: stdlib sqlite3 in WAL mode, one shared connection behind a lock."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant.errors import NotFound, StorageError
from assistant.memory.port import (
    MESSAGE_NOT_FOUND,
    SESSION_NOT_FOUND,
    Rating,
    ReportRow,
    SessionState,
    SessionStore,
    Turn,
    check_exchange,
    clean_reason,
    keep_recent,
    report_row,
    utcnow,
)
from assistant.retrieval.tokens import count_tokens
from assistant.schemas import BusinessProfile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    pending_questions TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_updated ON sessions (updated_at);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    turn TEXT NOT NULL,
    tokens INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_session ON history (session_id, id);
CREATE TABLE IF NOT EXISTS turn_log (
    session_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    user_message_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    user_text TEXT NOT NULL,
    intent TEXT,
    confidence REAL,
    refused INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, message_id)
);
CREATE INDEX IF NOT EXISTS turn_log_by_user_message ON turn_log (session_id, user_message_id);
CREATE TABLE IF NOT EXISTS shown (
    session_id TEXT PRIMARY KEY,
    blocks TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    session_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (session_id, message_id)
);
"""
# Every table keyed by session; `delete` empties all of them.
TABLES = ("sessions", "history", "turn_log", "feedback", "shown")

_FIND_EXCHANGE = "SELECT message_id FROM turn_log WHERE session_id = ? AND (message_id = ? OR user_message_id = ?)"

# Column order of the report query in `list_turn_log`.
_REPORT_FIELDS = (
    "session_id",
    "message_id",
    "channel",
    "user_text",
    "intent",
    "confidence",
    "refused",
    "rating",
    "reason",
    "created_at",
)

_DISK_FULL = (
    "No pudimos guardar la conversación porque el servidor se quedó sin espacio en disco. "
    "Intenta más tarde."
)
_UNWRITABLE = (
    "No pudimos abrir el almacenamiento de conversaciones: la carpeta de datos no existe o no "
    "tiene permiso de escritura."
)
_BUSY = "El almacenamiento de conversaciones está ocupado. Intenta de nuevo en un momento."


def _message_for(exc: sqlite3.Error) -> str:
    """A Spanish, user-safe explanation of a SQLite failure."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return _DISK_FULL
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM")) or any(
        hint in text for hint in ("unable to open", "readonly", "read-only")
    ):
        return _UNWRITABLE
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return _BUSY
    return StorageError.default_message


@contextlib.contextmanager
def _storage_errors() -> Iterator[None]:
    """Translate sqlite3 and filesystem errors into StorageError."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(_message_for(exc)) from exc
    except OSError as exc:
        raise StorageError(_UNWRITABLE) from exc


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class SqliteSessionStore(SessionStore):
    """Session memory in a local SQLite file; safe across threads and asyncio callers."""

    def __init__(
        self, path: str | Path, max_history_tokens: int = 1500, ttl_days: int = 90
    ) -> None:
        super().__init__(max_history_tokens)
        self.path = Path(path)
        # Like the Redis keys: a session idle this long is forgotten, with everything keyed by it.
        self.ttl = timedelta(days=ttl_days)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: we issue BEGIN/COMMIT ourselves; the lock serialises threads.
            conn = sqlite3.connect(
                self.path, timeout=10, isolation_level=None, check_same_thread=False
            )
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(_SCHEMA)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
            self._purge(conn)
        return self._conn

    def _cutoff(self) -> str:
        return _iso(utcnow() - self.ttl)

    def _purge(self, conn: sqlite3.Connection) -> int:
        """Delete every row of the sessions idle past the TTL (at open and on each write)."""
        expired = [
            r[0]
            for r in conn.execute(
                "SELECT session_id FROM sessions WHERE updated_at < ?", (self._cutoff(),)
            )
        ]
        for session_id in expired:
            for table in TABLES:
                conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
        return len(expired)

    def purge_expired(self) -> int:
        """Forget sessions idle longer than the TTL; returns how many."""
        with self._transaction(write=True) as conn:
            return self._purge(conn)

    @contextlib.contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock; rolled back on any error."""
        with self._lock, _storage_errors():
            conn = self._connection()
            # IMMEDIATE takes the write lock up front so other processes wait instead of failing.
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise

    def get(self, session_id: str) -> SessionState | None:
        with self._transaction(write=False) as conn:
            row = conn.execute(
                "SELECT profile, pending_questions FROM sessions "
                "WHERE session_id = ? AND updated_at >= ?",
                (session_id, self._cutoff()),
            ).fetchone()
            if row is None:
                return None
            turns = conn.execute(
                "SELECT turn FROM history WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
            shown = conn.execute(
                "SELECT blocks FROM shown WHERE session_id = ?", (session_id,)
            ).fetchone()
        return SessionState(
            session_id=session_id,
            profile=BusinessProfile.model_validate_json(row[0]),
            history=[Turn.model_validate_json(t) for (t,) in turns],
            pending_slots=json.loads(row[1]),
            sent=json.loads(shown[0]) if shown else {},
        )

    def save_turn(
        self,
        session_id: str,
        user: Turn,
        assistant: Turn,
        profile: BusinessProfile,
        pending_slots: list[str],
        sent: dict[str, str] | None = None,
    ) -> None:
        check_exchange(user, assistant)
        turns = [(session_id, t.model_dump_json(), count_tokens(t.text)) for t in (user, assistant)]
        log = report_row(session_id, user, assistant)
        ids = (user.message_id, assistant.message_id)
        with self._transaction(write=True) as conn:
            duplicate = conn.execute(
                "SELECT 1 FROM turn_log WHERE session_id = ? "
                "AND (message_id IN (?, ?) OR user_message_id IN (?, ?))",
                (session_id, *ids, *ids),
            ).fetchone()
            if duplicate:
                return
            self._purge(conn)
            conn.execute(
                "INSERT INTO sessions (session_id, profile, pending_questions, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET "
                "profile = excluded.profile, pending_questions = excluded.pending_questions, "
                "updated_at = excluded.updated_at",
                (
                    session_id,
                    profile.model_dump_json(),
                    json.dumps(pending_slots, ensure_ascii=False),
                    _iso(utcnow()),
                ),
            )
            if sent is not None:
                conn.execute(
                    "INSERT INTO shown (session_id, blocks) VALUES (?, ?) ON CONFLICT "
                    "(session_id) DO UPDATE SET blocks = excluded.blocks",
                    (session_id, json.dumps(sent, ensure_ascii=False)),
                )
            conn.executemany(
                "INSERT INTO history (session_id, turn, tokens) VALUES (?, ?, ?)", turns
            )
            conn.execute(
                "INSERT INTO turn_log (session_id, message_id, user_message_id, channel, "
                "user_text, intent, confidence, refused, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    log.message_id,
                    user.message_id,
                    log.channel,
                    log.user_text,
                    log.intent,
                    log.confidence,
                    int(log.refused),
                    _iso(log.created_at),
                ),
            )
            self._trim(conn, session_id)

    def _trim(self, conn: sqlite3.Connection, session_id: str) -> None:
        """Drop the oldest turns that no longer fit the token budget."""
        rows = conn.execute(
            "SELECT id, tokens FROM history WHERE session_id = ? ORDER BY id", (session_id,)
        ).fetchall()
        keep = keep_recent([tokens for _, tokens in rows], self.max_history_tokens)
        if keep < len(rows):
            first_kept = rows[len(rows) - keep][0]
            conn.execute(
                "DELETE FROM history WHERE session_id = ? AND id < ?", (session_id, first_kept)
            )

    def has_message(self, session_id: str, message_id: str) -> bool:
        with self._transaction(write=False) as conn:
            row = conn.execute(_FIND_EXCHANGE, (session_id, message_id, message_id)).fetchone()
        return row is not None

    def add_feedback(
        self, session_id: str, message_id: str, rating: Rating, reason: str | None = None
    ) -> None:
        reason = clean_reason(reason)
        with self._transaction(write=True) as conn:
            known = conn.execute(
                "SELECT 1 FROM sessions WHERE session_id = ?", (session_id,)
            ).fetchone()
            if known is None:
                raise NotFound(SESSION_NOT_FOUND)
            row = conn.execute(_FIND_EXCHANGE, (session_id, message_id, message_id)).fetchone()
            if row is None:
                raise NotFound(MESSAGE_NOT_FOUND)
            conn.execute(
                "INSERT INTO feedback (session_id, message_id, rating, reason, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, message_id) DO UPDATE SET "
                "rating = excluded.rating, reason = excluded.reason, "
                "updated_at = excluded.updated_at",
                (session_id, row[0], rating, reason, _iso(utcnow())),
            )

    def delete(self, session_id: str) -> bool:
        with self._transaction(write=True) as conn:
            removed = sum(
                conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,)).rowcount
                for table in TABLES
            )
        return removed > 0

    def list_turn_log(self) -> list[ReportRow]:
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT t.session_id, t.message_id, t.channel, t.user_text, t.intent, "
                "t.confidence, t.refused, f.rating, f.reason, t.created_at "
                "FROM turn_log AS t LEFT JOIN feedback AS f "
                "ON f.session_id = t.session_id AND f.message_id = t.message_id "
                "ORDER BY t.created_at, t.rowid"
            ).fetchall()
        return [
            ReportRow.model_validate(dict(zip(_REPORT_FIELDS, row, strict=True))) for row in rows
        ]

    def ping(self) -> None:
        with self._transaction(write=False) as conn:
            conn.execute("SELECT 1").fetchone()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
