"""Real processes for fault injection, all on loopback and all bounded in time.

Shared by `tests/reliability/` and `bench/load.py` / `bench/soak.py`:

- `RedisServer` / `ChromaServer`: private `redis-server` and `chroma run` processes that a test
  may stop and start again on the same port (never the shared Redis on :6379).
- `ServeProcess`: `mipyme-ia serve [--workers N]` as a subprocess, its stderr kept in a file.
- `GraphStandIn`: the WhatsApp Graph API stand-in of `tests/whatsapp/support.py` on uvicorn.
- `ingest_into_chroma`: the real `run_ingest` into a Chroma server, with passage vectors reused
  from the session's already-embedded fixture index (same model, same vectors; only the time
  to compute them again is saved).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from api.whatsapp.signature import sign
from tests.helpers import FIXTURE_KNOWLEDGE, UvicornThread, free_port
from tests.whatsapp.support import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    FakeGraph,
    envelope,
    text_update,
)

__all__ = [
    "ACCESS_TOKEN",
    "APP_SECRET",
    "PHONE_NUMBER_ID",
    "VERIFY_TOKEN",
    "ChromaServer",
    "GraphStandIn",
    "RedisServer",
    "ServeProcess",
    "clean_env",
    "envelope",
    "free_port",
    "ingest_into_chroma",
    "signed",
    "text_update",
    "wait_until",
    "whatsapp_env",
]

BIN = Path(sys.executable).parent
# Variables that would configure a server from the developer's shell.
_OWN_PREFIXES = ("MIPYME_", "WHATSAPP_", "OPENAI_", "CHROMA_", "REDIS_")


def clean_env(**values: object) -> dict[str, str]:
    """This process's environment without any of our settings, plus `values` (None = unset)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_PREFIXES)}
    env["ANONYMIZED_TELEMETRY"] = "False"
    env["PYTHONUNBUFFERED"] = "1"
    # Serve this checkout's code, not whatever the editable install points at.
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    env.update({k: str(v) for k, v in values.items() if v is not None})
    return env


def wait_until(
    check: Callable[[], Any], timeout: float, interval: float = 0.1, what: str = "condition"
) -> Any:
    """Poll `check` until it returns something truthy; bounded by `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as exc:  # the thing we wait for may not be up yet
            last_error = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what} ({last_error!r})")


def _stop(proc: subprocess.Popen[bytes] | None, timeout: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# ---------------------------------------------------------------------------------- Redis
class RedisServer:
    """A private redis-server on a loopback port; `persist=True` keeps data across restarts."""

    def __init__(self, workdir: Path, port: int | None = None, persist: bool = False) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.persist = persist
        self.proc: subprocess.Popen[bytes] | None = None
        workdir.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        import redis

        args = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--daemonize",
            "no",
            "--dir",
            str(self.workdir),
        ]
        # AOF with fsync on every write: a stop/start loses nothing that was acknowledged.
        args += (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.persist
            else ["--appendonly", "no"]
        )
        log = (self.workdir / "redis.log").open("ab")
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        try:
            wait_until(
                lambda: self.proc.poll() is None and client.ping(),
                20,
                what=f"redis-server on {self.port}",
            )
        finally:
            client.close()
        return self

    def stop(self) -> None:
        """SIGTERM (a clean shutdown: AOF flushed), as an operator or orchestrator would."""
        _stop(self.proc)
        self.proc = None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


# ---------------------------------------------------------------------------------- Chroma
class ChromaServer:
    """A private `chroma run` on a loopback port over `path`; restartable on the same port."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90) -> ChromaServer:
        chroma = shutil.which("chroma", path=str(BIN)) or "chroma"
        self.proc = subprocess.Popen(
            [
                chroma,
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=clean_env(),
        )
        url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
        try:
            wait_until(
                lambda: self.proc.poll() is None and httpx.get(url, timeout=1).status_code == 200,
                timeout,
                interval=0.2,
                what=f"chroma run on {self.port}",
            )
        except TimeoutError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        _stop(self.proc)
        self.proc = None


# ------------------------------------------------------------------- ingest into a server
def _vector_cache(indexed_dir: Path) -> dict[str, list[float]]:
    """passage text → vector, read from the embedded index the session already built."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(indexed_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    cache: dict[str, list[float]] = {}
    for collection in client.list_collections():
        got = client.get_collection(collection.name).get(include=["documents", "embeddings"])
        for text, vector in zip(got["documents"], got["embeddings"], strict=True):
            cache[text] = [float(x) for x in vector]
    return cache


def ingest_into_chroma(settings: Any, indexed_dir: Path) -> Any:
    """`ingest.pipeline.run_ingest(settings)` (settings with CHROMA_HOST/PORT), embedding with
    the local model but reusing vectors for passages the session index already embedded."""
    from assistant.retrieval.embeddings import LocalE5Embeddings, local_embeddings
    from ingest import pipeline

    cache = _vector_cache(indexed_dir)
    real = local_embeddings()

    class Reused(LocalE5Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            missing = [t for t in texts if t not in cache]
            if missing:
                cache.update(zip(missing, real.embed_documents(missing), strict=True))
            return [cache[t] for t in texts]

        def embed_query(self, text: str) -> list[float]:
            return real.embed_query(text)

    with mock.patch.object(pipeline, "build_embeddings", lambda _settings: Reused()):
        report = pipeline.run_ingest(settings)
    assert not report.failed, report.failed
    return report


# ---------------------------------------------------------------------------------- serve
class ServeProcess:
    """`mipyme-ia serve` in a subprocess; stderr+stdout go to `log_path`."""

    def __init__(
        self, env: dict[str, str], workdir: Path, workers: int = 1, port: int | None = None
    ) -> None:
        self.env = env
        self.workdir = workdir
        self.workers = workers
        self.port = port or free_port()
        self.log_path = workdir / f"serve-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        workdir.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 240) -> ServeProcess:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                str(BIN / "mipyme-ia"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers are ours to stop, as one group
        )
        log.close()
        try:
            wait_until(self._ready, timeout, interval=0.25, what="mipyme-ia serve /readyz")
            if self.workers > 1:
                # /readyz answered by one worker says nothing of the others, which may still be
                # loading the model: wait until every worker has answered (fresh connections).
                seen: set[str] = set()

                def all_answered() -> bool:
                    with httpx.Client(limits=httpx.Limits(max_keepalive_connections=0)) as c:
                        r = c.get(f"{self.url}/readyz", timeout=5)
                        if r.status_code == 200:
                            seen.add(r.headers.get("x-worker-pid", ""))
                    return len(seen) >= self.workers

                wait_until(all_answered, timeout, interval=0.05, what="every worker ready")
        except TimeoutError:
            self.stop()
            raise TimeoutError(f"server not ready; log:\n{self.logs()[-3000:]}") from None
        return self

    def _ready(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.logs()[-3000:]}")
        return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200

    def worker_pids(self) -> set[int]:
        """The PIDs of the processes in the server's group (supervisor and workers)."""
        import psutil

        if self.proc is None:
            return set()
        parent = psutil.Process(self.proc.pid)
        return {parent.pid} | {c.pid for c in parent.children(recursive=True)}

    def rss_mb(self) -> float:
        """Resident memory of the server's processes, summed (MiB)."""
        import psutil

        total = 0
        for pid in self.worker_pids():
            with contextlib.suppress(psutil.Error):
                total += psutil.Process(pid).memory_info().rss
        return total / 2**20

    def logs(self) -> str:
        return (
            self.log_path.read_text(encoding="utf-8", errors="replace")
            if self.log_path.exists()
            else ""
        )

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None


# ---------------------------------------------------------------------------------- WhatsApp
class GraphStandIn:
    """`FakeGraph` (tests/whatsapp/support.py) served on a loopback port."""

    def __init__(self, fake: Any = None) -> None:
        self.fake = fake or FakeGraph()  # anything with an async `handle(request)` and `url`
        app = Starlette(
            routes=[Route("/v23.0/{phone}/messages", self.fake.handle, methods=["POST"])]
        )
        self.server = UvicornThread(app)

    def __enter__(self) -> Any:
        self.server.__enter__()
        self.fake.url = f"{self.server.url}/v23.0"
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)


