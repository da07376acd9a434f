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

import asyncio
import base64
import json
import socket
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as redis_lib

from api.main import create_app
from api.whatsapp.payloads import (
    InboundMessage,
    configure_session_key,
    normalize_phone,
    session_id_for,
    user_hash,
    wamid_hash,
)
from api.whatsapp.render import text_body
from api.whatsapp.runtime import WhatsAppOptions
from api.whatsapp.store import WhatsAppStore
from api.whatsapp.store_redis import RedisWhatsAppStore
from api.whatsapp.store_sqlite import SqliteWhatsAppStore
from assistant.settings import Settings
from tests.helpers import REDIS_URL, UvicornThread, make_settings
from tests.whatsapp.support import FAST_RETRY, FAST_WORKER, FakeGraph, meta_wamid

from .support import (
    PHONE_NUMBER_ID,
    envelope,
    redis_values,
    signed,
    text_update,
    wait_until,
    whatsapp_env,
)

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


def _wamid(phone: str) -> str:
    """An inbound message id as Meta makes them: base64 that holds the sender's number."""
    return meta_wamid(phone, uuid.uuid4().hex.upper()[:20])


def _needles(phone: str, wamids: Iterable[str]) -> list[str]:
    """What must not be stored once the work is done: the number (its last 10 digits, in both
    `521…` and `52…`), and every wamid, whole or just its base64 part (which decodes to it)."""
    found = [phone[-10:]]
    for wamid in wamids:
        found += [wamid, wamid.removeprefix("wamid.")]
    return found


def _files_with(settings: Settings, needles: list[str]) -> list[str]:
    """SQLite files (WhatsApp store and sessions, with `-wal`/`-shm`) holding any needle."""
    paths = [*settings.data_dir.glob("whatsapp.sqlite3*")]
    paths += settings.sqlite_path.parent.glob(settings.sqlite_path.name + "*")
    found = []
    for path in paths:
        data = path.read_bytes() if path.is_file() else b""
        found += [f"{path.name}: {n}" for n in needles if n.encode() in data]
    return found


def _redis_with(client: redis_lib.Redis, prefix: str, needles: list[str]) -> list[str]:
    """Keys under `prefix` named after a needle or holding one in any value."""
    found = []
    for key in client.scan_iter(f"{prefix}*", count=1000):
        # A type we do not read counts as a leak, to be looked at.
        values = redis_values(client, key) or [str(client.type(key))]
        text = key + "\n" + "\n".join(str(v) for v in values)
        found += [f"{key}: {n}" for n in needles if n in text]
    return found


def _leftovers(
    store: str,
    settings: Settings,
    client: redis_lib.Redis,
    prefix: str,
    phone: str,
    wamids: Iterable[str] = (),
) -> list[str]:
    needles = _needles(phone, wamids)
    if store == "redis":
        return _redis_with(client, prefix, needles)
    return _files_with(settings, needles)


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


def _reads(graph: FakeGraph, wamid: str) -> int:
    """How many times the worker handled this inbound message (each one is marked read)."""
    return sum(1 for body in graph.reads if body.get("message_id") == wamid)


def _replay_then_answer(
    http: httpx.Client, graph: FakeGraph, phone: str, to: str, replays: list[dict[str, Any]]
) -> str:
    """Redeliver `replays` (as Meta does for up to 7 days), then send a new message and wait
    for its answer. One user's messages are handled in arrival order, so once the new one is
    answered, a replay taken for new would have been handled (and marked read) already."""
    _post(http, *replays)
    fresh = _wamid(phone)
    before = len(graph.sent_to(to))
    _post(http, text_update(fresh, phone, "Gracias"))
    wait_until(lambda: _reads(graph, fresh) and len(graph.sent_to(to)) > before, 60, what="reply")
    return fresh


