"""Trust boundaries over real HTTP (uvicorn on loopback, configured like `mipyme-ia serve`):
who may address a session, the OpenAI contract, hostile text, forwarded headers, slow clients.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from openai import OpenAI

from api.main import create_app
from api.server import TimedH11Protocol
from tests.api.conftest import FakeAssistant, make_settings
from tests.helpers import UvicornThread


def _serve(tmp_path: Path, fake: FakeAssistant | None = None, **overrides: object):
    app = create_app(make_settings(tmp_path, **overrides), assistant=fake or FakeAssistant())
    return UvicornThread(app)


# ------------------------------------------------------------------------------- sessions
@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory, indexed_dir: Path) -> Iterator:
    """The real offline assistant (SQLite memory) on uvicorn; `.app` reaches its assistant."""
    import shutil

    data = tmp_path_factory.mktemp("trust") / "data"
    shutil.copytree(indexed_dir, data)
    app = create_app(make_settings(data))
    with UvicornThread(app) as server:
        server.app = app  # type: ignore[attr-defined]
        yield server


def test_web_session_is_reachable_only_with_the_server_issued_id(real_server):
    with httpx.Client(base_url=real_server.url, timeout=30) as http:
        first = http.post("/v1/chat", json={"message": "Tengo una tienda de abarrotes en Oaxaca"})
        sid = first.json()["session_id"]
        assert sid.startswith("w-") and len(sid) == 34
        assert http.get(f"/v1/sessions/{sid}/profile").json()["state"] == "Oaxaca"
        # A made-up id is never adopted: the turn lands in a new session, the made-up one stays
        # unknown, and the issued one is untouched.
        chosen = "mi-sesion-inventada"
        r = http.post(
            "/v1/chat", json={"message": "Tengo un taller en Jalisco", "session_id": chosen}
        )
        assert r.status_code == 200 and r.json()["session_id"] not in (chosen, sid)
        assert http.get(f"/v1/sessions/{chosen}/profile").status_code == 404
        assert http.get(f"/v1/sessions/{sid}/profile").json()["state"] == "Oaxaca"
        # The issued id continues its own conversation.
        again = http.post("/v1/chat", json={"message": "¿qué curso tomo?", "session_id": sid})
        assert again.json()["session_id"] == sid


def test_whatsapp_session_cannot_be_read_written_or_deleted_over_http(real_server):
    assistant = real_server.app.state.assistant
    wa = "wa:5215512340001"
    asyncio.run(assistant.respond(wa, "Tengo una panadería en Puebla", "whatsapp"))
    before = assistant.profile(wa)
    assert before.state == "Puebla"
    with httpx.Client(base_url=real_server.url, timeout=30) as http:
        for path in (f"/v1/sessions/{wa}/profile", "/v1/sessions/wa%3A5215512340001/profile"):
            r = http.get(path)
            assert r.status_code == 404 and "Puebla" not in r.text
        assert http.delete(f"/v1/sessions/{wa}").status_code == 404
        r = http.post("/v1/chat", json={"message": "Ahora estoy en Sonora", "session_id": wa})
        assert r.status_code == 200 and r.json()["session_id"] != wa
        r = http.post("/v1/feedback", json={"session_id": wa, "message_id": "x", "rating": "down"})
        assert r.status_code == 404
    assert assistant.profile(wa) == before  # not read, not rewritten, not deleted


# --------------------------------------------------------------------------- OpenAI contract
@pytest.fixture(scope="module")
def oai_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UvicornThread]:
    with _serve(tmp_path_factory.mktemp("oai")) as server:
        yield server


@pytest.fixture
def oai(oai_server) -> Iterator[OpenAI]:
    with OpenAI(base_url=f"{oai_server.url}/v1", api_key="x", max_retries=0) as client:
        yield client


USER = [{"role": "user", "content": "Quiero vender más en mi tienda de abarrotes"}]


def test_openai_errors_have_type_param_and_code(oai):
    with pytest.raises(openai.BadRequestError) as info:
        oai.chat.completions.create(model="mipyme-ia", messages=[{"role": "robot", "content": "x"}])
    body = info.value.body
    assert body["type"] == "invalid_request_error"
    assert body["param"] == "messages[0].role" and body["code"] == "invalid_value"
    with pytest.raises(openai.NotFoundError) as info:
        oai.chat.completions.create(model="gpt-4o", messages=USER)
    assert info.value.body["code"] == "model_not_found" and info.value.body["param"] == "model"
    for extra, param in (
        ({"n": 2}, "n"),
        ({"tools": [{"type": "function", "function": {"name": "f"}}]}, "tools"),
        ({"response_format": {"type": "json_object"}}, "response_format"),
    ):
        with pytest.raises(openai.BadRequestError) as info:
            oai.chat.completions.create(model="mipyme-ia", messages=USER, **extra)
        assert info.value.body["param"] == param, extra
        assert info.value.body["type"] == "invalid_request_error"
    # Explicit defaults are fine.
    ok = oai.chat.completions.create(
        model="mipyme-ia", messages=USER, n=1, response_format={"type": "text"}
    )
    assert ok.choices[0].finish_reason == "stop"


def test_max_tokens_and_stop_are_honoured_streaming_or_not(oai):
    full = oai.chat.completions.create(model="mipyme-ia", messages=USER).choices[0].message.content
    assert full.startswith("Respuesta a: Quiero vender")
    short = oai.chat.completions.create(model="mipyme-ia", messages=USER, max_tokens=3)
    assert short.choices[0].finish_reason == "length"
    assert short.usage.completion_tokens == 3
    assert full.startswith(short.choices[0].message.content) and short.choices[0].message.content
    capped = oai.chat.completions.create(
        model="mipyme-ia", messages=USER, max_completion_tokens=2, max_tokens=50
    )
    assert capped.usage.completion_tokens == 2
    stopped = oai.chat.completions.create(model="mipyme-ia", messages=USER, stop=["vender", "zz"])
    assert stopped.choices[0].message.content == "Respuesta a: Quiero "
    assert stopped.choices[0].finish_reason == "stop"

    def streamed(**kw):
        chunks = list(
            oai.chat.completions.create(model="mipyme-ia", messages=USER, stream=True, **kw)
        )
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        return text, [c.choices[0].finish_reason for c in chunks if c.choices][-1]

    assert streamed(max_tokens=3) == (short.choices[0].message.content, "length")
    # "vender" arrives split over deltas ("Quiero ", "vender "): still cut before it.
    assert streamed(stop="vender") == ("Respuesta a: Quiero ", "stop")


def test_models_by_id_and_request_ids(oai, oai_server):
    assert oai.models.retrieve("mipyme-ia").id == "mipyme-ia"
    with pytest.raises(openai.NotFoundError) as info:
        oai.models.retrieve("gpt-4o")
    assert info.value.body["code"] == "model_not_found"
    raw = oai.chat.completions.with_raw_response.create(model="mipyme-ia", messages=USER)
    first = raw.headers["x-request-id"]
    second = httpx.get(f"{oai_server.url}/healthz").headers["x-request-id"]
    assert first.startswith("req_") and second.startswith("req_") and first != second


def test_api_keys_are_required_when_configured(tmp_path):
    with _serve(tmp_path, api_keys="clave-uno, clave-dos") as server:
        for key in ("", "clave-tres", "clave-un"):
            with OpenAI(base_url=f"{server.url}/v1", api_key=key or "-", max_retries=0) as c:
                with pytest.raises(openai.AuthenticationError) as info:
                    c.chat.completions.create(model="mipyme-ia", messages=USER)
                assert info.value.body["code"] == "invalid_api_key"
                with pytest.raises(openai.AuthenticationError):
                    c.models.list()
        r = httpx.post(
            f"{server.url}/v1/chat/completions", json={"model": "mipyme-ia", "messages": USER}
        )
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        with OpenAI(base_url=f"{server.url}/v1", api_key="clave-dos", max_retries=0) as c:
            assert c.chat.completions.create(model="mipyme-ia", messages=USER).choices
        # The web chat is not behind the API keys.
        assert httpx.post(f"{server.url}/v1/chat", json={"message": "hola"}).status_code == 200


# ------------------------------------------------------------------------------ hostile text
def _raw_json(body: str) -> bytes:
    return body.encode("ascii")  # `\ud800` stays a JSON escape: valid UTF-8 on the wire


SURROGATE_BODIES = [
    ("/v1/chat", '{"message": "hola \\ud800 mundo"}'),
    ("/v1/chat", '{"message": "hola", "session_id": "a\\udfff"}'),
    ("/v1/chat/stream", '{"message": "\\udc00"}'),
    ("/v1/feedback", '{"session_id": "x", "message_id": "m", "rating": "up", "reason": "\\ud83d"}'),
    (
        "/v1/chat/completions",
        '{"model": "mipyme-ia", "messages": [{"role": "user", "content": "hola \\ud800"}]}',
    ),
    (
        "/v1/chat/completions",
        '{"model": "mipyme-ia", "user": "\\udead", "messages": [{"role": "user", "content": "hola"}]}',
    ),
    (
        "/v1/chat/completions",
        '{"model": "mipyme-ia", "messages": [{"role": "user", "content": [{"type": "text", "text": "\\ud800"}]}]}',
    ),
]


def test_lone_surrogates_are_400_and_keep_the_connection(live_server):
    host, port = live_server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        for path, body in SURROGATE_BODIES:
            conn.request("POST", path, _raw_json(body), {"Content-Type": "application/json"})
            r = conn.getresponse()
            payload = json.loads(r.read())
            assert r.status == 400, (path, body, payload)
            assert r.getheader("connection") != "close"
            if path == "/v1/chat/completions":
                assert payload["error"]["type"] == "invalid_request_error"
            else:
                assert payload["error"]["code"] == "texto_invalido"
        # The same kept-alive connection still serves; a proper pair (an emoji) is fine.
        conn.request(
            "POST",
            "/v1/chat",
            _raw_json('{"message": "hola \\ud83d\\ude00"}'),
            {"Content-Type": "application/json"},
        )
        r = conn.getresponse()
        assert r.status == 200 and "😀" in json.loads(r.read())["answer"]
    finally:
        conn.close()


def test_invalid_code_points_in_paths_and_queries_are_4xx(live_server):
    with httpx.Client(base_url=live_server.url, timeout=10) as http:
        for url in (
            "/v1/sessions/%ED%A0%80/profile",
            "/v1/sessions/%FF%FE/profile",
            "/v1/courses?q=%ED%A0%80",
            "/v1/courses?topic=%C0%AF",
        ):
            r = http.get(url)
            assert 200 <= r.status_code < 500, url
            r.json()


# --------------------------------------------------------------------------- trusted proxies
def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(tmp_path):
    def burst(server) -> list[int]:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            return [
                http.post(
                    "/v1/chat",
                    json={"message": "hola"},
                    headers={"X-Forwarded-For": f"203.0.113.{i}"},
                ).status_code
                for i in range(4)
            ]

    with _serve(tmp_path / "a", rate_limit="2/minute") as server:
        assert burst(server) == [200, 200, 429, 429]  # a rotating header escapes nothing
    with _serve(tmp_path / "b", rate_limit="2/minute", trusted_proxies="127.0.0.1") as server:
        assert burst(server) == [200, 200, 200, 200]  # each forwarded client has its own limit
        with httpx.Client(base_url=server.url, timeout=10) as http:
            # The right-most untrusted hop counts: a client's own left-most entry cannot move it.
            codes = [
                http.post(
                    "/v1/chat",
                    json={"message": "hola"},
                    headers={"X-Forwarded-For": f"10.1.1.{i}, 198.51.100.7"},
                ).status_code
                for i in range(3)
            ]
        assert codes == [200, 200, 429]


# ------------------------------------------------------------------------------ slow clients
class _QuickHeaders(TimedH11Protocol):
    header_timeout = 1.0


def _closed_within(sock: socket.socket, seconds: float) -> float:
    started = time.monotonic()
    sock.settimeout(seconds)
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return time.monotonic() - started
        data += chunk


@pytest.mark.slow
def test_slow_headers_and_slow_bodies_are_cut_off(tmp_path, monkeypatch):
    import api.middleware

    monkeypatch.setattr(api.middleware, "BODY_READ_TIMEOUT_S", 1.0)
    app = create_app(make_settings(tmp_path), assistant=FakeAssistant())
    with UvicornThread(app, http=_QuickHeaders) as server:
        # Headers that never finish: the connection is closed.
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(b"POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
            assert _closed_within(sock, 5) < 3
        # Idle connection that never sends anything.
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            assert _closed_within(sock, 5) < 3
        # A body that stops half-way: 408 in Spanish, then the connection closes.
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(
                b"POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b'Content-Length: 100\r\n\r\n{"message": '
            )
            sock.settimeout(5)
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                chunk = sock.recv(4096)
                if not chunk:
                    break
                reply += chunk
            assert reply.startswith(b"HTTP/1.1 408")
            assert "tardó demasiado" in reply.decode()
        # A normal client is unaffected.
        assert httpx.post(f"{server.url}/v1/chat", json={"message": "hola"}).status_code == 200


def test_admin_report_has_no_absolute_paths(tmp_path, monkeypatch):
    import sys
    import types

    root = tmp_path / "srv" / "secreto" / "knowledge"

    class Report:
        def model_dump(self):
            return {
                "knowledge_dir": str(root),
                "collection": "c",
                "sources": [{"source": "a.md", "error": f"{root}/a.md: YAML inválido"}],
            }

    module = types.ModuleType("ingest.pipeline")
    module.run_ingest = lambda settings: Report()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ingest.pipeline", module)
    headers = {"Authorization": "Bearer t0ken-admin"}
    with _serve(tmp_path / "d", admin_token="t0ken-admin") as server:
        job = httpx.post(f"{server.url}/v1/admin/ingest", headers=headers, timeout=30)
        assert job.status_code == 202
        for _ in range(600):
            r = httpx.get(f"{server.url}{job.headers['location']}", headers=headers, timeout=30)
            if r.json()["status"] == "done":
                break
            time.sleep(0.05)
    assert r.json()["status"] == "done"
    assert str(tmp_path) not in r.text and "secreto" not in r.text
    report = r.json()["report"]
    assert report["knowledge_dir"] == "knowledge"
    assert report["sources"][0]["error"] == "knowledge/a.md: YAML inválido"


# ------------------------------------------------------------------------------- readiness
_READYZ_ON_FULL_DISK = r"""
import os, sys, httpx
from pathlib import Path
from api.main import create_app
from tests.api.conftest import FakeAssistant, make_settings
from tests.helpers import UvicornThread

