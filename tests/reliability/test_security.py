"""Security: admin token, secrets and personal data kept out of logs and error bodies, security
headers, and "forget me" removing every trace from SQLite and Redis.

The log checks read what a real `mipyme-ia serve` process writes (its stderr), after a run that
provokes every error path we know: the LLM and the Graph API failing with messages that echo
their credentials, Redis dying under a request whose path holds a phone number, wrong admin
tokens, bad webhook signatures, and chat messages full of RFC, CURP, phones and e-mails.
"""

from __future__ import annotations

import inspect
import logging
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as redis_lib
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.main import create_app
from api.whatsapp.payloads import normalize_phone
from api.whatsapp.runtime import WhatsAppOptions
from tests.fake_openai import FakeOpenAI
from tests.helpers import FIXTURE_KNOWLEDGE, REDIS_URL, UvicornThread, make_settings
from tests.whatsapp.support import FAST_RETRY, FAST_WORKER, FakeGraph

from .support import (
    GraphStandIn,
    RedisServer,
    ServeProcess,
    clean_env,
    envelope,
    redis_values,
    signed,
    text_update,
    wait_until,
)

OPENAI_KEY = "sk-proj-SECRETO" + "q7" * 16
ADMIN_TOKEN = "admin-SECRETO-" + uuid.uuid4().hex
WA_ACCESS = "EAAG-SECRETO-" + uuid.uuid4().hex
WA_SECRET = "app-secret-SECRETO-" + uuid.uuid4().hex
WA_VERIFY = "verify-SECRETO-" + uuid.uuid4().hex
SECRETS = (OPENAI_KEY, ADMIN_TOKEN, WA_ACCESS, WA_SECRET, WA_VERIFY)

PHONE = "5215512345678"
PII = {
    "rfc": "GODE561231GR8",
    "curp": "GODE561231HDFRRN09",
    "phone": "55 1234 5678",
    "email": "juana.perez@ejemplo.com.mx",
}
SID = "juana.perez@ejemplo.com.mx"  # a session id that is an e-mail (the pattern allows it)
PII_MESSAGE = (
    f"Hola, soy Juana, mi RFC es {PII['rfc']}, mi CURP {PII['curp']}, mi cel "
    f"{PII['phone']} y mi correo {PII['email']}. Tengo una fonda en Oaxaca."
)


# ------------------------------------------------------------------------ leaky stand-ins
class EchoingOpenAI(FakeOpenAI):
    """An OpenAI server whose 401 repeats the credential it was given (the worst case)."""

    async def _chat(self, request: Request) -> Response:
        self.requests.append({"path": "chat"})
        auth = request.headers.get("authorization", "")
        return JSONResponse(
            {
                "error": {
                    "message": f"Incorrect API key provided: {auth}",
                    "type": "invalid_request_error",
                    "code": "invalid_api_key",
                }
            },
            status_code=401,
        )


class EchoingGraph:
    """A Graph API whose 401 repeats the access token it was given."""

    def __init__(self) -> None:
        self.url = ""
        self.calls: list[dict[str, Any]] = []

    async def handle(self, request: Request) -> JSONResponse:
        body = await request.json()
        auth = request.headers.get("authorization", "")
        if "status" in body:
            return JSONResponse({"success": True})
        self.calls.append(body)
        return JSONResponse(
            {
                "error": {
                    "message": f"Invalid OAuth access token {auth}",
                    "type": "OAuthException",
                    "code": 190,
                    "error_data": {"details": f"token={auth[7:]}"},
                }
            },
            status_code=401,
        )


@pytest.fixture(scope="module")
def leaky_services() -> Iterator[tuple[str, EchoingGraph]]:
    llm = EchoingOpenAI()
    with UvicornThread(llm.app()) as llm_server, GraphStandIn(EchoingGraph()) as graph:
        yield f"{llm_server.url}/v1", graph


