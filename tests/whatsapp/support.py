"""Test support for the WhatsApp channel: a real local Graph API stand-in (with an independent
limit validator), a scripted assistant, and a harness that drives the webhook with signed HTTP
requests against the app."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.main import create_app
from api.whatsapp.graph import RetryPolicy
from api.whatsapp.signature import sign
from api.whatsapp.worker import WorkerConfig
from assistant.schemas import BusinessProfile, ChatResponse, Recommendations, TrainingStep
from assistant.service import Assistant
from assistant.settings import Settings

SAMPLES = Path(__file__).parent / "samples"  # Meta's documented payloads
APP_SECRET = "test-app-secret-" + "x" * 16
VERIFY_TOKEN = "verify-me-please"
ACCESS_TOKEN = "test-access-token"
PHONE_NUMBER_ID = "106540352242922"


# --------------------------------------------------------------------------- fake Graph API


def meta_wamid(phone: str, tag: str) -> str:
    """A message id shaped like Meta's: `wamid.` + base64 of a record that holds the user's
    phone number (`wamid.HBgNNTIx…`), so decoding a stored wamid gives the number."""
    record = b"\x18" + bytes([len(phone)]) + phone.encode() + b"\x15\x02\x00\x12\x18\x14"
    return "wamid." + base64.b64encode(record + tag.encode()).decode()


def graph_violations(body: Any) -> list[str]:
    """Every way `body` breaks the Cloud API limits (independent of api/whatsapp/render.py)."""
    bad: list[str] = []

    def check(cond: bool, what: str) -> None:
        if not cond:
            bad.append(what)

    def text(value: Any, lo: int, hi: int, what: str) -> None:
        check(
            isinstance(value, str) and lo <= len(value) <= hi,
            f"{what} must be a string of {lo}..{hi} chars, got {value!r:.80}",
        )

    if not isinstance(body, dict):
        return ["body is not a JSON object"]
    check(body.get("messaging_product") == "whatsapp", "messaging_product != whatsapp")
    if body.get("status") == "read":
        text(body.get("message_id"), 1, 256, "message_id")
        ti = body.get("typing_indicator")
        check(ti is None or ti == {"type": "text"}, "typing_indicator must be {type: text}")
        check(
            set(body) <= {"messaging_product", "status", "message_id", "typing_indicator"},
            f"unexpected keys in read receipt: {sorted(body)}",
        )
        return bad
    text(body.get("to"), 1, 256, "to")
    check(body.get("recipient_type", "individual") == "individual", "recipient_type")
    kind = body.get("type")
    if kind == "text":
        t = body.get("text") or {}
        text(t.get("body"), 1, 4096, "text.body")
        check(isinstance(t.get("preview_url", False), bool), "preview_url must be bool")
    elif kind == "interactive":
        i = body.get("interactive") or {}
        text((i.get("body") or {}).get("text"), 1, 1024, "interactive.body.text")
        if "footer" in i:
            text(i["footer"].get("text"), 1, 60, "footer")
        if "header" in i and i["header"].get("type") == "text":
            text(i["header"].get("text"), 1, 60, "header")
        action = i.get("action") or {}
        if i.get("type") == "button":
            buttons = action.get("buttons") or []
            check(1 <= len(buttons) <= 3, f"1..3 buttons, got {len(buttons)}")
            titles, ids = [], []
            for b in buttons:
                check(b.get("type") == "reply", "button type must be reply")
                r = b.get("reply") or {}
                text(r.get("id"), 1, 256, "button id")
                text(r.get("title"), 1, 20, "button title")
                titles.append(r.get("title"))
                ids.append(r.get("id"))
            check(len(set(titles)) == len(titles), f"button titles not unique: {titles}")
            check(len(set(ids)) == len(ids), "button ids not unique")
        elif i.get("type") == "list":
            text(action.get("button"), 1, 20, "list button")
            sections = action.get("sections") or []
            check(1 <= len(sections) <= 10, "1..10 sections")
            rows = [r for s in sections for r in (s.get("rows") or [])]
            check(1 <= len(rows) <= 10, f"1..10 rows in total, got {len(rows)}")
            for s in sections:
                if len(sections) > 1 or "title" in s:
                    text(s.get("title"), 1, 24, "section title")
            for r in rows:
                text(r.get("id"), 1, 200, "row id")
                text(r.get("title"), 1, 24, "row title")
                if "description" in r:
                    text(r["description"], 1, 72, "row description")
            ids = [r.get("id") for r in rows]
            check(len(set(ids)) == len(ids), "row ids not unique")
        else:
            bad.append(f"unsupported interactive type {i.get('type')!r}")
    else:
        bad.append(f"unsupported message type {kind!r}")
    return bad


@dataclass
class GraphCall:
    phone_number_id: str
    authorization: str
    body: dict[str, Any]
    status: int


@dataclass
class FakeGraph:
    """A real HTTP server on loopback standing in for graph.facebook.com."""

    url: str = ""
    calls: list[GraphCall] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)  # wamids returned for sent messages
    violations: list[str] = field(default_factory=list)
    _failures: list[tuple[int, int | None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _n: int = 0

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.accepted.clear()
            self.violations.clear()
            self._failures.clear()

    def fail_next(self, n: int, status: int = 500, code: int | None = None) -> None:
        """Answer the next `n` send calls (not read receipts) with this error."""
        with self._lock:
            self._failures.extend([(status, code)] * n)

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Bodies of successfully accepted outbound messages."""
        return [c.body for c in self.calls if c.status == 200 and "status" not in c.body]

    @property
    def send_attempts(self) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if "status" not in c.body]

    @property
    def reads(self) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.body.get("status") == "read"]

    def sent_to(self, to: str) -> list[dict[str, Any]]:
        return [b for b in self.sent if b.get("to") == to]

    async def handle(self, request: Request) -> JSONResponse:
        body = await request.json()
        auth = request.headers.get("authorization", "")
        problems = graph_violations(body)
        if auth != f"Bearer {ACCESS_TOKEN}":
            problems.append("missing or wrong bearer token")
        with self._lock:
            if problems:
                self.violations.extend(problems)
                status, payload = (
                    400,
                    {
                        "error": {
                            "message": "; ".join(problems),
                            "code": 100,
                            "type": "OAuthException",
                        }
                    },
                )
            elif "status" not in body and self._failures:
                status, code = self._failures.pop(0)
                payload = {
                    "error": {
                        "message": "fake failure",
                        "type": "OAuthException",
                        "code": code or status,
                        "error_data": {"details": f"fake {status}"},
                    }
                }
            elif "status" in body:
                status, payload = 200, {"success": True}
            else:
                self._n += 1
                status = 200
                wamid = meta_wamid(str(body["to"]), f"OUT{self._n:017X}")
                self.accepted.append(wamid)
                payload = {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                    "messages": [{"id": wamid}],
                }
            self.calls.append(GraphCall(request.path_params["phone"], auth, body, status))
        return JSONResponse(payload, status_code=status)


