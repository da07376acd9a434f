"""Scale-out: `mipyme-ia serve --workers 2` over a `chroma run` server and the shared Redis.

Every request goes over its own TCP connection, so the kernel hands it to either worker; the
`X-Worker-Pid` header says which one answered. One conversation, one WhatsApp message delivered
many times, and one rate limit must behave exactly as with a single process.
"""

from __future__ import annotations

import concurrent.futures
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from api.whatsapp.payloads import configure_session_key, normalize_phone, wamid_hash
from tests.helpers import FIXTURE_KNOWLEDGE, REDIS_URL, make_settings
from tests.whatsapp.support import FakeGraph

from .support import (
    APP_SECRET,
    ServeProcess,
    clean_env,
    envelope,
    fresh_client,
    ingest_into_chroma,
    signed,
    text_update,
    wait_until,
    whatsapp_env,
)

pytestmark = pytest.mark.slow

LIMIT = 20  # per minute, per IP and per session
SECRETS = ("sk-escala-no-debe-salir-0123456789", "admin-escala-token-9876543210")


@pytest.fixture(scope="module")
def cluster(
    chroma_server: tuple[str, int],
    indexed_dir: Path,
    graph_server: FakeGraph,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ServeProcess, str]]:
    host, port = chroma_server
    work = tmp_path_factory.mktemp("scale-out")
    ingest_into_chroma(
        make_settings(work / "ingest", CHROMA_HOST=host, CHROMA_PORT=port), indexed_dir
    )
    prefix = f"mipyme-test:{uuid.uuid4().hex[:8]}:"
    env = clean_env(
        CHROMA_HOST=host,
        CHROMA_PORT=port,
        REDIS_URL=REDIS_URL,
        MIPYME_REDIS_PREFIX=prefix,
        MIPYME_DATA_DIR=work / "data",
        MIPYME_KNOWLEDGE_DIR=FIXTURE_KNOWLEDGE,
        MIPYME_LLM="offline",
        MIPYME_RATE_LIMIT=f"{LIMIT}/minute",
        OPENAI_API_KEY=SECRETS[0],
        MIPYME_ADMIN_TOKEN=SECRETS[1],
        **whatsapp_env(graph_server.url),
    )
    server = ServeProcess(env, work, workers=2).start()
    try:
        yield server, prefix
    finally:
        server.stop()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*", count=500):
            client.delete(key)
        client.close()


def _pid(response) -> int:  # type: ignore[no-untyped-def]
    return int(response.headers["x-worker-pid"])


def _as_a_client_would(send):  # type: ignore[no-untyped-def]
    """Send; on 429, wait the Retry-After the server gave and send again (bounded). Turns got
    fast enough that one worker can take over LIMIT turns in a row, and a real client waits."""
    for _ in range(3):
        r = send()
        if r.status_code != 429:
            return r
        time.sleep(int(r.headers.get("retry-after", "1")) + 0.5)
    return r


def test_one_conversation_over_both_workers_keeps_its_profile(
    cluster: tuple[ServeProcess, str],
) -> None:
    server, _ = cluster
    workers = server.worker_pids()
    sid = None  # the server issues it on the first turn
    turns = [
        "Tengo una fonda en Oaxaca, somos 4",
        "Tengo 3 horas a la semana",
        "¿Qué cursos me recomiendas?",
        "Quiero vender más por WhatsApp",
        "¿Hay apoyos de Plan México para mi negocio?",
        "gracias",
        "¿Qué cursos me recomiendas?",
        "Quiero tomar pedidos por WhatsApp",
    ]
    answered_by: list[int] = []
    # The kernel picks the worker per connection; on a loaded machine one worker can take eight
    # in a row, so the chat goes on (bounded) with neutral turns until both have answered.
    turns += ["¿Qué cursos me recomiendas?", "gracias"] * 11
    with fresh_client(server.url) as client:
        for i, message in enumerate(turns):
            payload = {"message": message, "session_id": sid}
            r = _as_a_client_would(lambda p=payload: client.post("/v1/chat", json=p))
            assert r.status_code == 200, r.text
            body = r.json()
            answered_by.append(_pid(r))
            assert sid is None or body["session_id"] == sid
            sid = body["session_id"]
            assert (body["profile"]["sector"], body["profile"]["state"]) == (
                "restaurante",
                "Oaxaca",
            ), body
            if i >= 1:
                assert body["profile"]["weekly_hours"] == 3, (i, body["profile"])
            if i >= 3 and len(set(answered_by)) == 2:
                break
        # The stored profile reads the same from either worker. A read is so quick that one idle
        # worker can accept thirty sequential connections in a row (seen in CI), so reads go in
        # concurrent rounds of 4 fresh connections (bounded; the rate limit counts these reads too).
        seen: dict[int, dict] = {}

        def read(_: int):  # type: ignore[no-untyped-def]
            return _as_a_client_would(lambda: client.get(f"/v1/sessions/{sid}/profile"))

        for _ in range(6):
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                for r in pool.map(read, range(4)):
                    assert r.status_code == 200
                    seen[_pid(r)] = r.json()
            if len(seen) == 2:
                break
    assert len(set(answered_by)) == 2, f"every turn landed on one worker: {answered_by}"
    assert set(answered_by) <= workers
    assert len(seen) == 2, "profile reads never reached the second worker"
    first, second = seen.values()
    assert first == second and first["weekly_hours"] == 3


