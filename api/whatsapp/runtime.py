"""Start/stop the WhatsApp channel inside the API lifespan.

`api/main.py` calls `start_whatsapp(app)` after setting `app.state.settings` and
`app.state.assistant`, and `stop_whatsapp(app)` on shutdown. Tests and benchmarks may put a
`WhatsAppOptions` on `app.state.whatsapp_options` first to inject a store, clock or delays.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from api.whatsapp.graph import GraphClient, RetryPolicy
from api.whatsapp.payloads import ParsedWebhook, configure_session_key
from api.whatsapp.privacy import msg_tag
from api.whatsapp.store import WhatsAppStore
from api.whatsapp.store_redis import RedisWhatsAppStore
from api.whatsapp.store_sqlite import SqliteWhatsAppStore
from api.whatsapp.worker import Worker, WorkerConfig
from assistant.settings import Settings

log = logging.getLogger(__name__)


def build_store(settings: Settings) -> WhatsAppStore:
    """Redis when `REDIS_URL` is set, else SQLite under the data dir."""
    if settings.redis_url:
        return RedisWhatsAppStore.from_url(settings.redis_url, prefix=settings.redis_prefix + "wa:")
    return SqliteWhatsAppStore(settings.data_dir / "whatsapp.sqlite3")


@dataclass
class WhatsAppOptions:
    """Injection points (all optional)."""

    store: WhatsAppStore | None = None
    clock: Callable[[], float] = time.time
    worker: WorkerConfig = field(default_factory=WorkerConfig)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    http: httpx.AsyncClient | None = None
    run_worker: bool = True


@dataclass
class WhatsAppRuntime:
    """What the webhook route needs at request time."""

    settings: Any
    store: WhatsAppStore
    graph: GraphClient
    worker: Worker
    clock: Callable[[], float]

    async def ingest(self, parsed: ParsedWebhook) -> tuple[int, int]:
        """Persist messages and statuses (dedup), then wake the worker. Returns new counts."""
        now = self.clock()
        fresh = await self.store.add_inbound(parsed.messages, now) if parsed.messages else []
        seen = await self.store.add_statuses(parsed.statuses, now) if parsed.statuses else []
        for status, is_new in zip(parsed.statuses, seen, strict=True):
            if is_new and status.status == "failed":
                log.warning(
                    "whatsapp: outbound %s failed at Meta: code %s (%s)",
                    msg_tag(status.key),
                    status.error_code,
                    status.error_title,
                )
        for error in parsed.errors:
            log.warning("whatsapp: webhook error code %s: %s", error.code, error.title)
        dupes = len(fresh) - sum(fresh)
        if dupes:
            log.info("whatsapp: %d redelivered message(s) ignored", dupes)
        if any(fresh):
            self.worker.wake()
        return sum(fresh), sum(seen)


async def start_whatsapp(app: Any) -> None:
    """Open the store, build the Graph client and start the worker (no-op when disabled)."""
    settings = app.state.settings
    app.state.whatsapp = None
    if not settings.whatsapp_enabled:
        log.info("whatsapp: channel disabled (WHATSAPP_* settings incomplete)")
        return
    configure_session_key(settings.whatsapp_app_secret.get_secret_value())
    options: WhatsAppOptions = getattr(app.state, "whatsapp_options", None) or WhatsAppOptions()
    store = options.store or build_store(settings)
    await store.setup()
    graph = GraphClient(
        settings.whatsapp_graph_url,
        settings.whatsapp_access_token.get_secret_value(),
        http=options.http,
        retry=options.retry,
    )
    worker = Worker(
        store, graph, lambda: app.state.assistant, config=options.worker, clock=options.clock
    )
    app.state.whatsapp = WhatsAppRuntime(settings, store, graph, worker, options.clock)
    if options.run_worker:
        # Resumes whatever a previous process left pending or unsent.
        worker.start()
    log.info("whatsapp: channel started (%s store)", type(store).__name__)


async def stop_whatsapp(app: Any) -> None:
    """Stop the worker and close connections; pending work stays in the store."""
    runtime: WhatsAppRuntime | None = getattr(app.state, "whatsapp", None)
    if runtime is None:
        return
    app.state.whatsapp = None
    await runtime.worker.stop()
    await runtime.graph.aclose()
    await runtime.store.close()