# --------------------------------------------------------------------------- scripted assistant


COURSES = [
    TrainingStep(
        course_id="aws-cloud-practitioner-essentials",
        title="AWS Cloud Practitioner Essentials (en español)",
        provider="AWS Skill Builder",
        url="https://x.test/1",
        level="básico",
        duration_hours=6,
        cost="Gratis",
        languages=["es"],
        why="Base de la nube.",
    ),
    TrainingStep(
        course_id="ia-generativa-negocios",
        title="IA generativa para negocios",
        provider="Secretaría de Economía",
        url="https://x.test/2",
        level="básico",
        duration_hours=1.5,
        cost="Gratis",
        languages=["es"],
        why="Casos de uso.",
    ),
    TrainingStep(
        course_id="excel-ventas",
        title="Analiza tus ventas con hojas de cálculo e IA",
        provider="Capacítate para el Empleo",
        url="https://x.test/3",
        level="intermedio",
        duration_hours=None,
        cost="Gratis",
        languages=["es"],
        why="Datos de ventas.",
    ),
]
FOLLOW_UPS = ["¿Cuántas personas trabajan en tu negocio?", "Quiero vender en línea"]


class ScriptedAssistant(Assistant):
    """Stand-in for the assistant: records calls, answers from a script."""

    def __init__(
        self,
        answer: str = "¡Hola! Te recomiendo empezar por *estos cursos*.",
        *,
        courses: list[TrainingStep] | None = None,
        follow_up: list[str] | None = None,
        delay: float = 0.0,
    ) -> None:
        self.answer = answer
        self.courses = COURSES if courses is None else courses
        self.follow_up = FOLLOW_UPS if follow_up is None else follow_up
        self.delay = delay
        self.calls: list[tuple[str | None, str, str]] = []
        self.gate: asyncio.Event | None = None  # when set, respond() waits on it
        self.started = asyncio.Event()
        self.error: Exception | None = None

    async def respond(
        self, session_id: str | None, message: str, channel: str = "web"
    ) -> ChatResponse:
        self.calls.append((session_id, message, channel))
        self.started.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return ChatResponse(
            session_id=session_id or "s",
            message_id=uuid.uuid4().hex,
            answer=self.answer,
            mode="offline",
            profile=BusinessProfile(),
            recommendations=Recommendations(training_path=self.courses),
            follow_up=self.follow_up,
        )

    @property
    def sessions(self) -> list[str | None]:
        return [c[0] for c in self.calls]

    @property
    def messages(self) -> list[str]:
        return [c[1] for c in self.calls]


