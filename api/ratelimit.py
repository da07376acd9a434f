"""Per-IP and per-session rate limits (`limits` moving window; memory, or Redis when configured)."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any, cast

from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError as LimitsStorageError
from limits.storage import storage_from_string

from assistant.errors import RateLimited
from assistant.settings import Settings

logger = logging.getLogger("api.ratelimit")

# Body fields that name the conversation: ours, and OpenAI's `user`.
_SESSION_FIELDS = ("session_id", "user")


class RateLimiter:
    """One limit (`settings.rate_limit`) applied separately to each key it is given."""

    def __init__(self, rate: str, redis_url: str | None = None, prefix: str = "mipyme:") -> None:
        self.item: RateLimitItem = parse(rate)
        self.storage: Storage
        if redis_url:
            # The "async+" scheme always yields an asyncio storage.
            self.storage = cast(
                Storage,
                storage_from_string(
                    f"async+{redis_url}",
                    implementation="redispy",
                    key_prefix=f"{prefix}ratelimit",
                    wrap_exceptions=True,
                ),
            )
        else:
            self.storage = MemoryStorage()
        self.strategy = MovingWindowRateLimiter(self.storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        """The limiter `settings` describe."""
        return cls(settings.rate_limit, settings.redis_url, settings.redis_prefix)

    async def check(self, *keys: tuple[str, str]) -> None:
        """Count one hit on every key; raise RateLimited (with seconds to wait) on the first over."""
        for kind, value in keys:
            try:
                allowed = await self.strategy.hit(self.item, kind, value)
                if allowed:
                    continue
                stats = await self.strategy.get_window_stats(self.item, kind, value)
            except LimitsStorageError:
                # A Redis outage must not take the chat down with it: fail open, loudly.
                logger.warning("Límite de solicitudes no disponible; se deja pasar", exc_info=True)
                return
            raise RateLimited(retry_after=max(1, math.ceil(stats.reset_time - time.time())))

    async def ensure_open(self, kind: str, value: str) -> None:
        """Raise RateLimited when `kind`/`value` has used up its window, without counting a hit."""
        try:
            if await self.strategy.test(self.item, kind, value):
                return
            stats = await self.strategy.get_window_stats(self.item, kind, value)
        except LimitsStorageError:
            logger.warning("Límite de solicitudes no disponible; se deja pasar", exc_info=True)
            return
        raise RateLimited(retry_after=max(1, math.ceil(stats.reset_time - time.time())))

    async def reset(self) -> None:
        """Forget every counter (tests and operators)."""
        await self.storage.reset()

    async def aclose(self) -> None:
        """Close the Redis connection pool, if any."""
        client: Any = getattr(getattr(self.storage, "bridge", None), "storage", None)
        if client is not None and hasattr(client, "aclose"):
            await client.aclose()


async def _session_key(request: Request) -> str | None:
    if request.method != "POST" or "json" not in request.headers.get("content-type", ""):
        return None
    try:
        # FastAPI has already read and cached the body; this does not touch the socket again.
        body = await request.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    for field in _SESSION_FIELDS:
        value = body.get(field)
        if isinstance(value, str) and 0 < len(value) <= 128:
            # Hashed: the counter keys (in Redis when shared) must not keep session ids, which
            # may be phone numbers or e-mails, after the user asks us to forget the session.
            return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
    return None


async def rate_limit(request: Request) -> None:
    """Dependency: one hit per client IP and, when the JSON body names one, per session."""
    limiter: RateLimiter = request.app.state.limiter
    keys = [("ip", request.client.host if request.client else "desconocida")]
    session = await _session_key(request)
    if session:
        keys.append(("session", session))
    await limiter.check(*keys)
