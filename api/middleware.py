"""Pure ASGI middleware: body size and read-time limits, text sanity, trusted proxies,
security headers and request ids."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import uuid
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import BodyTooLarge, error_response, too_large_response

# A client gets this long between two pieces of its request body (slow-client guard; the
# headers' own limit is uvicorn's, see docs/security.md).
BODY_READ_TIMEOUT_S = 10.0


class SlowBody(Exception):
    """The client stopped sending its body mid-way."""


class BodySizeLimit:
    """Reject request bodies over `max_bytes` with 413, by Content-Length or by counting chunks."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        per_path: dict[str, int] | None = None,
        read_timeout: float | None = None,
    ) -> None:
        self.app = app
        self.default_max = max_bytes
        self.per_path = per_path or {}
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        max_bytes = self.per_path.get(path, self.default_max)
        declared = _content_length(scope)
        if declared is not None and declared > max_bytes:
            await too_large_response(max_bytes, path)(scope, receive, send)
            return

        received = 0
        started = False
        body_done = False

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # later receives wait for a disconnect: no timeout on those
                return await receive()
            try:
                timeout = self.read_timeout or BODY_READ_TIMEOUT_S
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                raise SlowBody from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                if received > max_bytes:
                    # Chunked (or lying) clients: stop reading as soon as the limit is crossed.
                    raise BodyTooLarge(max_bytes)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await too_large_response(max_bytes, path)(scope, receive, send)
        except SlowBody:
            if started:
                raise
            await error_response(
                408,
                "solicitud_lenta",
                "La solicitud tardó demasiado en llegar. Revisa tu conexión e intenta de nuevo.",
                {"Connection": "close"},
                path=path,
            )(scope, receive, send)


class TextSanity:
    """400 for a JSON body whose strings hold lone UTF-16 surrogates (`"\\ud800"`).

    JSON allows such escapes but no UTF-8 text can hold them: left alone they pass
    validation and blow up later, when the text is encoded (a 500 and a dropped keep-alive).
    The body is read once here (it is already size-limited) and replayed to the app.
    """

    def __init__(self, app: ASGIApp, skip: Iterable[str] = ()) -> None:
        self.app = app
        self.skip = set(skip)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "POST" or path in self.skip:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _has_lone_surrogate(body):
            await error_response(
                400,
                "texto_invalido",
                "El texto tiene caracteres que no son válidos. Revísalo e intenta de nuevo.",
                path=path,
            )(scope, receive, send)
            return
        replayed: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
        await self.app(scope, _replay(replayed, receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _has_lone_surrogate(body: bytes) -> bool:
    if b"\\u" not in body and b"\\U" not in body:
        return False  # no escapes at all: raw UTF-8 cannot encode a surrogate
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return False  # not JSON: the route's own validation answers
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except (ValueError, RecursionError):
        return False
    return False


class TrustedProxies:
    """Take the client address from `X-Forwarded-For` only when the peer is a trusted proxy.

    The address used is the right-most one that is not itself a trusted proxy (the left-most
    entries are whatever the client wrote). With no trusted proxies, headers are ignored.
    """

    def __init__(self, app: ASGIApp, proxies: Iterable[str] = ()) -> None:
        self.app = app
        self.networks = [ipaddress.ip_network(p, strict=False) for p in proxies]

    def _trusted(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in net for net in self.networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] == "http" and self.networks and client and self._trusted(client[0]):
            forwarded = [
                value.decode("latin-1")
                for name, value in scope.get("headers", [])
                if name == b"x-forwarded-for"
            ]
            hops = [h.strip() for h in ",".join(forwarded).split(",") if h.strip()]
            for hop in reversed(hops):
                if not self._trusted(hop):
                    try:
                        ipaddress.ip_address(hop)
                    except ValueError:
                        break  # garbage: keep the proxy's own address
                    scope = {**scope, "client": (hop, 0)}
                    break
        await self.app(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# The demo page and widget only load their own script and talk to this same origin.
_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)


class SecurityHeaders:
    """Add nosniff and Referrer-Policy everywhere; CSP and frame protection on the demo page.

    Also `x-request-id` (a fresh id per request, as OpenAI's API sends; quote it in support
    requests) and `X-Worker-Pid`: which worker process answered (operators and the scale-out tests read
    it to see requests spread over `--workers N`; a PID reveals nothing else).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        request_id = "req_" + uuid.uuid4().hex

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("X-Worker-Pid", str(os.getpid()))
                headers.setdefault("x-request-id", request_id)
                if path in ("/", "/widget.js"):
                    headers.setdefault("Content-Security-Policy", _PAGE_CSP)
                if path == "/":
                    headers.setdefault("X-Frame-Options", "DENY")
            await send(message)

        await self.app(scope, receive, send_with_headers)
