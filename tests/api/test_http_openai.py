"""The OpenAI-compatible endpoint, driven by the official `openai` client and LangChain's ChatOpenAI
against a real uvicorn server on a loopback port."""

from __future__ import annotations

import json

import httpx
import openai
import pytest
from langchain_openai import ChatOpenAI
from openai import OpenAI


@pytest.fixture
def oai(live_server):
    live_server.fake.fail_after = None
    live_server.fake.calls.clear()
    with OpenAI(base_url=f"{live_server.url}/v1", api_key="clave-de-prueba", max_retries=0) as c:
        yield c


def test_models_list(oai):
    ids = [m.id for m in oai.models.list()]
    assert ids == ["mipyme-ia"]


def test_completion_not_streaming(oai):
    r = oai.chat.completions.create(
        model="mipyme-ia",
        messages=[{"role": "system", "content": "Eres útil."}, {"role": "user", "content": "hola"}],
    )
    assert r.object == "chat.completion"
    assert r.choices[0].message.content == "Respuesta a: hola"
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens > 0


def test_completion_streaming_with_usage(oai):
    stream = oai.chat.completions.create(
        model="mipyme-ia",
        messages=[{"role": "user", "content": "quiero vender más"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Respuesta a: quiero vender más"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens > 0
    assert len({c.id for c in chunks}) == 1


def test_raw_stream_ends_with_done(live_server):
    req = {"model": "mipyme-ia", "stream": True, "messages": [{"role": "user", "content": "hola"}]}
    r = httpx.post(f"{live_server.url}/v1/chat/completions", json=req, timeout=10)
    assert r.status_code == 200
    data_lines = [line for line in r.text.splitlines() if line.startswith("data:")]
    assert data_lines[-1] == "data: [DONE]"
    first = json.loads(data_lines[0][5:])
    assert first["object"] == "chat.completion.chunk"


def test_mid_stream_failure_raises_api_error(oai, live_server):
    live_server.fake.fail_after = 4
    stream = oai.chat.completions.create(
        model="mipyme-ia", messages=[{"role": "user", "content": "hola"}], stream=True
    )
    with pytest.raises(openai.APIError) as info:
        list(stream)
    assert "inesperado" in info.value.message


def test_errors_map_to_openai_exceptions(oai):
    with pytest.raises(openai.BadRequestError) as info:
        oai.chat.completions.create(model="mipyme-ia", messages=[{"role": "user", "content": " "}])
    assert info.value.body["message"] == "El mensaje no puede estar vacío."
    assert info.value.body["type"] == "invalid_request_error"
    with pytest.raises(openai.BadRequestError):
        oai.chat.completions.create(
            model="mipyme-ia", messages=[{"role": "assistant", "content": "hola"}]
        )


def test_the_messages_array_is_the_conversation(oai, live_server):
    history = [
        {"role": "system", "content": "Sé breve."},
        {"role": "user", "content": "Vendo tamales"},
        {"role": "assistant", "content": "¡Qué bien!"},
        {"role": "user", "content": "¿Qué curso tomo?"},
    ]
    oai.chat.completions.create(model="mipyme-ia", messages=history, user="cliente-42")
    # No server session: the assistant gets the earlier turns with the new message.
    assert live_server.fake.calls[-1] == ("respond", (None, "¿Qué curso tomo?", "openai"))
    assert live_server.fake.transcripts[-1] == [
        ("user", "Vendo tamales"),
        ("assistant", "¡Qué bien!"),
    ]
    oai.chat.completions.create(model="mipyme-ia", messages=[history[1]])
    assert live_server.fake.transcripts[-1] == []


def test_langchain_chat_openai(live_server):
    llm = ChatOpenAI(
        base_url=f"{live_server.url}/v1", api_key="clave", model="mipyme-ia", max_retries=0
    )
    assert llm.invoke("¿Qué es Plan México?").content == "Respuesta a: ¿Qué es Plan México?"
    pieces = [chunk.content for chunk in llm.stream("hola de nuevo")]
    assert "".join(pieces) == "Respuesta a: hola de nuevo"
    assert len([p for p in pieces if p]) > 1
