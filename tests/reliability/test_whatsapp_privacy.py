"""Phone numbers stay out of the WhatsApp stores (issue 14), over real HTTP.

The real app on uvicorn, signed webhook POSTs, the Graph API stand-in and the real assistant,
for both stores. The phone may sit in the data of a message that is still pending (it is the
address of the reply), and nowhere else: after the messages are answered and the replies
accepted, neither the bytes of the SQLite files (the `-wal` too) nor any Redis key or value
holds the number, in its `521…` or `52…` form (we look for its last 10 digits, which both
contain). A store written by the previous version, keyed by the phone number, is migrated when
the server starts, and what it had pending is still answered, to the right number.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as redis_lib

from api.main import create_app
from api.whatsapp.payloads import InboundMessage, normalize_phone, session_id_for, user_hash
from api.whatsapp.render import text_body
from api.whatsapp.runtime import WhatsAppOptions
from assistant.settings import Settings
from tests.helpers import REDIS_URL, UvicornThread, make_settings
from tests.whatsapp.support import FAST_RETRY, FAST_WORKER, FakeGraph

from .support import PHONE_NUMBER_ID, envelope, signed, text_update, wait_until, whatsapp_env

STORES = ["sqlite", "redis"]


@pytest.fixture
def redis_client() -> Iterator[redis_lib.Redis]:
    client = redis_lib.Redis.from_url(REDIS_URL, decode_responses=True)
    yield client
    client.close()


def _settings(store: str, data_dir: Path, prefix: str, graph_url: str) -> Settings:
    return make_settings(
        data_dir,
        REDIS_URL=REDIS_URL if store == "redis" else None,
        MIPYME_REDIS_PREFIX=prefix,
        MIPYME_RATE_LIMIT="1000/minute",
        **whatsapp_env(graph_url),
    )


def _app(settings: Settings, *, run_worker: bool = True) -> Any:
    app = create_app(settings)
    app.state.whatsapp_options = WhatsAppOptions(
        worker=FAST_WORKER, retry=FAST_RETRY, run_worker=run_worker
    )
    return app


def _new_phone() -> tuple[str, str]:
    """A Mexican mobile as Meta reports it (`521…`) and as we answer it (`52…`)."""
    phone = f"52155{uuid.uuid4().int % 10**8:08d}"
    return phone, normalize_phone(phone)


def _files_with(settings: Settings, digits: str) -> list[str]:
    """SQLite files (WhatsApp store and sessions, with `-wal`/`-shm`) whose bytes hold `digits`."""
    paths = [*settings.data_dir.glob("whatsapp.sqlite3*")]
    paths += settings.sqlite_path.parent.glob(settings.sqlite_path.name + "*")
    return [p.name for p in paths if p.is_file() and digits.encode() in p.read_bytes()]


def _redis_with(client: redis_lib.Redis, prefix: str, digits: str) -> list[str]:
    """Keys under `prefix` named after `digits` or holding them in any value."""
    found = []
    for key in client.scan_iter(f"{prefix}*", count=1000):
        kind = client.type(key)
        if kind == "string":
            values = [client.get(key) or ""]
        elif kind == "hash":
            values = [f"{k}={v}" for k, v in client.hgetall(key).items()]
        elif kind == "list":
            values = client.lrange(key, 0, -1)
        elif kind == "zset":
            values = client.zrange(key, 0, -1)
        elif kind == "set":
            values = list(client.smembers(key))
        else:
            values = [kind]  # a type we do not read: count it as a leak, to be looked at
        if digits in key or any(digits in str(v) for v in values):
            found.append(key)
    return found


def _leftovers(
    store: str, settings: Settings, client: redis_lib.Redis, prefix: str, phone: str
) -> list[str]:
    digits = phone[-10:]  # in both `521…` and `52…`
    if store == "redis":
        return _redis_with(client, prefix, digits)
    return _files_with(settings, digits)


def _post(http: httpx.Client, *values: dict[str, Any]) -> None:
    body, headers = signed(envelope(*values))
    assert http.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200


def _status(wamid: str, to: str, status: str) -> dict[str, Any]:
    """A delivery status as Meta sends it: it names the recipient."""
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": PHONE_NUMBER_ID},
        "statuses": [
            {
                "id": wamid,
                "status": status,
                "timestamp": str(int(time.time())),
                "recipient_id": to,
                "conversation": {"id": "c1", "origin": {"type": "service"}},
            }
        ],
    }


@pytest.mark.slow
@pytest.mark.parametrize("store", STORES)
def test_the_phone_number_is_kept_only_while_a_message_is_pending(
    store: str,
    data_dir: Path,
    redis_prefix: str,
    graph_server: FakeGraph,
    redis_client: redis_lib.Redis,
) -> None:
    graph_server.reset()
    settings = _settings(store, data_dir, redis_prefix, graph_server.url)
    phone, to = _new_phone()

    def leftovers() -> list[str]:
        return _leftovers(store, settings, redis_client, redis_prefix, phone)

    # 1. Stored, not yet answered (no worker): the number is there, it is the reply's address.
    with UvicornThread(_app(settings, run_worker=False)) as server:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            _post(http, text_update(f"wamid.PRIV.{uuid.uuid4().hex}", phone, "Hola"))
        assert leftovers(), "a pending message keeps the number (else this test sees nothing)"

    # 2. The next process answers it; Graph refuses the first sends, so the reply waits in the
    # outbox (with the number) and is retried. Then a second message and delivery statuses.
    graph_server.fail_next(FAST_RETRY.attempts + 2, status=503)
    app = _app(settings)
    with UvicornThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        first = wait_until(lambda: graph_server.sent_to(to), 60, what="the pending reply")
        assert len(graph_server.send_attempts) > len(graph_server.sent)  # it was retried
        _post(
            http, text_update(f"wamid.PRIV.{uuid.uuid4().hex}", phone, "Tengo una fonda en Oaxaca")
        )
        wait_until(lambda: len(graph_server.sent_to(to)) > len(first), 60, what="second reply")
        accepted = [f"wamid.out.{n}" for n in range(1, graph_server._n + 1)]
        _post(http, *(_status(w, to, "delivered") for w in accepted[-2:]))
        # Every reply went to the number the user wrote from, in its `52…` form.
        assert {b["to"] for b in graph_server.sent} == {to}
        assert app.state.assistant.profile(session_id_for(to)).state == "Oaxaca"
        # Answered and accepted: the number and the texts are scrubbed, while still running.
        wait_until(
            lambda: not leftovers(), 30, what=f"the number to leave the store: {leftovers()}"
        )
    assert leftovers() == []


# ------------------------------------------------------------------- data of the old version
_V1_SCHEMA = """
CREATE TABLE wa_inbound (seq INTEGER PRIMARY KEY AUTOINCREMENT, wamid TEXT NOT NULL UNIQUE,
    user_key TEXT NOT NULL, state TEXT NOT NULL, data TEXT NOT NULL, received_at REAL NOT NULL,
    updated_at REAL NOT NULL);
