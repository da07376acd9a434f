"""Browser fixtures: Debian's chromium driven by Playwright, and a server for the widget.

`widget_server_url` is the shared `live_server_url` (the real app over the fixture corpus)
when that fixture exists, otherwise a small stub that serves the real `api/static` files and
speaks the same SSE protocol with canned events. `MIPYME_WIDGET_SERVER=stub|live` forces one.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "api" / "static"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SESSION_ID = re.compile(r"^[A-Za-z0-9_.:@+-]{1,128}$")


# --------------------------------------------------------------------------- stub server

STUB_SOURCES = [
    {
        "n": 1,
        "title": "Plan México: estrategia de desarrollo económico",
        "url": "https://www.gob.mx/planmexico",
        "kind": "program",
        "snippet": "Plan México impulsa la capacitación y la digitalización de las Mipymes.",
        "published": "2025-01-13",
    },
    {
        "n": 2,
        "title": "Convenio Secretaría de Economía y AWS para capacitar en nube e IA",
        "url": "https://www.gob.mx/se/prensa/convenio-aws",
        "kind": "program",
        "snippet": "Meta de capacitar a 450,000 personas en tres años.",
        "published": "2025-03-20",
    },
]

STUB_RECOMMENDATIONS = {
    "training_path": [
        {
            "course_id": "aws-ai-practitioner-essentials",
            "title": "Fundamentos de IA generativa para negocios",
            "provider": "AWS Training and Certification",
            "url": "https://explore.skillbuilder.aws/learn/course/external/view/elearning/17763",
            "level": "fundamental",
            "duration_hours": 3.5,
            "cost": "gratuito",
            "languages": ["es", "en"],
            "why": "Explica sin tecnicismos qué puede hacer la IA en una tienda pequeña.",
        },
        {
            "course_id": "google-ai-essentials",
            "title": "Google AI Essentials",
            "provider": "Google (Coursera)",
            "url": "https://www.coursera.org/learn/google-ai-essentials",
            "level": "intermediate",
            "duration_hours": None,
            "cost": "suscripción de Coursera; el precio varía por país",
            "languages": ["en"],
            "why": "Practica cómo redactar instrucciones útiles para un asistente de IA.",
        },
    ],
    "use_cases": [
        {
            "id": "abarrotes-inventario",
            "title": "Pronóstico de inventario",
            "sector": "abarrotes",
            "summary": "Usa tus ventas de las últimas semanas para saber qué surtir.",
            "first_step": "Anota tus ventas diarias en una hoja de cálculo durante un mes.",
            "related_courses": ["aws-ai-practitioner-essentials"],
        },
        {
            "id": "abarrotes-whatsapp",
            "title": "Respuestas rápidas por WhatsApp",
            "sector": "abarrotes",
            "summary": "Contesta precios y horarios con mensajes preparados.",
            "first_step": "Escribe las 10 preguntas que más te hacen tus clientes.",
            "related_courses": [],
        },
    ],
    "programs": [
        {
            "id": "plan-mexico-capacitacion",
            "title": "Capacitación en nube e IA (SE + AWS)",
            "url": "https://www.gob.mx/se/prensa/convenio-aws",
            "summary": "Cursos gratuitos en línea para personas y Mipymes.",
            "valid_as_of": "2025-03-20",
        },
    ],
    "total_hours": 3.5,
    "weeks": 1,
    "unknown_duration": 1,
}

STUB_FOLLOW_UP = [
    "¿Cuántas horas a la semana puedes dedicar a capacitarte?",
    "¿Qué apoyos de Plan México aplican a mi negocio?",
]


def _stub_answer(message: str) -> str:
    # Echoes the question on purpose: model text must always be rendered as text.
    return (
        f"Sobre «{message[:80]}»: te recomiendo empezar con lo básico.\n\n"
        "**Primero**, toma un curso corto de fundamentos de IA [1]; es gratuito y está en español.\n"
        "Después, practica con un caso real de tu negocio, como el inventario [2].\n\n"
        "- Dedica 1 hora al día.\n- Anota tus dudas para la siguiente sesión."
    )


def _sse(event: str, data: Any, *, multiline: bool = False) -> str:
    """One SSE frame with CRLF line ends (sse-starlette's default); optionally data split over lines."""
    text = json.dumps(data, ensure_ascii=False, indent=1 if multiline else None)
    lines = "".join(f"data: {line}\r\n" for line in text.split("\n"))
    return f"event: {event}\r\n{lines}\r\n"


def make_stub_app() -> Any:
    """A Starlette app with the widget's endpoints and canned, realistic SSE turns."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    sessions: set[str] = set()

    def error(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)

    async def index(_: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    async def widget(_: Request) -> Response:
        return FileResponse(STATIC / "widget.js", media_type="application/javascript")

    async def chat_stream(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return error(400, "json_invalido", "El cuerpo de la solicitud no es JSON válido.")
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str) or not 1 <= len(message.strip()) <= 4000:
            return error(422, "mensaje_invalido", "Escribe un mensaje de 1 a 4000 caracteres.")
        session_id = body.get("session_id") or uuid.uuid4().hex
        sessions.add(session_id)
        message_id = uuid.uuid4().hex[:16]
        answer = _stub_answer(message)
        response = {
            "session_id": session_id,
            "message_id": message_id,
            "answer": answer,
            "mode": "offline",
            "profile": {"sector": "abarrotes", "state": "Oaxaca"},
            "recommendations": STUB_RECOMMENDATIONS,
            "sources": STUB_SOURCES,
            "follow_up": STUB_FOLLOW_UP,
            "intent": "question",
            "confidence": 0.8,
        }

        async def frames() -> AsyncIterator[bytes]:
            yield _sse(
                "meta", {"session_id": session_id, "message_id": message_id, "mode": "offline"}
            ).encode()
            yield b": ping\r\n\r\n"
            yield _sse("sources", {"sources": STUB_SOURCES}).encode()
            rec = {
                "recommendations": STUB_RECOMMENDATIONS,
                "profile": response["profile"],
                "follow_up": STUB_FOLLOW_UP,
            }
            # Odd byte boundaries (even inside UTF-8 characters and CRLF pairs).
            raw = _sse("recommendations", rec, multiline=True).encode()
            for i in range(0, len(raw), 97):
                yield raw[i : i + 97]
            words = re.findall(r"\S+\s*", answer)
            for i in range(0, len(words), 4):
                await asyncio.sleep(0.06)
                yield _sse("delta", {"text": "".join(words[i : i + 4])}).encode()
            await asyncio.sleep(0.05)
            yield _sse("done", response).encode()

        return StreamingResponse(
            frames(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    async def feedback(request: Request) -> Response:
        body = await request.json()
        if body.get("rating") not in ("up", "down") or not body.get("message_id"):
            return error(422, "opinion_invalida", "La calificación debe ser «up» o «down».")
        return Response(status_code=204)

    async def forget(request: Request) -> Response:
        session_id = request.path_params["session_id"]
        if session_id not in sessions:
            return error(
                404, "no_encontrado", "No encontramos esa sesión. Puede que ya se haya borrado."
            )
        sessions.discard(session_id)
        return Response(status_code=204)

    cors = Middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Content-Type"],
        expose_headers=["Retry-After"],
    )
    return Starlette(
        middleware=[cors],
        routes=[
            Route("/", index),
            Route("/widget.js", widget),
            Route("/v1/chat/stream", chat_stream, methods=["POST"]),
            Route("/v1/feedback", feedback, methods=["POST"]),
            Route("/v1/sessions/{session_id}", forget, methods=["DELETE"]),
        ],
    )


class _StubServer:
    """uvicorn in a daemon thread on a socket we bound ourselves (no port race)."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> _StubServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the widget stub server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def widget_server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Base URL serving `/`, `/widget.js` and the chat API (live app if available, else stub)."""
    choice = os.environ.get("MIPYME_WIDGET_SERVER", "auto")
    if choice != "stub":
        try:
            yield str(request.getfixturevalue("live_server_url")).rstrip("/")
            return
        except pytest.FixtureLookupError:
            if choice == "live":
                raise
    with _StubServer(make_stub_app()) as server:
        yield server.url


# Module scope, not session: while Playwright's sync API is open it marks an asyncio loop as
# running in the main thread, which breaks every async test collected after the browser tests.
@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium_browser: Any) -> Iterator[Any]:
    """A factory of fresh pages (own context: clean localStorage); fails on any page error."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make(**context_options: Any) -> Any:
        options = {"viewport": {"width": 1280, "height": 800}, "locale": "es-MX", **context_options}
        context = chromium_browser.new_context(**options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on(
            "console",
            lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()
    # Aborted requests in the retry test log a console error by design; nothing else may.
    real = [e for e in errors if "Failed to load resource" not in e and "ERR_FAILED" not in e]
    assert not real, real


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Any:
    """Save a screenshot into test-artifacts/<test>-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page: Any, name: str = "final", **options: Any) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), **options)
        return path

    return take
