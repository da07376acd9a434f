"""Web sessions belong to whoever holds the unguessable id the server issued.

- The server issues every web session id: `w-` + 192 random bits (32 URL-safe characters).
- `/v1/chat` and `/v1/chat/stream` keep a client's id only when it has that shape *and* the
  store knows it (so the server issued it). Anything else (a made-up id, an expired one, a
  WhatsApp `wa:…` or OpenAI `openai…` id) starts a new session with a fresh server-issued id,
  which the `meta` event and the response carry back. The other session is never read or
  written. (Documented choice, docs/security.md: new id rather than 4xx, so a widget whose
  session expired just carries on.)
- `/v1/sessions/{id}` and `/v1/feedback` answer 404 for any id outside the web namespace,
  before touching the store: channel sessions are not addressable over HTTP.
"""

from __future__ import annotations

import re
import secrets

from fastapi.concurrency import run_in_threadpool

from assistant.errors import NotFound
from assistant.service import Assistant

PREFIX = "w-"
_WEB_ID = re.compile(r"^w-[A-Za-z0-9_-]{32}$")
NOT_FOUND_MESSAGE = "No encontramos esa sesión. Puede que ya se haya borrado."


def issue() -> str:
    """A new web session id (192 random bits)."""
    return PREFIX + secrets.token_urlsafe(24)


def is_web_id(session_id: str | None) -> bool:
    """True for ids in the web namespace (shape only; says nothing about existence)."""
    return bool(session_id) and bool(_WEB_ID.match(session_id or ""))


def require_web_id(session_id: str, message: str = NOT_FOUND_MESSAGE) -> None:
    """404 for ids outside the web namespace, exactly like an unknown web session."""
    if not is_web_id(session_id):
        raise NotFound(message)


async def resolve(assistant: Assistant, session_id: str | None) -> str:
    """The session this web turn writes to: the client's if the server issued it, else new."""
    if not is_web_id(session_id):
        return issue()
    assert session_id is not None
    try:
        await run_in_threadpool(assistant.profile, session_id)
    except NotFound:
        return issue()
    return session_id
