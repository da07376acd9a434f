"""OpenAI-compatible Chat Completions, so the official clients (and LangChain) can talk to us."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from api import openai_wire
from api.deps import AssistantDep
from api.errors import ERROR_RESPONSES
from api.ratelimit import rate_limit
from api.streaming import sse_response, start

router = APIRouter(prefix="/v1", tags=["openai"], responses=ERROR_RESPONSES)

_COMPLETION_DOC = {
    200: {
        "description": "`chat.completion`, o eventos `chat.completion.chunk` si stream=true",
        "content": {"application/json": {}, "text/event-stream": {}},
    }
}


def _api_key(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" else ""


@router.post("/chat/completions", dependencies=[Depends(rate_limit)], responses=_COMPLETION_DOC)
async def chat_completions(
    body: openai_wire.ChatCompletionRequest, request: Request, assistant: AssistantDep
) -> Any:
    """Crea una respuesta con el formato de OpenAI (modelo `mipyme-ia`), con o sin streaming."""
    session_id, message = openai_wire.turn_from_request(body, _api_key(request))
    if not body.stream:
        response = await assistant.respond(session_id, message, "openai")
        return openai_wire.completion(body, response)
    events = await start(assistant.stream(session_id, message, "openai"))
    return sse_response(openai_wire.chunks(body, events))


@router.get("/models")
def list_models() -> openai_wire.ModelList:
    """Lista los modelos disponibles (solo `mipyme-ia`)."""
    return openai_wire.model_list()
