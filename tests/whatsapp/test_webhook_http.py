"""Verification handshake, signatures (with the sample's GIVEN signature), and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from api.whatsapp.payloads import session_id_for

from .support import SAMPLES, VERIFY_TOKEN, Clock, envelope, text_update

pytestmark = pytest.mark.asyncio(loop_scope="session")

GIVEN = dict(
    line.split(": ", 1)
    for line in (SAMPLES / "signed_text_message.signature.txt").read_text().splitlines()
    if ": " in line
)
SIGNED_BODY = (SAMPLES / "signed_text_message.json").read_bytes()
SIGNED_SETTINGS = {
    "WHATSAPP_APP_SECRET": GIVEN["app_secret"],
    "WHATSAPP_PHONE_NUMBER_ID": "277321005464405",
}
SIGNED_WAMID = json.loads(SIGNED_BODY)["entry"][0]["changes"][0]["value"]["messages"][0]["id"]


async def test_given_signature_is_accepted_and_answered(harness_factory: Any, graph: Any) -> None:
    h = await harness_factory(clock=Clock(1730231903 + 60), settings=SIGNED_SETTINGS)
    response = await h.post(SIGNED_BODY, signature=GIVEN["X-Hub-Signature-256"])
    assert response.status_code == 200
    await h.idle()
    assert h.assistant.messages == ["Hey there! I am using PyWa."]
    assert h.assistant.sessions == [session_id_for("972500000001")]
    assert graph.sent and graph.sent[0]["to"] == "972500000001"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.replace(b"Hey there", b"Hey therE"),  # one byte changed
        lambda b: b + b" ",  # one byte appended
        lambda b: b[:-1],  # one byte removed
    ],
)
async def test_one_byte_change_is_rejected(harness_factory: Any, graph: Any, mutate: Any) -> None:
    h = await harness_factory(clock=Clock(1730231903 + 60), settings=SIGNED_SETTINGS)
    response = await h.post(mutate(SIGNED_BODY), signature=GIVEN["X-Hub-Signature-256"])
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "firma_invalida"
    await h.idle()
    assert await h.store.inbound_state(SIGNED_WAMID) is None
    assert h.assistant.calls == [] and graph.calls == []


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha1=97dcec580a68a0b98d08c03c999984632009caa1",
        "sha256=" + "0" * 64,
        "97dcec580a68a0b98d08c03c999984632009caa1981f7dfd943ee1382b56b107",
    ],
)
async def test_missing_or_malformed_signature_is_rejected(
    harness_factory: Any, graph: Any, signature: str | None
) -> None:
    h = await harness_factory(settings=SIGNED_SETTINGS)
    response = await h.post(SIGNED_BODY, signature=signature)
    assert response.status_code == 403
    assert await h.store.inbound_state(SIGNED_WAMID) is None


async def test_signature_with_another_secret_is_rejected(harness_factory: Any) -> None:
    h = await harness_factory()  # test secret, not the sample's
    response = await h.post(SIGNED_BODY, signature=GIVEN["X-Hub-Signature-256"])
    assert response.status_code == 403


async def test_verification_handshake(harness_factory: Any) -> None:
    h = await harness_factory()
    ok = await h.client.get(
        "/webhooks/whatsapp",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200
    assert ok.text == "1158201444"
    assert ok.headers["content-type"].startswith("text/plain")
    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "x"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "x"},
        {"hub.verify_token": VERIFY_TOKEN, "hub.challenge": "x"},
        {},
    ):
        bad = await h.client.get("/webhooks/whatsapp", params=params)
        assert bad.status_code == 403, params
        assert bad.json()["error"]["message"]


async def test_channel_not_configured_is_503_in_spanish(harness_factory: Any) -> None:
    h = await harness_factory(settings={"WHATSAPP_ACCESS_TOKEN": None})
    get = await h.client.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "x"},
    )
    post = await h.post(envelope(text_update("wamid.A", "5215512345678", "hola")))
    for response in (get, post):
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "falta_configuracion"
        assert "WhatsApp" in error["message"]


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"object": "whatsapp_business_account"}', b"\xff\xfe"]
)
async def test_signed_garbage_is_a_422(harness_factory: Any, body: bytes) -> None:
    h = await harness_factory()
    response = await h.post(body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "entrada_invalida"


async def test_other_objects_and_fields_are_acknowledged_and_ignored(
    harness_factory: Any, graph: Any
) -> None:
    h = await harness_factory()
    page = {"object": "page", "entry": [{"id": "1", "changes": []}]}
    other_field = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1",
                "changes": [
                    {"field": "message_template_status_update", "value": {"event": "APPROVED"}}
                ],
            }
        ],
    }
    for payload in (page, other_field):
        assert (await h.post(payload)).status_code == 200
    await h.idle()
    assert graph.calls == [] and h.assistant.calls == []


async def test_storage_failure_is_not_acknowledged(harness_factory: Any) -> None:
    h = await harness_factory()
    await h.store.close()  # the database is gone: we must not answer 200
    response = await h.post(envelope(text_update("wamid.S", "5215512345678", "hola")))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "almacenamiento_no_disponible"