def _secret_env(data: Path, llm_url: str, graph_url: str, redis_url: str | None) -> dict[str, Any]:
    return {
        "MIPYME_DATA_DIR": data,
        "MIPYME_KNOWLEDGE_DIR": FIXTURE_KNOWLEDGE,
        "MIPYME_LLM": "openai",
        "OPENAI_API_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": llm_url,
        "MIPYME_LLM_TIMEOUT": 5,
        "MIPYME_ADMIN_TOKEN": ADMIN_TOKEN,
        "WHATSAPP_VERIFY_TOKEN": WA_VERIFY,
        "WHATSAPP_APP_SECRET": WA_SECRET,
        "WHATSAPP_ACCESS_TOKEN": WA_ACCESS,
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_GRAPH_URL": graph_url,
        "REDIS_URL": redis_url,
        "MIPYME_REDIS_PREFIX": f"seguridad-{uuid.uuid4().hex[:6]}:",
        "MIPYME_RATE_LIMIT": "1000/minute",
    }


def provoke(client: httpx.Client, redis: RedisServer, graph: EchoingGraph) -> list[httpx.Response]:
    """Every error path we know, with personal data and credentials in play."""
    out: list[httpx.Response] = []
    sid = SID
    out.append(client.post("/v1/chat", json={"message": PII_MESSAGE, "session_id": sid}))
    out.append(
        client.post(
            "/v1/chat", json={"message": f"¿Qué apoyos hay? {PII['curp']}", "session_id": sid}
        )
    )  # LLM fails: 401 echo
    out.append(
        client.post(
            "/v1/chat/stream", json={"message": f"¿Qué cursos hay? {PII['rfc']}", "session_id": sid}
        )
    )
    out.append(
        client.post(
            "/v1/chat/completions",
            json={
                "model": "mipyme-ia",
                "user": PII["email"],
                "messages": [{"role": "user", "content": PII_MESSAGE}],
            },
        )
    )
    message_id = out[0].json()["message_id"]
    out.append(
        client.post(
            "/v1/feedback",
            json={
                "session_id": sid,
                "message_id": message_id,
                "rating": "down",
                "reason": f"Llámenme al {PII['phone']} o escriban a {PII['email']}",
            },
        )
    )
    out.append(client.get(f"/v1/sessions/{PHONE}/profile"))  # 404, phone in the path
    out.append(client.get(f"/v1/sessions/{PII['curp']}/profile"))
    for token in (
        "",
        "Bearer x",
        f"Bearer {ADMIN_TOKEN[:-1]}",
        f"Bearer {ADMIN_TOKEN}x",
        f"Basic {ADMIN_TOKEN}",
        ADMIN_TOKEN,
    ):
        headers = {"authorization": token} if token else {}
        out.append(client.post("/v1/admin/ingest", headers=headers))
    # WhatsApp: a bad signature, a wrong verify token, and a message whose reply Graph refuses
    # with a 401 that echoes our access token.
    body, headers = signed(envelope(text_update("wamid.SEG.1", PHONE, PII_MESSAGE)), WA_SECRET)
    out.append(
        client.post(
            "/webhooks/whatsapp",
            content=body,
            headers={**headers, "x-hub-signature-256": "sha256=" + "0" * 64},
        )
    )
    out.append(
        client.get(
            "/webhooks/whatsapp",
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": WA_VERIFY + "x",
                "hub.challenge": "1",
            },
        )
    )
    out.append(client.post("/webhooks/whatsapp", content=body, headers=headers))
    wait_until(lambda: graph.calls, 30, what="the refused Graph call")
    # Redis dies: a 503 on a path that carries a phone number (logged as an error).
    redis.stop()
    out.append(client.delete(f"/v1/sessions/wa:{PHONE}"))
    out.append(client.post("/v1/chat", json={"message": PII_MESSAGE, "session_id": sid}))
    redis.start()
    return out


