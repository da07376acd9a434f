"""The one SSE encoder for assistant events, and the guard every stream passes through.

Wire format of `POST /v1/chat/stream` (event name = event `type`):

    event: meta              data: {"session_id", "message_id", "mode"}
    event: delta             data: {"text"}                      (repeated)
    event: sources           data: {"sources": [...]}
    event: recommendations   data: {"recommendations", "profile", "follow_up"}
    event: done              data: the full ChatResponse
    event: error             data: {"code", "message"}           (last event when anything fails)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

from sse_starlette import EventSourceResponse, ServerSentEvent

from assistant.errors import AssistantError
from assistant.schemas import ChatEvent, DoneEvent, ErrorEvent

logger = logging.getLogger("api.streaming")

PING_SECONDS = 15
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
_INTERRUPTED = ErrorEvent(
    code="respuesta_interrumpida",
    message="La respuesta se interrumpió. Intenta de nuevo en un momento.",
)
_UNEXPECTED = ErrorEvent(
    code="error_interno", message="Ocurrió un error inesperado. Intenta de nuevo en un momento."
)


async def start(events: AsyncIterable[ChatEvent]) -> AsyncIterator[ChatEvent]:
    """Pull the first event before any byte is sent, so early failures get a real HTTP status."""
    iterator = aiter(events)
    try:
        first = await anext(iterator)
    except StopAsyncIteration:
        return _only(_INTERRUPTED)
    return _guarded(first, iterator)


async def _only(event: ChatEvent) -> AsyncIterator[ChatEvent]:
    yield event


async def _guarded(first: ChatEvent, rest: AsyncIterator[ChatEvent]) -> AsyncIterator[ChatEvent]:
    """Yield events; end with `done` or exactly one `error`, whatever the assistant does."""
    event: ChatEvent = first
    try:
        while True:
            yield event
            if isinstance(event, DoneEvent | ErrorEvent):
                return
            event = await anext(rest)
    except StopAsyncIteration:
        yield _INTERRUPTED
    except AssistantError as exc:
        logger.warning("Flujo interrumpido: %s", exc.code, exc_info=exc)
        yield ErrorEvent(code=exc.code, message=exc.message)
    except Exception:
        logger.exception("Error inesperado durante el flujo")
        yield _UNEXPECTED
    finally:
        aclose = getattr(rest, "aclose", None)
        if aclose is not None:
            await aclose()


def encode_event(event: ChatEvent) -> ServerSentEvent:
    """One assistant event as one named SSE event."""
    if isinstance(event, DoneEvent):
        data = event.response.model_dump_json()
    else:
        data = event.model_dump_json(exclude={"type"})
    return ServerSentEvent(data=data, event=event.type)


async def _encoded(events: AsyncIterator[ChatEvent]) -> AsyncIterator[ServerSentEvent]:
    async for event in events:
        yield encode_event(event)


def sse_response(payloads: AsyncIterable[Any]) -> EventSourceResponse:
    """An SSE response with keep-alive pings and no proxy buffering."""
    return EventSourceResponse(payloads, headers=SSE_HEADERS, ping=PING_SECONDS, sep="\n")


async def chat_sse(events: AsyncIterable[ChatEvent]) -> EventSourceResponse:
    """Stream assistant events as `text/event-stream` (see the module docstring)."""
    return sse_response(_encoded(await start(events)))
