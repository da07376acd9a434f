"""How `mipyme-ia serve` runs uvicorn: slow-client timeouts and no implicit proxy trust.

Slow clients (docs/security.md):
- headers: a connection gets `HEADER_TIMEOUT_S` to deliver a complete request line and
  headers, for its first request and for each later one on a kept-alive connection, or it is
  closed (uvicorn itself waits forever: one slowloris socket per file descriptor);
- body: `api.middleware.BODY_READ_TIMEOUT_S` between two pieces of the body, then a 408;
- idle keep-alive: `KEEP_ALIVE_S`.

Proxies: uvicorn's own `proxy_headers` trusts `X-Forwarded-For` from 127.0.0.1 by default, so
it is off; `api.middleware.TrustedProxies` reads the header only from `MIPYME_TRUSTED_PROXIES`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
KEEP_ALIVE_S = 5


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol plus a deadline for each request's headers."""

    header_timeout = HEADER_TIMEOUT_S
    _header_timer: asyncio.TimerHandle | None = None

    def _waiting_for_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._waiting_for_headers() and not self.transport.is_closing():
            self._arm()  # a partial request line or headers: the clock runs
        else:
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Idle now: uvicorn's keep-alive timer covers the wait for the next request to start.
        self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def uvicorn_options(**overrides: Any) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run` / `uvicorn.Config` (see the module docstring)."""
    return {
        "http": TimedH11Protocol,
        "proxy_headers": False,
        "timeout_keep_alive": KEEP_ALIVE_S,
        **overrides,
    }