CREATE INDEX wa_inbound_pending ON wa_inbound (state, user_key, seq);
CREATE TABLE wa_outbound (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    inbound_id TEXT NOT NULL, user_key TEXT NOT NULL, state TEXT NOT NULL,
    next_attempt_at REAL NOT NULL, wamid TEXT, data TEXT NOT NULL, updated_at REAL NOT NULL);
CREATE INDEX wa_outbound_pending ON wa_outbound (state, user_key, seq);
CREATE INDEX wa_outbound_wamid ON wa_outbound (wamid);
CREATE TABLE wa_status (wamid TEXT NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL,
    received_at REAL NOT NULL, PRIMARY KEY (wamid, status));
CREATE TABLE wa_user (user_key TEXT PRIMARY KEY, last_inbound_at REAL NOT NULL);
CREATE TABLE wa_lease (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL);
"""


def _v1_rows(phone: str, to: str, now: float) -> dict[str, Any]:
    """What version 1 stored for one user: the number as key and in every row's data."""

    def inbound(wamid: str, text: str) -> str:
        value = text_update(wamid, phone, text, ts=now)
        raw = value["messages"][0]
        return InboundMessage(
            wamid=wamid,
            phone_number_id=PHONE_NUMBER_ID,
            user_key=to,
            to=to,
            type="text",
            timestamp=now,
            received_at=now,
            text=text,
            raw={"message": raw, "contact": value["contacts"][0]},
        ).model_dump_json()

    def outbound(oid: str, text: str, state: str, wamid: str | None, seq: int) -> str:
        return json.dumps(
            {
                "id": oid,
                "inbound_id": oid.split("#")[0],
                "user_key": to,
                "phone_number_id": PHONE_NUMBER_ID,
                "body": text_body(to, text),
                "state": state,
                "attempts": 0 if state == "pending" else 1,
                "next_attempt_at": 0.0,
                "created_at": now,
                "updated_at": now,
                "wamid": wamid,
                "seq": seq,
            }
        )

    status = json.dumps(
        {
            "wamid": "wamid.out.v1",
            "status": "delivered",
            "timestamp": now,
            "phone_number_id": PHONE_NUMBER_ID,
            "raw": _status("wamid.out.v1", to, "delivered")["statuses"][0],
        }
    )
    return {
        "pending_in": (
            "wamid.V1.pending",
            inbound("wamid.V1.pending", "Tengo una fonda en Oaxaca"),
        ),
        "done_in": ("wamid.V1.done", inbound("wamid.V1.done", "Hola, mi número es este")),
        "pending_out": (
            "wamid.V1.done#0",
            outbound("wamid.V1.done#0", "Respuesta guardada", "pending", None, 2),
        ),
        "sent_out": (
            "wamid.V1.old#0",
            outbound("wamid.V1.old#0", "Respuesta vieja", "sent", "wamid.out.v1", 1),
        ),
        "status": status,
    }


