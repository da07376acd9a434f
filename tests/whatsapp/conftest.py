"""Fixtures for the WhatsApp channel tests (helpers live in `support.py`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from api.whatsapp.runtime import WhatsAppOptions
from api.whatsapp.worker import WorkerConfig

from .support import (
    FAST_RETRY,
    FAST_WORKER,
    SAMPLES,
    Clock,
    FakeGraph,
    Harness,
    ScriptedAssistant,
    build_app,
    make_settings,
)


@pytest.fixture(scope="session")
def graph_server() -> Any:
    fake = FakeGraph()
    app = Starlette(routes=[Route("/v23.0/{phone}/messages", fake.handle, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "fake Graph server did not start"
    fake.url = f"http://127.0.0.1:{port}/v23.0"
    yield fake
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def graph(graph_server: FakeGraph) -> Any:
    """The fake Graph API, clean for this test; any limit violation fails the test."""
    graph_server.reset()
    yield graph_server
    assert not graph_server.violations, f"Graph API limits violated: {graph_server.violations}"


@pytest_asyncio.fixture
async def harness_factory(tmp_path: Path, graph: FakeGraph) -> Any:
    """`await make(...)` → a started `Harness`; all are shut down at teardown."""
    stack = contextlib.AsyncExitStack()

    async def make(
        *,
        assistant: ScriptedAssistant | None = None,
        data_dir: Path | None = None,
        clock: Callable[[], float] | None = None,
        store: Any = None,
        worker: WorkerConfig = FAST_WORKER,
        run_worker: bool = True,
        settings: dict[str, Any] | None = None,
    ) -> Harness:
        assistant = assistant or ScriptedAssistant()
        conf = make_settings(data_dir or tmp_path, graph.url, **(settings or {}))
        app = build_app(conf, assistant)
        app.state.whatsapp_options = WhatsAppOptions(
            store=store,
            clock=clock or Clock(),
            worker=worker,
            retry=FAST_RETRY,
            run_worker=run_worker,
        )
        inner = contextlib.AsyncExitStack()
        await inner.enter_async_context(app.router.lifespan_context(app))
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        inner.push_async_callback(client.aclose)
        harness = Harness(app, client, assistant, conf, inner.aclose)
        stack.push_async_callback(inner.aclose)
        return harness

    yield make
    closing = asyncio.ensure_future(stack.aclose())
    done, _ = await asyncio.wait({closing}, timeout=10)
    if not done:
        for task in asyncio.all_tasks():
            task.print_stack(limit=8)
        raise AssertionError("harness shutdown hung")
    closing.result()


@pytest.fixture
def sample() -> Callable[[str], dict[str, Any]]:
    return lambda name: json.loads((SAMPLES / name).read_bytes())
