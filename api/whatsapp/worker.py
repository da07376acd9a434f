"""Background worker: answers pending inbound messages and drains the outbox.

One user's messages are handled strictly in order under a per-user lease (so several API
processes sharing Redis never answer the same user concurrently); different users proceed in
parallel. Replies are written to the outbox in the same transaction that marks the inbound
message answered, so a crash at any point either re-runs the message (not yet answered) or
re-sends the stored replies (answered, not yet sent): nothing is lost, nothing is answered
twice. A crash in the instant between Graph accepting a message and us recording it can
repeat that one message; Graph has no idempotency key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from api.whatsapp.graph import GraphClient, GraphError
from api.whatsapp.interpret import interpret
from api.whatsapp.payloads import InboundMessage, wamid_hash
from api.whatsapp.privacy import msg_tag, scrub, user_tag
from api.whatsapp.render import Rendered, render_response, render_text, text_body
from api.whatsapp.store import OutboundMessage, WhatsAppStore
from assistant.errors import AssistantError

log = logging.getLogger(__name__)

WINDOW_SECONDS = 24 * 3600
POISON_AFTER = 3  # failures of one message before it is answered with an apology


@dataclass(frozen=True)
class WorkerConfig:
    """Tunables; tests shrink the delays."""

    poll_interval: float = 1.0
    lease_ttl: float = 60.0
    max_concurrent_users: int = 8
    outbox_base_delay: float = 15.0
    outbox_max_delay: float = 600.0
    outbox_max_attempts: int = 12
    window_margin: float = 120.0  # stop a little early: clocks and queues drift
    assistant_timeout: float = 120.0
    purge_every: float = 3600.0
    shutdown_grace: float = 5.0  # let answers in flight finish before cancelling them
    failure_backoff: float = 1.0  # first pause after an unexpected error serving a user


def lease_owner_is_dead(owner: str) -> bool:
    """True for a lease owner (`host:pid:random`) that was a process on this host that has
    exited; owners elsewhere, or in another format, cannot be judged and are left alone."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


