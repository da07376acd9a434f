"""Faults injected for real, each judged by what the user sees.

| fault                                   | expected outcome                                        |
|-----------------------------------------|---------------------------------------------------------|
| LLM server down / too slow / garbage    | offline answer (`mode == "offline"`), metric, log line   |
| `chroma run` stopped mid-session        | 503 in Spanish; after a restart on the same port and     |
|                                         | path the next request succeeds, no app restart           |
| Redis stopped (sessions, limits, inbox) | 503 in Spanish, webhook not acknowledged (Meta retries); |
|                                         | a message being answered when Redis died is answered     |
|                                         | once Redis is back, exactly once                         |
| data dir not writable / disk full       | `mipyme-ia serve` exits non-zero naming the directory    |

Covered elsewhere (see docs/reliability.md): ingestion killed with `kill -9`
(tests/test_ingest.py), Graph API 500/429 (tests/whatsapp/test_delivery.py).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.whatsapp.payloads import normalize_phone
from api.whatsapp.runtime import WhatsAppOptions
from assistant.errors import StorageError
from assistant.understanding.language import is_spanish
from tests.fake_openai import FakeOpenAI, Reply
from tests.helpers import FIXTURE_KNOWLEDGE, UvicornThread, free_port, make_settings
from tests.whatsapp.support import FAST_RETRY, FAST_WORKER, FakeGraph

from .support import (
    BIN,
    ChromaServer,
    RedisServer,
    clean_env,
    envelope,
    ingest_into_chroma,
    signed,
    spanish_message,
    text_update,
    wait_until,
    whatsapp_env,
)

QUESTION = "¿Qué es el convenio de AWS con la Secretaría de Economía?"
LLM_TIMEOUT = 1.5


def fallbacks(client: httpx.Client) -> float:
    """The `mipyme_llm_fallbacks_total` counter, summed over reasons."""
    text = client.get("/metrics").text
    return sum(
        float(v) for v in re.findall(r"^mipyme_llm_fallbacks_total\{[^}]*\} (\S+)$", text, re.M)
    )


def assert_spanish_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert spanish_message(error["message"]), error["message"]
    assert "Traceback" not in response.text and "Error 111" not in response.text


# ------------------------------------------------------------------------------------ LLM
@pytest.mark.parametrize("fault", ["down", "slow", "garbage"])
def test_llm_fault_gives_an_offline_answer_a_metric_and_a_log_line(
    fault: str, data_dir: Path, llm: tuple[FakeOpenAI, str], caplog: pytest.LogCaptureFixture
) -> None:
    fake, url = llm
    if fault == "down":
        url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    elif fault == "slow":
        fake.default = Reply(text="Respuesta que llega tarde.", delay_s=LLM_TIMEOUT * 4)
    else:
        fake.default = Reply(garbage=True)
    settings = make_settings(
        data_dir,
        MIPYME_LLM="openai",
        OPENAI_API_KEY="sk-" + "f" * 32,
        OPENAI_BASE_URL=url,
        MIPYME_LLM_TIMEOUT=LLM_TIMEOUT,
        MIPYME_RATE_LIMIT="1000/minute",
    )
    caplog.set_level(logging.WARNING)
    with (
        UvicornThread(create_app(settings)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        before = fallbacks(client)
        started = time.monotonic()
        r = client.post("/v1/chat", json={"message": QUESTION})
        elapsed = time.monotonic() - started
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["mode"] == "offline"
        assert is_spanish(body["answer"]) and "convenio" in body["answer"].lower()
        assert body["sources"], "the offline answer still cites the knowledge base"
        # At most one LLM timeout (answer), plus the profile extractor's if it also stalls.
        assert elapsed < 2 * LLM_TIMEOUT + 10, elapsed
        assert fallbacks(client) == before + 1

        # The streamed turn falls back the same way and ends with `done`.
        streamed = client.post("/v1/chat/stream", json={"message": QUESTION})
        assert streamed.status_code == 200
        assert "event: done" in streamed.text and '"mode":"offline"' in streamed.text
        assert "event: error" not in streamed.text
        assert fallbacks(client) == before + 2
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == "assistant.service" and "answering offline" in r.getMessage()
    ]
    assert len(lines) == 2, [r.getMessage() for r in caplog.records]
    if fault != "down":
        assert fake.chat_requests(), "the fake LLM was never asked"


# ---------------------------------------------------------------------------------- Chroma
@pytest.mark.slow
def test_chroma_stopped_mid_session_is_a_spanish_503_then_recovers_without_restart(
    tmp_path: Path, indexed_dir: Path, own_chroma: Callable[[], ChromaServer], graph: FakeGraph
) -> None:
    chroma = own_chroma()
    settings = make_settings(
        tmp_path / "data",
        CHROMA_HOST="127.0.0.1",
        CHROMA_PORT=chroma.port,
        MIPYME_RATE_LIMIT="1000/minute",
        **whatsapp_env(graph.url),
    )
    ingest_into_chroma(settings, indexed_dir)
    app = create_app(settings)
    app.state.whatsapp_options = WhatsAppOptions(worker=FAST_WORKER, retry=FAST_RETRY)
    sid = None  # issued by the server on the first turn
    sender = "5215566660000"
    body, headers = signed(envelope(text_update("wamid.CHROMA.1", sender, QUESTION)))
    with UvicornThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        first = client.post("/v1/chat", json={"message": QUESTION, "session_id": sid})
        assert first.status_code == 200 and first.json()["sources"]
        sid = first.json()["session_id"]

        chroma.stop()  # our own `chroma run`, terminated mid-session
        down = client.post("/v1/chat", json={"message": QUESTION, "session_id": sid})
        assert_spanish_error(down, 503, "conocimiento_no_disponible")
        stream = client.post("/v1/chat/stream", json={"message": QUESTION, "session_id": sid})
        assert_spanish_error(stream, 503, "conocimiento_no_disponible")
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200  # alive: an orchestrator keeps it
        # WhatsApp during the outage: the message is stored and answered with the same
        # Spanish "try again later" (a documented degradation: the question is not retried).
        assert client.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
        to = normalize_phone(sender)
        [reply] = wait_until(lambda: graph.sent_to(to), 30, what="the outage reply")
        assert "base de conocimiento" in json.dumps(reply, ensure_ascii=False)

        chroma.start()  # same port, same path
        again = client.post("/v1/chat", json={"message": QUESTION, "session_id": sid})
        assert again.status_code == 200, again.text
        assert again.json()["sources"]
        assert client.get("/readyz").status_code == 200
        client.post("/webhooks/whatsapp", content=body, headers=headers)  # Meta redelivers
        time.sleep(1.0)
        assert len(graph.sent_to(to)) == 1


# ----------------------------------------------------------------------------------- Redis
def _redis_app(data_dir: Path, redis: RedisServer, graph: FakeGraph, **extra: Any) -> Any:
    settings = make_settings(
        data_dir,
        REDIS_URL=redis.url,
        MIPYME_REDIS_PREFIX=f"falla-{uuid.uuid4().hex[:6]}:",
        MIPYME_RATE_LIMIT="1000/minute",
        **whatsapp_env(graph.url),
        **extra,
    )
    app = create_app(settings)
    app.state.whatsapp_options = WhatsAppOptions(worker=FAST_WORKER, retry=FAST_RETRY)
    return app


def test_redis_stopped_is_a_spanish_503_and_the_webhook_is_not_acknowledged(
    data_dir: Path,
    own_redis: Callable[..., RedisServer],
    graph: FakeGraph,
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis = own_redis(persist=True)
    sender = "5215511110000"
    body, headers = signed(envelope(text_update("wamid.REDIS.1", sender, "Hola, vendo tacos")))
    with (
        UvicornThread(_redis_app(data_dir, redis, graph)) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        ok = client.post("/v1/chat", json={"message": "Tengo una fonda en Oaxaca"})
        assert ok.status_code == 200
        sid = ok.json()["session_id"]

        redis.stop()
        for response in (
            client.post("/v1/chat", json={"message": QUESTION, "session_id": sid}),
            client.post("/v1/chat/stream", json={"message": QUESTION, "session_id": sid}),
            client.get(f"/v1/sessions/{sid}/profile"),
            client.delete(f"/v1/sessions/{sid}"),
        ):
            assert_spanish_error(response, 503, "almacenamiento_no_disponible")
        # Not stored → not acknowledged: Meta delivers it again later.
        webhook = client.post("/webhooks/whatsapp", content=body, headers=headers)
        assert_spanish_error(webhook, 503, "almacenamiento_no_disponible")
        assert client.get("/readyz").status_code == 503

        redis.start()  # same port, its append-only file kept everything acknowledged
        again = client.post(
            "/v1/chat", json={"message": "¿Qué cursos me recomiendas?", "session_id": sid}
        )
        assert again.status_code == 200, again.text
        assert again.json()["profile"]["state"] == "Oaxaca", "the profile survived the outage"
        redelivered = client.post("/webhooks/whatsapp", content=body, headers=headers)
        assert redelivered.status_code == 200
        to = normalize_phone(sender)
        wait_until(lambda: graph.sent_to(to), 30, what="the WhatsApp reply")
        client.post("/webhooks/whatsapp", content=body, headers=headers)  # one more redelivery
        time.sleep(0.5)
        replies = graph.sent_to(to)
    assert 1 <= len(replies) <= 2  # one answer (text, maybe followed by its menu)
    assert len([b for b in graph.reads if b["message_id"] == "wamid.REDIS.1"]) == 1
    assert any("Límite de solicitudes no disponible" in r.getMessage() for r in caplog.records), (
        "the rate limiter fails open, and says so in the log"
    )


@pytest.mark.slow
def test_redis_that_hangs_gives_a_bounded_spanish_503(
    data_dir: Path, own_redis: Callable[..., RedisServer], graph: FakeGraph
) -> None:
    """Not refused but frozen (SIGSTOP, like a stalled network): answers must not hang."""
    redis = own_redis()
    body, headers = signed(envelope(text_update("wamid.REDIS.STOP", "5215533330001", "hola")))
    with (
        UvicornThread(_redis_app(data_dir, redis, graph)) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        assert client.post("/v1/chat", json={"message": "hola"}).status_code == 200
        assert redis.proc is not None
        os.kill(redis.proc.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            chat = client.post("/v1/chat", json={"message": QUESTION})
            chat_s = time.monotonic() - started
            started = time.monotonic()
            webhook = client.post("/webhooks/whatsapp", content=body, headers=headers)
            webhook_s = time.monotonic() - started
        finally:
            os.kill(redis.proc.pid, signal.SIGCONT)
        assert_spanish_error(chat, 503, "almacenamiento_no_disponible")
        assert_spanish_error(webhook, 503, "almacenamiento_no_disponible")
        assert chat_s < 30 and webhook_s < 20, (chat_s, webhook_s)  # socket timeouts, bounded
        assert client.post("/v1/chat", json={"message": "hola"}).status_code == 200


@pytest.mark.slow
def test_whatsapp_message_in_flight_when_redis_dies_is_answered_once_it_returns(
    data_dir: Path,
    own_redis: Callable[..., RedisServer],
    graph: FakeGraph,
    llm: tuple[FakeOpenAI, str],
) -> None:
    fake, url = llm
    fake.default = Reply(
        text="Para tu tiendita te conviene empezar con un curso básico de IA "
        "y anotar tus ventas cada día.",
        delay_s=2.0,
    )
    redis = own_redis(persist=True)
    sender, wamid = "5215522220000", "wamid.REDIS.INFLIGHT"
    body, headers = signed(
        envelope(text_update(wamid, sender, "¿Qué curso me recomiendas para mi tiendita?"))
    )
    app = _redis_app(
        data_dir,
        redis,
        graph,
        MIPYME_LLM="openai",
        OPENAI_API_KEY="sk-" + "r" * 32,
        OPENAI_BASE_URL=url,
        MIPYME_LLM_TIMEOUT=10,
    )
    to = normalize_phone(sender)
    with UvicornThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        assert client.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
        # The worker took the message and is waiting for the LLM: now Redis dies.
        wait_until(lambda: fake.chat_requests(), 30, 0.02, what="the LLM call")
        redis.stop()
        time.sleep(4.0)  # the LLM answers; the turn cannot be stored, so nothing is sent
        assert graph.sent_to(to) == []

        redis.start()
        wait_until(lambda: graph.sent_to(to), 60, what="the reply after Redis returned")
        time.sleep(1.0)
        assert (
            client.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
        )  # late redelivery: a duplicate
        time.sleep(1.0)
        replies = graph.sent_to(to)
    assert 1 <= len(replies) <= 2, replies
    text = " ".join(str(b) for b in replies)
    assert "almacenamiento" not in text and "No pudimos" not in text, (
        "the user got the outage error instead of the answer"
    )
    assert len(fake.chat_requests()) == 2, "asked once before the outage and once after"


# -------------------------------------------------------------------------------- data dir
def _serve(data_dir: Path, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = clean_env(MIPYME_DATA_DIR=data_dir, MIPYME_KNOWLEDGE_DIR=FIXTURE_KNOWLEDGE)
    return subprocess.run(
        [str(BIN / "mipyme-ia"), "serve", "--port", str(free_port())],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_data_dir_not_writable_stops_serve_with_a_spanish_message(tmp_path: Path) -> None:
    blocker = tmp_path / "soy-un-archivo"
    blocker.write_text("no soy carpeta")
    data = blocker / "datos"  # not writable, even for root: its parent is a regular file
    done = _serve(data, tmp_path)
    assert done.returncode != 0
    assert f"«{data}»" in done.stderr and "No podemos escribir" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_data_dir_not_writable_fails_the_app_lifespan_naming_the_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "soy-un-archivo"
    blocker.write_text("no soy carpeta")
    app = create_app(make_settings(blocker / "datos"))
    with pytest.raises(StorageError) as caught, TestClient(app):
        pass
    assert str(blocker / "datos") in caught.value.message
    assert is_spanish(caught.value.message)


def _can_mount_tmpfs(path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", 'mount -t tmpfs -o size=16k tmpfs "$0"', str(path)],
        capture_output=True,
        timeout=20,
    )
    return probe.returncode == 0


@pytest.mark.slow
def test_disk_full_at_startup_stops_serve_with_a_spanish_message(tmp_path: Path) -> None:
    data = tmp_path / "lleno"
    data.mkdir()
    if not _can_mount_tmpfs(data):
        pytest.skip("needs root and mount namespaces (unshare -m) to mount a tiny tmpfs")
    # In a private mount namespace: a 256 KiB tmpfs, filled up, as the data dir.
    script = (
        'mount -t tmpfs -o size=256k tmpfs "$0" && { cat /dev/zero > "$0/relleno" '
        '2>/dev/null; true; } && exec "$1" serve --port "$2"'
    )
    env = clean_env(MIPYME_DATA_DIR=data, MIPYME_KNOWLEDGE_DIR=FIXTURE_KNOWLEDGE)
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, str(data), str(BIN / "mipyme-ia"), str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert f"«{data}»" in done.stderr and "No hay espacio libre" in done.stderr, done.stderr
    assert not any(data.iterdir()), "the tmpfs was private to the namespace"
