"""The one assistant entry point every channel calls: `respond`, `stream`, profile and forget."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from assistant.answering.evidence import confidence, select_evidence
from assistant.composition import offline
from assistant.errors import AssistantError, NotFound
from assistant.knowledge.models import Course
from assistant.knowledge.reader import Knowledge, read_knowledge
from assistant.memory.port import SessionStore, Turn
from assistant.recommendation.recommend import recommend
from assistant.retrieval.hybrid import Filters, HybridRetriever
from assistant.schemas import (
    BusinessProfile,
    ChatEvent,
    ChatResponse,
    DeltaEvent,
    DoneEvent,
    FeedbackRequest,
    MetaEvent,
    ProgramRec,
    RecommendationsEvent,
    SearchHit,
    Source,
    SourcesEvent,
)
from assistant.settings import Settings
from assistant.turn import Evidence, TurnContext
from assistant.understanding.intents import classify, in_domain
from assistant.understanding.profile import ProfileExtractor
from assistant.understanding.questions import QUESTIONS, next_questions
from assistant.understanding.text import fold

log = logging.getLogger(__name__)
_QUESTION = re.compile(
    r"\?|^(que|como|cuanto|cuanta|cuantos|cuantas|donde|cual|cuales|cuando|quien|hay|existe|puedo"
    r"|me recomiendas|recomiendame|dime|explicame|necesito saber|busco|quiero saber)\b"
)
# The question sentences of a message ("Tengo una tiendita. ¿Puedo deducir los cursos?").
_QUESTION_PART = re.compile(r"¿[^?]*\?|[^.!?¿\n]*\?")
_WANTS_RECS = re.compile(
    r"\b(recomienda\w*|ruta|cursos?|capacita\w*|que hago|por donde empiezo|ideas?)\b"
)


def _noop(*_: Any) -> None:
    return None


class Assistant:
    """Diagnoses the business, retrieves, recommends and answers; stateless between calls."""

    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever,
        knowledge: Knowledge,
        memory: SessionStore,
        composer: Any = None,
        on_event: Callable[[str, dict[str, Any]], None] = _noop,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.knowledge = knowledge
        self.memory = memory
        self.extractor = ProfileExtractor(list(knowledge.sectors.values()))
        self.composer = composer  # LLM composer, or None for offline only
        self.profile_llm = None
        if composer is not None and getattr(composer, "extraction_llm", None) is not None:
            from assistant.understanding.profile_llm import LLMProfileExtractor

            self.profile_llm = LLMProfileExtractor(
                composer.extraction_llm, list(self.extractor.sectors.values())
            )
        self.on_event = on_event  # metrics hook: ("retrieval", {...}), ("fallback", {...})

    # ---- public API -------------------------------------------------------------------------
    async def respond(
        self, session_id: str | None, message: str, channel: str = "web"
    ) -> ChatResponse:
        """One full turn."""
        response: ChatResponse | None = None
        async for event in self.stream(session_id, message, channel):
            if isinstance(event, DoneEvent):
                response = event.response
        assert response is not None
        return response

    async def stream(
        self, session_id: str | None, message: str, channel: str = "web"
    ) -> AsyncIterator[ChatEvent]:
        """The turn as typed events: meta, sources, recommendations, deltas, done."""
        session_id = session_id or uuid.uuid4().hex
        message_id = uuid.uuid4().hex[:16]
        ctx = await asyncio.to_thread(self._prepare, session_id, message, channel)
        use_llm = self.composer is not None and ctx.intent in ("question", "diagnosis")
        if use_llm and not ctx.llm_available:
            # The provider just failed on the profile call: don't make the user wait again.
            log.warning("LLM unavailable this turn, answering offline")
            self.on_event("fallback", {"reason": "ProviderError"})
            use_llm = False
        yield MetaEvent(
            session_id=session_id, message_id=message_id, mode="llm" if use_llm else "offline"
        )
        if ctx.sources:
            yield SourcesEvent(sources=ctx.sources)
        if ctx.show_recommendations:
            yield RecommendationsEvent(
                recommendations=ctx.recommendations, profile=ctx.profile, follow_up=ctx.follow_up
            )
        mode = "offline"
        answer = ""
        if use_llm:
            parts: list[str] = []
            try:
                async for piece in self.composer.stream(ctx):
                    parts.append(piece)
                    yield DeltaEvent(text=piece)
                answer = self.composer.finalize(ctx, "".join(parts))
                mode = "llm"
            except AssistantError as exc:
                log.warning("LLM composer failed, answering offline: %s", exc.message)
                self.on_event("fallback", {"reason": type(exc).__name__})
                answer = ""
        if not answer:
            answer = self._compose_offline(ctx)
            if mode == "offline" and not use_llm:
                for piece in _chunks(answer):
                    yield DeltaEvent(text=piece)
        response = ChatResponse(
            session_id=session_id,
            message_id=message_id,
            answer=answer,
            mode=mode,
            profile=ctx.profile,
            recommendations=ctx.recommendations,
            sources=ctx.sources,
            follow_up=ctx.follow_up,
            intent=ctx.intent,
            confidence=ctx_confidence(ctx),
        )
        await asyncio.to_thread(self._remember, session_id, message, channel, response, ctx)
        yield DoneEvent(response=response)

    def profile(self, session_id: str) -> BusinessProfile:
        state = self.memory.get(session_id)
        if state is None:
            raise NotFound("No encontramos esa sesión. Puede que ya se haya borrado.")
        return state.profile

    def forget(self, session_id: str) -> None:
        if not self.memory.delete(session_id):
            raise NotFound("No encontramos esa sesión. Puede que ya se haya borrado.")

    def feedback(self, request: FeedbackRequest) -> None:
        self.memory.add_feedback(
            request.session_id, request.message_id, request.rating, request.reason
        )
        self.on_event("feedback", {"rating": request.rating})

    def courses(
        self, q: str | None = None, level: str | None = None, topic: str | None = None
    ) -> list[Course]:
        items = list(self.knowledge.courses.values())
        if level:
            items = [c for c in items if c.level == level]
        if topic:
            items = [c for c in items if any(fold(topic) in fold(t) for t in c.topics)]
        if q:
            needle = fold(q)
            items = [
                c
                for c in items
                if needle in fold(" ".join([c.title, c.title_es, c.provider, c.summary, *c.topics]))
            ]
        return items

    def search(self, query: str, k: int = 5, kind: str | None = None) -> list[SearchHit]:
        return self.retriever.search(query, k=k, filters=Filters(kind=kind))

    def check_ready(self) -> dict[str, str]:
        self.retriever.store._collection.count()
        checks = {"store": "ok", "index_chunks": str(self.retriever.size)}
        self.memory.ping()
        checks["memory"] = "ok"
        checks["llm"] = "configured" if self.composer else "offline"
        return checks

    def reload(self) -> None:
        """Pick up a new index and knowledge files (after an ingest) without a restart."""
        self.retriever.reload()
        self.knowledge = read_knowledge(self.settings.knowledge_dir)
        self.extractor = ProfileExtractor(list(self.knowledge.sectors.values()))

    # ---- the turn ---------------------------------------------------------------------------
    def _prepare(self, session_id: str, message: str, channel: str = "web") -> TurnContext:
        state = self.memory.get(session_id)
        profile = state.profile if state else BusinessProfile()
        intent = classify(message)
        ctx = TurnContext(
            message=message,
            intent=intent,
            channel=channel,
            profile=profile,
            handoff_contact=self.settings.handoff_contact,
            history=[(t.role, t.text) for t in (state.history if state else [])],
        )
        if intent == "injection":
            log.info("Prompt-injection attempt in session %s", session_id[:8])
            ctx.questions, ctx.follow_up = next_questions(profile)
            return ctx
        if intent in ("forget", "profile", "handoff", "thanks"):
            return ctx
        asked = [
            slot for slot, (q, _) in QUESTIONS.items() if state and q in state.pending_questions
        ]
        update = self.extractor.update(profile, message, asked=asked)
        if self.profile_llm is not None and intent != "greeting":
            update, ctx.llm_available = self.profile_llm.refine(update, message)
        ctx.profile, ctx.changed, ctx.corrected = update.profile, update.changed, update.corrected
        if intent == "greeting":
            ctx.questions, ctx.follow_up = next_questions(ctx.profile)
            return ctx
        folded = fold(message).strip()
        ctx.explicit_question = bool(_QUESTION.search(folded))
        ctx.is_question = ctx.explicit_question or not ctx.changed
        ctx.in_domain = in_domain(message) or bool(ctx.changed)
        if ctx.changed and not ctx.is_question:
            ctx.intent = "diagnosis"
        if ctx.is_question:
            self._answer_question(ctx)
        wants = bool(_WANTS_RECS.search(folded))
        relevant = {"sector", "goals", "state", "weekly_hours", "role", "maturity", "employees"}
        if ctx.profile.sector and (wants or relevant & set(ctx.changed)):
            self._recommend(ctx)
        ctx.questions, replies = next_questions(ctx.profile)
        ctx.follow_up = replies
        return ctx

    def _answer_question(self, ctx: TurnContext) -> None:
        # Retrieve for the question itself: what the user told us about the business around it
        # would only dilute the query.
        asked = " ".join(q.strip(" ,;:") for q in _QUESTION_PART.findall(ctx.message))
        query = asked if len(asked) > 3 else ctx.message
        hits = self.retriever.search(query, k=5)
        self.on_event("retrieval", {"hits": len(hits)})
        score = confidence(query, hits)
        ctx.confident = score >= 0.5
        if not ctx.in_domain and score < 0.7:
            ctx.confident = False
        if not ctx.confident:
            return
        chosen = select_evidence(query, hits)
        numbers: dict[int, int] = {}
        for text, hit_index in chosen:
            if hit_index not in numbers:
                numbers[hit_index] = self._add_source(ctx, hits[hit_index])
            ctx.evidence.append(Evidence(text=text, n=numbers[hit_index]))
        if not ctx.evidence:
            ctx.confident = False

    def _add_source(self, ctx: TurnContext, hit: SearchHit) -> int:
        for source in ctx.sources:
            if source.url == hit.url:  # one article cited once, whatever section we read
                return source.n
        n = len(ctx.sources) + 1
        ctx.sources.append(
            Source(
                n=n,
                title=hit.title,
                url=hit.url,
                kind=hit.kind,
                snippet=hit.snippet,
                published=hit.metadata.get("published") or None,
            )
        )
        return n

    def _recommend(self, ctx: TurnContext) -> None:
        said = " ".join([*(text for role, text in ctx.history if role == "user"), ctx.message])
        ctx.recommendations = recommend(self.knowledge, ctx.profile, said)
        ctx.recommendations.programs = self._programs(ctx)
        ctx.show_recommendations = True

    def _programs(self, ctx: TurnContext) -> list[ProgramRec]:
        """Plan México documents that apply: the user's state first, then national ones."""
        profile = ctx.profile
        query = "capacitación gratuita en inteligencia artificial y apoyos para Mipymes"
        if profile.sector_name:
            query += f" de {profile.sector_name}"
        picked: list[SearchHit] = []
        local: list[SearchHit] = []
        if profile.state:
            state_query = f"polos de desarrollo e inversión en {profile.state}"
            local = self.retriever.search(
                state_query, k=8, filters=Filters(kind="program", state=profile.state)
            )
            local = list({h.doc_id: h for h in reversed(local)}.values())[::-1][:2]
        picked = local + self.retriever.search(query, k=8, filters=Filters(kind="program"))
        recs: list[ProgramRec] = []
        seen: set[str] = set()
        for hit in picked:
            program = self.knowledge.programs.get(hit.doc_id)
            if not program or hit.doc_id in seen or len(recs) >= 3:
                continue
            seen.add(hit.doc_id)
            self._add_source(ctx, hit)
            doc = program.meta
            recs.append(
                ProgramRec(
                    id=doc.id,
                    title=doc.title,
                    url=hit.url,
                    summary=doc.summary,
                    # What we can vouch for is the day a person checked it, not a validity
                    # date that may have passed: answers say "verificado el …".
                    valid_as_of=doc.verified_on.isoformat(),
                    stale=doc.review_by < dt.date.today(),
                )
            )
        return recs

    def _compose_offline(self, ctx: TurnContext) -> str:
        writer = {
            "greeting": offline.greeting,
            "thanks": offline.thanks,
            "profile": offline.profile_answer,
            "forget": offline.forget_answer,
            "handoff": offline.handoff_answer,
            "injection": offline.injection_answer,
        }.get(ctx.intent, offline.compose)
        return writer(ctx)

    def _remember(
        self, session_id: str, message: str, channel: str, response: ChatResponse, ctx: TurnContext
    ) -> None:
        if ctx.intent == "forget":
            self.memory.delete(session_id)
            return
        now = datetime.now(UTC)
        user = Turn(
            message_id=response.message_id + "-u",
            role="user",
            text=message,
            created_at=now,
            channel=channel,
        )
        bot = Turn(
            message_id=response.message_id,
            role="assistant",
            text=response.answer,
            created_at=now,
            channel=channel,
            intent=ctx.intent,
            confidence=response.confidence,
            refused=ctx.is_question and not ctx.confident,
        )
        self.memory.save_turn(session_id, user, bot, ctx.profile, ctx.questions)


def ctx_confidence(ctx: TurnContext) -> float:
    if not ctx.is_question:
        return 1.0
    return 1.0 if ctx.confident and ctx.evidence else 0.0


def _chunks(text: str, size: int = 48) -> list[str]:
    """Split an offline answer into word-aligned deltas so every channel streams alike."""
    words = re.split(r"(?<=\s)", text)
    out, buf = [], ""
    for w in words:
        buf += w
        if len(buf) >= size:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out
