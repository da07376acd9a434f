"""The one assistant entry point every channel calls: `respond`, `stream`, profile and forget."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any, Literal

from assistant.answering.answerer import Answerer
from assistant.answering.evidence import cite
from assistant.composition import Composer, offline
from assistant.composition.guard import GuardPolicy, SentenceGuard, urls_in
from assistant.composition.llm import LLMComposer, load_prompt
from assistant.errors import AssistantError, KnowledgeUnavailable, NotFound
from assistant.knowledge.models import Course
from assistant.knowledge.reader import Knowledge, read_knowledge
from assistant.memory.port import SessionState, SessionStore, Turn
from assistant.recommendation import recommend as blocks
from assistant.recommendation.recommend import recommend_all
from assistant.retrieval.generations import LiveIndex
from assistant.retrieval.hybrid import Filters, HybridRetriever
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
    SourcesEvent,
    Topic,
)
from assistant.settings import Settings
from assistant.turn import Answer, Recommended, TurnContext, TurnInput, Understanding
from assistant.understanding.reader import QUESTIONS, Reader, classify
from assistant.understanding.sectors import SectorMeaning
from assistant.understanding.text import UNDERSTAND_CHARS, canonical, clip_chars, fold

log = logging.getLogger(__name__)
Mode = Literal["offline", "llm"]

# Said when the model's text broke a rule after some good sentences had already streamed.
SAFE_ENDING = (
    "Hasta aquí te puedo responder con información verificada. Si quieres, pregúntame de "
    "nuevo con otras palabras."
)
# A stateless conversation (the OpenAI-compatible API) replays at most this many user turns.
MAX_REPLAYED_TURNS = 20


def _noop(*_: Any) -> None:
    return None


class Assistant:
    """A thin orchestrator over typed stages; stateless between calls.

    turn input → understanding → answer and recommendations → composer → turn result
    """

    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever,
        knowledge: Knowledge,
        memory: SessionStore,
        composer: LLMComposer | None = None,
        on_event: Callable[[str, dict[str, Any]], None] = _noop,
        meaning: SectorMeaning | None = None,
        index: LiveIndex | None = None,
    ) -> None:
        self.settings = settings
        # The index generation this process serves, and the pointer it follows (None: the
        # retriever is fixed, as in some tests and tools).
        self.index = index
        self._reload_lock = threading.Lock()
        # Sector descriptions as vectors (built by the composition root with the retriever's
        # embedder), for businesses no alias names.
        self.meaning = meaning
        self.retriever = retriever
        self.knowledge = knowledge
        self.memory = memory
        self.composer = composer  # LLM composer, or None for offline only
        self.offline = offline.OfflineComposer()
        self.reader = Reader(
            list(knowledge.sectors.values()),
            composer.extraction_llm if composer is not None else None,
            meaning,
        )
        self.on_event = on_event  # metrics hook: ("retrieval", {...}), ("fallback", {...})
        self.answerer = Answerer(knowledge, retriever)

    # ---- public API -------------------------------------------------------------------------
    async def respond(
        self,
        session_id: str | None,
        message: str,
        channel: str = "web",
        transcript: list[tuple[str, str]] | None = None,
    ) -> ChatResponse:
        """One full turn, without streaming (`transcript`: see `stream`)."""
        session_id = session_id or uuid.uuid4().hex
        ctx = await self._prepared(session_id, message, channel, transcript)
        written: list[tuple[str, Mode]] = []
        if self._use_llm(ctx) and self.composer is not None:
            async for _ in self._compose(self.composer, ctx, written):
                pass  # no client to stream to: only the checked text matters
        answer = written[0] if written else (offline.write(ctx), "offline")
        response = self._result(session_id, ctx, *answer)
        if transcript is None:
            await asyncio.to_thread(self._remember, session_id, message, channel, response, ctx)
        return response

    async def stream(
        self,
        session_id: str | None,
        message: str,
        channel: str = "web",
        transcript: list[tuple[str, str]] | None = None,
    ) -> AsyncIterator[ChatEvent]:
        """The turn as typed events: meta, sources, recommendations, deltas, done.

        With `transcript` (earlier `(role, text)` turns, oldest first) the turn is stateless:
        the profile is rebuilt from the transcript's user turns, and nothing is read from or
        written to memory (the OpenAI-compatible API, whose clients send the whole history).
        """
        session_id = session_id or uuid.uuid4().hex
        message_id = uuid.uuid4().hex[:16]
        ctx = await self._prepared(session_id, message, channel, transcript)
        use_llm = self._use_llm(ctx)
        yield MetaEvent(
            session_id=session_id, message_id=message_id, mode="llm" if use_llm else "offline"
        )
        if ctx.sources:
            yield SourcesEvent(sources=ctx.sources)
        if ctx.show_recommendations:
            yield RecommendationsEvent(
                recommendations=ctx.recommendations, profile=ctx.profile, follow_up=ctx.follow_up
            )
        composer: Composer = self.composer if use_llm and self.composer else self.offline
        written: list[tuple[str, Mode]] = []
        async for piece in self._compose(composer, ctx, written):
            yield DeltaEvent(text=piece)
        response = self._result(session_id, ctx, *written[0], message_id)
        if transcript is None:
            await asyncio.to_thread(self._remember, session_id, message, channel, response, ctx)
        yield DoneEvent(response=response)

    async def aclose(self) -> None:
        """Release memory connections; safe to call twice."""
        await asyncio.to_thread(self.memory.close)

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
        # Forced: a probe right after an ingest must not read the new pointer while this
        # process still waits out its once-a-second look (it would report a false 503).
        self.refresh(force=True)
        generation = self.index.generation.number if self.index is not None else None
        if self.index is not None:
            reason = self.index.missing_reason()
            if reason:
                raise KnowledgeUnavailable(reason)
        try:
            self.retriever.ping()
        except KnowledgeUnavailable as exc:
            if generation is None:
                raise
            raise KnowledgeUnavailable(
                f"La generación {generation} del índice no existe o no se puede leer. Corre "
                "«mipyme-ia ingest» para construir una nueva."
            ) from exc
        checks = {"store": "ok", "index_chunks": str(self.retriever.size)}
        if generation is not None:
            checks["index_generation"] = str(generation)
        self.memory.ping()
        checks["memory"] = "ok"
        checks["llm"] = "configured" if self.composer else "offline"
        return checks

    def refresh(self, force: bool = False) -> bool:
        """Move to the live index generation if another process switched it (an ingest).

        Cheap when nothing changed (the pointer is looked at once a second). The new generation
        is opened beside the one in use and then swapped in, so turns in flight finish on the
        old one, which the ingest keeps. If it cannot be opened yet, this keeps serving the
        current one and tries again at the next look.
        """
        if self.index is None:
            return False
        target = self.index.moved(force)
        if target is None:
            return False
        with self._reload_lock:  # one opening at a time; turns arriving meanwhile wait for it
            if target.same_as(self.index.generation):
                return False
            try:
                self._swap(self.index.open(target))
            except Exception:  # KnowledgeUnavailable, or knowledge/ unreadable mid-edit
                log.warning(
                    "Index generation %s cannot be opened yet", target.number, exc_info=True
                )
                return False
            self.index.generation = target
            log.info("Now serving index generation %s", target.number)
        return True

    def reload(self) -> None:
        """Pick up a new index and knowledge files (after an ingest) without a restart."""
        if self.index is None:
            self.retriever.reload()
            self._swap(self.retriever)
            return
        target = self.index.moved(force=True) or self.index.generation
        with self._reload_lock:
            self._swap(self.index.open(target))
            self.index.generation = target

    def _swap(self, retriever: HybridRetriever) -> None:
        """Build everything that reads the index or knowledge/, then swap references."""
        knowledge = read_knowledge(self.settings.knowledge_dir)
        meaning = self.meaning
        if meaning is not None:
            meaning = meaning.rebuilt(list(knowledge.sectors.values()))
        answerer = Answerer(knowledge, retriever)
        reader = Reader(
            list(knowledge.sectors.values()),
            self.composer.extraction_llm if self.composer is not None else None,
            meaning,
        )
        self.retriever, self.knowledge, self.meaning = retriever, knowledge, meaning
        self.answerer, self.reader = answerer, reader

    # ---- the turn ---------------------------------------------------------------------------
    async def _prepared(
        self,
        session_id: str,
        message: str,
        channel: str,
        transcript: list[tuple[str, str]] | None,
    ) -> TurnContext:
        if transcript is None:
            return await asyncio.to_thread(self._prepare, session_id, message, channel)
        state = await asyncio.to_thread(self._replay, session_id, transcript)
        return await asyncio.to_thread(self._prepare, session_id, message, channel, state)

    def _replay(self, session_id: str, transcript: list[tuple[str, str]]) -> SessionState:
        """The state a stateless conversation would have: its profile rebuilt, rules only,
        from the user turns (each read with the questions the assistant had just asked)."""
        profile = BusinessProfile()
        asked: list[str] = []
        history: list[Turn] = []
        users = 0
        for role, text in transcript:
            if role == "assistant":
                asked = [slot for slot, (q, _) in QUESTIONS.items() if q in text]
                history.append(Turn(message_id="-", role="assistant", text=text))
                continue
            history.append(Turn(message_id="-", role="user", text=text))
            users += 1
            if users > MAX_REPLAYED_TURNS or classify(text) in ("injection", "forget"):
                continue
            profile = self.reader.extractor.update(profile, text, asked=asked).profile
            asked = []
        return SessionState(
            session_id=session_id, profile=profile, history=history, pending_slots=asked
        )

    def _prepare(
        self,
        session_id: str,
        message: str,
        channel: str = "web",
        replayed: SessionState | None = None,
    ) -> TurnContext:
        """Memory → understanding → answer and recommendations, as the composers' context."""
        self.refresh()  # after an ingest by another process, this turn reads the new generation
        # Search ranks from vectors held in memory, so a stopped Chroma would go unnoticed until
        # the next ingest; one cheap read (~0.5 ms embedded) keeps the outage a clear Spanish 503,
        # as /readyz reports it, instead of answers from an index nobody can update.
        self.retriever.ping()
        state = replayed if replayed is not None else self.memory.get(session_id)
        profile = state.profile if state else BusinessProfile()
        # The rules, the answerer and retrieval read a bounded part: their cost grows with the
        # text (the budget in understanding/text.py); the composers see all of it (below).
        # Canonical first: full-width letters or zero-width spaces are still Spanish.
        read = clip_chars(canonical(message), UNDERSTAND_CHARS)
        # "va", "ok y luego?": the next step offered is what the owner asks for, as if they had
        # pressed its button (every stage, the composers too, reads the button's text).
        step = blocks.going_on(read, profile, dict(state.sent) if state else {})
        read = step or read
        turn = TurnInput(
            session_id=session_id,
            message=read,
            channel=channel,
            profile=profile,
            history=tuple((t.role, t.text) for t in (state.history if state else [])),
            pending_slots=tuple(state.pending_slots if state else ()),
            topic=last_topic(state.history if state else []),
            last_courses=last_courses(state.history if state else []),
            last_ideas=last_ideas(state.history if state else []),
            sent=dict(state.sent) if state else {},
        )
        understood = self.reader.understand(turn)
        answer = self._answer(turn, understood) if understood.is_question else None
        recommended = self._recommend(turn, understood)
        turn = dataclasses.replace(turn, message=step or message)
        return self._context(turn, understood, answer or Answer(), recommended)

    def _context(
        self,
        turn: TurnInput,
        understood: Understanding,
        answer: Answer,
        recommended: Recommended | None,
    ) -> TurnContext:
        """The composers' view of the stages' outputs; program sources follow the answer's.

        Of the recommendations, only the blocks this turn shows travel (text and cards alike);
        a block asked for again but unchanged is only referred to.
        """
        recs = recommended.recommendations if recommended is not None else Recommendations()
        plan = blocks.plan(
            turn.message,
            understood.profile,
            understood.changed,
            recs,
            turn.sent,
            diagnosis=understood.intent == "diagnosis",
            answered=answer.confident and bool(answer.evidence),
            avoid=_given_in_full(recs, turn.history),
        )
        if blocks.PATH in plan.show and answer.kind != "catalog":
            # "¿Cuánto dura la ruta?" before any path was given: the one shown now answers it.
            path = [s.course_id for s in recs.training_path]
            own = self.answerer.path_answer(turn.message, path, understood.profile.weekly_hours)
            answer = own or answer
        if (plan.show or plan.unchanged) and offline.answered_by_blocks(
            turn.message, answer, understood.explicit_question
        ):
            # "Ver mi ruta de cursos": the blocks asked for are the answer, and nothing else
            # is cited (no passage that only shares the words "ruta" or "apoyos").
            answer = Answer(kind="none")
        shown = blocks.shown(recs, plan)
        sources = list(answer.sources)
        if recommended is not None and shown.programs:
            sources = cite(sources, recommended.program_hits)[0]
        questions = _worth_asking(understood, answer, plan, turn.message)
        follow_up = list(understood.follow_up)
        if questions != list(understood.questions):
            # The buttons go with the question asked, or the next steps when none is.
            follow_up = next(
                (list(o) for q, o in QUESTIONS.values() if questions[:1] == [q]),
                list(plan.next_steps),
            )
        if questions and not offline.next_question(questions, turn.history):
            # The question is not asked again this turn, so neither are its reply buttons.
            follow_up = list(plan.next_steps)
        if plan.show or plan.unchanged or understood.intent == "diagnosis":
            # After a diagnosis or a block, the owner chooses the next step.
            follow_up = list(plan.next_steps) or follow_up
        # A wish asked as a question ("¿y pa traer clientes nuevos?") is answered by its idea.
        wish = bool(plan.focus and blocks.new_client_goals(turn.message))
        refused = understood.is_question and not answer.confident and not wish
        return TurnContext(
            message=turn.message,
            intent=understood.intent,
            profile=understood.profile,
            channel=turn.channel,
            changed=list(understood.changed),
            corrected=understood.corrected,
            recommendations=shown,
            sources=sources,
            evidence=list(answer.evidence),
            follow_up=follow_up,
            questions=questions,
            is_question=understood.is_question,
            explicit_question=understood.explicit_question,
            llm_available=understood.llm_available,
            confident=answer.confident,
            in_domain=understood.in_domain,
            show_recommendations=bool(plan.show),
            handoff_contact=self.settings.handoff_contact,
            history=list(turn.history),
            pending_slots=list(understood.next_slots),
            blocks=list(plan.show),
            unchanged=list(plan.unchanged),
            recalled=recs,
            more_ideas=plan.more_ideas,
            focus=plan.focus,
            focus_goal=plan.focus_goal,
            goals_before=list(turn.profile.goals),
            sent=plan.sent,
            refused=refused,
            confidence=0.0
            if refused or (understood.is_question and not answer.evidence and answer.kind != "none")
            else 1.0,
            answer=answer if understood.is_question else None,
        )

    def _answer(self, turn: TurnInput, understood: Understanding) -> Answer:
        answer = self.answerer.answer(turn, understood)
        self.on_event("retrieval", {"kind": answer.kind, "refused": not answer.confident})
        return answer

    def _recommend(self, turn: TurnInput, understood: Understanding) -> Recommended | None:
        """Recommendations for a known business; cheap (no search), so every regular turn has
        them and the plan decides what to show."""
        if understood.intent not in ("diagnosis", "question"):
            return None
        if not understood.profile.sector and not blocks.asked(turn.message):
            return None
        said = " ".join([*(text for role, text in turn.history if role == "user"), turn.message])
        return recommend_all(self.knowledge, understood.profile, said, ask=turn.message)

    def _use_llm(self, ctx: TurnContext) -> bool:
        if self.composer is None or ctx.intent not in ("question", "diagnosis"):
            return False
        if not ctx.llm_available:
            # The provider just failed on the profile call: don't make the user wait again.
            log.warning("LLM unavailable this turn, answering offline")
            self.on_event("fallback", {"reason": "ProviderError"})
            return False
        return True

    async def _compose(
        self, composer: Composer, ctx: TurnContext, written: list[tuple[str, Mode]]
    ) -> AsyncIterator[str]:
        """The answer's pieces as `composer` writes them; the checked text and its mode go to
        `written`. If the composer fails, the offline text does, without more pieces: the client
        already has the partial ones and `done` carries the whole answer."""
        if composer is self.offline:
            parts: list[str] = []
            async for piece in composer.stream(ctx):
                parts.append(piece)
                yield piece
            written.append((composer.finalize(ctx, "".join(parts)), "offline"))
            return
        # Model text leaves one checked sentence at a time (composition/guard.py): nothing the
        # guard has not passed reaches the client, streamed or not.
        guard = SentenceGuard(self._guard_policy(ctx))
        sent: list[str] = []
        try:
            async for piece in composer.stream(ctx):
                for sentence in guard.feed(piece):
                    sent.append(sentence)
                    yield sentence
                if guard.violation is not None:
                    break
            for sentence in guard.close():
                sent.append(sentence)
                yield sentence
            if guard.violation is None:
                written.append((composer.finalize(ctx, "".join(sent)), "llm"))
                return
            log.warning("LLM output stopped by the guard: %s", guard.violation.kind)
            if sent:  # good sentences already left: end them plainly
                ending = ("" if sent[-1].endswith((" ", "\n")) else " ") + SAFE_ENDING
                yield ending
                written.append((("".join(sent) + ending).strip(), "llm"))
                return
            # Nothing of the model's left: the offline answer replaces it, streamed whole.
            self.on_event("fallback", {"reason": "OutputGuard"})
        except AssistantError as exc:
            log.warning("LLM composer failed, answering offline: %s", exc.message)
            self.on_event("fallback", {"reason": type(exc).__name__})
            if sent:
                # The client has partial text; `done` carries the whole offline answer.
                written.append((offline.write(ctx), "offline"))
                return
        parts = []
        async for piece in self.offline.stream(ctx):
            parts.append(piece)
            yield piece
        written.append((self.offline.finalize(ctx, "".join(parts)), "offline"))

    def _guard_policy(self, ctx: TurnContext) -> GuardPolicy:
        """What this turn's model text may contain: its sources, the catalog, the official
        channel; never the system prompt."""
        courses = list(self.knowledge.courses.values())
        recs = ctx.recommendations
        urls = [s.url for s in ctx.sources] + [c.url for c in courses]
        urls += [step.url for step in recs.training_path] + [p.url for p in recs.programs]
        urls += urls_in(self.settings.handoff_contact) + ["https://www.gob.mx/se"]
        titles = [c.title for c in courses] + [c.provider for c in courses]
        titles += [s.title for s in ctx.sources]
        return GuardPolicy(
            allowed_urls=urls, system_prompt=load_prompt("system.md"), foreign_phrases=titles
        )

    def _result(
        self, session_id: str, ctx: TurnContext, answer: str, mode: Mode, message_id: str = ""
    ) -> ChatResponse:
        return ChatResponse(
            session_id=session_id,
            message_id=message_id or uuid.uuid4().hex[:16],
            answer=answer,
            mode=mode,
            profile=ctx.profile,
            recommendations=ctx.recommendations,
            sources=ctx.sources,
            follow_up=ctx.follow_up,
            intent=ctx.intent,
            confidence=ctx.confidence,
        )

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
            refused=ctx.refused,
            topic=turn_topic(ctx),
        )
        self.memory.save_turn(session_id, user, bot, ctx.profile, ctx.pending_slots, ctx.sent)


