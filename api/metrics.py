"""Prometheus metrics, one `CollectorRegistry` per app so several apps can live in one process.

The assistant reports through one hook, `metrics.on_event(name, data)`, which the lifespan
passes to `build_assistant(settings, on_event=...)` (`assistant/` never imports `api/`):

    on_event("retrieval", {"hits": 3})          one retrieval; 0 hits counts as a miss
    on_event("fallback", {"reason": "Timeout"})  the LLM failed and the offline composer answered
    on_event("feedback", {"rating": "up"})      a thumbs up/down was stored

`fallback()`, `retrieval()` and `feedback()` are the same counters as plain methods.
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The app's counters and histograms, plus the hooks the assistant reports through."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "mipyme_http_requests",
            "Solicitudes HTTP atendidas.",
            ["method", "route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "mipyme_http_request_duration_seconds",
            "Duración de las solicitudes HTTP.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.retrievals = Counter(
            "mipyme_retrievals",
            "Búsquedas en la base de conocimiento, con o sin resultados.",
            ["result"],
            registry=r,
        )
        self.retrieval_hits = Counter(
            "mipyme_retrieval_hits", "Pasajes recuperados de la base de conocimiento.", registry=r
        )
        self.fallbacks = Counter(
            "mipyme_llm_fallbacks",
            "Respuestas compuestas sin LLM porque el LLM falló.",
            ["reason"],
            registry=r,
        )
        self.feedback_total = Counter(
            "mipyme_feedback", "Calificaciones de los usuarios.", ["rating"], registry=r
        )

    def fallback(self, reason: str = "error") -> None:
        """Count one answer that fell back from the LLM to the offline composer."""
        self.fallbacks.labels(reason=reason).inc()

    def retrieval(self, hits: int) -> None:
        """Count one retrieval and the passages it returned."""
        self.retrievals.labels(result="hit" if hits > 0 else "miss").inc()
        if hits > 0:
            self.retrieval_hits.inc(hits)

    def feedback(self, rating: str) -> None:
        """Count one thumbs up/down."""
        self.feedback_total.labels(rating=rating).inc()

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one finished HTTP request."""
        self.requests.labels(method=method, route=route, status=str(status)).inc()
        self.latency.labels(method=method, route=route).observe(seconds)

    def render(self) -> bytes:
        """The registry in Prometheus text format."""
        return generate_latest(self.registry)

    def on_event(self, name: str, data: dict[str, Any]) -> None:
        """The assistant's hook: route one named event to its counter; unknown names are ignored."""
        if name == "retrieval":
            self.retrieval(int(data.get("hits", 0)))
        elif name == "fallback":
            self.fallback(str(data.get("reason", "error")))
        elif name == "feedback" and data.get("rating") in ("up", "down"):
            self.feedback(str(data["rating"]))

    def bind(self, assistant: Any) -> None:
        """Also send an injected assistant's `on_event` calls here, keeping its own hook."""
        previous = getattr(assistant, "on_event", None)
        if previous is None:
            return

        def both(name: str, data: dict[str, Any]) -> None:
            self.on_event(name, data)
            previous(name, data)

        assistant.on_event = both


class MetricsMiddleware:
    """Time every HTTP request and count it by route template (never the raw path)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def tracked_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        finally:
            route = scope.get("route")
            # Raw paths would carry session ids (phone numbers) and blow up label cardinality.
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.observe_request(
                scope["method"], template, status, time.perf_counter() - start
            )
