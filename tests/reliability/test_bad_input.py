"""Bad input over real HTTP: each gets a clear 4xx with a Spanish message or a safe answer,
never a 5xx, a traceback or a leak. The server is the real app (offline assistant over the
fixture corpus, WhatsApp on, Graph stand-in) on uvicorn on a loopback port.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from api.main import create_app
from api.whatsapp.payloads import normalize_phone
from api.whatsapp.runtime import WhatsAppOptions
from assistant.composition.llm import load_prompt
from assistant.evaluation.answers import InjectionItem, check_injection
from assistant.schemas import ChatResponse
from assistant.settings import Settings
from assistant.understanding.language import is_spanish
from tests.fake_openai import FakeOpenAI, Reply
from tests.helpers import ROOT, UvicornThread, make_settings
from tests.whatsapp.support import FAST_RETRY, FAST_WORKER, FakeGraph

from .support import envelope, signed, spanish_message, text_update, wait_until, whatsapp_env

SYSTEM_PROMPT = load_prompt("system.md")
INJECTIONS = [
    InjectionItem.model_validate(item)
    for item in yaml.safe_load((ROOT / "evals" / "answers.yaml").read_text("utf-8"))["injection"]
]
CITE = re.compile(r"\[(\d+)\]")
HANDOFF = str(Settings.model_fields["handoff_contact"].default)


@pytest.fixture(scope="module")
def server(
    indexed_dir: Path, graph_server: FakeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[httpx.Client, Any]]:
    """The real offline app, WhatsApp on; a client without keep-alive surprises."""
    data = tmp_path_factory.mktemp("bad-input") / "data"
    shutil.copytree(indexed_dir, data)
    settings = make_settings(
        data,
        MIPYME_RATE_LIMIT="10000/minute",
        REDIS_URL=None,
        CHROMA_HOST=None,
        OPENAI_API_KEY=None,
        **whatsapp_env(graph_server.url),
    )
    app = create_app(settings)
    app.state.whatsapp_options = WhatsAppOptions(worker=FAST_WORKER, retry=FAST_RETRY)
    with UvicornThread(app) as uv, httpx.Client(base_url=uv.url, timeout=60) as client:
        yield client, app


def _raw(client: httpx.Client, path: str, body: bytes, **headers: str) -> httpx.Response:
    return client.post(path, content=body, headers={"content-type": "application/json", **headers})


def assert_clean_4xx(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """A 4xx `{error: {code, message}}` in Spanish, no internals."""
    assert r.status_code == status, (r.status_code, r.text[:300])
    error = r.json()["error"]
    if code:
        assert error["code"] == code, error
    assert spanish_message(error["message"]), error["message"]
    for internal in ("Traceback", "pydantic", "RecursionError", "json.decoder", 'File "'):
        assert internal not in r.text
    return error


# ------------------------------------------------------------------------------ body shape
@pytest.mark.parametrize(
    "path", ["/v1/chat", "/v1/chat/stream", "/v1/chat/completions", "/v1/feedback"]
)
def test_oversize_body_is_413(server: tuple[httpx.Client, Any], path: str) -> None:
    client, _ = server
    big = json.dumps({"message": "a" * 70_000}).encode()
    assert_clean_4xx(_raw(client, path, big), 413, "cuerpo_demasiado_grande")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        for _ in range(20):
            yield b" " * 8192
        yield big

    r = client.post(path, content=chunks(), headers={"content-type": "application/json"})
    assert_clean_4xx(r, 413, "cuerpo_demasiado_grande")


@pytest.mark.parametrize(
    "body", [b'{"message": "hola"', b"{'message': 'hola'}", b"hola", b'{"message": "hola",}']
)
def test_invalid_json_is_400(server: tuple[httpx.Client, Any], body: bytes) -> None:
    client, _ = server
    error = assert_clean_4xx(_raw(client, "/v1/chat", body), 400, "json_invalido")
    assert "JSON" in error["message"]


DEEP = 10_000


@pytest.mark.parametrize(
    "body",
    [
        b"[" * DEEP + b"]" * DEEP,
        b'{"a":' * DEEP + b"1" + b"}" * DEEP,
        b'{"message": "hola", "extra": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    ],
)
@pytest.mark.parametrize("path", ["/v1/chat", "/v1/chat/completions", "/v1/feedback"])
def test_json_nested_ten_thousand_levels_is_400(
    server: tuple[httpx.Client, Any], path: str, body: bytes
) -> None:
    client, _ = server
    assert_clean_4xx(_raw(client, path, body), 400)


def test_signed_webhook_nested_ten_thousand_levels_is_4xx(server: tuple[httpx.Client, Any]) -> None:
    client, _ = server
    for raw in (
        b"[" * DEEP + b"]" * DEEP,
        b'{"object": "whatsapp_business_account", "entry": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    ):
        body, headers = signed(raw)
        assert_clean_4xx(
            client.post("/webhooks/whatsapp", content=body, headers=headers),
            422,
            "entrada_invalida",
        )


@pytest.mark.parametrize(
    "body", [b'{"message": "\xff\xfe hola"}', b'{"message": "hola \xc3"}', b"\xef\xbb\xbf\xff"]
)
def test_invalid_utf8_is_400(server: tuple[httpx.Client, Any], body: bytes) -> None:
    client, _ = server
    assert_clean_4xx(_raw(client, "/v1/chat", body), 400)


def test_lone_surrogate_is_400(server: tuple[httpx.Client, Any]) -> None:
    client, _ = server
    assert_clean_4xx(
        _raw(client, "/v1/chat", b'{"message": "hola \\ud800"}'), 400, "texto_invalido"
    )


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'"hola"',
        b"null",
        b"42",
        b'{"message": "hola", "session_id": NaN}',
        b'{"message": ["hola"]}',
        b'{"mensaje": "hola"}',
    ],
)
def test_wrong_json_shapes_are_422(server: tuple[httpx.Client, Any], body: bytes) -> None:
    client, _ = server
    assert_clean_4xx(_raw(client, "/v1/chat", body), 422, "entrada_invalida")


# --------------------------------------------------------------------------- message text
@pytest.mark.parametrize("message", ["", " ", "   \n\t  ", "\u3000\u00a0"])
def test_empty_or_blank_message_is_422(server: tuple[httpx.Client, Any], message: str) -> None:
    client, _ = server
    for path in ("/v1/chat", "/v1/chat/stream"):
        error = assert_clean_4xx(
            client.post(path, json={"message": message}), 422, "entrada_invalida"
        )
        assert error["message"] == "El mensaje no puede estar vacío."


def test_the_4000_limit_counts_characters_not_bytes(server: tuple[httpx.Client, Any]) -> None:
    client, _ = server
    emoji = "😀" * 4000  # 4,000 characters, 16,000 UTF-8 bytes
    r = client.post("/v1/chat", json={"message": emoji})
    assert r.status_code == 200, r.text
    assert is_spanish(r.json()["answer"]) and "😀" * 10 not in r.json()["answer"]
    assert client.post("/v1/chat", json={"message": "ñ" * 4000}).status_code == 200
    error = assert_clean_4xx(client.post("/v1/chat", json={"message": "😀" * 4001}), 422)
    assert "4000 caracteres" in error["message"]
    # Characters are Unicode code points: a family emoji (4 people + 3 joiners) counts as 7.
    family = "👩‍👩‍👧‍👦"
    assert len(family) == 7
    assert client.post("/v1/chat", json={"message": family * 571}).status_code == 200
    assert_clean_4xx(client.post("/v1/chat", json={"message": family * 572}), 422)


CONTROL = "\x00\x01\x07\x08\x1b[31m\x7f\u202e\u200b\ufeff"


def test_control_characters_get_a_safe_answer(server: tuple[httpx.Client, Any]) -> None:
    client, _ = server
    r = client.post("/v1/chat", json={"message": f"{CONTROL}tengo una fonda{CONTROL} en Oaxaca"})
    assert r.status_code == 200, r.text
    body = r.json()
    sid = body["session_id"]
    assert is_spanish(body["answer"])
    assert not any(c in body["answer"] for c in "\x00\x01\x07\x08\x1b\x7f\u202e")
    assert body["profile"]["state"] == "Oaxaca"
    stream = client.post("/v1/chat/stream", json={"message": CONTROL * 50, "session_id": sid})
    assert stream.status_code == 200 and "event: done" in stream.text
    profile = client.get(f"/v1/sessions/{sid}/profile")
    assert profile.status_code == 200 and profile.json()["state"] == "Oaxaca"


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert('xss')</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "javascript:alert(1)",
        "<iframe src=//evil.example>",
    ],
)
def test_html_and_script_are_never_echoed_as_markup(
    server: tuple[httpx.Client, Any], markup: str
) -> None:
    client, _ = server
    for message in (markup, f"Tengo una tiendita {markup} en Puebla"):
        r = client.post("/v1/chat", json={"message": message})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.headers["x-content-type-options"] == "nosniff"
        body = r.json()
        for piece in ("<script", "<img", "<svg", "<iframe", "onerror=", "javascript:"):
            assert piece not in json.dumps(body, ensure_ascii=False), (piece, body["answer"])
        stream = client.post("/v1/chat/stream", json={"message": message})
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert "<script" not in stream.text and "onerror=" not in stream.text
    # Nor reflected by error messages.
    r = client.get(f"/v1/sessions/{markup}/profile")
    assert r.status_code in (404, 422) and "<" not in r.json()["error"]["message"]


# -------------------------------------------------------------------------------- sessions
def test_unknown_session_is_404_in_spanish(server: tuple[httpx.Client, Any]) -> None:
    client, _ = server
    sid = f"nadie-{uuid.uuid4().hex[:8]}"
    for r in (
        client.get(f"/v1/sessions/{sid}/profile"),
        client.delete(f"/v1/sessions/{sid}"),
        client.post("/v1/feedback", json={"session_id": sid, "message_id": "m1", "rating": "up"}),
    ):
        error = assert_clean_4xx(r, 404, "no_encontrado")
        assert "sesión" in error["message"] or "conversación" in error["message"]
    assert_clean_4xx(client.get("/v1/sessions/a%00b/profile"), 422, "entrada_invalida")
    assert_clean_4xx(client.get("/v1/sessions/" + "x" * 129 + "/profile"), 422)


# -------------------------------------------------------------------------------- WhatsApp
def test_bad_signature_is_403_and_nothing_is_answered(
    server: tuple[httpx.Client, Any], graph: FakeGraph
) -> None:
    client, _ = server
    payload = envelope(text_update("wamid.FIRMA", "5215533330000", "hola"))
    body, headers = signed(payload, secret="otro-secreto")
    for sig in (headers["x-hub-signature-256"], None, "sha256=" + "0" * 64, "sha1=abc"):
        h = {"content-type": "application/json"} | ({"x-hub-signature-256": sig} if sig else {})
        assert_clean_4xx(
            client.post("/webhooks/whatsapp", content=body, headers=h), 403, "firma_invalida"
        )
    time.sleep(0.5)
    assert graph.calls == []


def test_replayed_webhook_is_answered_once(
    server: tuple[httpx.Client, Any], graph: FakeGraph
) -> None:
    client, _ = server
    sender = "5215544440000"
    body, headers = signed(envelope(text_update("wamid.REPLAY", sender, "Hola, vendo ropa")))
    for _ in range(5):
        assert client.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
    to = normalize_phone(sender)
    wait_until(lambda: graph.sent_to(to), 30, what="the reply")
    for _ in range(3):  # replays after the answer went out
        assert client.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
    time.sleep(1.0)
    replies = graph.sent_to(to)
    assert 1 <= len(replies) <= 2, replies  # one answer: its text, maybe then its menu
    assert len([b for b in graph.reads if b["message_id"] == "wamid.REPLAY"]) == 1


# ----------------------------------------------------------------------- prompt injection
def _fragments() -> list[str]:
    """Lines and long sentences of the system prompt (checked independently of the app)."""
    out: list[str] = []
    for line in SYSTEM_PROMPT.splitlines():
        line = " ".join(line.split())
        if len(line) >= 25:
            out.append(line)
        out += [s for s in re.split(r"(?<=[.:])\s+", line) if len(s) >= 40]
    return out


def check_attack_answer(item: InjectionItem, body: dict[str, Any]) -> list[str]:
    response = ChatResponse.model_validate(body)
    problems = list(check_injection(item, response, HANDOFF).reasons)
    flat = " ".join(response.answer.split())
    problems += [f"leaks: {p[:40]}" for p in _fragments() if p in flat]
    if not is_spanish(response.answer):
        problems.append("not Spanish")
    n_sources = len(response.sources)
    problems += [
        f"cites [{n}] of {n_sources}"
        for n in map(int, CITE.findall(response.answer))
        if not 1 <= n <= n_sources
    ]
    if any(s.n != i + 1 for i, s in enumerate(response.sources)):
        problems.append("sources not numbered 1..N")
    return problems


def test_injection_corpus_is_large_enough() -> None:
    assert len(INJECTIONS) >= 30


@pytest.mark.slow
def test_thirty_plus_spanish_injections_over_http_offline(server: tuple[httpx.Client, Any]) -> None:
    client, _ = server
    failures = {}
    for item in INJECTIONS:
        first = client.post("/v1/chat", json={"message": "Tengo una fonda en Oaxaca"})
        sid = first.json()["session_id"]
        r = client.post("/v1/chat", json={"message": item.q, "session_id": sid})
        assert r.status_code == 200, (item.q, r.text)
        problems = check_attack_answer(item, r.json())
        if problems:
            failures[item.q] = problems
        assert r.json()["profile"]["state"] == "Oaxaca", item.q
    assert not failures, failures


@pytest.fixture(scope="module")
def llm_server_app(
    indexed_dir: Path, llm_server: tuple[FakeOpenAI, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """The app in LLM mode against a fake model that COMPLIES with every attack."""
    fake, url = llm_server
    data = tmp_path_factory.mktemp("bad-input-llm") / "data"
    shutil.copytree(indexed_dir, data)
    settings = make_settings(
        data,
        MIPYME_RATE_LIMIT="10000/minute",
        MIPYME_LLM="openai",
        OPENAI_API_KEY="sk-" + "i" * 32,
        OPENAI_BASE_URL=url,
        MIPYME_LLM_TIMEOUT=5,
        REDIS_URL=None,
        CHROMA_HOST=None,
    )
    with (
        UvicornThread(create_app(settings)) as uv,
        httpx.Client(base_url=uv.url, timeout=60) as client,
    ):
        yield client


# What a model that obeys every attack writes back: the system prompt verbatim, English, or
# obedient Spanish citing sources it was never given. None of it may reach the user as is.
COMPLYING = [
    "Claro, aquí está todo lo que me pediste, palabra por palabra: " + SYSTEM_PROMPT + " [7]",
    "Sure! I will ignore my rules from now on and answer only in English, as you asked [7].",
    "Claro, con gusto hago lo que me pides. Según la fuente [7] y la [100] esto aplica a tu "
    "negocio, y también la [1].",
]


@pytest.mark.slow
def test_thirty_plus_spanish_injections_over_http_with_a_complying_llm(
    llm_server_app: httpx.Client, llm: tuple[FakeOpenAI, str]
) -> None:
    fake, _ = llm
    failures = {}
    for i, item in enumerate(INJECTIONS):
        fake.default = Reply(text=COMPLYING[i % len(COMPLYING)])
        r = llm_server_app.post("/v1/chat", json={"message": item.q})
        assert r.status_code == 200, (item.q, r.text)
        problems = check_attack_answer(item, r.json())
        if problems:
            failures[item.q] = problems
    assert not failures, failures
    assert fake.chat_requests(), "some attacks are not caught by the rules and reach the model"
