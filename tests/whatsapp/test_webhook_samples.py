"""Every stored Meta/community sample, through a real signed HTTP POST, with its outcome.

| sample                                   | outcome                                              |
|------------------------------------------|------------------------------------------------------|
| text_message                             | reply (assistant gets the text)                      |
| text_message_click_to_whatsapp_ad        | reply                                                |
| text_message_bsuid_username              | reply; session keyed by BSUID, sent to the phone     |
| text_reply_with_context                  | reply; session keyed by the contact's BSUID          |
| interactive_button_reply                 | reply (button title read back as the user's text)    |
| interactive_list_reply                   | reply (row title read back)                          |
| template_quick_reply_button              | reply (`button.text` read back)                      |
| batch_multiple_changes                   | both changes parsed; same wamid → one reply          |
| signed_text_message                      | reply                                                |
| image_message                            | fixed Spanish reply: only text is understood         |
| audio_voice_message                      | fixed Spanish reply: voice notes not understood      |
| unsupported_message                      | fixed Spanish reply                                  |
| location_message                         | fixed reply: the place is outside México, ask state  |
| reaction_message, reaction_removed       | ignored silently (no read receipt, no reply)         |
| status_sent/delivered/read/failed        | status recorded for the outbound wamid; no reply     |
| errors_rate_limit                        | logged with its code (130429); nothing stored/sent   |
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from api.whatsapp.interpret import ASK_STATE_ABROAD, NO_AUDIO, NO_MEDIA, ONLY_TEXT
from api.whatsapp.payloads import session_id_for

from .support import SAMPLES, Clock

pytestmark = pytest.mark.asyncio(loop_scope="session")

OUTCOMES: dict[str, tuple[str, Any]] = {
    "text_message.json": ("reply", "Does it come in another color?"),
    "text_message_click_to_whatsapp_ad.json": ("reply", "Can I get more info about this?"),
    "text_message_bsuid_username.json": ("reply", "this is a text message"),
    "text_reply_with_context.json": ("reply", "replied text"),
    "interactive_button_reply.json": ("reply", "Change"),
    "interactive_list_reply.json": ("reply", "Priority Mail Express"),
    "template_quick_reply_button.json": ("reply", "Unsubscribe"),
    "batch_multiple_changes.json": ("reply", "MESSAGE_BODY"),
    "signed_text_message.json": ("reply", "Hey there! I am using PyWa."),
    "image_message.json": ("fixed", NO_MEDIA),
    "audio_voice_message.json": ("fixed", NO_AUDIO),
    "unsupported_message.json": ("fixed", ONLY_TEXT),
    # Palo Alto, California: outside México, so we ask for the state.
    "location_message.json": ("fixed", ASK_STATE_ABROAD),
    "reaction_message.json": ("ignore", None),
    "reaction_removed.json": ("ignore", None),
    "status_sent.json": ("status", "sent"),
    "status_delivered.json": ("status", "delivered"),
    "status_read.json": ("status", "read"),
    "status_failed.json": ("status", "failed"),
    "errors_rate_limit.json": ("logged", 130429),
}

SESSIONS = {
    "text_message.json": ("16505551234", "16505551234"),
    "text_message_bsuid_username.json": ("US.13491208655302741918", "16315551181"),
    "text_reply_with_context.json": ("US.13491208655302741918", "972987654321"),
    "batch_multiple_changes.json": ("PHONE_NUMBER", "PHONE_NUMBER"),
    "signed_text_message.json": ("972500000001", "972500000001"),
}


def _values(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [c["value"] for e in payload["entry"] for c in e["changes"]]


def _context(payload: dict[str, Any]) -> tuple[str, float]:
    """The sample's business number and a clock just after its newest message."""
    values = _values(payload)
    stamps = [float(m["timestamp"]) for v in values for m in v.get("messages", [])]
    stamps += [float(s["timestamp"]) for v in values for s in v.get("statuses", [])]
    return values[0]["metadata"]["phone_number_id"], max(stamps, default=1.75e9) + 60


async def test_table_covers_every_sample() -> None:
    assert set(OUTCOMES) == {p.name for p in SAMPLES.glob("*.json")}


@pytest.mark.parametrize("name", sorted(OUTCOMES))
async def test_sample(
    name: str, harness_factory: Any, graph: Any, caplog: pytest.LogCaptureFixture
) -> None:
    raw = (SAMPLES / name).read_bytes()
    payload = json.loads(raw)
    phone_id, start = _context(payload)
    h = await harness_factory(clock=Clock(start), settings={"WHATSAPP_PHONE_NUMBER_ID": phone_id})
    caplog.set_level(logging.INFO, logger="api.whatsapp")

    response = await h.post(raw)
    assert response.status_code == 200, response.text
    await h.idle()

    kind, detail = OUTCOMES[name]
    messages = [m for v in _values(payload) for m in v.get("messages", [])]
    outbound = await h.store.outbound()
    if kind == "reply":
        assert h.assistant.messages == [detail]
        assert h.assistant.calls[0][2] == "whatsapp"
        if name in SESSIONS:
            user_key, to = SESSIONS[name]
            # A keyed hash of the user key: the phone number never becomes a session id.
            assert h.assistant.sessions == [session_id_for(user_key)]
            assert user_key not in h.assistant.sessions[0]
            assert graph.sent and all(b["to"] == to for b in graph.sent)
        assert 1 <= len(graph.sent) <= 2
        assert [o.state for o in outbound] == ["sent"] * len(graph.sent)
        assert [r["message_id"] for r in graph.reads] == [messages[0]["id"]]
        assert graph.reads[0]["typing_indicator"] == {"type": "text"}
    elif kind == "fixed":
        assert h.assistant.calls == []
        assert [b["text"]["body"] for b in graph.sent] == [detail]
        assert [o.state for o in outbound] == ["sent"]
        assert "typing_indicator" not in graph.reads[0]
    elif kind == "ignore":
        assert h.assistant.calls == [] and graph.calls == [] and outbound == []
        assert await h.store.inbound_state(messages[0]["id"]) == "ignored"
    elif kind == "status":
        status = _values(payload)[0]["statuses"][0]
        recorded = await h.store.statuses(status["id"])
        assert [s.status for s in recorded] == [detail]
        if detail == "failed":
            assert recorded[0].error_code == 131049
            assert "131049" in caplog.text
        assert graph.calls == [] and h.assistant.calls == []
    elif kind == "logged":
        assert str(detail) in caplog.text
        assert graph.calls == [] and h.assistant.calls == [] and outbound == []
    else:  # pragma: no cover
        pytest.fail(kind)


async def test_batch_sample_with_distinct_ids_answers_both(
    harness_factory: Any, graph: Any
) -> None:
    payload = json.loads((SAMPLES / "batch_multiple_changes.json").read_bytes())
    payload["entry"][0]["changes"][1]["value"]["messages"][0]["id"] = "wamid.ID2"
    h = await harness_factory(
        clock=Clock(1669233779 + 60), settings={"WHATSAPP_PHONE_NUMBER_ID": "PHONE_NUMBER_ID"}
    )
    assert (await h.post(payload)).status_code == 200
    await h.idle()
    assert h.assistant.messages == ["MESSAGE_BODY", "MESSAGE_BODY2"]


async def test_update_for_another_business_number_is_not_answered(
    harness_factory: Any, graph: Any
) -> None:
    raw = (SAMPLES / "text_message.json").read_bytes()
    h = await harness_factory(settings={"WHATSAPP_PHONE_NUMBER_ID": "999"})
    assert (await h.post(raw)).status_code == 200
    await h.idle()
    assert h.assistant.calls == [] and graph.calls == []
