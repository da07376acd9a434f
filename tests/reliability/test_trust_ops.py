"""Operations side of the trust boundaries, over real HTTP: WhatsApp leases of a dead process."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from api.whatsapp.payloads import configure_session_key, normalize_phone, user_hash
from api.whatsapp.runtime import WhatsAppOptions
from api.whatsapp.store_sqlite import SqliteWhatsAppStore
from tests.helpers import REDIS_URL, UvicornThread, make_settings
from tests.whatsapp.support import FAST_RETRY, FakeGraph

from .support import envelope, signed, text_update, wait_until, whatsapp_env


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


async def _hold_lease(settings, user: str, owner: str) -> None:  # type: ignore[no-untyped-def]
    if settings.redis_url:
        from api.whatsapp.store_redis import RedisWhatsAppStore

        store = RedisWhatsAppStore.from_url(settings.redis_url, settings.redis_prefix + "wa:")
    else:
        store = SqliteWhatsAppStore(settings.data_dir / "whatsapp.sqlite3")
    configure_session_key(settings.whatsapp_app_secret.get_secret_value())
    await store.setup()
    try:
        assert await store.acquire_lease(f"user:{user_hash(user)}", owner, 600, time.time())
    finally:
        await store.close()


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_leases_of_a_killed_process_are_released_at_startup(
    store: str, data_dir: Path, redis_prefix: str, graph_server: FakeGraph
) -> None:
    """A process killed with -9 leaves its per-user leases (TTL 60 s in production, 600 s
    here); the next process on the host releases them at once and answers that user."""
    graph_server.reset()
    settings = make_settings(
        data_dir,
        REDIS_URL=REDIS_URL if store == "redis" else None,
        MIPYME_REDIS_PREFIX=redis_prefix,
        MIPYME_RATE_LIMIT="1000/minute",
        **whatsapp_env(graph_server.url),
    )
    phone = f"52155{uuid.uuid4().int % 10**8:08d}"
    to = normalize_phone(phone)
    dead_owner = f"{socket.gethostname()}:{_dead_pid()}:{uuid.uuid4().hex[:12]}"
    live_elsewhere = f"otra-maquina:1:{uuid.uuid4().hex[:12]}"
    other = f"52155{uuid.uuid4().int % 10**8:08d}"
    asyncio.run(_hold_lease(settings, to, dead_owner))
    asyncio.run(_hold_lease(settings, normalize_phone(other), live_elsewhere))

    app = create_app(settings)
    app.state.whatsapp_options = WhatsAppOptions(retry=FAST_RETRY)
    with UvicornThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        started = time.monotonic()
        for who, wamid in ((phone, "wamid.LEASE.A"), (other, "wamid.LEASE.B")):
            body, headers = signed(
                envelope(text_update(f"{wamid}.{uuid.uuid4().hex}", who, "Hola, tengo una tienda"))
            )
            assert http.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
        wait_until(lambda: graph_server.sent_to(to), 20, what="the reply to the leased user")
        assert time.monotonic() - started < 20  # not the lease's 600 s
        # A lease held by a process on another host is not ours to judge: it stays.
        time.sleep(1.5)
        assert not graph_server.sent_to(normalize_phone(other))