def assert_no_secret_or_pii(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"secret in {where}"
        assert secret[-12:] not in text, f"part of a secret in {where}"
    for kind, value in PII.items():
        assert value not in text, f"{kind} in {where}"
    assert PHONE not in text and PHONE[3:] not in text, f"phone in {where}"


# ------------------------------------------------------------------ the real server's log
@pytest.fixture(scope="module")
def served_run(
    indexed_dir: Path,
    leaky_services: tuple[str, EchoingGraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, list[httpx.Response]]]:
    llm_url, graph = leaky_services
    work = tmp_path_factory.mktemp("security")
    shutil.copytree(indexed_dir, work / "data")
    redis = RedisServer(work / "redis", persist=True).start()
    server = ServeProcess(
        clean_env(**_secret_env(work / "data", llm_url, graph.url, redis.url)), work
    )
    try:
        server.start()
        with httpx.Client(base_url=server.url, timeout=60) as client:
            responses = provoke(client, redis, graph)
        yield server.logs(), responses
    finally:
        server.stop()
        redis.stop()


@pytest.mark.slow
def test_server_log_has_no_secrets_and_no_personal_data(
    served_run: tuple[str, list[httpx.Response]],
) -> None:
    log, _ = served_run
    assert_no_secret_or_pii(log, "the server log")
    # The log did record those requests and errors, redacted.
    assert "[TELÉFONO]" in log and "[CURP]" in log, log[-2000:]
    assert "almacenamiento_no_disponible" in log
    assert "answering offline" in log
    assert "whatsapp: send of" in log


@pytest.mark.slow
def test_error_bodies_have_no_secrets_or_internals(
    served_run: tuple[str, list[httpx.Response]],
) -> None:
    _, responses = served_run
    codes = [r.status_code for r in responses]
    assert 401 in codes and 403 in codes and 404 in codes and 503 in codes, codes
    assert not [c for c in codes if c >= 500 and c != 503], codes
    for r in responses:
        # The caller's own session id (an e-mail here) may come back to the caller.
        echoed = r.text.replace(PII_MESSAGE, "").replace(f'"session_id":"{SID}"', "")
        assert_no_secret_or_pii(echoed, f"{r.request.url.path} body")
        if r.status_code >= 400:
            assert set(r.json()) == {"error"} and set(r.json()["error"]) == {"code", "message"}
            assert "Traceback" not in r.text and "redis" not in r.text.lower()


def test_server_logs_in_process_caplog_have_no_secrets(
    data_dir: Path,
    leaky_services: tuple[str, EchoingGraph],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The same run in process, every logger captured at DEBUG (stricter than production)."""
    llm_url, graph = leaky_services
    graph.calls.clear()
    caplog.set_level(logging.DEBUG)
    redis = RedisServer(tmp_path / "redis", persist=True).start()
    try:
        env = _secret_env(data_dir, llm_url, graph.url, redis.url)
        settings = make_settings(
            data_dir, **{k: v for k, v in env.items() if k != "MIPYME_DATA_DIR"}
        )
        app = create_app(settings)
        app.state.whatsapp_options = WhatsAppOptions(worker=FAST_WORKER, retry=FAST_RETRY)
        with UvicornThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
            responses = provoke(client, redis, graph)
    finally:
        redis.stop()
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert len(caplog.records) > 20
    for secret in SECRETS:
        assert secret not in text, "secret in the captured log records"
    for r in responses:
        for secret in SECRETS:
            assert secret not in r.text


# ------------------------------------------------------------------------------ admin token
def test_admin_token_comparisons_are_constant_time() -> None:
    """Checked in the code: every credential comparison goes through hmac.compare_digest."""
    from api.routes import admin, openai_compat, whatsapp
    from api.whatsapp import signature

    for func in (
        admin.require_admin,
        whatsapp.verify_webhook,
        signature.verify_signature,
        openai_compat.require_api_key,
    ):
        source = inspect.getsource(func)
        assert "hmac.compare_digest(" in source, func.__name__
        assert "== expected" not in source and "expected ==" not in source


@pytest.mark.slow
def test_admin_needs_the_exact_token(served_run: tuple[str, list[httpx.Response]]) -> None:
    _, responses = served_run
    admin = [r for r in responses if r.request.url.path == "/v1/admin/ingest"]
    assert [r.status_code for r in admin] == [401, 401, 401, 401, 401, 401]
    for r in admin:
        assert r.json()["error"]["code"] == "no_autorizado"
        assert r.headers["www-authenticate"] == "Bearer"


# -------------------------------------------------------------------------- headers
def test_security_headers_on_the_page_the_widget_and_errors(data_dir: Path) -> None:
    settings = make_settings(data_dir, MIPYME_RATE_LIMIT="1000/minute")
    with (
        UvicornThread(create_app(settings)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        page, widget = client.get("/"), client.get("/widget.js")
        missing = client.get("/no-existe"), client.post("/v1/chat", content=b"{")
    for r in (page, widget):
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ):
            assert directive in csp, (r.request.url.path, csp)
        assert "unsafe-eval" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["content-type"].startswith("text/html")
    assert widget.headers["content-type"].startswith("application/javascript")
    for r in (page, widget, *missing):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"


# --------------------------------------------------------------------------- forget me
def _chat_and_rate(client: httpx.Client) -> str:
    """Two turns and a rating in a new web session; its server-issued id."""
    first = client.post("/v1/chat", json={"message": "Tengo una fonda en Oaxaca, somos 4"})
    assert first.status_code == 200, first.text
    sid = first.json()["session_id"]
    client.post("/v1/chat", json={"message": "¿Qué cursos me recomiendas?", "session_id": sid})
    r = client.post(
        "/v1/feedback",
        json={
            "session_id": sid,
            "message_id": first.json()["message_id"],
            "rating": "up",
            "reason": "muy útil",
        },
    )
    assert r.status_code == 204
    return sid


def _sqlite_rows_with(path: Path, needle: str) -> dict[str, int]:
    """Rows of every table whose text columns contain `needle`."""
    conn = sqlite3.connect(path)
    try:
        found = {}
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            where = " OR ".join(f"CAST({c} AS TEXT) LIKE ?" for c in columns)
            n = conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {where}", [f"%{needle}%"] * len(columns)
            ).fetchone()[0]
            if n:
                found[table] = n
        return found
    finally:
        conn.close()


def test_forget_removes_profile_history_and_feedback_from_sqlite(data_dir: Path) -> None:
    settings = make_settings(data_dir, MIPYME_RATE_LIMIT="1000/minute")
    with (
        UvicornThread(create_app(settings)) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        sid = _chat_and_rate(client)
        before = _sqlite_rows_with(settings.sqlite_path, sid)
        assert {"sessions", "history", "turn_log", "feedback"} <= set(before), before
        assert client.delete(f"/v1/sessions/{sid}").status_code == 204
        assert client.get(f"/v1/sessions/{sid}/profile").status_code == 404
        assert client.delete(f"/v1/sessions/{sid}").status_code == 404
    assert _sqlite_rows_with(settings.sqlite_path, sid) == {}
    for path in settings.data_dir.rglob("*.sqlite3*"):  # WAL files too, once checkpointed
        if path.suffix == ".sqlite3":
            assert _sqlite_rows_with(path, sid) == {}, path


def _redis_leftovers(client: redis_lib.Redis, needle: str) -> list[str]:
    """Keys anywhere in Redis named after `needle`, or holding it in their value."""
    found = [f"key {k}" for k in client.scan_iter(f"*{needle}*", count=1000)]
    return found


def _values_with(client: redis_lib.Redis, prefix: str, needle: str) -> list[str]:
    found = []
    for key in client.scan_iter(f"{prefix}*", count=1000):
        if any(needle in v for v in redis_values(client, key) or []):
            found.append(f"value of {key}")
    return found


def test_forget_removes_every_trace_from_redis(data_dir: Path, redis_prefix: str) -> None:
    settings = make_settings(
        data_dir,
        REDIS_URL=REDIS_URL,
        MIPYME_REDIS_PREFIX=redis_prefix,
        MIPYME_RATE_LIMIT="1000/minute",
    )
    client = redis_lib.Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        with (
            UvicornThread(create_app(settings)) as server,
            httpx.Client(base_url=server.url, timeout=60) as http,
        ):
            sid = _chat_and_rate(http)
            assert _redis_leftovers(client, sid) and _values_with(client, redis_prefix, sid)
            assert http.delete(f"/v1/sessions/{sid}").status_code == 204
            assert http.get(f"/v1/sessions/{sid}/profile").status_code == 404
        assert _redis_leftovers(client, sid) == []
        assert _values_with(client, redis_prefix, sid) == []
    finally:
        client.close()


@pytest.mark.parametrize("store", ["redis", "sqlite"])
def test_forget_over_whatsapp_removes_the_phone_number_from_every_store(
    store: str, data_dir: Path, redis_prefix: str, graph_server: FakeGraph
) -> None:
    from api.whatsapp.payloads import session_id_for, user_hash

    from .support import whatsapp_env

    graph_server.reset()
    redis_url = REDIS_URL if store == "redis" else None
    settings = make_settings(
        data_dir,
        REDIS_URL=redis_url,
        MIPYME_REDIS_PREFIX=redis_prefix,
        MIPYME_RATE_LIMIT="1000/minute",
        **whatsapp_env(graph_server.url),
    )
    app = create_app(settings)
    app.state.whatsapp_options = WhatsAppOptions(worker=FAST_WORKER, retry=FAST_RETRY)
    phone = f"52155{uuid.uuid4().int % 10**8:08d}"
    to = normalize_phone(phone)
    client = redis_lib.Redis.from_url(REDIS_URL, decode_responses=True)

    def leftovers(needle: str) -> list[str]:
        if store == "redis":
            return _redis_leftovers(client, needle) + _values_with(client, redis_prefix, needle)
        found = []
        for path in settings.data_dir.glob("*.sqlite3"):
            found += [f"{path.name}:{t}" for t in _sqlite_rows_with(path, needle)]
        return found

    try:
        with UvicornThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
            body, headers = signed(
                envelope(
                    text_update(f"wamid.OLV.{uuid.uuid4().hex}", phone, "Tengo una fonda en Oaxaca")
                )
            )
            assert http.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
            wait_until(lambda: graph_server.sent_to(to), 30, what="first reply")
            sid = session_id_for(to)
            key = user_hash(to)  # what the WhatsApp store and the session are keyed by
            assert to not in sid and key in sid
            assert app.state.assistant.profile(sid).state == "Oaxaca"
            assert leftovers(key), "the stores should hold the user's rows before forgetting"
            # The number itself: gone once the replies are accepted (tests/reliability/
            # test_whatsapp_privacy.py checks the files' bytes too).
            wait_until(lambda: not leftovers(to[-10:]), 15, what="the number to be scrubbed")
            body, headers = signed(
                envelope(text_update(f"wamid.OLV.{uuid.uuid4().hex}", phone, "borra mis datos"))
            )
            assert http.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
            wait_until(lambda: len(graph_server.sent_to(to)) > 1, 30, what="forget reply")
            # The confirmation went out; then every row keyed by the user's hash goes.
            wait_until(lambda: not leftovers(key), 15, what="the WhatsApp store to forget")
            assert http.get(f"/v1/sessions/{sid}/profile").status_code == 404
            assert app.state.assistant.memory.get(sid) is None
        assert leftovers(key) == [] and leftovers(to[-10:]) == []
    finally:
        client.close()
