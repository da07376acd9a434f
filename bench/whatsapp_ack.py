"""WhatsApp webhook acknowledgment latency, with the answering work running behind it.

Starts, all on loopback: a fake Graph API, and the real app (`api.main.create_app`, with a slow
scripted assistant) on uvicorn. Then posts signed webhooks and times each 200:
  * single: one text message per POST, sequential;
  * batch: 50 messages (50 users) per POST, sequential.
Meta wants median ≤ 250 ms and < 1 % above 1 s (channels.md §1.4).

    python -m bench.whatsapp_ack [--singles 200] [--batches 30] [--delay 0.2] [--cpu-ms 5]
                                 [--redis redis://127.0.0.1:6379/0]
"""

# ruff: noqa: E402
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, bench/ is sys.path[0] and bench/http.py would shadow the stdlib `http`.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import asyncio
import contextlib
import json
import socket
import statistics
import tempfile
import threading
import time
import uuid
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.whatsapp.signature import sign
from assistant.schemas import BusinessProfile, ChatResponse
from assistant.settings import Settings

SECRET = "bench-secret"
PHONE_ID = "100000000000001"


class SlowAssistant:
    """Answers after `delay` seconds, burning `cpu_ms` on the event loop first."""

    def __init__(self, delay: float, cpu_ms: float) -> None:
        self.delay, self.cpu_ms, self.answered = delay, cpu_ms, 0

    async def respond(
        self, session_id: str | None, message: str, channel: str = "web"
    ) -> ChatResponse:
        end = time.perf_counter() + self.cpu_ms / 1000
        while time.perf_counter() < end:  # worst case: composition that holds the loop
            pass
        await asyncio.sleep(self.delay)
        self.answered += 1
        return ChatResponse(
            session_id=session_id or "s",
            message_id=uuid.uuid4().hex,
            answer="Te recomiendo empezar por un curso básico de IA.",
            mode="offline",
            profile=BusinessProfile(),
            follow_up=["Sí", "No"],
        )


def serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    if not server.started:
        raise SystemExit("server did not start")
    return server, thread, sock.getsockname()[1]


def fake_graph() -> Starlette:
    counter = iter(range(1, 10**9))

    async def messages(request: Request) -> JSONResponse:
        body = await request.json()
        await asyncio.sleep(0.01)
        if body.get("status") == "read":
            return JSONResponse({"success": True})
        return JSONResponse(
            {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.out.{next(counter)}"}]}
        )

    return Starlette(routes=[Route("/v23.0/{phone}/messages", messages, methods=["POST"])])


def build_app(settings: Settings, assistant: SlowAssistant) -> Any:
    try:
        from api.main import create_app
    except ImportError:  # app factory not there yet: our router + runtime alone
        from fastapi import FastAPI

        from api.routes.whatsapp import router
        from api.whatsapp.runtime import start_whatsapp, stop_whatsapp

        @contextlib.asynccontextmanager
        async def lifespan(app: FastAPI) -> Any:
            app.state.settings, app.state.assistant = settings, assistant
            await start_whatsapp(app)
            yield
            await stop_whatsapp(app)

        app = FastAPI(lifespan=lifespan)
        app.include_router(router)
        return app
    return create_app(settings, assistant=assistant)  # type: ignore[arg-type]


def payload(batch: int, seq: int) -> bytes:
    now = str(int(time.time()))
    messages = [
        {
            "from": f"52155{seq:05d}{i:03d}",
            "id": f"wamid.bench.{seq}.{i}",
            "timestamp": now,
            "type": "text",
            "text": {"body": "Hola, tengo una tienda"},
        }
        for i in range(batch)
    ]
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": "x"}, "wa_id": m["from"]} for m in messages],
        "messages": messages,
    }
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
        }
    ).encode()


def measure(client: httpx.Client, url: str, n: int, batch: int, start: int) -> list[float]:
    times = []
    for k in range(n):
        body = payload(batch, start + k)
        headers = {"content-type": "application/json", "x-hub-signature-256": sign(SECRET, body)}
        t0 = time.perf_counter()
        response = client.post(url, content=body, headers=headers)
        times.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"POST failed: {response.status_code} {response.text[:200]}")
    return times


def report(name: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(
        f"{name:<22} n={len(times):<4} p50={statistics.median(times):7.2f} ms  "
        f"p95={p95:7.2f} ms  max={times[-1]:7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--singles", type=int, default=200)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--delay", type=float, default=0.2, help="assistant latency (s)")
    parser.add_argument("--cpu-ms", type=float, default=5.0, help="loop-blocking work per answer")
    parser.add_argument("--redis", default=None, help="use the Redis store at this URL")
    args = parser.parse_args()

    graph_server, graph_thread, graph_port = serve(fake_graph())
    assistant = SlowAssistant(args.delay, args.cpu_ms)
    prefix = f"mipyme-bench-{uuid.uuid4().hex[:8]}:"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            MIPYME_DATA_DIR=Path(tmp),
            WHATSAPP_VERIFY_TOKEN="v",
            WHATSAPP_APP_SECRET=SECRET,
            WHATSAPP_ACCESS_TOKEN="t",
            WHATSAPP_PHONE_NUMBER_ID=PHONE_ID,
            WHATSAPP_GRAPH_URL=f"http://127.0.0.1:{graph_port}/v23.0",
            REDIS_URL=args.redis,
            MIPYME_REDIS_PREFIX=prefix,
        )
        app_server, app_thread, port = serve(build_app(settings, assistant))
        url = f"http://127.0.0.1:{port}/webhooks/whatsapp"
        store = "redis" if args.redis else "sqlite"
        print(f"store={store} assistant_delay={args.delay}s cpu={args.cpu_ms}ms per answer")
        try:
            with httpx.Client(timeout=30) as client:
                # Warm-up that also leaves a backlog, so answers are composed while we measure.
                measure(client, url, 4, 50, 10**6)
                report("single message", measure(client, url, args.singles, 1, 0))
                report("batch of 50", measure(client, url, args.batches, 50, 10**5))
            print(f"answers composed while measuring: {assistant.answered}")
        finally:
            app_server.should_exit = True
            app_thread.join(timeout=30)
            graph_server.should_exit = True
            graph_thread.join(timeout=10)
            if args.redis:
                import redis

                r = redis.Redis.from_url(args.redis)
                keys = list(r.scan_iter(match=prefix + "*", count=1000))
                if keys:
                    r.delete(*keys)


if __name__ == "__main__":
    main()