def _store(store: str, settings: Settings) -> WhatsAppStore:
    if store == "redis":
        return RedisWhatsAppStore.from_url(REDIS_URL, prefix=settings.redis_prefix + "wa:")
    return SqliteWhatsAppStore(settings.data_dir / "whatsapp.sqlite3")


def _statuses_and_outbound(
    store: str, settings: Settings, wamids: list[str]
) -> tuple[dict[str, list[str]], set[str | None]]:
    """The statuses recorded for each of our outbound `wamids`, and the outbound messages'
    wamid hashes, read through a store of our own once the server is gone."""

    async def read() -> tuple[dict[str, list[str]], set[str | None]]:
        wa = _store(store, settings)
        await wa.setup()
        try:
            found = {w: [s.status for s in await wa.statuses(w)] for w in wamids}
            return found, {o.wamid_hash for o in await wa.outbound()}
        finally:
            await wa.close()

    return asyncio.run(read())


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
    first_in, second_in = _wamid(phone), _wamid(phone)
    assert phone[-10:] in base64.b64decode(first_in.removeprefix("wamid.")).decode("latin-1")

    def leftovers() -> list[str]:
        wamids = [first_in, second_in, *graph_server.accepted]
        return _leftovers(store, settings, redis_client, redis_prefix, phone, wamids)

    # 1. Stored, not yet answered (no worker): the number and the wamid are there, they are the
    # reply's address and what marks the message read.
    with UvicornThread(_app(settings, run_worker=False)) as server:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            _post(http, text_update(first_in, phone, "Hola"))
        assert leftovers(), "a pending message keeps the number (else this test sees nothing)"

    # 2. The next process answers it; Graph refuses the first sends, so the reply waits in the
    # outbox (with the number) and is retried. Then a second message and delivery statuses.
    graph_server.fail_next(FAST_RETRY.attempts + 2, status=503)
    app = _app(settings)
    with UvicornThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        first = wait_until(lambda: graph_server.sent_to(to), 60, what="the pending reply")
        assert len(graph_server.send_attempts) > len(graph_server.sent)  # it was retried
        _post(http, text_update(second_in, phone, "Tengo una fonda en Oaxaca"))
        wait_until(lambda: len(graph_server.sent_to(to)) > len(first), 60, what="second reply")
        ours = list(graph_server.accepted)
        _post(http, *(_status(w, to, "delivered") for w in ours))
        # Every reply went to the number the user wrote from, in its `52…` form.
        assert {b["to"] for b in graph_server.sent} == {to}
        assert app.state.assistant.profile(session_id_for(to)).state == "Oaxaca"
        # Answered and accepted: the number, the texts and every wamid (ours and the user's)
        # are scrubbed or hashed, while still running.
        wait_until(lambda: not leftovers(), 30, what=f"the store to let go: {leftovers()}")

        # 3. Meta redelivers both messages and the statuses: still duplicates, by their hash.
        fresh = _replay_then_answer(
            http,
            graph_server,
            phone,
            to,
            [
                text_update(first_in, phone, "Hola"),
                text_update(second_in, phone, "Tengo una fonda en Oaxaca"),
                *(_status(w, to, "delivered") for w in ours),
            ],
        )
        assert (_reads(graph_server, first_in), _reads(graph_server, second_in)) == (1, 1)
        _post(http, *(_status(w, to, "read") for w in graph_server.accepted))
        wait_until(
            lambda: (
                not _leftovers(
                    store,
                    settings,
                    redis_client,
                    redis_prefix,
                    phone,
                    [fresh, *graph_server.accepted],
                )
            ),
            30,
            what="the store to let go of the last message",
        )
    assert leftovers() == []
    # Statuses are still matched to our replies: filed under the hash of the wamid Graph gave.
    statuses, sent = _statuses_and_outbound(store, settings, graph_server.accepted)
    assert {w: sorted(s) for w, s in statuses.items() if w in ours} == {
        w: ["delivered", "read"] for w in ours
    }
    assert {wamid_hash(w) for w in graph_server.accepted} <= sent
    assert leftovers() == []


