"""Drive the async assistant from synchronous evaluation code, notebook included."""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from assistant.schemas import ChatResponse

T = TypeVar("T")
CHANNEL = "notebook"


def run_sync(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion, even when called from inside a running loop (Jupyter)."""

    async def main() -> T:
        return await make()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    # A loop is already running in this thread (IPython kernel): use a private one elsewhere.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def new_session_id(prefix: str) -> str:
    """A fresh session id that matches the API's session-id pattern."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in prefix)[:60]
    return f"eval-{safe}-{uuid.uuid4().hex[:8]}"


async def converse(assistant: Any, session_id: str, turns: list[str]) -> list[ChatResponse]:
    """Send the turns in order within one session; returns every response."""
    responses: list[ChatResponse] = []
    for text in turns:
        responses.append(await assistant.respond(session_id, text, CHANNEL))
    return responses


def discard_session(assistant: Any, session_id: str) -> None:
    """Forget an evaluation session so it never shows up in the staff report."""
    try:
        assistant.memory.delete(session_id)
    except Exception:  # cleanup is best effort; the evaluation result stands
        pass
