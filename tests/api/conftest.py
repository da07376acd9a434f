"""Fixtures for the HTTP API tests: a scripted assistant at the seam, apps, clients, a live server."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from assistant.errors import AssistantError, KnowledgeUnavailable, NotFound
from assistant.knowledge.models import Course
from assistant.schemas import (
    BusinessProfile,
    ChatEvent,
    ChatResponse,
    DeltaEvent,
    DoneEvent,
    FeedbackRequest,
    MetaEvent,
    Recommendations,
    RecommendationsEvent,
    SearchHit,
    Source,
    SourcesEvent,
)
from assistant.service import Assistant
from assistant.settings import Settings
from tests import helpers
from tests.helpers import UvicornThread

COURSE = Course(
    id="ia-para-negocios",
    title="AI for Small Business",
    title_es="IA para pequeños negocios",
    provider="AWS Training and Certification",
    url="https://explore.skillbuilder.aws/learn/course/ia-para-negocios",
    format="digital self-paced",
    level="fundamental",
    duration_hours=2.0,
    cost="Gratis",
    languages=["es"],
    audience=["owner"],
    topics=["ventas", "atención al cliente"],
    summary="Curso introductorio que muestra cómo una tienda pequeña puede usar IA para vender más.",
    source="Página oficial del curso",
    verified_on=dt.date(2026, 1, 1),
    review_by=dt.date(2027, 1, 1),
    confidence="alta",
)


class FakeAssistant(Assistant):
    """Scripted stand-in: answers `Respuesta a: <mensaje>` and records every call."""

    def __init__(self) -> None:
        self.on_event: Callable[[str, dict[str, Any]], None] = lambda *_: None
        self.calls: list[tuple[str, Any]] = []
        self.transcripts: list[list[tuple[str, str]] | None] = []
        self.sessions: dict[str, BusinessProfile] = {}
        self.feedbacks: list[FeedbackRequest] = []
        self.fail_before: AssistantError | None = None  # raised before the first event
        self.fail_after: int | None = None  # raise RuntimeError after this many events
        self.fail_respond: Exception | None = None
        self.ready = True
        self.reloads = 0

    def _response(self, session_id: str | None, message: str) -> ChatResponse:
        sid = session_id or f"s-{uuid.uuid4().hex[:12]}"
        self.sessions.setdefault(sid, BusinessProfile(sector="comercio"))
        self.on_event("retrieval", {"hits": 1})
        return ChatResponse(
            session_id=sid,
            message_id=uuid.uuid4().hex[:16],
            answer=f"Respuesta a: {message}",
            mode="offline",
            profile=self.sessions[sid],
            recommendations=Recommendations(),
            sources=[
                Source(
                    n=1,
                    title="Plan México",
                    url="https://www.gob.mx/",
                    kind="program",
                    snippet="Programa de apoyo.",
                    published="2025-01-13",
                )
            ],
            follow_up=["¿A qué se dedica tu negocio?"],
        )

    async def respond(
        self,
        session_id: str | None,
        message: str,
        channel: str = "web",
        transcript: list[tuple[str, str]] | None = None,
    ) -> ChatResponse:
        self.calls.append(("respond", (session_id, message, channel)))
        self.transcripts.append(transcript)
        if self.fail_respond is not None:
            raise self.fail_respond
        return self._response(session_id, message)

    async def stream(
        self,
        session_id: str | None,
        message: str,
        channel: str = "web",
        transcript: list[tuple[str, str]] | None = None,
    ) -> AsyncIterator[ChatEvent]:
        self.calls.append(("stream", (session_id, message, channel)))
        self.transcripts.append(transcript)
        if self.fail_before is not None:
            raise self.fail_before
        r = self._response(session_id, message)
        events: list[ChatEvent] = [
            MetaEvent(session_id=r.session_id, message_id=r.message_id, mode=r.mode),
            SourcesEvent(sources=r.sources),
            RecommendationsEvent(
                recommendations=r.recommendations, profile=r.profile, follow_up=r.follow_up
            ),
            *(DeltaEvent(text=w) for w in _pieces(r.answer)),
            DoneEvent(response=r),
        ]
        for i, event in enumerate(events):
            if self.fail_after is not None and i == self.fail_after:
                raise RuntimeError("falla simulada con CURP GODE561231HDFRRN09")
            yield event

    def profile(self, session_id: str) -> BusinessProfile:
        if session_id not in self.sessions:
            raise NotFound("No encontramos esa sesión.")
        return self.sessions[session_id]

    def forget(self, session_id: str) -> None:
        if self.sessions.pop(session_id, None) is None:
            raise NotFound("No encontramos esa sesión.")

    def feedback(self, request: FeedbackRequest) -> None:
        if request.session_id not in self.sessions:
            raise NotFound("No encontramos esa sesión.")
        self.feedbacks.append(request)
        self.on_event("feedback", {"rating": request.rating})

    def courses(
        self, q: str | None = None, level: str | None = None, topic: str | None = None
    ) -> list[Course]:
        self.calls.append(("courses", (q, level, topic)))
        return [COURSE] if level in (None, COURSE.level) else []

    def search(self, query: str, k: int = 5, kind: str | None = None) -> list[SearchHit]:
        return []

    def check_ready(self) -> dict[str, str]:
        if not self.ready:
            raise KnowledgeUnavailable()
        return {"store": "ok"}

    def reload(self) -> None:
        self.reloads += 1


def _pieces(text: str) -> list[str]:
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Hermetic settings (see tests/helpers.py) with a rate limit no test trips by accident."""
    return helpers.make_settings(data_dir, **{"rate_limit": "1000/minute", **overrides})


@pytest.fixture
def fake() -> FakeAssistant:
    """A fresh scripted assistant."""
    return FakeAssistant()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Hermetic settings with data under tmp_path (no index needed: the assistant is fake)."""
    return make_settings(tmp_path)


@pytest.fixture
def app(settings: Settings, fake: FakeAssistant) -> FastAPI:
    """The app built around `fake`."""
    return create_app(settings, assistant=fake)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A TestClient with the lifespan running."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def client_for(fake: FakeAssistant, tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build clients for apps with custom settings: `client_for(rate_limit="2/minute")`."""
    opened: list[TestClient] = []

    def build(raise_server_exceptions: bool = True, **overrides: Any) -> TestClient:
        c = TestClient(
            create_app(make_settings(tmp_path, **overrides), assistant=fake),
            raise_server_exceptions=raise_server_exceptions,
        )
        c.__enter__()
        opened.append(c)
        return c

    yield build
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UvicornThread]:
    """uvicorn on a free loopback port around a FakeAssistant (one per module); `.url`, `.fake`."""
    fake = FakeAssistant()
    app = create_app(make_settings(tmp_path_factory.mktemp("live")), assistant=fake)
    with UvicornThread(app) as server:
        server.fake = fake  # type: ignore[attr-defined]
        yield server


def _sse_events(body: str) -> list[tuple[str, str]]:
    """Parse a text/event-stream body into (event, data) pairs, skipping comments."""
    events: list[tuple[str, str]] = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


@pytest.fixture
def parse_sse() -> Callable[[str], list[tuple[str, str]]]:
    """Parser for text/event-stream bodies: body -> [(event, data), ...]."""
    return _sse_events


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """An app around a FakeAssistant for schemathesis (admin token set, so no 503)."""
    settings = make_settings(tmp_path_factory.mktemp("fuzz"), admin_token="fuzz-token")
    return create_app(settings, assistant=FakeAssistant())