# --------------------------------------------------------------- data of the older versions
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
# Version 2: the same tables with `user_key` renamed `user_hash`.
_SCHEMAS = {1: _V1_SCHEMA, 2: _V1_SCHEMA.replace("user_key", "user_hash")}


@dataclass
class Old:
    """One user's data as an older version stored it."""

    version: int
    phone: str
    to: str
    now: float
    pending_in: str = ""  # a message not answered yet
    done_in: str = ""  # a message answered by the old version (its reply went out)
    sent_out: str = ""  # the wamid Graph gave that reply
    replied: str = ""  # the message that reply answered (gone from the inbox already)

    def __post_init__(self) -> None:
        self.pending_in, self.done_in = _wamid(self.phone), _wamid(self.phone)
        self.sent_out = meta_wamid(self.to, uuid.uuid4().hex.upper()[:20])
        self.replied = _wamid(self.phone)

    @property
    def who(self) -> str:
        """How the version named the user: the number (1) or its hash (2)."""
        return self.to if self.version == 1 else user_hash(self.to)

    @property
    def wamids(self) -> list[str]:
        return [self.pending_in, self.done_in, self.sent_out, self.replied]

    def inbound(self, wamid: str, text: str, done: bool) -> str:
        value = text_update(wamid, self.phone, text, ts=self.now)
        msg = InboundMessage(
            wamid=wamid,
            phone_number_id=PHONE_NUMBER_ID,
            user_key=self.to,
            to=self.to,
            type="text",
            timestamp=self.now,
            received_at=self.now,
            text=text,
            raw={"message": value["messages"][0], "contact": value["contacts"][0]},
        )
        if done and self.version == 2:  # version 2 kept a record, with the wamid in clear
            return json.dumps(
                {
                    "wamid": wamid,
                    "user_hash": self.who,
                    "type": "text",
                    "timestamp": self.now,
                    "received_at": self.now,
                }
            )
        return msg.model_dump_json(exclude={"key"})

    def outbound(self, inbound: str, text: str, state: str, seq: int) -> tuple[str, str]:
        oid = f"{inbound}#0"
        sent = state != "pending"
        fields = {
            "id": oid,
            "inbound_id": inbound,
            "user_key" if self.version == 1 else "user_hash": self.who,
            "phone_number_id": PHONE_NUMBER_ID,
            "body": {"type": "text"} if sent and self.version == 2 else text_body(self.to, text),
            "state": state,
            "attempts": 1 if sent else 0,
            "next_attempt_at": 0.0,
            "created_at": self.now,
            "updated_at": self.now,
            "wamid": self.sent_out if sent else None,
            "seq": seq,
        }
        return oid, json.dumps(fields)

    def status(self) -> str:
        fields: dict[str, Any] = {
            "wamid": self.sent_out,
            "status": "delivered",
            "timestamp": self.now,
            "phone_number_id": PHONE_NUMBER_ID,
        }
        if self.version == 1:
            fields["raw"] = _status(self.sent_out, self.to, "delivered")["statuses"][0]
        return json.dumps(fields)

    def rows(self) -> dict[str, Any]:
        return {
            "pending_in": self.inbound(self.pending_in, "Tengo una fonda en Oaxaca", False),
            "done_in": self.inbound(self.done_in, "Hola, mi número es este", True),
            "pending_out": self.outbound(self.done_in, "Respuesta guardada", "pending", 2),
            "sent_out": self.outbound(self.replied, "Respuesta vieja", "sent", 1),
        }