def turn_topic(ctx: TurnContext) -> Topic | None:
    """What this reply was about, for the next turn's follow-ups: the answer's topic, with the
    courses the reply listed (a training path shown wins: it is what "el segundo" points at)
    and the ideas it listed ("la segunda idea", "¿cómo empiezo con eso?")."""
    topic = ctx.answer.topic if ctx.answer is not None else None
    show = ctx.show_recommendations
    shown = [s.course_id for s in ctx.recommendations.training_path] if show else []
    ideas = [uc.id for uc in ctx.recommendations.use_cases] if show else []
    if ideas:
        # Listed, not given in full: no idea is "the one just given" (its ids stay empty).
        base = topic or Topic(kind="use_case")
        topic = base.model_copy(update={"ideas": ideas})
    if shown:
        base = topic or Topic(kind="courses", ids=shown)
        return base.model_copy(update={"courses": shown})
    return topic


def _given_in_full(recs: Recommendations, history: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The ideas the last reply gave in full, as an answer ("Título: …") or a focus
    («Título»), not just listed ("• Título."): never resent word for word."""
    last = next((text for role, text in reversed(history) if role == "assistant"), "")
    return frozenset(
        uc.id
        for uc in recs.use_cases
        if f"{uc.title}:" in last or f"«{uc.title}»" in last or f"*{uc.title}*." in last
    )


def _worth_asking(
    understood: Understanding, answer: Answer, plan: blocks.Plan, message: str = ""
) -> list[str]:
    """The diagnosis questions this turn may ask (the reader never repeats one): not what the
    owner would improve first right after they said what they are after and got the idea for
    it, and not the hours they can study unless the course path is on the table (it is what
    the hours are for) or this is the diagnosis with the first ideas: there the hours are what
    brings the path (issue 11: a first reply ends with one question). Before the business is
    known, what to improve first or where it is mean nothing yet; and the
    hours are the owner's, not those of the staff or family the courses were asked for."""
    path = blocks.PATH in (*plan.show, *plan.unchanged) or blocks.IDEAS in plan.show
    skip = set()
    if answer.kind == "use_case" or plan.focus:
        skip.add(QUESTIONS["goals"][0])
    if not path or offline.courses_for_others(message):
        skip.add(QUESTIONS["weekly_hours"][0])
    if not understood.profile.sector and understood.intent in ("question", "diagnosis"):
        skip |= {QUESTIONS["goals"][0], QUESTIONS["state"][0]}
    return [q for q in understood.questions if q not in skip]


def last_topic(history: list[Turn]) -> Topic | None:
    """The topic of the assistant's last replies (a follow-up leans on the turn just before;
    one reply without a topic in between, like a profile update, does not lose it)."""
    replies = [t for t in history if t.role == "assistant"][-2:]
    for t in reversed(replies):
        if t.topic is not None:
            return t.topic
    return None


def last_courses(history: list[Turn]) -> tuple[str, ...]:
    """The courses the assistant listed most recently, in the order shown."""
    for t in reversed(history):
        if t.role == "assistant" and t.topic is not None and t.topic.courses:
            return tuple(t.topic.courses)
    return ()


def last_ideas(history: list[Turn]) -> tuple[str, ...]:
    """The ideas the assistant listed most recently, in the order shown."""
    for t in reversed(history):
        if t.role == "assistant" and t.topic is not None and t.topic.ideas:
            return tuple(t.topic.ideas)
    return ()