@contextlib.contextmanager
def graph_stand_in() -> Iterator[FakeGraph]:
    with GraphStandIn() as fake:
        yield fake


def whatsapp_env(graph_url: str) -> dict[str, str]:
    """The four WhatsApp settings of the test suite, pointed at a Graph stand-in."""
    return {
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_GRAPH_URL": graph_url,
    }


def signed(
    payload: dict[str, Any] | bytes, secret: str = APP_SECRET
) -> tuple[bytes, dict[str, str]]:
    """(body, headers) of a webhook POST signed the way Meta signs it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return body, {"content-type": "application/json", "x-hub-signature-256": sign(secret, body)}


def fresh_client(
    base_url: str, timeout: float = 60, local_address: str | None = None
) -> httpx.Client:
    """A client that opens a new TCP connection per request (so requests spread over workers)."""
    transport = httpx.HTTPTransport(
        local_address=local_address, limits=httpx.Limits(max_keepalive_connections=0)
    )
    return httpx.Client(base_url=base_url, timeout=timeout, transport=transport)


__all__ += ["FIXTURE_KNOWLEDGE", "fresh_client", "graph_stand_in", "redis_values"]


_ES_WORDS = re.compile(r"\b(el|la|los|las|no|de|del|debe|es|tu|tus|un|una|por|para|en|que|ya)\b")
_EN_WORDS = re.compile(r"\b(the|is|not|must|error|invalid|please|field|required)\b")


def spanish_message(text: str) -> bool:
    """An error message in Spanish (short ones too, where the language detector abstains)."""
    from assistant.understanding.language import is_spanish

    lowered = text.lower()
    return (
        bool(text.strip())
        and not _EN_WORDS.search(lowered)
        and (is_spanish(text) or bool(_ES_WORDS.search(lowered)))
    )


__all__ += ["spanish_message"]


def redis_values(client: Any, key: str) -> list[str] | None:
    """Everything a Redis key holds, as text (hash fields as `field=value`); None for a type
    these tests do not read."""
    kind = client.type(key)
    if kind == "string":
        return [str(client.get(key) or "")]
    if kind == "hash":
        return [f"{k}={v}" for k, v in client.hgetall(key).items()]
    if kind == "list":
        return [str(v) for v in client.lrange(key, 0, -1)]
    if kind == "zset":
        return [str(v) for v in client.zrange(key, 0, -1)]
    if kind == "set":
        return [str(v) for v in client.smembers(key)]
    return None