def _dead_owner() -> str:
    """The lease owner of a process on this host that has exited (an old worker)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return f"{socket.gethostname()}:{proc.pid}:old"


def _write_old_sqlite(path: Path, old: Old) -> None:
    rows, who, now = old.rows(), old.who, old.now
    col = "user_key" if old.version == 1 else "user_hash"
    db = sqlite3.connect(path)
    try:
        db.executescript(_SCHEMAS[old.version])
        with db:
            for wamid, key, state in (
                (old.done_in, "done_in", "answered"),
                (old.pending_in, "pending_in", "pending"),
            ):
                db.execute(
                    f"INSERT INTO wa_inbound (wamid, {col}, state, data, received_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (wamid, who, state, rows[key], now, now),
                )
            for key, state, wamid in (
                ("sent_out", "sent", old.sent_out),
                ("pending_out", "pending", None),
            ):
                oid, data = rows[key]
                db.execute(
                    f"INSERT INTO wa_outbound (id, inbound_id, {col}, state, next_attempt_at,"
                    " wamid, data, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                    (oid, oid.split("#")[0], who, state, wamid, data, now),
                )
            db.execute(
                "INSERT INTO wa_status VALUES (?, 'delivered', ?, ?)",
                (old.sent_out, old.status(), now),
            )
            db.execute("INSERT INTO wa_user VALUES (?, ?)", (who, now))
            db.execute(
                "INSERT INTO wa_lease VALUES (?, ?, ?)", (f"user:{who}", _dead_owner(), now + 600)
            )
        db.execute(f"PRAGMA user_version = {0 if old.version == 1 else 2}")
    finally:
        db.close()


def _write_old_redis(client: redis_lib.Redis, prefix: str, old: Old) -> None:
    rows, who, now = old.rows(), old.who, old.now
    p = prefix + "wa:"
    pending, done = old.pending_in, old.done_in
    client.set(p + f"seen:{pending}", repr(now), ex=3600)
    client.set(p + f"seen:{done}", repr(now), ex=3600)
    client.hset(
        p + f"in:{pending}", mapping={"msg": rows["pending_in"], "state": "pending", "user": who}
    )
    client.hset(
        p + f"in:{done}", mapping={"msg": rows["done_in"], "state": "answered", "user": who}
    )
    client.expire(p + f"in:{done}", 3600)
    client.zadd(p + "inq", {pending: 3})
    client.zadd(p + f"inq:{who}", {pending: 3})
    client.set(p + "seq", 3)
    client.hset(p + "last", who, repr(now))
    for key, seq in (("sent_out", 1), ("pending_out", 2)):
        oid, data = rows[key]
        client.hset(p + f"out:{oid}", mapping={"msg": data, "user": who})
        client.zadd(p + "outall", {oid: now})
        if key == "pending_out":
            client.zadd(p + "outdue", {oid: 0})
            client.zadd(p + f"outq:{who}", {oid: seq})
        else:
            client.expire(p + f"out:{oid}", 3600)
    client.hset(p + f"st:{old.sent_out}", "delivered", old.status())
    client.expire(p + f"st:{old.sent_out}", 3600)
    client.set(p + f"lease:user:{who}", _dead_owner(), px=600_000)
    if old.version == 2:
        client.set(p + "schema", "2")


@pytest.mark.slow
@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("store", STORES)
def test_a_store_of_an_older_version_is_migrated_and_its_pending_work_answered(
    store: str,
    version: int,
    data_dir: Path,
    redis_prefix: str,
    graph_server: FakeGraph,
    redis_client: redis_lib.Redis,
) -> None:
    """Version 1 keyed users by phone number; version 2 by its hash, with wamids in clear.
    Both are migrated at startup: pending work is answered, and wamids seen before the upgrade
    (hashed by the migration) are still duplicates after it."""
    graph_server.reset()
    settings = _settings(store, data_dir, redis_prefix, graph_server.url)
    configure_session_key(settings.whatsapp_app_secret.get_secret_value())  # as the server will
    phone, to = _new_phone()
    old = Old(version, phone, to, time.time())
    if store == "redis":
        _write_old_redis(redis_client, redis_prefix, old)
    else:
        _write_old_sqlite(settings.data_dir / "whatsapp.sqlite3", old)

    def leftovers(*more: str) -> list[str]:
        wamids = [*old.wamids, *more, *graph_server.accepted]
        return _leftovers(store, settings, redis_client, redis_prefix, phone, wamids)

    assert leftovers()

    app = _app(settings)
    with UvicornThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        # The reply that was waiting in the outbox, then the answer to the waiting message.
        wait_until(lambda: len(graph_server.sent_to(to)) >= 2, 60, what="the pending work")
        texts = [b.get("text", {}).get("body", "") for b in graph_server.sent]
        assert texts[0] == "Respuesta guardada"
        assert {b["to"] for b in graph_server.sent} == {to}
        assert app.state.assistant.profile(session_id_for(to)).state == "Oaxaca"
        wait_until(lambda: not leftovers(), 30, what=f"the migrated store to let go: {leftovers()}")
        # Meta redelivers both old messages: the one the old version answered is not answered
        # again, and neither is the one answered after the upgrade.
        fresh = _replay_then_answer(
            http,
            graph_server,
            phone,
            to,
            [
                text_update(old.done_in, phone, "Hola, mi número es este"),
                text_update(old.pending_in, phone, "Tengo una fonda en Oaxaca"),
            ],
        )
        assert (_reads(graph_server, old.done_in), _reads(graph_server, old.pending_in)) == (0, 1)
        # A status for the reply the old version sent still finds its record.
        _post(http, _status(old.sent_out, to, "read"))
        wait_until(lambda: not leftovers(fresh), 30, what="the store to let go of the last one")
    assert leftovers(fresh) == []
    statuses, sent = _statuses_and_outbound(store, settings, [old.sent_out])
    assert sorted(statuses[old.sent_out]) == ["delivered", "read"]
    assert wamid_hash(old.sent_out) in sent
    # The done rows survived the migration, keyed by the hashes.
    if store == "sqlite":
        db = sqlite3.connect(settings.data_dir / "whatsapp.sqlite3")
        try:
            users = {r[0] for r in db.execute("SELECT user_hash FROM wa_inbound")}
            done = db.execute(
                "SELECT state FROM wa_inbound WHERE wamid_hash = ?", (wamid_hash(old.done_in),)
            ).fetchone()
            version_now = db.execute("PRAGMA user_version").fetchone()[0]
        finally:
            db.close()
        assert users == {user_hash(to)} and done == ("answered",) and version_now == 3
    else:
        p = redis_prefix + "wa:"
        assert redis_client.hget(p + f"in:{wamid_hash(old.done_in)}", "user") == user_hash(to)
        assert redis_client.get(p + "schema") == "3"
    assert leftovers(fresh) == []


@pytest.mark.parametrize("version", [1, 2])
def test_two_workers_migrating_one_sqlite_store_at_once_do_not_collide(
    version: int, tmp_path: Path
) -> None:
    """`serve --workers 2` on an old store: both read the old version, one migrates while the
    other waits for the write lock; the one that waited must find the store migrated."""
    from api.whatsapp.store_sqlite import SCHEMA_VERSION, _migrate

    path = tmp_path / "whatsapp.sqlite3"
    phone, to = _new_phone()
    _write_old_sqlite(path, Old(version, phone, to, time.time()))
    first = sqlite3.connect(path, isolation_level=None)

    class SecondWorker(sqlite3.Connection):
        """Lets the first worker migrate between this one's version read and its BEGIN."""

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if sql == "BEGIN IMMEDIATE":
                assert _migrate(first)
            return super().execute(sql, *args)

    second = sqlite3.connect(path, isolation_level=None, factory=SecondWorker)
    try:
        assert not _migrate(second)  # before: OperationalError, no such column
        assert second.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert second.execute("SELECT count(*) FROM wa_inbound").fetchone()[0] == 2
    finally:
        second.close()
        first.close()
