"""Redis session store (redis-py, sync client).

Keys, all expiring `ttl_days` after the session's last write:

    {prefix}session:{id}:profile    JSON BusinessProfile (its existence = the session exists)
    {prefix}session:{id}:pending    JSON list of pending slot ids
    {prefix}session:{id}:sent       JSON object: what each recommendation block last showed
    {prefix}session:{id}:history    list of JSON turns, token-bounded
    {prefix}session:{id}:turns      hash assistant message_id → JSON ReportRow (redacted)
    {prefix}session:{id}:messages   hash user or assistant message_id → assistant message_id
    {prefix}session:{id}:feedback   hash assistant message_id → JSON {rating, reason}
    {prefix}sessions                sorted set of session ids by last write (report index)
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, TypeVar, cast

import redis
from redis.client import Pipeline
from redis.exceptions import RedisError, WatchError

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

T = TypeVar("T")

PARTS = ("profile", "pending", "sent", "history", "turns", "messages", "feedback")
_MAX_ATTEMPTS = 50
_REPORT_BATCH = 200

_UNAVAILABLE = (
    "No pudimos conectar con el almacenamiento de conversaciones. Intenta de nuevo en unos minutos."
)
_BUSY = "Hay demasiados cambios simultáneos en esta conversación. Intenta de nuevo en un momento."


@contextlib.contextmanager
def _storage_errors() -> Iterator[None]:
    """Translate redis-py errors into StorageError."""
    try:
        yield
    except RedisError as exc:
        raise StorageError(_UNAVAILABLE) from exc


class RedisSessionStore(SessionStore):
    """Session memory in Redis, shared by every worker and replica."""

    def __init__(
        self,
        url: str,
        prefix: str = "mipyme:",
        max_history_tokens: int = 1500,
        ttl_days: int = 90,
        *,
        client: redis.Redis | None = None,
    ) -> None:
        super().__init__(max_history_tokens)
        self.prefix = prefix
        self.ttl_seconds = int(timedelta(days=ttl_days).total_seconds())
        try:
            self._client: redis.Redis = client or redis.Redis.from_url(
                url, decode_responses=True, socket_connect_timeout=3, socket_timeout=5
            )
        except ValueError as exc:
            raise StorageError("La dirección de Redis (REDIS_URL) no es válida.") from exc

    def key(self, session_id: str, part: str) -> str:
        """The Redis key holding one part of a session."""
        return f"{self.prefix}session:{session_id}:{part}"

    def keys(self, session_id: str) -> list[str]:
        """Every key a session may own."""
        return [self.key(session_id, part) for part in PARTS]

    @property
    def index_key(self) -> str:
        """The sorted set of known sessions, used to build reports."""
        return f"{self.prefix}sessions"

    def _transact(self, body: Callable[[Pipeline], T], *watched: str) -> T:
        """Run `body` under WATCH, retrying when a concurrent writer touched `watched`."""
        with _storage_errors(), self._client.pipeline(transaction=True) as pipe:
            for attempt in range(_MAX_ATTEMPTS):
                try:
                    pipe.watch(*watched)  # type: ignore[no-untyped-call]
                    return body(pipe)
                except WatchError:
                    pipe.reset()
                    # Jitter so contending threads stop colliding in lockstep.
                    time.sleep(random.uniform(0, 0.001 * (attempt + 1)))
        raise StorageError(_BUSY)

    def _touch(self, pipe: Pipeline, session_id: str) -> None:
        """Queue the TTL refresh of every session key and its place in the report index."""
        for key in self.keys(session_id):
            pipe.expire(key, self.ttl_seconds)
        pipe.zadd(self.index_key, {session_id: time.time()})

    def get(self, session_id: str) -> SessionState | None:
        with _storage_errors(), self._client.pipeline(transaction=True) as pipe:
            pipe.get(self.key(session_id, "profile"))
            pipe.get(self.key(session_id, "pending"))
            pipe.lrange(self.key(session_id, "history"), 0, -1)
            pipe.get(self.key(session_id, "sent"))
            profile, pending, history, sent = pipe.execute()
        if profile is None:
            return None
        return SessionState(
            session_id=session_id,
            profile=BusinessProfile.model_validate_json(profile),
            history=[Turn.model_validate_json(raw) for raw in history],
            pending_slots=json.loads(pending) if pending else [],
            sent=json.loads(sent) if sent else {},
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
        new_turns = [user.model_dump_json(), assistant.model_dump_json()]
        new_counts = [count_tokens(user.text), count_tokens(assistant.text)]
        row = report_row(session_id, user, assistant).model_dump_json()
        history_key = self.key(session_id, "history")
        messages_key = self.key(session_id, "messages")

        def body(pipe: Pipeline) -> None:
            if pipe.hexists(messages_key, user.message_id) or pipe.hexists(
                messages_key, assistant.message_id
            ):
                return  # a retried delivery of an exchange we already stored
            stored = pipe.lrange(history_key, 0, -1)
            counts = [count_tokens(Turn.model_validate_json(raw).text) for raw in stored]
            counts += new_counts
            drop = len(counts) - keep_recent(counts, self.max_history_tokens)
            pipe.multi()
            pipe.set(self.key(session_id, "profile"), profile.model_dump_json())
            pipe.set(self.key(session_id, "pending"), json.dumps(pending_slots, ensure_ascii=False))
            if sent is not None:
                pipe.set(self.key(session_id, "sent"), json.dumps(sent, ensure_ascii=False))
            pipe.rpush(history_key, *new_turns)
            if drop:
                pipe.ltrim(history_key, drop, -1)
            pipe.hset(self.key(session_id, "turns"), assistant.message_id, row)
            pipe.hset(
                messages_key,
                mapping={
                    user.message_id: assistant.message_id,
                    assistant.message_id: assistant.message_id,
                },
            )
            self._touch(pipe, session_id)
            pipe.execute()

        self._transact(body, history_key, messages_key)

    def has_message(self, session_id: str, message_id: str) -> bool:
        with _storage_errors():
            return bool(self._client.hexists(self.key(session_id, "messages"), message_id))

    def add_feedback(
        self, session_id: str, message_id: str, rating: Rating, reason: str | None = None
    ) -> None:
        value = json.dumps(
            {"rating": rating, "reason": clean_reason(reason), "updated_at": utcnow().isoformat()},
            ensure_ascii=False,
        )
        profile_key = self.key(session_id, "profile")
        messages_key = self.key(session_id, "messages")

        def body(pipe: Pipeline) -> None:
            # Watching the profile means a concurrent `delete` cannot leave orphan feedback.
            if not pipe.exists(profile_key):
                raise NotFound(SESSION_NOT_FOUND)
            target = pipe.hget(messages_key, message_id)
            if target is None:
                raise NotFound(MESSAGE_NOT_FOUND)
            pipe.multi()
            pipe.hset(self.key(session_id, "feedback"), target, value)
            self._touch(pipe, session_id)
            pipe.execute()

        self._transact(body, profile_key, messages_key)

    def delete(self, session_id: str) -> bool:
        with _storage_errors(), self._client.pipeline(transaction=True) as pipe:
            pipe.delete(*self.keys(session_id))
            pipe.zrem(self.index_key, session_id)
            removed, _ = pipe.execute()
        return bool(removed)

    def list_turn_log(self) -> list[ReportRow]:
        rows: list[ReportRow] = []
        with _storage_errors():
            # Sessions idle past the TTL have expired keys; forget them in the index too.
            self._client.zremrangebyscore(self.index_key, "-inf", time.time() - self.ttl_seconds)
            session_ids = cast(list[str], self._client.zrange(self.index_key, 0, -1))
            for start in range(0, len(session_ids), _REPORT_BATCH):
                batch = session_ids[start : start + _REPORT_BATCH]
                with self._client.pipeline(transaction=False) as pipe:
                    for session_id in batch:
                        pipe.hgetall(self.key(session_id, "turns"))
                        pipe.hgetall(self.key(session_id, "feedback"))
                    results = pipe.execute()
                for turns, feedback in zip(results[::2], results[1::2], strict=True):
                    rows.extend(_merge(turns, feedback))
        rows.sort(key=lambda row: row.created_at)
        return rows

    def ping(self) -> None:
        with _storage_errors():
            self._client.ping()

    def close(self) -> None:
        self._client.close()


def _merge(turns: dict[str, str], feedback: dict[str, str]) -> Iterator[ReportRow]:
    """Report rows of one session with their ratings filled in."""
    for message_id, raw in turns.items():
        row = ReportRow.model_validate_json(raw)
        if message_id in feedback:
            vote: dict[str, Any] = json.loads(feedback[message_id])
            row = row.model_copy(update={"rating": vote["rating"], "reason": vote["reason"]})
        yield row
