"""The SQLite store's scrubbing reaches the file bytes, even when another process is reading.

The end-to-end check over HTTP for both stores is tests/reliability/test_whatsapp_privacy.py;
this one covers what only a second connection can show: a reader in another process keeps
the WAL from being truncated, the store does not wait for it, and it tries again later.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from api.whatsapp.payloads import parse_webhook, user_hash
from api.whatsapp.store_sqlite import SqliteWhatsAppStore

from .support import PHONE_NUMBER_ID, envelope, text_update

pytestmark = pytest.mark.asyncio(loop_scope="session")

PHONE = "5215598765432"


def _bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


async def test_settle_waits_for_no_reader_and_truncates_the_wal_later(tmp_path: Path) -> None:
    path = tmp_path / "whatsapp.sqlite3"
    store = SqliteWhatsAppStore(path)
    await store.setup()
    reader = sqlite3.connect(path)
    try:
        now = time.time()
        [msg] = parse_webhook(
            envelope(text_update("wamid.SCRUB", PHONE, "mi RFC es XAXX010101000")),
            now=now,
            phone_number_id=PHONE_NUMBER_ID,
        ).messages
        assert await store.add_inbound([msg], now) == [True]
        assert PHONE[-10:].encode() in _bytes(path)  # pending: the reply's address
        # Another process starts reading before the message is answered.
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM wa_inbound").fetchone()
        await store.complete_inbound(msg.key, "ignored", [], now)
        await store.settle()  # cannot truncate under that reader, and must not wait for it
        assert PHONE[-10:].encode() in (path.parent / (path.name + "-wal")).read_bytes()
        reader.rollback()
        await store.settle()  # the next call does it
        assert (path.parent / (path.name + "-wal")).stat().st_size == 0
        data = _bytes(path)
        assert PHONE[-10:].encode() not in data and b"XAXX010101000" not in data
        assert user_hash(msg.user_key).encode() in data
        assert await store.inbound_state("wamid.SCRUB") == "ignored"
        assert await store.add_inbound([msg], now) == [False]  # still deduplicated
    finally:
        reader.close()
        await store.close()
