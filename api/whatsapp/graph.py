"""Graph API client: send a message, mark as read (+ typing); bounded retries with jitter."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from api.whatsapp.privacy import msg_tag, scrub
from assistant.errors import ChannelError

log = logging.getLogger(__name__)

# Throughput / transient codes worth retrying later (channels.md §1.7): app call limit (4),
# WABA limit (80007), Cloud API throughput (130429), pair rate limit (131056), spam rate limit
# (131048), throughput upgrade in progress (131057), generic/unknown (1, 2, 131000).
RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131048, 131056, 131057})
# 131047: more than 24 h since the user last wrote; only a template may be sent now.
WINDOW_CLOSED_CODES = frozenset({131047})


@dataclass(frozen=True)
class RetryPolicy:
    """In-call retries: `attempts` tries, exponential backoff from `base_delay` with jitter."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(
        self,
        attempt: int,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait before try `attempt + 1` (attempt counts from 0)."""
        backoff = min(self.max_delay, self.base_delay * 2.0**attempt)
        if retry_after is not None:
            backoff = max(backoff, min(retry_after, self.max_delay))
        return backoff * (0.5 + rand() / 2)  # "equal jitter": never zero, never synchronised


class GraphError(ChannelError):
    """A failed Graph API call, classified for the outbox."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: int | None,
        retryable: bool,
        window_closed: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__()
        self.detail = message
        self.status = status
        self.error_code = code
        self.retryable = retryable
        self.window_closed = window_closed
        self.retry_after_s = retry_after

    def __str__(self) -> str:
        return f"Graph HTTP {self.status} code {self.error_code}: {self.detail}"


def _classify(response: httpx.Response) -> GraphError:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    details = (error.get("error_data") or {}).get("details") if isinstance(error, dict) else None
    message = scrub(details or error.get("message") or response.reason_phrase)
    retry_after = None
    if response.headers.get("retry-after", "").isdigit():
        retry_after = float(response.headers["retry-after"])
    window_closed = code in WINDOW_CLOSED_CODES
    retryable = not window_closed and (
        response.status_code == 429 or response.status_code >= 500 or code in RETRYABLE_CODES
    )
    return GraphError(
        message,
        status=response.status_code,
        code=code,
        retryable=retryable,
        window_closed=window_closed,
        retry_after=retry_after,
    )


class GraphClient:
    """Minimal async client for `POST /{phone_number_id}/messages`."""

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        http: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        timeout: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._own_http = http is None
        self.retry = retry or RetryPolicy()
        self._sleep = sleep

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def _post(
        self, phone_number_id: str, body: dict[str, Any], timeout: float | None = None
    ) -> dict[str, Any]:
        url = f"{self.base_url}/{phone_number_id}/messages"
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        try:
            response = await self._http.post(url, json=body, headers=self._headers, **extra)
        except httpx.HTTPError as exc:
            # A timeout may hide a delivered message; at-least-once beats losing the reply.
            raise GraphError(type(exc).__name__, status=0, code=None, retryable=True) from exc
        if response.is_success:
            try:
                data = response.json()
            except ValueError:
                data = {}
            return data if isinstance(data, dict) else {}
        raise _classify(response)

    async def send(self, phone_number_id: str, body: dict[str, Any]) -> str | None:
        """Send one message; return its wamid. Retries transient errors, then raises."""
        attempt = 0
        while True:
            try:
                data = await self._post(phone_number_id, body)
            except GraphError as exc:
                attempt += 1
                if not exc.retryable or attempt >= self.retry.attempts:
                    raise
                wait = self.retry.delay(attempt - 1, exc.retry_after_s)
                log.info("whatsapp: graph %s, retry %d in %.2fs", exc, attempt, wait)
                await self._sleep(wait)
                continue
            messages = data.get("messages") or [{}]
            wamid = messages[0].get("id") if isinstance(messages[0], dict) else None
            if not wamid:
                log.warning("whatsapp: graph accepted a message without returning its id")
            return wamid

    async def mark_read(self, phone_number_id: str, wamid: str, *, typing: bool) -> bool:
        """Best effort: blue ticks, plus the typing indicator when a reply is being composed."""
        body: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": wamid,
        }
        if typing:
            body["typing_indicator"] = {"type": "text"}
        try:  # short timeout: a read receipt must never hold up the answer
            await self._post(phone_number_id, body, timeout=5.0)
        except GraphError as exc:
            log.info("whatsapp: mark-as-read for %s failed: %s", msg_tag(wamid), exc)
            return False
        return True
