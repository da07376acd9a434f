"""OpenAI Chat Completions wire format: request/response models and the chunk encoder.

Session id (documented choice):
- `user` given: it names the conversation (`openai:<user>`, hashed if it has odd characters).
- otherwise: a hash of what never changes while one conversation grows, namely the system
  prompts, the first user message and the caller's API key. Every turn of one conversation
  then lands on the same server-side session, and different integrators never share one.
  Two of the same integrator's end users opening with the very same words would share a
  session, so integrators serving many people should send `user`.
The turn's message is the last `user` message; earlier ones are context the server already has.
Token counts in `usage` are estimates (about four characters per token).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import InvalidInput
from assistant.schemas import ChatEvent, ChatResponse, DeltaEvent, DoneEvent, ErrorEvent

MODEL_ID = "mipyme-ia"
MODEL_CREATED = 1767225600  # 2026-01-01, fixed so /v1/models is stable
MAX_MESSAGE_CHARS = 4000
_SAFE_USER = re.compile(r"^[A-Za-z0-9_.:@+-]{1,100}$")


class OAIMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text, joining text parts of multi-part content."""
        if isinstance(self.content, str):
            return self.content
        parts = self.content or []
        return "".join(str(p.get("text", "")) for p in parts if p.get("type") == "text")


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """What the official client sends; unsupported knobs are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1, max_length=200)
    messages: list[OAIMessage] = Field(min_length=1, max_length=200)
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    user: str | None = Field(default=None, max_length=256)


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def model_list() -> ModelList:
    """The one model we serve."""
    return ModelList(data=[ModelCard(id=MODEL_ID, created=MODEL_CREATED, owned_by="mipyme-ia")])


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def turn_from_request(request: ChatCompletionRequest, api_key: str = "") -> tuple[str, str]:
    """(session_id, message) for one completion request; see the module docstring."""
    users = [m for m in request.messages if m.role == "user"]
    if not users:
        raise InvalidInput("Falta un mensaje con rol «user».")
    message = users[-1].text().strip()
    if not message:
        raise InvalidInput("El mensaje no puede estar vacío.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise InvalidInput(f"El mensaje supera los {MAX_MESSAGE_CHARS} caracteres.")
    if request.user:
        user = request.user if _SAFE_USER.match(request.user) else _digest(request.user)
        return f"openai:{user}", message
    system = [m.text() for m in request.messages if m.role in ("system", "developer")]
    anchor = json.dumps([system, users[0].text()], ensure_ascii=False)
    return f"openai-{_digest(api_key, anchor)}", message


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _usage(request: ChatCompletionRequest, answer: str) -> dict[str, int]:
    prompt = sum(_tokens(m.text()) for m in request.messages)
    completion = _tokens(answer)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def completion(request: ChatCompletionRequest, response: ChatResponse) -> dict[str, Any]:
    """A `chat.completion` object for a finished answer."""
    return {
        "id": f"chatcmpl-{response.message_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": response.answer},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(request, response.answer),
    }


async def chunks(
    request: ChatCompletionRequest, events: AsyncIterator[ChatEvent]
) -> AsyncIterator[str]:
    """Encode guarded assistant events as `chat.completion.chunk` data lines, then `[DONE]`."""
    chunk_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    with_usage = bool(request.stream_options and request.stream_options.include_usage)

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        body: dict[str, Any] = {
            "id": chunk_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }
        if with_usage:
            body["usage"] = None
        body.update(extra)
        return json.dumps(body, ensure_ascii=False)

    yield chunk({"role": "assistant", "content": ""})
    streamed = False
    async for event in events:
        if isinstance(event, DeltaEvent) and event.text:
            streamed = True
            yield chunk({"content": event.text})
        elif isinstance(event, DoneEvent):
            if not streamed:  # an assistant that answers without deltas
                yield chunk({"content": event.response.answer})
            yield chunk({}, "stop")
            if with_usage:
                yield chunk({}, choices=[], usage=_usage(request, event.response.answer))
        elif isinstance(event, ErrorEvent):
            yield json.dumps({"error": {"code": event.code, "message": event.message}})
    yield "[DONE]"
