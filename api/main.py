"""App factory: `uvicorn --factory api.main:create_app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware import Middleware
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.logs import install_redaction
from api.metrics import Metrics, MetricsMiddleware
from api.middleware import BodySizeLimit, SecurityHeaders, TextSanity, TrustedProxies
from api.ratelimit import RateLimiter
from api.routes import (
    admin,
    chat,
    courses,
    feedback,
    health,
    openai_compat,
    sessions,
    whatsapp,
    widget,
)
from assistant.limits import MAX_WEBHOOK_BODY_BYTES
from assistant.service import Assistant
from assistant.settings import Settings, get_settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the assistant once (unless injected), start channels, and close everything."""
    from api.whatsapp.runtime import start_whatsapp, stop_whatsapp

    state = app.state
    built = state.assistant is None  # an injected assistant is closed by whoever made it
    if built:
        from assistant.factory import build_assistant

        # Loading embeddings and the index blocks; keep the event loop free meanwhile.
        state.assistant = await run_in_threadpool(
            partial(build_assistant, state.settings, on_event=state.metrics.on_event)
        )
    else:
        state.metrics.bind(state.assistant)
    await start_whatsapp(app)
    try:
        yield
    finally:
        await stop_whatsapp(app)
        await state.limiter.aclose()
        if built:
            await state.assistant.aclose()


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    """A configured app; the assistant is built in the lifespan unless one is passed in."""
    settings = settings or get_settings()
    metrics = Metrics()
    install_redaction()
    # First listed = outermost: CORS wraps everything so even 413/429 reach the browser readable.
    middleware = [
        # Outermost: every later layer (metrics, rate limits, logs) sees the real client.
        Middleware(TrustedProxies, proxies=settings.trusted_proxy_list),
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Content-Type", "Authorization"],
            expose_headers=["Retry-After", "x-request-id"],
            max_age=600,
        ),
        Middleware(SecurityHeaders),
        Middleware(MetricsMiddleware, metrics=metrics),
        # Meta batches up to 1000 updates (3 MB) in one webhook POST; chat bodies stay small.
        Middleware(
            BodySizeLimit,
            max_bytes=settings.max_body_bytes,
            per_path={"/webhooks/whatsapp": MAX_WEBHOOK_BODY_BYTES},
        ),
        # The webhook keeps its raw bytes for the signature and parses them itself.
        Middleware(TextSanity, skip={"/webhooks/whatsapp"}),
    ]
    app = FastAPI(
        title="Mipyme IA",
        version="0.1.0",
        summary="Asistente que guía a las Mipymes mexicanas en la adopción de IA.",
        lifespan=lifespan,
        middleware=middleware,
    )
    app.state.settings = settings
    app.state.assistant = assistant
    app.state.metrics = metrics
    app.state.limiter = RateLimiter.from_settings(settings)
    install_error_handlers(app)
    for module in (
        chat,
        sessions,
        feedback,
        courses,
        openai_compat,
        health,
        admin,
        whatsapp,
        widget,
    ):
        app.include_router(module.router)
    return app
