"""Redis `WhatsAppStore` for several API workers sharing one inbox.

Keys (all under `prefix`): `seen:<msg>` dedup marker (7 days), `in:<msg>` message hash,
`inq` / `inq:<user>` pending inbound (members `<msg>`, score = arrival seq), `out:<id>`
outbound hash (`<id>` = `<msg>#<n>`), `outdue` (score = next attempt) / `outq:<user>` (score =
seq) pending outbound, `outall` every outbound id, `st:<sent>` statuses (HSETNX = dedup on
(id, status)), `last` last-inbound times, `lease:<user>`, `schema` the data version. `<user>`
is always `user_hash`, never a phone number; `<msg>` and `<sent>` are always `wamid_hash`,
never a wamid (which holds the number in base64); done messages keep only their record (see
`api/whatsapp/store.py`).
Dedup + enqueue happen in one Lua script, so a crash can never leave a message "seen" but
not queued. Durability across a Redis restart depends on the server's AOF/RDB settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from api.whatsapp.payloads import (
    InboundMessage,
    StatusUpdate,
    is_user_hash,
    is_wamid_hash,
    wamid_hash,
)
from api.whatsapp.store import (
    DEDUP_SECONDS,
    RECORD_SECONDS,
    SCHEMA_VERSION,
    InboundState,
    OutboundMessage,
    hashed_outbound_id,
    hashed_user,
    migrated_inbound,
    migrated_outbound,
    migrated_status,
)
from assistant.errors import StorageError

log = logging.getLogger(__name__)

_ADD_INBOUND = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if not redis.call('SET', KEYS[1], ARGV[6], 'NX', 'EX', ARGV[1]) then return 0 end
local seq = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[2], 'msg', ARGV[2], 'state', 'pending', 'user', ARGV[4])
redis.call('ZADD', KEYS[3], seq, ARGV[3])
redis.call('ZADD', KEYS[4], seq, ARGV[3])
local cur = tonumber(redis.call('HGET', KEYS[6], ARGV[4]) or '0')
if tonumber(ARGV[5]) > cur then redis.call('HSET', KEYS[6], ARGV[4], ARGV[5]) end
return 1
"""