data = Path(sys.argv[1])
with UvicornThread(create_app(make_settings(data), assistant=FakeAssistant())) as server:
    before = httpx.get(f"{server.url}/readyz")
    with open(data / "relleno", "wb") as fill:  # fill the 48 MiB tmpfs to the last block
        try:
            while True:
                fill.write(b"\0" * 65536)
                fill.flush()
        except OSError:
            pass
    full = httpx.get(f"{server.url}/readyz")
    os.remove(data / "relleno")
    after = httpx.get(f"{server.url}/readyz")
print(before.status_code, full.status_code, after.status_code)
print(full.json()["error"]["code"], full.json()["error"]["message"])
"""


def test_readyz_is_503_on_a_full_disk(tmp_path: Path) -> None:
    """A real full disk: a 48 MiB tmpfs in a private mount namespace, filled while serving."""
    import shutil
    import subprocess
    import sys

    from tests.helpers import ROOT

    data = tmp_path / "datos"
    data.mkdir()
    probe = (
        subprocess.run(["unshare", "-m", "true"], capture_output=True)
        if shutil.which("unshare")
        else None
    )
    if probe is None or probe.returncode != 0:
        pytest.skip("needs root and mount namespaces (unshare -m) to mount a tmpfs")
    script = 'mount -t tmpfs -o size=48m tmpfs "$0" && exec "$1" -c "$2" "$0"'
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, str(data), sys.executable, _READYZ_ON_FULL_DISK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    codes, error = done.stdout.strip().splitlines()[-2:]
    assert codes == "200 503 200"  # ready, full, ready again once space is freed
    assert error.startswith("disco_lleno No hay espacio libre"), error


def test_readyz_free_space_floor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import api.routes.health as health

    with _serve(tmp_path) as server:
        assert httpx.get(f"{server.url}/readyz").status_code == 200
        monkeypatch.setattr(health, "MIN_FREE_BYTES", 1 << 62)
        r = httpx.get(f"{server.url}/readyz")
        assert r.status_code == 503 and r.json()["error"]["code"] == "disco_lleno"
        assert str(tmp_path) not in r.text
        monkeypatch.setattr(health, "MIN_FREE_BYTES", 0)
        assert httpx.get(f"{server.url}/readyz").status_code == 200


# ------------------------------------------------------------------ stateless completions
def test_openai_endpoint_is_stateless_and_rebuilds_the_profile(real_server):
    assistant = real_server.app.state.assistant
    with OpenAI(base_url=f"{real_server.url}/v1", api_key="x", max_retries=0) as client:

        def ask(messages, **kw):
            return (
                client.chat.completions.create(model="mipyme-ia", messages=messages, **kw)
                .choices[0]
                .message.content
            )

        # Two anonymous callers opening with the same words share nothing.
        ask(
            [
                {"role": "user", "content": "Hola"},
                {"role": "assistant", "content": "¡Hola!"},
                {"role": "user", "content": "Tengo una fonda en Oaxaca"},
            ]
        )
        other = ask(
            [
                {"role": "user", "content": "Hola"},
                {"role": "user", "content": "¿Qué sabes de mi negocio?"},
            ]
        )
        assert "Oaxaca" not in other
        # The whole history, sent under a new key and a new `user`, still counts: the profile
        # is rebuilt from its user turns on this call.
        history = [
            {"role": "user", "content": "Tengo una fonda en Oaxaca, somos 4"},
            {"role": "assistant", "content": "¡Qué bien! ¿Cuántas horas a la semana tienes?"},
            {"role": "user", "content": "3 horas"},
            {"role": "assistant", "content": "Perfecto."},
            {"role": "user", "content": "¿Qué cursos me recomiendas?"},
        ]
        answer = ask(history, user="otra-persona")
        # Ideas for the sector only come once the sector is known: here, from the replay.
        # The fonda's own idea, and the weekly hours read as the answer to the question the
        # assistant had asked in the replayed history.
        assert "Menú del día" in answer and "3 h por semana" in answer, answer
        alone = ask([history[-1]])
        assert "Menú del día" not in alone
        # And nothing is kept on the server between calls.
    assert not [r for r in assistant.memory.list_turn_log() if r.channel == "openai"]