def test_one_signed_message_delivered_to_both_workers_is_answered_once(
    cluster: tuple[ServeProcess, str], graph: FakeGraph
) -> None:
    server, prefix = cluster
    cases = {}
    for mode in ("sequential", "concurrent"):
        wamid = f"wamid.ESCALA.{mode}.{uuid.uuid4().hex[:12]}"
        sender = f"52155{uuid.uuid4().int % 10**8:08d}"
        cases[mode] = (wamid, normalize_phone(sender))
        body, headers = signed(
            envelope(text_update(wamid, sender, "Hola, tengo una tiendita en Puebla"))
        )
        pids: set[int] = set()
        with fresh_client(server.url) as client:
            if mode == "sequential":
                for i in range(20):
                    r = client.post("/webhooks/whatsapp", content=body, headers=headers)
                    assert r.status_code == 200, r.text
                    pids.add(_pid(r))
                    if i >= 5 and len(pids) == 2:
                        break
            else:

                def deliver(_: int, body: bytes = body, headers: dict = headers):  # type: ignore[no-untyped-def]
                    return client.post("/webhooks/whatsapp", content=body, headers=headers)

                with concurrent.futures.ThreadPoolExecutor(8) as pool:
                    results = list(pool.map(deliver, range(12)))
                assert {r.status_code for r in results} == {200}
                pids |= {_pid(r) for r in results}
        assert len(pids) == 2, f"{mode}: all deliveries reached one worker"

    store = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    configure_session_key(APP_SECRET)  # as the workers: keys are named by `wamid_hash`
    try:
        for mode, (wamid, to) in cases.items():
            # Every reply part the worker stored for this message was sent, once.
            parts = wait_until(
                lambda wamid=wamid: _sent_parts(store, prefix, wamid),
                90,
                0.2,
                what=f"the reply to the {mode} message",
            )
            time.sleep(2.5)  # > 2 poll intervals: a duplicate would have shown up by now
            sent = graph.sent_to(to)
            assert len(sent) == len(parts), (mode, len(sent), parts)
            reads = [b for b in graph.reads if b["message_id"] == wamid]
            assert len(reads) == 1, (mode, reads)
            assert store.hget(f"{prefix}wa:in:{wamid_hash(wamid)}", "state") == "answered"
    finally:
        store.close()


def _sent_parts(store: redis.Redis, prefix: str, wamid: str) -> list[str] | None:
    keys = sorted(store.scan_iter(f"{prefix}wa:out:{wamid_hash(wamid)}#*"))
    if not keys:
        return None
    import json

    states = [json.loads(store.hget(k, "msg"))["state"] for k in keys]
    return keys if states and all(s == "sent" for s in states) else None


def test_rate_limit_is_shared_by_both_workers(cluster: tuple[ServeProcess, str]) -> None:
    server, _ = cluster
    burst = LIMIT + 16
    # Its own source address: the other tests' traffic (127.0.0.1) does not count here.
    with fresh_client(server.url, local_address="127.0.0.2") as client:

        def one(i: int):  # type: ignore[no-untyped-def]
            return client.post(
                "/v1/chat",
                json={"message": "hola", "session_id": f"rafaga-{i}-{uuid.uuid4().hex[:6]}"},
            )

        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            results = list(pool.map(one, range(burst)))
    codes = [r.status_code for r in results]
    assert sorted(set(codes)) == [200, 429], codes
    assert codes.count(200) == LIMIT, codes
    assert codes.count(429) == burst - LIMIT
    assert len({_pid(r) for r in results if r.status_code == 200}) == 2
    assert len({_pid(r) for r in results if r.status_code == 429}) >= 1
    refused = next(r for r in results if r.status_code == 429)
    assert refused.json()["error"]["code"] == "demasiadas_solicitudes"
    assert "Espera" in refused.json()["error"]["message"]
    assert int(refused.headers["retry-after"]) >= 1


def test_worker_logs_are_clean(cluster: tuple[ServeProcess, str]) -> None:
    server, _ = cluster
    logs = server.logs()
    assert "Traceback" not in logs, logs[-3000:]
    for secret in SECRETS:
        assert secret not in logs
