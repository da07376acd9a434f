"""One behavioural suite, run against both session stores (SQLite file and real Redis)."""

import os
import socket
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from assistant.errors import NotFound, StorageError
from assistant.factory import build_session_store
from assistant.memory.port import SessionStore, Turn, keep_recent
from assistant.memory.redis_store import RedisSessionStore
from assistant.memory.sqlite_store import SqliteSessionStore
from assistant.retrieval.tokens import count_tokens
from assistant.schemas import BusinessProfile
from assistant.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/0"
RUN_PREFIX = f"mipyme-test-{uuid.uuid4().hex[:8]}:"


def _redis_client():
    return redis.Redis.from_url(REDIS_URL, decode_responses=True, socket_connect_timeout=1)


@pytest.fixture(scope="session")
def redis_run():
    """The run-wide key prefix; every key under it is deleted when the run ends."""
    client = _redis_client()
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis no responde en {REDIS_URL}")
    yield RUN_PREFIX
    for key in client.scan_iter(match=f"{RUN_PREFIX}*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request, tmp_path):
    """Factory of fresh stores of the parametrized backend."""
    stores = []

    def make(max_history_tokens=10_000):
        if request.param == "sqlite":
            store = SqliteSessionStore(
                tmp_path / f"memory{len(stores)}.sqlite3", max_history_tokens
            )
        else:
            prefix = f"{request.getfixturevalue('redis_run')}{uuid.uuid4().hex[:8]}:"
            store = RedisSessionStore(REDIS_URL, prefix, max_history_tokens)
        stores.append(store)
        return store

    yield make
    for store in stores:
        if isinstance(store, RedisSessionStore):
            client = _redis_client()
            for key in client.scan_iter(match=f"{store.prefix}*"):
                client.delete(key)
            client.close()
        store.close()


@pytest.fixture
def store(make_store):
    return make_store()


def exchange(n, question="¿Qué curso de IA me recomiendas?", answer="Te recomiendo empezar por…"):
    user = Turn(message_id=f"u{n}", role="user", text=question, channel="web")
    bot = Turn(
        message_id=f"a{n}",
        role="assistant",
        text=answer,
        channel="web",
        intent="question",
        confidence=0.8,
    )
    return user, bot


PROFILE = BusinessProfile(sector="461", activity="comercio", employees=4, state="Oaxaca")


def leftovers(store: SessionStore, session_id: str) -> list[str]:
    """Where the session id still appears in the backend (tables/columns or Redis keys)."""
    if isinstance(store, SqliteSessionStore):
        found = []
        with sqlite3.connect(store.path) as conn:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            for table in tables:
                for column in [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]:
                    hits = conn.execute(
                        f"SELECT count(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE ?",
                        (f"%{session_id}%",),
                    ).fetchone()[0]
                    if hits:
                        found.append(f"{table}.{column}")
        return found
    assert isinstance(store, RedisSessionStore)
    client = _redis_client()
    keys = list(client.scan_iter(match=f"*{session_id}*"))
    if client.zscore(store.index_key, session_id) is not None:
        keys.append(store.index_key)
    client.close()
    return keys


def test_unknown_session_is_none(store):
    assert store.get("nadie") is None
    assert store.has_message("nadie", "u1") is False
    store.ping()


def test_round_trip_profile_history_and_pending(store):
    user, bot = exchange(1, question="Hola, vendo abarrotes en Oaxaca")
    store.save_turn("s1", user, bot, PROFILE, ["weekly_hours"])
    state = store.get("s1")
    assert state.session_id == "s1"
    assert state.profile == PROFILE
    assert state.history == [user, bot]
    assert state.pending_slots == ["weekly_hours"]

    user2, bot2 = exchange(2)
    updated = PROFILE.model_copy(update={"weekly_hours": 3.0, "goals": ["ventas"]})
    store.save_turn("s1", user2, bot2, updated, [])
    state = store.get("s1")
    assert state.profile == updated
    assert [t.message_id for t in state.history] == ["u1", "a1", "u2", "a2"]
    assert state.pending_slots == []
    assert store.has_message("s1", "u2") and store.has_message("s1", "a2")
    assert not store.has_message("s1", "a3")
    assert store.get("otra") is None


def test_history_is_bounded_by_tokens(make_store):
    store = make_store(max_history_tokens=60)
    sentence = "Quiero usar inteligencia artificial para vender más en mi papelería."
    per_turn = count_tokens(sentence)
    for n in range(6):
        store.save_turn("s", *exchange(n, sentence, sentence), PROFILE, [])
    ids = [t.message_id for t in store.get("s").history]
    assert ids == [f"{role}{n}" for n in range(6) for role in "ua"][-(60 // per_turn) :]
    assert sum(count_tokens(t.text) for t in store.get("s").history) <= 60
    assert "u0" not in ids and ids[-2:] == ["u5", "a5"]

    huge = "palabra " * 400
    store.save_turn("s", *exchange(9, huge, huge), PROFILE, [])
    assert [t.message_id for t in store.get("s").history] == ["u9", "a9"]
    # Trimmed turns leave the history but stay in the turn log (and can still be rated).
    assert len(store.list_turn_log()) == 7
    store.add_feedback("s", "a0", "up", None)


def test_keep_recent_always_keeps_last_exchange():
    assert keep_recent([10, 10, 10, 10], 25) == 2
    assert keep_recent([10, 10, 500, 500], 25) == 2
    assert keep_recent([1, 1, 1, 1], 100) == 4
    assert keep_recent([50, 1, 1, 1], 10) == 3


def test_feedback_on_unknown_session_or_message(store):
    with pytest.raises(NotFound, match="conversación"):
        store.add_feedback("nadie", "a1", "up", None)
    store.save_turn("s", *exchange(1), PROFILE, [])
    with pytest.raises(NotFound, match="mensaje"):
        store.add_feedback("s", "no-existe", "down", "mala respuesta")
    assert store.list_feedback() == []


def test_second_vote_updates_the_rating(store):
    store.save_turn("s", *exchange(1, question="Soy GODE561231GR8, tel 55-1234-5678"), PROFILE, [])
    store.save_turn("s", *exchange(2), PROFILE, [])
    store.add_feedback("s", "a1", "up", None)
    store.add_feedback("s", "a1", "down", "No mencionó mi estado, escríbeme a ana@empresa.mx")
    rows = store.list_feedback()
    assert len(rows) == 1
    row = rows[0]
    assert (row.session_id, row.message_id, row.rating) == ("s", "a1", "down")
    assert row.reason == "No mencionó mi estado, escríbeme a [CORREO]"
    assert (row.channel, row.intent, row.confidence, row.refused) == ("web", "question", 0.8, False)
    assert row.user_text == "Soy [RFC], tel [TELÉFONO]"
    log = store.list_turn_log()
    assert [(r.message_id, r.rating) for r in log] == [("a1", "down"), ("a2", None)]
    # Voting by the user message id rates the same exchange.
    store.add_feedback("s", "u1", "up", "")
    assert [(r.message_id, r.rating, r.reason) for r in store.list_feedback()] == [
        ("a1", "up", None)
    ]


def test_history_keeps_text_as_written_but_turn_log_is_redacted(store):
    question = "Mi CURP es GODE561231HDFRRN09 y mi correo ana@empresa.mx"
    store.save_turn("s", *exchange(1, question=question), PROFILE, [])
    assert store.get("s").history[0].text == question
    assert store.list_turn_log()[0].user_text == "Mi CURP es [CURP] y mi correo [CORREO]"


def test_delete_removes_everything(store):
    gone, kept = "borrar-5215512345678", "conservar-1"
    for session_id in (gone, kept):
        store.save_turn(session_id, *exchange(1), PROFILE, ["¿En qué estado estás?"])
        store.save_turn(session_id, *exchange(2), PROFILE, [])
        store.add_feedback(session_id, "a1", "down", "no me sirvió")
    assert leftovers(store, gone)

    assert store.delete(gone) is True
    assert leftovers(store, gone) == []
    assert store.get(gone) is None
    assert not store.has_message(gone, "a1")
    with pytest.raises(NotFound):
        store.add_feedback(gone, "a1", "up", None)
    assert store.delete(gone) is False

    assert store.get(kept) is not None
    assert {r.session_id for r in store.list_turn_log()} == {kept}
    assert [r.session_id for r in store.list_feedback()] == [kept]


def test_repeated_exchange_is_ignored(store):
    store.save_turn("s", *exchange(1), PROFILE, [])
    store.save_turn("s", *exchange(1), PROFILE, [])
    assert len(store.get("s").history) == 2
    assert len(store.list_turn_log()) == 1


def test_concurrent_save_turn_loses_nothing(store):
    def save(n):
        store.save_turn("s", *exchange(n), PROFILE.model_copy(update={"employees": n}), [])

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(save, range(40)))
    state = store.get("s")
    assert len(state.history) == 80
    assert {t.message_id for t in state.history} == {f"{r}{n}" for n in range(40) for r in "ua"}
    # Each exchange stays adjacent: the lock/transaction never interleaves two writers.
    pairs = [
        (state.history[i].message_id, state.history[i + 1].message_id) for i in range(0, 80, 2)
    ]
    assert all(u[1:] == a[1:] for u, a in pairs)
    assert len(store.list_turn_log()) == 40


def test_save_turn_rejects_swapped_roles(store):
    user, bot = exchange(1)
    with pytest.raises(ValueError):
        store.save_turn("s", bot, user, PROFILE, [])
    assert store.get("s") is None


# --- failures -------------------------------------------------------------------------------


def test_sqlite_unwritable_path_raises_spanish_storage_error(tmp_path):
    blocker = tmp_path / "soy-un-archivo"
    blocker.write_text("no soy carpeta")
    store = SqliteSessionStore(blocker / "datos" / "mipyme.sqlite3")
    with pytest.raises(StorageError, match="carpeta de datos") as info:
        store.save_turn("s", *exchange(1), PROFILE, [])
    assert info.value.__cause__ is not None
    with pytest.raises(StorageError):
        store.ping()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_sqlite_read_only_dir_raises_storage_error(tmp_path):
    locked = tmp_path / "solo-lectura"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="permiso de escritura"):
            SqliteSessionStore(locked / "mipyme.sqlite3").ping()
    finally:
        locked.chmod(0o700)


def test_sqlite_disk_full_raises_storage_error_and_keeps_data(tmp_path):
    store = SqliteSessionStore(tmp_path / "lleno.sqlite3")
    store.save_turn("s", *exchange(1), PROFILE, [])
    # Cap the file at its current size: the next big write hits SQLITE_FULL.
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    big = "texto " * 20_000
    with pytest.raises(StorageError, match="espacio"):
        store.save_turn("s", *exchange(2, big, big), PROFILE, [])
    # The failed turn was rolled back whole: history still holds only the first exchange.
    assert [t.message_id for t in store.get("s").history] == ["u1", "a1"]
    assert not store.has_message("s", "u2")
    store.close()


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_redis_down_raises_storage_error():
    store = RedisSessionStore(f"redis://127.0.0.1:{_closed_port()}/0", "mipyme-test:", 1500)
    started = time.monotonic()
    for call in (
        store.ping,
        lambda: store.get("s"),
        lambda: store.save_turn("s", *exchange(1), PROFILE, []),
        lambda: store.add_feedback("s", "a1", "up", None),
        lambda: store.delete("s"),
        store.list_turn_log,
    ):
        with pytest.raises(StorageError, match="almacenamiento de conversaciones") as info:
            call()
        assert isinstance(info.value.__cause__, redis.RedisError)
    assert time.monotonic() - started < 10


def test_redis_bad_url_raises_storage_error():
    with pytest.raises(StorageError, match="REDIS_URL"):
        RedisSessionStore("http://no-es-redis", "mipyme-test:", 1500)


# --- factory --------------------------------------------------------------------------------


def test_build_session_store_defaults_to_sqlite(tmp_path):
    data_dir = tmp_path / "nueva" / "carpeta"
    settings = Settings(data_dir=data_dir, redis_url=None, history_tokens=321)
    store = build_session_store(settings)
    assert isinstance(store, SqliteSessionStore)
    assert store.max_history_tokens == 321
    assert data_dir.is_dir()
    store.save_turn("s", *exchange(1), PROFILE, [])
    assert settings.sqlite_path.exists()
    store.close()


def test_build_session_store_unwritable_data_dir(tmp_path):
    blocker = tmp_path / "archivo"
    blocker.write_text("")
    settings = Settings(data_dir=blocker / "datos", redis_url=None)
    with pytest.raises(StorageError, match="No podemos escribir en la carpeta de datos"):
        build_session_store(settings)


def test_build_session_store_uses_redis_when_configured():
    settings = Settings(redis_url=REDIS_URL, redis_prefix="mipyme-test:", history_tokens=99)
    store = build_session_store(settings)
    assert isinstance(store, RedisSessionStore)
    assert (store.prefix, store.max_history_tokens) == ("mipyme-test:", 99)
    store.close()


def test_sqlite_sessions_expire_like_redis_ones(tmp_path):
    """A session idle past the TTL is gone everywhere: profile, history, log, feedback."""
    store = SqliteSessionStore(tmp_path / "m.sqlite3", ttl_days=90)
    store.save_turn("w-viejo", *exchange(1), PROFILE, [])
    store.add_feedback("w-viejo", "a1", "up", None)
    store.save_turn("w-nuevo", *exchange(1), PROFILE, [])
    long_ago = "2020-01-01T00:00:00+00:00"
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE sessions SET updated_at = ? WHERE session_id = 'w-viejo'", (long_ago,))
    assert store.get("w-viejo") is None  # expired reads as unknown at once
    assert store.get("w-nuevo") is not None
    assert store.purge_expired() == 1
    assert leftovers(store, "w-viejo") == []
    assert store.get("w-nuevo").profile == PROFILE
    store.close()
    # A fresh process purges at startup too.
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE sessions SET updated_at = ?", (long_ago,))
    reopened = SqliteSessionStore(tmp_path / "m.sqlite3", ttl_days=90)
    reopened.ping()
    assert leftovers(reopened, "w-nuevo") == []
    reopened.close()
