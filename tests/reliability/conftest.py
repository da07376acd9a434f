"""Fixtures for the reliability tests: faults injected for real, on loopback only.

Everything a test breaks is its own: a private `redis-server` or `chroma run` that it stops and
starts, a fake OpenAI server it scripts, a Graph API stand-in that fails on demand. The shared
Redis on :6379 is only ever used with a unique key prefix (`redis_prefix`), never stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fake_openai import FakeOpenAI, Reply
from tests.helpers import UvicornThread
from tests.whatsapp.support import FakeGraph

from .support import ChromaServer, GraphStandIn, RedisServer


@pytest.fixture(scope="session")
def graph_server() -> Iterator[FakeGraph]:
    """The WhatsApp Graph API stand-in (tests/whatsapp/support.py) on a loopback port."""
    with GraphStandIn() as fake:
        yield fake


@pytest.fixture
def graph(graph_server: FakeGraph) -> Iterator[FakeGraph]:
    """The Graph stand-in, clean for this test; a message over Meta's limits fails the test."""
    graph_server.reset()
    yield graph_server
    assert not graph_server.violations, graph_server.violations


@pytest.fixture(scope="session")
def llm_server() -> Iterator[tuple[FakeOpenAI, str]]:
    """The fake OpenAI server (tests/fake_openai.py) and its `/v1` base URL."""
    fake = FakeOpenAI()
    with UvicornThread(fake.app()) as server:
        yield fake, f"{server.url}/v1"


@pytest.fixture
def llm(llm_server: tuple[FakeOpenAI, str]) -> tuple[FakeOpenAI, str]:
    """The fake OpenAI server with a clean script: it answers a fine Spanish text by default."""
    fake, url = llm_server
    fake.script.clear()
    fake.requests.clear()
    fake.structured = {}
    fake.default = Reply(text="Te recomiendo empezar por un curso básico de IA para tu negocio.")
    return fake, url


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[Callable[..., RedisServer]]:
    """`own_redis(persist=False)` → a started private redis-server; all stopped at teardown."""
    started: list[RedisServer] = []

    def make(persist: bool = False) -> RedisServer:
        server = RedisServer(tmp_path / f"redis-{len(started)}", persist=persist).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def own_chroma(tmp_path: Path) -> Iterator[Callable[..., ChromaServer]]:
    """`own_chroma()` → a started private `chroma run`; all stopped at teardown."""
    started: list[ChromaServer] = []

    def make() -> ChromaServer:
        server = ChromaServer(tmp_path / f"chroma-{len(started)}").start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()