_ACQUIRE = """
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisWhatsAppStore:
    """`WhatsAppStore` over Redis."""

    # The client decodes responses, so replies are `str`; redis-py types them as `bytes | str`,
    # hence the `type: ignore[assignment]` on reads below.
    def __init__(self, client: aioredis.Redis, prefix: str = "mipyme:wa:") -> None:
        self.r = client
        self.p = prefix

    @classmethod
    def from_url(cls, url: str, prefix: str = "mipyme:wa:") -> RedisWhatsAppStore:
        return cls(aioredis.from_url(url, decode_responses=True), prefix)

    def k(self, *parts: str) -> str:
        return self.p + ":".join(parts)

    async def setup(self) -> None:
        try:
            await self.r.ping()
            await self._migrate()
        except RedisError as exc:
            raise StorageError() from exc

    async def settle(self) -> None:
        """Nothing to do: a scrubbed value is gone from Redis at once (an AOF keeps it until
        the server rewrites the file; see docs/security.md)."""

    async def _migrate(self, wait: float = 60.0, lease: float = 30.0) -> None:
        """Bring older data to `SCHEMA_VERSION`: version 1 (users keyed by phone number, done
        messages with their full data) and version 2 (wamids in clear in keys, queue members
        and done records). One process migrates under a lock; the others wait.

        redis-py's `Lock` holds a token, so a worker only ever releases its own lock; the lease
        is renewed while the migration runs, so a big store can't outlive it and let a second
        worker migrate at the same time."""
        if await self.r.get(self.k("schema")) == str(SCHEMA_VERSION):
            return
        lock = self.r.lock(self.k("migrating"), timeout=lease, blocking_timeout=wait, sleep=0.2)
        if not await lock.acquire():
            raise StorageError()
        renew = asyncio.create_task(self._keep_lock(lock, lease / 3))
        try:
            if await self.r.get(self.k("schema")) != str(SCHEMA_VERSION):
                moved = await self._migrate_keys()
                await self.r.set(self.k("schema"), str(SCHEMA_VERSION))
                if moved:
                    log.info("whatsapp: Redis store migrated to version %d", SCHEMA_VERSION)
        finally:
            renew.cancel()
            with contextlib.suppress(LockError):
                await lock.release()

    @staticmethod
    async def _keep_lock(lock: Lock, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            await lock.reacquire()

    def _suffix(self, key: str, kind: str) -> str:
        return key[len(self.k(kind, "")) :]

    async def _migrate_keys(self) -> int:
        """Re-key and scrub every version-1 or version-2 key. Idempotent: a key already named
        by a hash is left alone, and each key moves in one MULTI (RENAME keeps its TTL)."""
        n = 0
        async for key in self.r.scan_iter(match=self.k("in", "*"), count=1000):
            wamid = self._suffix(key, "in")
            if is_wamid_hash(wamid):
                continue
            row: list[str | None] = await self.r.hmget(key, "user", "state", "msg")  # type: ignore[assignment]
            user, state, raw = row
            new = wamid_hash(wamid)
            user = hashed_user(user) if user else None
            score = await self.r.zscore(self.k("inq"), wamid)
            seen = await self.r.exists(self.k("seen", wamid))
            pipe = self.r.pipeline(transaction=True)
            if user:
                pipe.hset(key, "user", user)
            if raw:
                pipe.hset(key, "msg", migrated_inbound(raw, state or ""))
            pipe.rename(key, self.k("in", new))
            if seen:
                pipe.rename(self.k("seen", wamid), self.k("seen", new))
            pipe.zrem(self.k("inq"), wamid)
            if user:
                pipe.zrem(self.k("inq", user), wamid)
            if state == "pending" and score is not None:
                pipe.zadd(self.k("inq"), {new: score})
                if user:
                    pipe.zadd(self.k("inq", user), {new: score})
            await pipe.execute()
            n += 1
        async for key in self.r.scan_iter(match=self.k("seen", "*"), count=1000):
            wamid = self._suffix(key, "seen")  # a marker whose message is gone (forgotten)
            if not is_wamid_hash(wamid):
                await self.r.rename(key, self.k("seen", wamid_hash(wamid)))
                n += 1
        async for key in self.r.scan_iter(match=self.k("out", "*"), count=1000):
            oid = self._suffix(key, "out")
            if hashed_outbound_id(oid) == oid:
                continue
            pair: list[str | None] = await self.r.hmget(key, "user", "msg")  # type: ignore[assignment]
            user, raw = pair
            pipe = self.r.pipeline(transaction=True)
            pipe.delete(key)
            pipe.zrem(self.k("outdue"), oid)
            pipe.zrem(self.k("outall"), oid)
            if user:
                pipe.zrem(self.k("outq", hashed_user(user)), oid)
            if raw:
                msg = migrated_outbound(raw, user)
                ttl = await self.r.pttl(key)
                self._queue_outbound(pipe, msg)
                if msg.state != "pending" and ttl > 0:
                    pipe.pexpire(self.k("out", msg.id), ttl)  # keep the retention it had
            await pipe.execute()
            n += 1
        for queue in ("inq", "outq"):  # the old per-phone queues, now rebuilt under the hash
            async for key in self.r.scan_iter(match=self.k(queue, "*"), count=1000):
                if not is_user_hash(self._suffix(key, queue)):
                    n += int(await self.r.delete(key))
        last: dict[str, str] = await self.r.hgetall(self.k("last"))  # type: ignore[assignment]
        for user, ts in last.items():
            if not is_user_hash(user):
                new = hashed_user(user)
                cur = float(last.get(new) or 0.0)
                await self.r.hset(self.k("last"), new, repr(max(cur, float(ts))))
                await self.r.hdel(self.k("last"), user)
                n += 1
        async for key in self.r.scan_iter(match=self.k("lease", "user:*"), count=1000):
            user = key[len(self.k("lease", "user:")) :]
            if is_user_hash(user):
                continue
            owner, ttl = await self.r.get(key), await self.r.pttl(key)
            if owner and ttl > 0:
                await self.r.set(
                    self.k("lease", "user:" + hashed_user(user)), owner, px=ttl, nx=True
                )
            n += int(await self.r.delete(key))
        async for key in self.r.scan_iter(match=self.k("st", "*"), count=1000):
            wamid = self._suffix(key, "st")
            if is_wamid_hash(wamid):
                continue
            values: dict[str, str] = await self.r.hgetall(key)  # type: ignore[assignment]
            ttl = await self.r.pttl(key)
            new = self.k("st", wamid_hash(wamid))
            pipe = self.r.pipeline(transaction=True)
            pipe.delete(key)
            if values:
                clean = {status: migrated_status(v) for status, v in values.items()}
                pipe.hset(new, mapping=clean)  # type: ignore[arg-type]
                pipe.pexpire(new, ttl if ttl > 0 else RECORD_SECONDS * 1000)
            await pipe.execute()
            n += 1
        return n

    async def close(self) -> None:
        await self.r.aclose()

    async def add_inbound(self, messages: list[InboundMessage], now: float) -> list[bool]:
        try:
            pipe = self.r.pipeline(transaction=False)
            for m in messages:
                pipe.eval(
                    _ADD_INBOUND,
                    6,
                    self.k("seen", m.key),
                    self.k("in", m.key),
                    self.k("inq"),
                    self.k("inq", m.user_hash),
                    self.k("seq"),
                    self.k("last"),
                    DEDUP_SECONDS,
                    m.model_dump_json(),
                    m.key,
                    m.user_hash,
                    repr(m.timestamp),
                    repr(now),
                )
            return [bool(x) for x in await pipe.execute()]
        except RedisError as exc:
            raise StorageError() from exc

    async def add_statuses(self, statuses: list[StatusUpdate], now: float) -> list[bool]:
        try:
            pipe = self.r.pipeline(transaction=False)
            for s in statuses:
                pipe.hsetnx(self.k("st", s.key), s.status, s.record())
                pipe.expire(self.k("st", s.key), RECORD_SECONDS)
            result = await pipe.execute()
            return [bool(x) for x in result[::2]]
        except RedisError as exc:
            raise StorageError() from exc

    async def users_with_work(self, now: float, limit: int = 200) -> list[str]:
        try:
            ins: list[str] = await self.r.zrange(self.k("inq"), 0, limit - 1)  # type: ignore[assignment]
            outs: list[str] = await self.r.zrangebyscore(
                self.k("outdue"), "-inf", now, start=0, num=limit
            )  # type: ignore[assignment]
            pipe = self.r.pipeline(transaction=False)
            for key in ins:
                pipe.hget(self.k("in", key), "user")
            for oid in outs:
                pipe.hget(self.k("out", oid), "user")
            users = await pipe.execute()
        except RedisError as exc:
            raise StorageError() from exc
        ordered: dict[str, None] = {}
        for user in users[len(ins) :] + users[: len(ins)]:
            if user:
                ordered.setdefault(user)
        return list(ordered)

    async def pending_inbound(self, user_hash: str) -> list[InboundMessage]:
        try:
            ids: list[str] = await self.r.zrange(self.k("inq", user_hash), 0, -1)  # type: ignore[assignment]
            pipe = self.r.pipeline(transaction=False)
            for key in ids:
                pipe.hmget(self.k("in", key), "msg", "state")
            rows = await pipe.execute()
        except RedisError as exc:
            raise StorageError() from exc
        return [
            InboundMessage.model_validate_json(raw)
            for raw, state in rows
            if raw and state == "pending"
        ]

    async def complete_inbound(
        self, key: str, state: InboundState, outbound: list[OutboundMessage], now: float
    ) -> None:
        try:
            user: str | None = await self.r.hget(self.k("in", key), "user")  # type: ignore[assignment]
            first = await self.r.incrby(self.k("seq"), len(outbound)) - len(outbound) + 1
            raw: str | None = await self.r.hget(self.k("in", key), "msg")  # type: ignore[assignment]
            pipe = self.r.pipeline(transaction=True)
            pipe.hset(self.k("in", key), "state", state)
            if raw:  # done: keep only the record (no phone, no text, no wamid)
                record = InboundMessage.model_validate_json(raw).record()
                pipe.hset(self.k("in", key), "msg", json.dumps(record))
            pipe.expire(self.k("in", key), DEDUP_SECONDS)
            pipe.zrem(self.k("inq"), key)
            if user:
                pipe.zrem(self.k("inq", user), key)
            for i, msg in enumerate(outbound):
                msg.seq = first + i
                msg.created_at = msg.created_at or now
                msg.updated_at = now
                self._queue_outbound(pipe, msg)
            await pipe.execute()
        except RedisError as exc:
            raise StorageError() from exc

    def _queue_outbound(self, pipe: Any, msg: OutboundMessage, index: bool = True) -> None:
        key = self.k("out", msg.id)
        pipe.hset(key, mapping={"msg": msg.stored().model_dump_json(), "user": msg.user_hash})
        if msg.state == "pending":
            pipe.zadd(self.k("outdue"), {msg.id: msg.next_attempt_at})
            pipe.zadd(self.k("outq", msg.user_hash), {msg.id: msg.seq})
        else:
            pipe.zrem(self.k("outdue"), msg.id)
            pipe.zrem(self.k("outq", msg.user_hash), msg.id)
            pipe.expire(key, RECORD_SECONDS)
        if index:
            pipe.zadd(self.k("outall"), {msg.id: msg.created_at})

    async def pending_outbound(self, user_hash: str) -> list[OutboundMessage]:
        try:
            ids: list[str] = await self.r.zrange(self.k("outq", user_hash), 0, -1)  # type: ignore[assignment]
            return [m for m in await self._load_outbound(ids) if m.state == "pending"]
        except RedisError as exc:
            raise StorageError() from exc

    async def _load_outbound(self, ids: list[str]) -> list[OutboundMessage]:
        pipe = self.r.pipeline(transaction=False)
        for oid in ids:
            pipe.hget(self.k("out", oid), "msg")
        return [OutboundMessage.model_validate_json(raw) for raw in await pipe.execute() if raw]

    async def save_outbound(self, message: OutboundMessage, now: float) -> None:
        message.updated_at = now
        try:
            pipe = self.r.pipeline(transaction=True)
            self._queue_outbound(pipe, message)
            await pipe.execute()
        except RedisError as exc:
            raise StorageError() from exc

    async def last_inbound(self, user_hash: str) -> float | None:
        try:
            value = await self.r.hget(self.k("last"), user_hash)
        except RedisError as exc:
            raise StorageError() from exc
        return float(value) if value is not None else None

    async def acquire_lease(self, name: str, owner: str, ttl: float, now: float) -> bool:
        try:
            return bool(
                await self.r.eval(
                    _ACQUIRE, 1, self.k("lease", name), owner, max(1, int(ttl * 1000))
                )
            )
        except RedisError as exc:
            raise StorageError() from exc

    async def forget_user(self, user_hash: str) -> int:
        """Delete everything kept about this user (texts, replies, statuses, times); pending
        messages stay so they are still answered. Scans `in:*`/`out:*`: rare and bounded by
        the 7/30-day retention."""
        try:
            doomed: list[str] = []
            async for key in self.r.scan_iter(match=self.k("in", "*"), count=1000):
                user, state = await self.r.hmget(key, "user", "state")
                if user == user_hash and state != "pending":
                    msg_key = key[len(self.k("in", "")) :]
                    doomed += [key, self.k("seen", msg_key)]
            async for key in self.r.scan_iter(match=self.k("out", "*"), count=1000):
                user, raw = await self.r.hmget(key, "user", "msg")
                if user != user_hash or not raw:
                    continue
                msg = OutboundMessage.model_validate_json(raw)
                if msg.state == "pending":
                    continue
                doomed.append(key)
                if msg.wamid_hash:
                    doomed.append(self.k("st", msg.wamid_hash))
                await self.r.zrem(self.k("outall"), msg.id)
            pipe = self.r.pipeline(transaction=True)
            for key in doomed:
                pipe.delete(key)
            pipe.hdel(self.k("last"), user_hash)
            results = await pipe.execute()
            return int(sum(int(x) for x in results))
        except RedisError as exc:
            raise StorageError() from exc

    async def release_dead_leases(self, is_dead: Callable[[str], bool]) -> int:
        """Drop leases whose owner `is_dead` says is a process that no longer exists."""
        try:
            n = 0
            async for key in self.r.scan_iter(match=self.k("lease", "*"), count=1000):
                raw = await self.r.get(key)
                owner = raw.decode() if isinstance(raw, bytes) else raw
                if owner and is_dead(owner):
                    n += int(await self.r.eval(_RELEASE, 1, key, owner))
            return n
        except RedisError as exc:
            raise StorageError() from exc

    async def release_lease(self, name: str, owner: str) -> None:
        try:
            await self.r.eval(_RELEASE, 1, self.k("lease", name), owner)
        except RedisError as exc:
            raise StorageError() from exc

    async def purge(self, now: float) -> None:
        try:  # records expire by TTL; only the index of all outbound ids needs trimming
            await self.r.zremrangebyscore(self.k("outall"), "-inf", now - RECORD_SECONDS)
        except RedisError as exc:
            raise StorageError() from exc

    async def inbound_state(self, wamid: str) -> str | None:
        state: str | None = await self.r.hget(self.k("in", wamid_hash(wamid)), "state")  # type: ignore[assignment]
        return state

    async def outbound(self, user_hash: str | None = None) -> list[OutboundMessage]:
        ids: list[str] = await self.r.zrange(self.k("outall"), 0, -1)  # type: ignore[assignment]
        found = sorted(await self._load_outbound(ids), key=lambda m: m.seq)
        return [m for m in found if user_hash is None or m.user_hash == user_hash]

    async def statuses(self, wamid: str) -> list[StatusUpdate]:
        raw = await self.r.hgetall(self.k("st", wamid_hash(wamid)))
        found = [  # stored with the hash; given back with the wamid asked about
            StatusUpdate.model_validate_json(v).model_copy(update={"wamid": wamid})
            for v in raw.values()
        ]
        return sorted(found, key=lambda s: s.timestamp)