# --------------------------------------------------------------------------- harness


class Clock:
    """Real time passing from a chosen start (so delays still elapse), plus manual jumps."""

    def __init__(self, start: float | None = None) -> None:
        self.start = time.time() if start is None else start
        self.t0 = time.monotonic()
        self.offset = 0.0

    def __call__(self) -> float:
        return self.start + (time.monotonic() - self.t0) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


FAST_WORKER = WorkerConfig(
    poll_interval=0.02,
    lease_ttl=5.0,
    outbox_base_delay=0.05,
    outbox_max_delay=0.2,
    outbox_max_attempts=6,
    assistant_timeout=10,
    shutdown_grace=0.0,
    failure_backoff=0.01,
)
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


def make_settings(data_dir: Path, graph_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "MIPYME_DATA_DIR": data_dir,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_GRAPH_URL": graph_url,
        "REDIS_URL": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def build_app(settings: Settings, assistant: Assistant) -> FastAPI:
    """The real app, with `assistant` injected."""
    return create_app(settings, assistant=assistant)


@dataclass
class Harness:
    app: FastAPI
    client: httpx.AsyncClient
    assistant: ScriptedAssistant
    settings: Settings
    stop: Callable[[], Awaitable[None]]

    @property
    def runtime(self) -> Any:
        return self.app.state.whatsapp

    @property
    def store(self) -> Any:
        return self.runtime.store

    async def post(
        self,
        payload: dict[str, Any] | bytes,
        *,
        signature: str | None = "auto",
    ) -> httpx.Response:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"content-type": "application/json"}
        if signature == "auto":
            signature = sign(APP_SECRET, body)
        if signature is not None:
            headers["x-hub-signature-256"] = signature
        return await self.client.post("/webhooks/whatsapp", content=body, headers=headers)

    async def idle(self, timeout: float = 10.0) -> None:
        await self.runtime.worker.idle(timeout)


def text_update(
    wamid: str,
    sender: str,
    body: str,
    *,
    ts: float | None = None,
    phone_number_id: str = PHONE_NUMBER_ID,
    user_id: str | None = None,
) -> dict[str, Any]:
    """One `value` object carrying a single text message."""
    contact: dict[str, Any] = {"profile": {"name": "Cliente"}, "wa_id": sender}
    if user_id:
        contact["user_id"] = user_id
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": phone_number_id},
        "contacts": [contact],
        "messages": [
            {
                "from": sender,
                "id": wamid,
                "timestamp": str(int(ts or time.time())),
                "type": "text",
                "text": {"body": body},
            }
        ],
    }


def envelope(*values: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": v} for v in values]}],
    }
