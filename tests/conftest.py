"""Shared fixtures: a small fixture corpus embedded once per run, real services on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.settings import Settings
from tests.helpers import REDIS_URL, UvicornThread, free_port, make_settings

_ENV_KEYS = [
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "REDIS_URL",
    "CHROMA_HOST",
    "CHROMA_PORT",
    "MIPYME_DATA_DIR",
    "MIPYME_KNOWLEDGE_DIR",
    "MIPYME_EMBEDDINGS",
    "MIPYME_LLM",
    "MIPYME_ADMIN_TOKEN",
    "WHATSAPP_VERIFY_TOKEN",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_ACCESS_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "WHATSAPP_GRAPH_URL",
]


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real keys or services leak in from the developer's shell; data goes to tmp."""
    for key in _ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)  # a stray .env in the repo must not configure tests


@pytest.fixture(scope="session")
def indexed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus embedded once per test run (read-only: copy it to change it)."""
    from ingest.pipeline import run_ingest

    data_dir = tmp_path_factory.mktemp("indexed")
    report = run_ingest(make_settings(data_dir))
    assert not report.failed, report.failed
    return data_dir


@pytest.fixture
def data_dir(indexed_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the indexed data dir."""
    target = tmp_path / "data"
    shutil.copytree(indexed_dir, target)
    return target


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return make_settings(data_dir)


@pytest.fixture
def assistant(settings: Settings):  # type: ignore[no-untyped-def]
    from assistant.factory import build_assistant

    return build_assistant(settings)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A unique key prefix on the real Redis, deleted afterwards."""
    import redis

    prefix = f"mipyme-test:{uuid.uuid4().hex[:8]}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture(scope="session")
def live_settings(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    target = tmp_path_factory.mktemp("live") / "data"
    shutil.copytree(indexed_dir, target)
    return make_settings(target, MIPYME_RATE_LIMIT="1000/minute")


@pytest.fixture(scope="session")
def live_server_url(live_settings: Settings) -> Iterator[str]:
    """The real app (offline assistant over the fixture corpus) served by uvicorn."""
    from api.main import create_app

    with UvicornThread(create_app(live_settings)) as server:
        yield server.url


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A `chroma run` server on a free loopback port."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("chroma run did not start")
        time.sleep(0.2)
    yield "127.0.0.1", port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Staff see how much of knowledge/ is past its review date after every run."""
    from assistant.knowledge.check import check
    from assistant.knowledge.reader import read_knowledge

    report = check(read_knowledge(Path(__file__).resolve().parents[1] / "knowledge"))
    terminalreporter.write_line(
        f"knowledge/: {len(report.stale)} entradas vencidas (pasó su review_by), "
        f"{len(report.errors)} errores; detalle con `mipyme-ia knowledge check`"
    )


# Fixtures that embed a corpus with the real model or start server processes: any test using
# one (directly or through another fixture) takes seconds, so `make test-fast` leaves it out.
_SLOW_FIXTURES = {"indexed_dir", "live_server_url", "cluster", "chroma_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