class Worker:
    """Consumes the store; call `start()` once and `stop()` on shutdown."""

    def __init__(
        self,
        store: WhatsAppStore,
        graph: GraphClient,
        assistant: Callable[[], Any],
        *,
        config: WorkerConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.graph = graph
        self._assistant = assistant
        self.config = config or WorkerConfig()
        self.clock = clock
        # host:pid:random, so the next process on this host can tell a dead owner's leases.
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        # Users are named by `user_hash` everywhere here: tasks, leases, logs, the store.
        self._forget: set[str] = set()  # users who asked to be forgotten this turn
        self._wake = asyncio.Event()
        self._main: asyncio.Task[None] | None = None
        self._users: dict[str, asyncio.Task[None]] = {}
        self._slots = asyncio.Semaphore(self.config.max_concurrent_users)
        self._last_purge = 0.0
        self._stopping = False
        self._cooldown: dict[str, float] = {}  # user → monotonic time before retrying
        self._failures: dict[str, int] = {}  # user or message key → consecutive failures

    def start(self) -> None:
        self._main = asyncio.create_task(self._run(), name="whatsapp-worker")

    def wake(self) -> None:
        """New work arrived (called by the webhook after storing)."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop taking work, give answers in flight a short grace, then cancel the rest.

        Whatever is cut short stays pending in the store and resumes at the next start.
        """
        self._stopping = True
        if self._main:
            self._main.cancel()
            await asyncio.gather(self._main, return_exceptions=True)
        running = list(self._users.values())
        if running and self.config.shutdown_grace > 0:
            await asyncio.wait(running, timeout=self.config.shutdown_grace)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        self._users.clear()

    async def idle(self, timeout: float = 10.0, horizon: float = 60.0) -> None:
        """Wait until no user task runs and nothing is due within `horizon` s (tests, bench)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            busy = await self.store.users_with_work(self.clock() + horizon, 1)
            if not self._users and not busy:
                return
            await asyncio.sleep(0.01)
        raise TimeoutError("whatsapp worker still busy")

    async def _run(self) -> None:
        try:
            released = await self.store.release_dead_leases(lease_owner_is_dead)
            if released:
                log.info("whatsapp: released %d lease(s) of a stopped process", released)
        except Exception:
            log.warning("whatsapp: could not check for leases of stopped processes")
        while not self._stopping:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("whatsapp: worker tick failed; retrying")
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # races with the wake-up, and the worker would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.config.poll_interval):
                    await self._wake.wait()
            self._wake.clear()

    async def tick(self) -> None:
        """Start a task for every user with work that is not already being served here."""
        now = self.clock()
        if now - self._last_purge > self.config.purge_every:
            self._last_purge = now
            await self.store.purge(now)
        for user in await self.store.users_with_work(now):
            if user not in self._users and self._cooldown.get(user, 0.0) <= time.monotonic():
                task = asyncio.create_task(self._serve(user), name=f"whatsapp-{user_tag(user)}")
                self._users[user] = task
                task.add_done_callback(partial(self._forget_task, user))

    @contextlib.asynccontextmanager
    async def _lease(self, user: str) -> AsyncIterator[bool]:
        name, ttl = f"user:{user}", self.config.lease_ttl
        if not await self.store.acquire_lease(name, self.owner, ttl, self.clock()):
            yield False
            return

        async def renew() -> None:
            while True:
                await asyncio.sleep(ttl / 3)
                try:
                    if not await self.store.acquire_lease(name, self.owner, ttl, self.clock()):
                        log.warning("whatsapp: lease for %s lost", user_tag(user))
                except Exception:
                    log.warning("whatsapp: could not renew the lease for %s", user_tag(user))

        keeper = asyncio.create_task(renew())
        try:
            yield True
        finally:
            keeper.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self.store.release_lease(name, self.owner)

    def _forget_task(self, user: str, _task: asyncio.Task[None]) -> None:
        self._users.pop(user, None)

    async def _serve(self, user: str) -> None:
        try:
            async with self._slots, self._lease(user) as mine:
                if not mine:
                    return  # another process is serving this user
                while True:
                    await self._flush(user)
                    pending = await self.store.pending_inbound(user)
                    if not pending:
                        break
                    for msg in pending:
                        await self._handle_guarded(msg)
                        await self._flush(user)
                if user in self._forget and not await self.store.pending_outbound(user):
                    # "Borra mis datos": the confirmation is out; now the texts, replies and
                    # times we kept (for dedup and delivery records) go too.
                    self._forget.discard(user)
                    await self.store.forget_user(user)
                    log.info("whatsapp: forgot the stored messages of %s", user_tag(user))
                # Done rows were scrubbed; make sure their old bytes are gone from disk too.
                await self.store.settle()
        except asyncio.CancelledError:
            raise
        except Exception:
            n = self._failures[user] = self._failures.get(user, 0) + 1
            pause = min(60.0, self.config.failure_backoff * 2 ** (n - 1))
            self._cooldown[user] = time.monotonic() + pause
            log.exception("whatsapp: serving %s failed (%d); will retry", user_tag(user), n)
        else:
            self._failures.pop(user, None)
            self._cooldown.pop(user, None)

    async def _handle_guarded(self, msg: InboundMessage) -> None:
        """`_handle`, but a message that keeps failing is answered with an apology so the
        user's later messages are not stuck behind it forever."""
        try:
            await self._handle(msg)
        except asyncio.CancelledError:
            raise
        except Exception:
            n = self._failures[msg.key] = self._failures.get(msg.key, 0) + 1
            if n < POISON_AFTER:
                raise
            log.exception("whatsapp: giving up on %s after %d failures", msg_tag(msg.key), n)
            apology = self._outbound(msg, render_text(msg.to, AssistantError.default_message))
            await self.store.complete_inbound(msg.key, "answered", apology, self.clock())
        self._failures.pop(msg.key, None)

    async def _window_open(self, user: str) -> bool:
        last = await self.store.last_inbound(user)
        limit = WINDOW_SECONDS - self.config.window_margin
        return last is not None and self.clock() - last < limit

    async def _handle(self, msg: InboundMessage) -> None:
        action = await interpret(msg)
        now = self.clock()
        if action.kind == "ignore":
            await self.store.complete_inbound(msg.key, "ignored", [], now)
            return
        if await self._window_open(msg.user_hash):
            await self.graph.mark_read(msg.phone_number_id, msg.wamid, typing=action.kind == "ask")
        if action.kind == "ask":
            rendered = await self._answer(msg, action.text)
        else:
            rendered = render_text(msg.to, action.text)
        await self.store.complete_inbound(
            msg.key, "answered", self._outbound(msg, rendered), self.clock()
        )

    def _outbound(self, msg: InboundMessage, rendered: list[Rendered]) -> list[OutboundMessage]:
        now = self.clock()
        return [
            OutboundMessage(
                id=f"{msg.key}#{i}",  # the hash: outbound ids are store keys
                inbound_id=msg.key,
                user_hash=msg.user_hash,
                phone_number_id=msg.phone_number_id,
                body=r.body,
                fallback_text=r.fallback_text,
                next_attempt_at=now,
                created_at=now,
            )
            for i, r in enumerate(rendered)
        ]

    async def _answer(self, msg: InboundMessage, text: str) -> list[Rendered]:
        assistant = self._assistant()
        try:
            async with asyncio.timeout(self.config.assistant_timeout):
                response = await assistant.respond(msg.session_id, text, channel="whatsapp")
        except AssistantError as exc:
            log.warning("whatsapp: assistant failed for %s: %s", msg_tag(msg.key), exc.code)
            return render_text(msg.to, exc.message)
        except TimeoutError:
            log.error("whatsapp: assistant timed out for %s", msg_tag(msg.key))
            return render_text(msg.to, AssistantError.default_message)
        except Exception:
            log.exception("whatsapp: assistant crashed for %s", msg_tag(msg.key))
            return render_text(msg.to, AssistantError.default_message)
        if response.intent == "forget":
            self._forget.add(msg.user_hash)
        try:
            return render_response(response, msg.to)
        except Exception:  # a rendering bug must not cost the user the answer
            log.exception("whatsapp: rendering failed for %s", msg_tag(msg.key))
            return render_text(msg.to, response.answer)

    def _backoff(self, attempts: int) -> float:
        base = min(
            self.config.outbox_max_delay,
            self.config.outbox_base_delay * 2.0 ** max(0, attempts - 1),
        )
        return base * (0.5 + random.random() / 2)

    async def _flush(self, user: str) -> None:
        """Send this user's due outbound messages in order; stop at the first one waiting."""
        for out in await self.store.pending_outbound(user):
            if out.next_attempt_at > self.clock():
                return  # keep order: later replies wait behind a retrying one
            if not await self._window_open(user):
                out.state = "expired"
                log.warning(
                    "whatsapp: reply %s to %s expired: 24-hour window closed",
                    msg_tag(out.inbound_id),
                    user_tag(user),
                )
                await self.store.save_outbound(out, self.clock())
                continue
            if not await self._send(out):
                return

    async def _send(self, out: OutboundMessage) -> bool:
        """Try once (with in-call retries); record the outcome. False = retry later."""
        out.attempts += 1
        try:
            # Only its hash is kept: statuses are matched by hashing the wamid they carry.
            sent = await self.graph.send(out.phone_number_id, out.body)
            out.wamid_hash = wamid_hash(sent) if sent else None
        except GraphError as exc:
            out.error_code, out.error = exc.error_code, scrub(exc.detail)[:500]
            if exc.window_closed:
                out.state = "expired"
            elif exc.retryable and out.attempts < self.config.outbox_max_attempts:
                out.next_attempt_at = self.clock() + self._backoff(out.attempts)
                log.warning(
                    "whatsapp: send of %s deferred (HTTP %s, code %s, attempt %d)",
                    msg_tag(out.inbound_id),
                    exc.status,
                    exc.error_code,
                    out.attempts,
                )
                await self.store.save_outbound(out, self.clock())
                return False
            elif out.fallback_text and not exc.retryable:
                # An interactive message Graph rejected: degrade to plain text, keep the answer.
                log.error(
                    "whatsapp: interactive %s rejected (code %s); sending as text",
                    msg_tag(out.inbound_id),
                    exc.error_code,
                )
                out.body = text_body(out.body["to"], out.fallback_text)
                out.fallback_text = None
                return await self._send(out)
            else:
                out.state = "failed"
            log.error(
                "whatsapp: send of %s %s (HTTP %s, code %s): %s",
                msg_tag(out.inbound_id),
                out.state,
                exc.status,
                exc.error_code,
                out.error,
            )
            await self.store.save_outbound(out, self.clock())
            return True
        out.state, out.error_code, out.error = "sent", None, None
        await self.store.save_outbound(out, self.clock())
        return True
