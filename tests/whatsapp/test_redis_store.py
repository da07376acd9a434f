"""The same guarantees with the Redis store (real Redis on 127.0.0.1:6379, unique key prefix)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import redis.asyncio as aioredis

from api.whatsapp.payloads import session_id_for, user_hash, wamid_hash
from api.whatsapp.store_redis import RedisWhatsAppStore

from .support import ScriptedAssistant, envelope, text_update

pytestmark = pytest.mark.asyncio(loop_scope="session")

REDIS_URL = "redis://127.0.0.1:6379/0"
MX = "5215512345678"


@pytest_asyncio.fixture
async def redis_prefix() -> AsyncIterator[str]:
    client = aioredis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except Exception:
        await client.aclose()
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"mipyme-test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    keys = [k async for k in client.scan_iter(match=prefix + "*", count=500)]
    if keys:
        await client.delete(*keys)
    assert not [k async for k in client.scan_iter(match=prefix + "*")]
    await client.aclose()


def redis_settings(prefix: str) -> dict[str, Any]:
    return {"REDIS_URL": REDIS_URL, "MIPYME_REDIS_PREFIX": prefix}


async def test_redis_is_selected_and_dedups(
    harness_factory: Any, graph: Any, redis_prefix: str
) -> None:
    h = await harness_factory(settings=redis_settings(redis_prefix))
    assert isinstance(h.store, RedisWhatsAppStore)
    assert h.store.p == redis_prefix + "wa:"
    payload = envelope(text_update("wamid.RD", MX, "hola"))
    for _ in range(3):
        assert (await h.post(payload)).status_code == 200
    await h.idle()
    assert h.assistant.messages == ["hola"]
    assert len(graph.sent) == 1
    assert await h.store.inbound_state("wamid.RD") == "answered"


async def test_redis_batch_three_users(harness_factory: Any, graph: Any, redis_prefix: str) -> None:
    h = await harness_factory(settings=redis_settings(redis_prefix))
    msgs = [
        ("w1", "5215511111111", "a1"),
        ("w2", "5213322222222", "b1"),
        ("w3", "5215511111111", "a2"),
        ("w4", "14155550123", "c1"),
        ("w5", "5213322222222", "b2"),
    ]
    await h.post(envelope(*(text_update(*m) for m in msgs)))
    await h.idle()
    got = sorted(zip(h.assistant.sessions, h.assistant.messages, strict=True))
    assert got == sorted(
        [
            (session_id_for("14155550123"), "c1"),
            (session_id_for("523322222222"), "b1"),
            (session_id_for("523322222222"), "b2"),
            (session_id_for("525511111111"), "a1"),
            (session_id_for("525511111111"), "a2"),
        ]
    )


async def test_redis_crash_mid_answer_resumes_once(
    harness_factory: Any, graph: Any, redis_prefix: str, tmp_path: Any
) -> None:
    stuck = ScriptedAssistant()
    stuck.gate = asyncio.Event()
    first = await harness_factory(
        assistant=stuck, settings=redis_settings(redis_prefix), data_dir=tmp_path / "a"
    )
    await first.post(envelope(text_update("wamid.RC", MX, "hola")))
    await asyncio.wait_for(stuck.started.wait(), 5)
    await first.stop()

    second = await harness_factory(settings=redis_settings(redis_prefix), data_dir=tmp_path / "b")
    await second.idle()
    assert second.assistant.messages == ["hola"]
    assert len(graph.sent) == 1


async def test_redis_outbox_retries(harness_factory: Any, graph: Any, redis_prefix: str) -> None:
    graph.fail_next(4, status=429)
    h = await harness_factory(
        assistant=ScriptedAssistant(courses=[], follow_up=[]), settings=redis_settings(redis_prefix)
    )
    await h.post(envelope(text_update("wamid.RO", MX, "hola")))
    for _ in range(300):
        if graph.sent:
            break
        await asyncio.sleep(0.01)
    await h.idle()
    assert len(graph.sent) == 1
    [out] = await h.store.outbound()
    assert out.state == "sent" and out.attempts == 2


async def test_two_processes_share_one_inbox(
    harness_factory: Any, graph: Any, redis_prefix: str, tmp_path: Any
) -> None:
    """Two API workers on one Redis: every message answered exactly once, users in order."""
    a = await harness_factory(
        assistant=ScriptedAssistant(delay=0.02, courses=[], follow_up=[]),
        settings=redis_settings(redis_prefix),
        data_dir=tmp_path / "a",
    )
    b = await harness_factory(
        assistant=ScriptedAssistant(delay=0.02, courses=[], follow_up=[]),
        settings=redis_settings(redis_prefix),
        data_dir=tmp_path / "b",
    )
    users = [f"52155{i:08d}" for i in range(4)]
    msgs = [(f"wamid.P{u}{n}", u, f"{u[-1]}-{n}") for n in range(3) for u in users]
    half = len(msgs) // 2
    # Meta delivers one user's messages in order: the first batch is acknowledged before the
    # second arrives (posting both at once made arrival order itself a coin toss). Both
    # workers then race to answer them.
    await a.post(envelope(*(text_update(*m) for m in msgs[:half])))
    await b.post(envelope(*(text_update(*m) for m in msgs[half:])))
    await a.idle()
    await b.idle()
    answered = a.assistant.messages + b.assistant.messages
    assert sorted(answered) == sorted(m[2] for m in msgs)
    assert len(graph.sent) == len(msgs)
    for user in users:
        order = [o.inbound_id for o in await a.store.outbound(user_hash(user[:2] + user[3:]))]
        assert order == [wamid_hash(f"wamid.P{user}{n}") for n in range(3)]


async def test_redis_leases_and_statuses(redis_prefix: str) -> None:
    one = RedisWhatsAppStore.from_url(REDIS_URL, prefix=redis_prefix + "wa:")
    two = RedisWhatsAppStore.from_url(REDIS_URL, prefix=redis_prefix + "wa:")
    try:
        now = time.time()
        assert await one.acquire_lease("user:x", "A", 0.2, now)
        assert not await two.acquire_lease("user:x", "B", 5, now)
        assert await one.acquire_lease("user:x", "A", 0.2, now)  # renewal
        await two.release_lease("user:x", "B")  # not the owner: no effect
        assert not await two.acquire_lease("user:x", "B", 5, now)
        await asyncio.sleep(0.3)
        assert await two.acquire_lease("user:x", "B", 5, now)  # expired
        await two.release_lease("user:x", "B")
        assert await one.acquire_lease("user:x", "A", 5, now)
    finally:
        await one.close()
        await two.close()


async def test_a_migration_longer_than_its_lease_keeps_other_workers_out(
    redis_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers start on an old store at once and the migration outlasts the lock's lease:
    the lease is renewed, so the second worker waits instead of migrating alongside, and it
    never deletes the first worker's lock."""
    clients = [aioredis.from_url(REDIS_URL, decode_responses=True) for _ in range(2)]
    stores = [RedisWhatsAppStore(c, redis_prefix + "wa:") for c in clients]
    running = 0
    overlaps: list[int] = []

    async def slow_migration(self: RedisWhatsAppStore) -> int:
        nonlocal running
        running += 1
        overlaps.append(running)
        await asyncio.sleep(1.0)  # over three leases of 0.3 s
        running -= 1
        return 0

    monkeypatch.setattr(RedisWhatsAppStore, "_migrate_keys", slow_migration)
    try:
        await asyncio.gather(*(s._migrate(wait=10.0, lease=0.3) for s in stores))
        assert overlaps == [1]  # one migration ran; the other found the schema current
        assert await clients[0].get(redis_prefix + "wa:schema") is not None
        assert not await clients[0].exists(redis_prefix + "wa:migrating")
    finally:
        for c in clients:
            await c.aclose()
