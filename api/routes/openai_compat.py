"""OpenAI-compatible Chat Completions, so the official clients (and LangChain) can talk to us."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Depends, Request

from api import openai_wire
from api.deps import AssistantDep, SettingsDep
from api.errors import ERROR_RESPONSES, ErrorBody
from api.ratelimit import rate_limit
from api.streaming import sse_response, start
from assistant.errors import Unauthorized


class InvalidApiKey(Unauthorized):
    def __init__(self) -> None:
        super().__init__(
            "Falta la clave de la API o no es válida. Envíala como «Authorization: Bearer …»."
        )
        self.openai_code = "invalid_api_key"


def _api_key(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def require_api_key(request: Request, settings: SettingsDep) -> None:
    """Dependency: with `MIPYME_API_KEYS` set, the bearer key must be one of them (401)."""
    keys = settings.api_key_list
    if not keys:
        return
    given = _api_key(request).encode()
    # Compare against every key, always, so timing says nothing about which one nearly matched.
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(given, key.encode())
    if not matched:
        raise InvalidApiKey()


router = APIRouter(
    prefix="/v1",
    tags=["openai"],
    dependencies=[Depends(require_api_key)],
    responses={
        **ERROR_RESPONSES,
        401: {"model": ErrorBody, "description": "Clave inválida"},
        404: {"model": ErrorBody, "description": "Modelo inexistente"},
    },
)

_COMPLETION_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`chat.completion`, o eventos `chat.completion.chunk` si stream=true",
        "content": {"application/json": {}, "text/event-stream": {}},
    }
}


@router.post("/chat/completions", dependencies=[Depends(rate_limit)], responses=_COMPLETION_DOC)
async def chat_completions(
    body: openai_wire.ChatCompletionRequest, request: Request, assistant: AssistantDep
) -> Any:
    """Crea una respuesta con el formato de OpenAI (modelo `mipyme-ia`), con o sin streaming."""
    openai_wire.check_request(body)
    # Stateless: the whole conversation comes in `messages`; nothing is kept between calls.
    message, transcript = openai_wire.conversation(body)
    if not body.stream:
        response = await assistant.respond(None, message, "openai", transcript=transcript)
        return openai_wire.completion(body, response)
    events = await start(assistant.stream(None, message, "openai", transcript=transcript))
    return sse_response(openai_wire.chunks(body, events))


@router.get("/models")
def list_models() -> openai_wire.ModelList:
    """Lista los modelos disponibles (solo `mipyme-ia`)."""
    return openai_wire.model_list()


@router.get("/models/{model_id}")
def get_model(model_id: str) -> openai_wire.ModelCard:
    """Describe un modelo (solo existe `mipyme-ia`)."""
    if model_id != openai_wire.MODEL_ID:
        raise openai_wire.ModelNotFound(model_id)
    return openai_wire.model_card()