def _dead_owner() -> str:
    """The lease owner of a process on this host that has exited (a version-1 worker)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return f"{socket.gethostname()}:{proc.pid}:v1"


def _write_v1_sqlite(path: Path, phone: str, to: str, now: float) -> None:
    rows = _v1_rows(phone, to, now)
    db = sqlite3.connect(path)
    try:
        db.executescript(_V1_SCHEMA)
        with db:
            for key, state in (("done_in", "answered"), ("pending_in", "pending")):
                wamid, data = rows[key]
                db.execute(
                    "INSERT INTO wa_inbound (wamid, user_key, state, data, received_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (wamid, to, state, data, now, now),
                )
            for key, state, wamid in (
                ("sent_out", "sent", "wamid.out.v1"),
                ("pending_out", "pending", None),
            ):
                oid, data = rows[key]
                db.execute(
                    "INSERT INTO wa_outbound (id, inbound_id, user_key, state, next_attempt_at,"
                    " wamid, data, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                    (oid, oid.split("#")[0], to, state, wamid, data, now),
                )
            db.execute(
                "INSERT INTO wa_status VALUES ('wamid.out.v1', 'delivered', ?, ?)",
                (rows["status"], now),
            )
            db.execute("INSERT INTO wa_user VALUES (?, ?)", (to, now))
            db.execute(
                "INSERT INTO wa_lease VALUES (?, ?, ?)", (f"user:{to}", _dead_owner(), now + 600)
            )
    finally:
        db.close()


def _write_v1_redis(client: redis_lib.Redis, prefix: str, phone: str, to: str, now: float) -> None:
    rows = _v1_rows(phone, to, now)
    p = prefix + "wa:"
    pending, pending_data = rows["pending_in"]
    done, done_data = rows["done_in"]
    client.set(p + f"seen:{pending}", repr(now), ex=3600)
    client.set(p + f"seen:{done}", repr(now), ex=3600)
    client.hset(p + f"in:{pending}", mapping={"msg": pending_data, "state": "pending", "user": to})
    client.hset(p + f"in:{done}", mapping={"msg": done_data, "state": "answered", "user": to})
    client.expire(p + f"in:{done}", 3600)
    client.zadd(p + "inq", {pending: 3})
    client.zadd(p + f"inq:{to}", {pending: 3})
    client.set(p + "seq", 3)
    client.hset(p + "last", to, repr(now))
    for key, seq in (("sent_out", 1), ("pending_out", 2)):
        oid, data = rows[key]
        client.hset(p + f"out:{oid}", mapping={"msg": data, "user": to})
        client.zadd(p + "outall", {oid: now})
        if key == "pending_out":
            client.zadd(p + "outdue", {oid: 0})
            client.zadd(p + f"outq:{to}", {oid: seq})
        else:
            client.expire(p + f"out:{oid}", 3600)
    client.hset(p + "st:wamid.out.v1", "delivered", rows["status"])
    client.set(p + f"lease:user:{to}", _dead_owner(), px=600_000)


@pytest.mark.slow
@pytest.mark.parametrize("store", STORES)
def test_a_store_of_the_old_version_is_migrated_and_its_pending_work_answered(
    store: str,
    data_dir: Path,
    redis_prefix: str,
    graph_server: FakeGraph,
    redis_client: redis_lib.Redis,
) -> None:
    graph_server.reset()
    settings = _settings(store, data_dir, redis_prefix, graph_server.url)
    phone, to = _new_phone()
    now = time.time()
    if store == "redis":
        _write_v1_redis(redis_client, redis_prefix, phone, to, now)
    else:
        _write_v1_sqlite(settings.data_dir / "whatsapp.sqlite3", phone, to, now)
    assert _leftovers(store, settings, redis_client, redis_prefix, phone)

    app = _app(settings)
    with UvicornThread(app):
        # The reply that was waiting in the outbox, then the answer to the waiting message.
        wait_until(lambda: len(graph_server.sent_to(to)) >= 2, 60, what="the pending work")
        texts = [b.get("text", {}).get("body", "") for b in graph_server.sent]
        assert texts[0] == "Respuesta guardada"
        assert {b["to"] for b in graph_server.sent} == {to}
        assert app.state.assistant.profile(session_id_for(to)).state == "Oaxaca"
        wait_until(
            lambda: not _leftovers(store, settings, redis_client, redis_prefix, phone),
            30,
            what="the migrated store to drop the number",
        )
        # The done rows survived the migration, keyed by the hash: still deduplicated.
        if store == "sqlite":
            db = sqlite3.connect(settings.data_dir / "whatsapp.sqlite3")
            try:
                keys = {r[0] for r in db.execute("SELECT user_hash FROM wa_inbound")}
                version = db.execute("PRAGMA user_version").fetchone()[0]
            finally:
                db.close()
            assert keys == {user_hash(to)} and version == 2
        else:
            p = redis_prefix + "wa:"
            assert redis_client.hget(p + "in:wamid.V1.done", "user") == user_hash(to)
            assert redis_client.get(p + "schema") == "2"
    assert _leftovers(store, settings, redis_client, redis_prefix, phone) == []
