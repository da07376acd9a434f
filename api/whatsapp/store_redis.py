"""Redis `WhatsAppStore` for several API workers sharing one inbox.

Keys (all under `prefix`): `seen:<wamid>` dedup marker (7 days), `in:<wamid>` message hash,
`inq` / `inq:<user>` pending inbound (score = arrival seq), `out:<id>` outbound hash,
`outdue` (score = next attempt) / `outq:<user>` (score = seq) pending outbound, `st:<wamid>`
statuses (HSETNX = dedup on (id, status)), `last` last-inbound times, `lease:<user>`.
Dedup + enqueue happen in one Lua script, so a crash can never leave a message "seen" but
not queued. Durability across a Redis restart depends on the server's AOF/RDB settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from api.whatsapp.payloads import InboundMessage, StatusUpdate
from api.whatsapp.store import (
    DEDUP_SECONDS,
    RECORD_SECONDS,
    InboundState,
    OutboundMessage,
)
from assistant.errors import StorageError

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
        except RedisError as exc:
            raise StorageError() from exc

    async def close(self) -> None:
        await self.r.aclose()

    async def add_inbound(self, messages: list[InboundMessage], now: float) -> list[bool]:
        try:
            pipe = self.r.pipeline(transaction=False)
            for m in messages:
                pipe.eval(
                    _ADD_INBOUND,
                    6,
                    self.k("seen", m.wamid),
                    self.k("in", m.wamid),
                    self.k("inq"),
                    self.k("inq", m.user_key),
                    self.k("seq"),
                    self.k("last"),
                    DEDUP_SECONDS,
                    m.model_dump_json(),
                    m.wamid,
                    m.user_key,
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
                pipe.hsetnx(self.k("st", s.wamid), s.status, s.model_dump_json())
                pipe.expire(self.k("st", s.wamid), RECORD_SECONDS)
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
            for wamid in ins:
                pipe.hget(self.k("in", wamid), "user")
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

    async def pending_inbound(self, user_key: str) -> list[InboundMessage]:
        try:
            ids: list[str] = await self.r.zrange(self.k("inq", user_key), 0, -1)  # type: ignore[assignment]
            pipe = self.r.pipeline(transaction=False)
            for wamid in ids:
                pipe.hmget(self.k("in", wamid), "msg", "state")
            rows = await pipe.execute()
        except RedisError as exc:
            raise StorageError() from exc
        return [
            InboundMessage.model_validate_json(raw)
            for raw, state in rows
            if raw and state == "pending"
        ]

    async def complete_inbound(
        self, wamid: str, state: InboundState, outbound: list[OutboundMessage], now: float
    ) -> None:
        try:
            user: str | None = await self.r.hget(self.k("in", wamid), "user")  # type: ignore[assignment]
            first = await self.r.incrby(self.k("seq"), len(outbound)) - len(outbound) + 1
            pipe = self.r.pipeline(transaction=True)
            pipe.hset(self.k("in", wamid), "state", state)
            pipe.expire(self.k("in", wamid), DEDUP_SECONDS)
            pipe.zrem(self.k("inq"), wamid)
            if user:
                pipe.zrem(self.k("inq", user), wamid)
            for i, msg in enumerate(outbound):
                msg.seq = first + i
                msg.created_at = msg.created_at or now
                msg.updated_at = now
                self._queue_outbound(pipe, msg)
            await pipe.execute()
        except RedisError as exc:
            raise StorageError() from exc

    def _queue_outbound(self, pipe: Any, msg: OutboundMessage) -> None:
        key = self.k("out", msg.id)
        pipe.hset(key, mapping={"msg": msg.model_dump_json(), "user": msg.user_key})
        if msg.state == "pending":
            pipe.zadd(self.k("outdue"), {msg.id: msg.next_attempt_at})
            pipe.zadd(self.k("outq", msg.user_key), {msg.id: msg.seq})
        else:
            pipe.zrem(self.k("outdue"), msg.id)
            pipe.zrem(self.k("outq", msg.user_key), msg.id)
            pipe.expire(key, RECORD_SECONDS)
        pipe.zadd(self.k("outall"), {msg.id: msg.created_at})

    async def pending_outbound(self, user_key: str) -> list[OutboundMessage]:
        try:
            ids: list[str] = await self.r.zrange(self.k("outq", user_key), 0, -1)  # type: ignore[assignment]
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

    async def last_inbound(self, user_key: str) -> float | None:
        try:
            value = await self.r.hget(self.k("last"), user_key)
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

    async def forget_user(self, user_key: str) -> int:
        """Delete everything kept about this user (texts, replies, statuses, times); pending
        messages stay so they are still answered. Scans `in:*`/`out:*`: rare and bounded by
        the 7/30-day retention."""
        try:
            doomed: list[str] = []
            async for key in self.r.scan_iter(match=self.k("in", "*"), count=1000):
                user, state = await self.r.hmget(key, "user", "state")
                if user == user_key and state != "pending":
                    wamid = key[len(self.k("in", "")) :]
                    doomed += [key, self.k("seen", wamid)]
            async for key in self.r.scan_iter(match=self.k("out", "*"), count=1000):
                user, raw = await self.r.hmget(key, "user", "msg")
                if user != user_key or not raw:
                    continue
                msg = OutboundMessage.model_validate_json(raw)
                if msg.state == "pending":
                    continue
                doomed.append(key)
                if msg.wamid:
                    doomed.append(self.k("st", msg.wamid))
                await self.r.zrem(self.k("outall"), msg.id)
            pipe = self.r.pipeline(transaction=True)
            for key in doomed:
                pipe.delete(key)
            pipe.hdel(self.k("last"), user_key)
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
        state: str | None = await self.r.hget(self.k("in", wamid), "state")  # type: ignore[assignment]
        return state

    async def outbound(self, user_key: str | None = None) -> list[OutboundMessage]:
        ids: list[str] = await self.r.zrange(self.k("outall"), 0, -1)  # type: ignore[assignment]
        found = sorted(await self._load_outbound(ids), key=lambda m: m.seq)
        return [m for m in found if user_key is None or m.user_key == user_key]

    async def statuses(self, wamid: str) -> list[StatusUpdate]:
        raw = await self.r.hgetall(self.k("st", wamid))
        return sorted(
            (StatusUpdate.model_validate_json(v) for v in raw.values()), key=lambda s: s.timestamp
        )
