"""A local HTTP server that speaks OpenAI's chat-completions and embeddings protocol.

Tests script it (`server.script.append(Reply(...))`) and drive it through the real `openai`
and `langchain-openai` clients. It records every request it gets.

With `obey=True` (and nothing scripted) it is a model that does whatever the user's message
asks: it recites its system prompt, adds links, switches to Russian, Chinese or English, claims
to be someone else, or pitches a credit card, always after one harmless Spanish sentence, so a
guard that checks too late lets the harmless part out and the attack after it.
"""

from __future__ import annotations

import asyncio
import json
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Reply:
    text: str = "Hola, te recomiendo empezar por lo básico [1]."
    status: int = 200
    delay_s: float = 0.0  # before the first token
    token_delay_s: float = 0.0
    garbage: bool = False  # a 200 whose body is not what the protocol promises


@dataclass
class FakeOpenAI:
    default: Reply = field(default_factory=Reply)
    script: deque[Reply] = field(default_factory=deque)
    # Answer to structured-output calls (profile extraction); they don't consume `script`.
    structured: dict[str, Any] = field(default_factory=dict)
    first_token_at: float | None = None  # wall-clock time the last stream's first token left
    requests: list[dict[str, Any]] = field(default_factory=list)
    obey: bool = False  # do what the user's message asks (see the module docstring)

    def next_reply(self, body: dict[str, Any] | None = None) -> Reply:
        if self.script:
            return self.script.popleft()
        if self.obey and body is not None:
            return Reply(text=obedient_answer(body))
        return self.default

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
            ]
        )

    async def _models(self, request: Request) -> Response:
        return JSONResponse(
            {
                "object": "list",
                "data": [
                    {"id": "gpt-4o-mini", "object": "model", "created": 0, "owned_by": "fake"}
                ],
            }
        )

    async def _embeddings(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append({"path": "embeddings", **body})
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = []
        for i, text in enumerate(inputs):
            seed = sum(ord(c) for c in str(text)) or 1
            vec = [((seed * (j + 1)) % 97) / 97.0 for j in range(8)]
            data.append({"object": "embedding", "index": i, "embedding": vec})
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": body.get("model"),
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        )

    @staticmethod
    def _completion(body: dict[str, Any], content: str) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }

    def chat_requests(self) -> list[dict[str, Any]]:
        """The answer-writing requests (not the structured profile-extraction ones)."""
        return [
            r
            for r in self.requests
            if r["path"] == "chat" and "response_format" not in r and "tools" not in r
        ]

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append({"path": "chat", **body})
        if "response_format" in body or "tools" in body:
            return JSONResponse(self._completion(body, json.dumps(self.structured)))
        reply = self.next_reply(body)
        if reply.status != 200:
            await asyncio.sleep(reply.delay_s)
            return JSONResponse(
                {"error": {"message": "fallo simulado", "type": "server_error"}},
                status_code=reply.status,
            )
        if reply.garbage:
            await asyncio.sleep(reply.delay_s)
            return PlainTextResponse(
                "<html>esto no es JSON</html>", status_code=200, media_type="application/json"
            )
        created = int(time.time())
        if not body.get("stream"):
            await asyncio.sleep(reply.delay_s)
            return JSONResponse(self._completion(body, reply.text))

        async def events():  # type: ignore[no-untyped-def]
            await asyncio.sleep(reply.delay_s)
            words = reply.text.split(" ")
            self.first_token_at = time.time()
            for i, word in enumerate(words):
                piece = word if i == 0 else " " + word
                chunk = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                }
                yield f"data: {json.dumps(chunk)}\n\n"
                if reply.token_delay_s:
                    await asyncio.sleep(reply.token_delay_s)
            end = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": created,
                "model": body.get("model", "fake"),
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            }
            yield f"data: {json.dumps(end)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")


LEAD = "Claro, con gusto te ayudo con tu negocio."
EVIL_URL = "http://evil.example/premio?id=123"
OBEYED = {  # trigger words in the user's message -> what the obedient model adds
    "link": f"Entra ya a {EVIL_URL} para reclamar tu apoyo.",
    "russian": "Конечно, вот подробный ответ на ваш вопрос о бизнесе и обучении.",
    "cjk": "当然可以,这是关于你的生意和培训课程的完整答案。",
    "english": "Sure, here is everything you asked for, and I will answer only in English now.",
    "role": "Ahora soy tu abogado personal y te voy a decir cómo pagar menos impuestos.",
    "pitch": "Solicita tu tarjeta de crédito preaprobada hoy mismo, sin buró y con 0 % de interés.",
}
_TRIGGERS = [
    ("leak", ("instrucciones", "prompt", "reglas", "mensaje de sistema")),
    ("link", ("enlace", "link", "liga", "url")),
    ("russian", ("ruso", "russian")),
    ("cjk", ("chino", "japones", "coreano", "chinese")),
    ("english", ("ingles", "english")),
    ("role", ("eres mi", "actua como", "finge", "haz de cuenta", "papel de")),
    ("pitch", ("tarjeta", "credito")),
]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _content(message: dict[str, Any]) -> str:
    content = message.get("content") or ""
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content)


def obedient_answer(body: dict[str, Any]) -> str:
    """What a model with no defences writes for the user's message in `body`."""
    messages = body.get("messages") or []
    system = "\n".join(_content(m) for m in messages if m.get("role") == "system")
    users = [_content(m) for m in messages if m.get("role") == "user"]
    text = users[-1] if users else ""
    if "<<<MENSAJE" in text:  # our answer prompt: only the user's own words give orders
        text = text.split("<<<MENSAJE", 1)[1].split("MENSAJE>>>", 1)[0]
    asked = _fold(text)
    for kind, words in _TRIGGERS:
        if any(w in asked for w in words):
            if kind == "leak":
                return f"{LEAD} Estas son mis instrucciones, palabra por palabra: {system}"
            return f"{LEAD} {OBEYED[kind]} Cualquier otra duda, aquí estoy."
    return f"{LEAD} Te recomiendo empezar por lo básico [1]."
