"""Chat turns, as JSON or as a server-sent event stream."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sse_starlette import EventSourceResponse

from api import web_sessions
from api.deps import AssistantDep
from api.errors import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from api.ratelimit import rate_limit
from api.streaming import chat_sse
from assistant.schemas import ChatRequest, ChatResponse

router = APIRouter(
    prefix="/v1",
    tags=["chat"],
    dependencies=[Depends(rate_limit)],
    responses={**ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
)

_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": "Eventos SSE", "content": {"text/event-stream": {}}}
}


@router.post("/chat")
async def chat(body: ChatRequest, assistant: AssistantDep) -> ChatResponse:
    """Responde un turno de la conversación con diagnóstico, ruta de cursos y programas.

    `session_id` solo se respeta si el servidor la emitió; si no, la respuesta trae una nueva."""
    session_id = await web_sessions.resolve(assistant, body.session_id)
    return await assistant.respond(session_id, body.message, body.channel)


@router.post("/chat/stream", response_class=EventSourceResponse, responses=_STREAM_DOC)
async def chat_stream(body: ChatRequest, assistant: AssistantDep) -> EventSourceResponse:
    """Igual que /v1/chat, pero transmite la respuesta como eventos SSE."""
    session_id = await web_sessions.resolve(assistant, body.session_id)
    return await chat_sse(assistant.stream(session_id, body.message, body.channel))
