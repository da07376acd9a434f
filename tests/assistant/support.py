"""Helpers of the assistant's behavioural tests: the corpus facts, a harness, answer invariants."""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from api.whatsapp.render import BUTTON_LABELS
from assistant.knowledge.reader import Knowledge, read_knowledge
from assistant.recommendation.recommend import course_title
from assistant.schemas import ChatResponse
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.understanding.language import is_spanish
from tests.fake_openai import FakeOpenAI

MAX_TURN_CHARS = 4096  # one WhatsApp text message
CITE = re.compile(r"\[(\d+)\]")


# ---- the fake OpenAI server, answering structured calls the way the real one does -----------
@dataclass
class StructuredFake(FakeOpenAI):
    """The shared fake, plus: structured-output calls honour `stream` (the composer's ChatOpenAI
    streams, so its structured calls ask for SSE) and can be delayed like a stalled provider."""

    structured_delay_s: float = 0.0

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        if "response_format" not in body and "tools" not in body:
            return await super()._chat(request)
        self.requests.append({"path": "chat", **body})
        await asyncio.sleep(self.structured_delay_s)
        content = json.dumps(self.structured, ensure_ascii=False)
        if not body.get("stream"):
            return JSONResponse(self._completion(body, content))
        base = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
        }

        def sse(delta: dict[str, Any], finish: str | None) -> str:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            return f"data: {json.dumps({**base, 'choices': [choice]})}\n\n"

        async def events():  # type: ignore[no-untyped-def]
            yield sse({"role": "assistant", "content": content}, None)
            yield sse({}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")


# ---- the corpus as written on disk: what a source URL may be -------------------------------
@dataclass
class Corpus:
    knowledge: Knowledge
    course_urls: set[str] = field(default_factory=set)
    use_case_urls: set[str] = field(default_factory=set)
    program_urls: dict[str, set[str]] = field(default_factory=dict)  # program id -> URLs
    faq_urls: set[str] = field(default_factory=set)  # sources of the curated answers
    chunk_urls: dict[str, set[str]] = field(default_factory=dict)  # URL -> doc ids in the index

    @property
    def document_urls(self) -> set[str]:
        programs = set().union(*self.program_urls.values()) if self.program_urls else set()
        return self.course_urls | self.use_case_urls | programs | self.faq_urls


def load_corpus(knowledge_dir: Path) -> Corpus:
    knowledge = read_knowledge(knowledge_dir)
    corpus = Corpus(knowledge=knowledge)
    corpus.course_urls = {c.url for c in knowledge.courses.values()}
    for sector_file in knowledge.sectors.values():
        corpus.use_case_urls |= {s.url for s in sector_file.sources}
        for uc in sector_file.use_cases:
            corpus.use_case_urls |= {t.url for t in uc.tools if t.url}
    corpus.faq_urls = {str(src.url) for e in knowledge.faq.values() for src in e.sources}
    for path in sorted((knowledge_dir / "programs").glob("*.md")):
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        corpus.program_urls[str(post.metadata["id"])] = {
            str(s["url"]) for s in post.metadata["sources"]
        }
    return corpus


def index_urls(assistant: Assistant) -> dict[str, set[str]]:
    """URL -> doc ids of every chunk in the assistant's vector store."""
    got = assistant.retriever.store.get(include=["metadatas"])
    urls: dict[str, set[str]] = {}
    for meta in got["metadatas"]:
        urls.setdefault(str(meta["url"]), set()).add(str(meta["doc_id"]))
    return urls


# ---- assistants ---------------------------------------------------------------------------
@dataclass
class Harness:
    """An assistant plus what its hooks recorded."""

    assistant: Assistant
    settings: Settings
    corpus: Corpus
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    fake: FakeOpenAI | None = None

    def sid(self) -> str:
        return f"t-{uuid.uuid4().hex[:12]}"

    async def say(
        self, session_id: str, message: str, channel: str = "web", **checks: Any
    ) -> ChatResponse:
        """One turn through `respond`, then the invariants every answer must satisfy."""
        response = await self.assistant.respond(session_id, message, channel)  # type: ignore[arg-type]
        check_response(self.corpus, response, channel=channel, **checks)
        return response


# ---- invariants of every answer ------------------------------------------------------------
def citations(text: str) -> list[int]:
    return [int(n) for n in CITE.findall(text)]


def check_response(
    corpus: Corpus,
    r: ChatResponse,
    *,
    max_chars: int = MAX_TURN_CHARS,
    offline_text: bool | None = None,
    channel: str = "web",
) -> None:
    """What holds for every answer, whatever the persona."""
    knowledge = corpus.knowledge
    offline_text = r.mode == "offline" if offline_text is None else offline_text
    answer = r.answer
    assert answer.strip(), "empty answer"
    assert is_spanish(answer), f"not Spanish: {answer[:300]!r}"
    assert len(answer) <= max_chars, f"answer of {len(answer)} chars (budget {max_chars})"
    assert "unas 1 semanas" not in answer

    # Sources: numbered 1..N, https, each the URL of a real chunk and a real document.
    assert [s.n for s in r.sources] == list(range(1, len(r.sources) + 1))
    for s in r.sources:
        assert s.url.startswith("https://"), s.url
        assert s.url in corpus.document_urls, f"source URL not in the corpus files: {s.url}"
        if corpus.chunk_urls:
            assert s.url in corpus.chunk_urls, f"source URL of no indexed chunk: {s.url}"
        assert s.title.strip() and s.kind in ("course", "program", "use_case", "faq")
    for n in citations(answer):
        assert 1 <= n <= len(r.sources), f"citation [{n}] with {len(r.sources)} sources"

    # Quick replies fit WhatsApp buttons (a longer next step has a short button title).
    assert len(r.follow_up) <= 3, r.follow_up
    assert all(0 < len(BUTTON_LABELS.get(q, q)) <= 20 for q in r.follow_up), r.follow_up

    recs = r.recommendations
    profile = r.profile
    # Training path: real courses, catalog values, prerequisites first, no duplicates.
    ids = [s.course_id for s in recs.training_path]
    assert len(ids) == len(set(ids)), ids
    for i, step in enumerate(recs.training_path):
        course = knowledge.courses[step.course_id]
        assert step.url == course.url and step.level == course.level
        assert step.title == course_title(course) and step.provider == course.provider
        assert "traducción" not in step.title
        # Unknown durations stay unknown: never a guessed number.
        assert step.duration_hours == course.duration_hours
        assert (step.duration_hours is None) == (course.duration_hours is None)
        for pre in course.prerequisites:
            if pre in ids:
                assert ids.index(pre) < i, f"{pre} must come before {step.course_id}: {ids}"
        if offline_text and channel == "web":
            # The web text summarises; the course's card carries its title and link.
            assert step.url not in answer, step.url
        elif offline_text:
            line = next((ln for ln in answer.splitlines() if step.url in ln), None)
            assert line is not None, f"course link missing from the answer: {step.url}"
            if course.duration_hours is None:
                # No number on the line; the list says once that durations are unconfirmed.
                assert not re.search(r"\(\d+(\.\d+)? h\b", line), line
                assert "confirmada" in answer, answer
            else:
                assert f"{course.duration_hours:g} h" in line, line
    if recs.training_path:
        known = [s.duration_hours for s in recs.training_path if s.duration_hours]
        assert recs.total_hours == (round(sum(known), 1) if known else None)
        assert recs.unknown_duration == sum(1 for s in recs.training_path if not s.duration_hours)
        if profile.weekly_hours and recs.total_hours:
            assert recs.weeks == math.ceil(recs.total_hours / profile.weekly_hours)
        else:
            assert recs.weeks is None
        # Level fit: never above what the role and digital maturity allow.
        technical = profile.role in ("it", "developer")
        needed = {
            p for s in recs.training_path for p in knowledge.courses[s.course_id].prerequisites
        }
        for step in recs.training_path:
            if step.course_id not in needed:  # chosen for the user, not added as a prerequisite
                assert (profile.role or "owner") in knowledge.courses[step.course_id].audience, step
            if not technical:
                assert step.level != "advanced", step
                if (profile.maturity or 2) <= 2:
                    assert step.level == "fundamental", step

    # Use cases: at most three per turn, all of the user's own sector (completed with general
    # ideas only when too few of the sector's fit the business's size).
    if recs.use_cases:
        sector_ids = {
            uc.id for uc in knowledge.ideas.get((profile.sector or "general", profile.size), [])
        }
        assert len(recs.use_cases) <= 3
        assert {uc.id for uc in recs.use_cases} <= sector_ids
        assert all(uc.sector == (profile.sector_name or profile.sector) for uc in recs.use_cases)

    # Programs: real documents, cited, with the date a person verified them.
    by_url = {s.url: s.n for s in r.sources}
    for p in recs.programs:
        doc = knowledge.programs[p.id].meta
        assert p.valid_as_of == doc.verified_on.isoformat()
        assert p.url in corpus.program_urls[p.id], (p.id, p.url)
        assert p.url in by_url, f"program {p.id} without a source"
        if offline_text and channel != "web":
            assert f"[{by_url[p.url]}]" in answer, p.id
            if p.stale:
                # The date is said once for the block (the oldest), not after every program.
                assert "verificados el" in answer and answer.count("verificad") == 1, p.id
        if profile.state and doc.states:
            assert profile.state in doc.states, (p.id, profile.state)
