"""Receiving: dedup, batching, identity, crash recovery, ordering, interactive read-back."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from api.whatsapp.interpret import ASK_STATE_ABROAD
from api.whatsapp.payloads import session_id_for, user_hash, wamid_hash

from .support import ScriptedAssistant, envelope, text_update

pytestmark = pytest.mark.asyncio(loop_scope="session")

MX = "5215512345678"  # what Meta often reports for a Mexican mobile
MX_NORMAL = "525512345678"


async def test_same_message_delivered_three_times_is_answered_once(
    harness_factory: Any, graph: Any
) -> None:
    h = await harness_factory()
    payload = envelope(text_update("wamid.DUP", MX, "Hola, tengo una tienda"))
    for _ in range(3):
        assert (await h.post(payload)).status_code == 200
    await h.idle()
    await asyncio.gather(*(h.post(payload) for _ in range(3)))  # late, concurrent redeliveries
    await h.idle()
    assert h.assistant.messages == ["Hola, tengo una tienda"]
    assert len(graph.sent) == 1
    assert len(graph.reads) == 1


async def test_batch_of_five_from_three_users(harness_factory: Any, graph: Any) -> None:
    h = await harness_factory()
    normal = {
        "5215511111111": "525511111111",
        "5213322222222": "523322222222",
        "14155550123": "14155550123",
    }
    users = {raw: session_id_for(key) for raw, key in normal.items()}
    a, b, c = users
    batch = [
        ("wamid.1", a, "a1"),
        ("wamid.2", b, "b1"),
        ("wamid.3", a, "a2"),
        ("wamid.4", c, "c1"),
        ("wamid.5", b, "b2"),
    ]
    # Two changes in one entry plus a second entry: the receiver must loop over every level.
    first = text_update(*batch[0])
    first["messages"].append(text_update(*batch[1])["messages"][0])
    payload = envelope(first, text_update(*batch[2]))
    payload["entry"].append(envelope(*(text_update(*m) for m in batch[3:]))["entry"][0])
    assert (await h.post(payload)).status_code == 200
    await h.idle()

    seen = dict(zip(h.assistant.messages, h.assistant.sessions, strict=True))
    assert seen == {"a1": users[a], "b1": users[b], "a2": users[a], "c1": users[c], "b2": users[b]}
    # per-user order is kept
    assert [m for m in h.assistant.messages if m.startswith("a")] == ["a1", "a2"]
    assert [m for m in h.assistant.messages if m.startswith("b")] == ["b1", "b2"]
    assert sorted(b["to"] for b in graph.sent) == sorted(normal[u] for _, u, _ in batch)
    assert len(graph.reads) == 5


async def test_521_and_52_are_one_person(harness_factory: Any, graph: Any) -> None:
    h = await harness_factory()
    await h.post(envelope(text_update("wamid.M1", MX, "Hola")))
    await h.post(envelope(text_update("wamid.M2", MX_NORMAL, "Vendo tacos")))
    await h.idle()
    assert h.assistant.sessions == [session_id_for(MX_NORMAL), session_id_for(MX_NORMAL)]
    assert {b["to"] for b in graph.sent} == {MX_NORMAL}


async def test_bsuid_only_user_is_keyed_and_answered_by_bsuid(
    harness_factory: Any, graph: Any
) -> None:
    h = await harness_factory()
    value = text_update("wamid.B", "", "hola", user_id="MX.123456789")
    value["messages"][0]["from_user_id"] = "MX.123456789"
    await h.post(envelope(value))
    await h.idle()
    assert h.assistant.sessions == [session_id_for("MX.123456789")]
    assert {b["to"] for b in graph.sent} == {"MX.123456789"}


async def test_crash_before_the_worker_ran(harness_factory: Any, graph: Any, tmp_path: Any) -> None:
    first = await harness_factory(run_worker=False, data_dir=tmp_path)
    assert (await first.post(envelope(text_update("wamid.C1", MX, "hola")))).status_code == 200
    await first.stop()
    assert graph.calls == []

    second = await harness_factory(data_dir=tmp_path)
    await second.idle()
    assert second.assistant.messages == ["hola"]
    assert len(graph.sent) == 1


async def test_crash_while_the_assistant_was_thinking(
    harness_factory: Any, graph: Any, tmp_path: Any
) -> None:
    stuck = ScriptedAssistant()
    stuck.gate = asyncio.Event()  # never opened: the process "dies" mid-answer
    first = await harness_factory(assistant=stuck, data_dir=tmp_path)
    await first.post(envelope(text_update("wamid.C2", MX, "hola")))
    await asyncio.wait_for(stuck.started.wait(), 5)
    await first.stop()  # cancels the worker mid-way
    assert graph.sent == []

    second = await harness_factory(data_dir=tmp_path)
    await second.idle()
    assert second.assistant.messages == ["hola"]
    assert len(graph.sent) == 1
    # a redelivery after the restart is still a duplicate
    await second.post(envelope(text_update("wamid.C2", MX, "hola")))
    await second.idle()
    assert len(graph.sent) == 1


@pytest.mark.slow
async def test_hard_crash_leaves_a_lease_that_expires(
    harness_factory: Any, graph: Any, tmp_path: Any
) -> None:
    first = await harness_factory(run_worker=False, data_dir=tmp_path)
    await first.post(envelope(text_update("wamid.C3", MX, "hola")))
    # A killed process cannot release its lease; it must simply run out.
    expires = time.monotonic() + 2.0
    assert await first.store.acquire_lease(
        f"user:{user_hash(MX_NORMAL)}", "dead-pid", 2.0, time.time()
    )
    await first.stop()

    second = await harness_factory(data_dir=tmp_path)
    await asyncio.sleep(0.3)
    if time.monotonic() < expires - 0.2:  # (a very slow machine may already be past it)
        assert graph.sent == []
    await second.idle()
    assert len(graph.sent) == 1
    assert time.monotonic() >= expires - 0.1  # answered only once the dead lease ran out


async def test_answered_but_unsent_reply_is_sent_after_restart_without_asking_again(
    harness_factory: Any, graph: Any, tmp_path: Any
) -> None:
    graph.fail_next(100, status=503)
    first = await harness_factory(data_dir=tmp_path)
    await first.post(envelope(text_update("wamid.C4", MX, "hola")))
    for _ in range(200):
        if graph.send_attempts:
            break
        await asyncio.sleep(0.01)
    await first.stop()
    assert first.assistant.messages == ["hola"]
    assert [o.state for o in await _outbox(tmp_path)] == ["pending"]

    graph.reset()
    second = await harness_factory(data_dir=tmp_path)
    await second.idle()
    assert second.assistant.calls == []  # the stored answer is reused
    assert len(graph.sent) == 1
    assert [o.state for o in await second.store.outbound()] == ["sent"]


async def _outbox(path: Any) -> list[Any]:
    from api.whatsapp.store_sqlite import SqliteWhatsAppStore

    store = SqliteWhatsAppStore(path / "whatsapp.sqlite3")
    await store.setup()
    try:
        return await store.outbound()
    finally:
        await store.close()


async def test_one_user_is_answered_in_order_while_others_proceed(
    harness_factory: Any, graph: Any
) -> None:
    h = await harness_factory(assistant=ScriptedAssistant(delay=0.05, follow_up=[], courses=[]))
    h.assistant.answer = "ok"
    payload = envelope(
        *(text_update(f"wamid.S{i}", MX, f"m{i}") for i in range(4)),
        text_update("wamid.T", "5213300000000", "otro"),
    )
    await h.post(payload)
    await h.idle()
    mine = [
        m
        for m, s in zip(h.assistant.messages, h.assistant.sessions, strict=True)
        if s == session_id_for(MX_NORMAL)
    ]
    assert mine == ["m0", "m1", "m2", "m3"]
    outs = await h.store.outbound(user_hash(MX_NORMAL))
    assert [o.inbound_id for o in outs] == [wamid_hash(f"wamid.S{i}") for i in range(4)]
    # Sent in that order: the hashes of the wamids Graph returned, in the order it returned them.
    accepted = [wamid_hash(w) for w in graph.accepted]
    assert [o.wamid_hash for o in outs] == [
        w for w in accepted if w in {o.wamid_hash for o in outs}
    ]


async def test_statuses_are_deduplicated_and_recorded(harness_factory: Any, graph: Any) -> None:
    h = await harness_factory(assistant=ScriptedAssistant(follow_up=[], courses=[]))
    await h.post(envelope(text_update("wamid.ST", MX, "hola")))
    await h.idle()
    [out] = await h.store.outbound()
    [wamid] = graph.accepted
    assert out.wamid_hash == wamid_hash(wamid)

    def status(name: str, ts: int, **extra: Any) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "1", "phone_number_id": "106540352242922"},
            "statuses": [
                {
                    "id": wamid,
                    "status": name,
                    "timestamp": str(ts),
                    "recipient_id": MX_NORMAL,
                    **extra,
                }
            ],
        }

    for _ in range(2):
        await h.post(envelope(status("read", 30), status("sent", 10), status("delivered", 20)))
    recorded = await h.store.statuses(wamid)
    assert [s.status for s in recorded] == ["sent", "delivered", "read"]


async def test_assistant_error_still_answers_in_spanish(harness_factory: Any, graph: Any) -> None:
    from assistant.errors import KnowledgeUnavailable

    broken = ScriptedAssistant()
    broken.error = KnowledgeUnavailable()
    h = await harness_factory(assistant=broken)
    await h.post(envelope(text_update("wamid.X", MX, "hola")))
    await h.idle()
    assert graph.sent[0]["text"]["body"] == KnowledgeUnavailable.default_message


async def test_location_uses_the_geo_module(
    harness_factory: Any, graph: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = await harness_factory()
    value = text_update("wamid.L1", MX, "")
    value["messages"][0] |= {
        "type": "location",
        "location": {"latitude": 20.6736, "longitude": -103.344},
    }
    value["messages"][0].pop("text")
    abroad = text_update("wamid.L2", MX, "")
    abroad["messages"][0] |= {
        "type": "location",
        "location": {"latitude": 37.44, "longitude": -122.16},
    }
    await h.post(envelope(value, abroad))
    await h.idle()
    assert h.assistant.messages == ["Estoy en Jalisco"]
    assert graph.sent[-1]["text"]["body"] == ASK_STATE_ABROAD


async def test_tapping_a_button_or_row_reads_back_what_we_offered(
    harness_factory: Any, graph: Any, tmp_path: Any
) -> None:
    h = await harness_factory()
    await h.post(envelope(text_update("wamid.I0", MX, "hola")))
    await h.idle()
    [menu] = graph.sent
    rows = [r for s in menu["interactive"]["action"]["sections"] for r in s["rows"]]

    def tap(wamid: str, row: dict[str, Any]) -> dict[str, Any]:
        value = text_update(wamid, MX, "")
        value["messages"][0] |= {
            "type": "interactive",
            "context": {"id": "wamid.out.1"},
            "interactive": {"type": "list_reply", "list_reply": row},
        }
        return value

    await h.post(envelope(tap("wamid.I1", rows[1]), tap("wamid.I2", rows[-1])))
    await h.idle()
    assert h.assistant.messages[1:] == [
        "Cuéntame del curso «IA generativa para negocios»",
        "Quiero vender en línea",
    ]

    buttons = ScriptedAssistant(follow_up=["Sí, somos 3", "Todavía no"])  # short: buttons
    h2 = await harness_factory(assistant=buttons, data_dir=tmp_path / "second")
    graph.reset()
    await h2.post(envelope(text_update("wamid.J0", MX, "hola")))
    await h2.idle()
    reply = graph.sent[0]["interactive"]["action"]["buttons"][0]["reply"]
    value = text_update("wamid.J1", MX, "")
    value["messages"][0] |= {
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": reply},
    }
    await h2.post(envelope(value))
    await h2.idle()
    assert buttons.messages[-1] == "Sí, somos 3"


async def test_large_batch_is_accepted(harness_factory: Any, graph: Any) -> None:
    """Meta batches up to 1000 updates (payloads up to 3 MB) in one POST."""
    h = await harness_factory(
        assistant=ScriptedAssistant(courses=[], follow_up=[]), run_worker=False
    )
    values = [text_update(f"wamid.big{i}", f"52155{i:08d}", "hola " * 40) for i in range(300)]
    payload = envelope(*values)
    response = await h.post(payload)
    # The app-wide MIPYME_MAX_BODY_BYTES (64 KiB) must not apply here: Meta sends up to 3 MB.
    assert response.status_code == 200, response.text
    states = {await h.store.inbound_state(f"wamid.big{i}") for i in range(300)}
    assert states == {"pending"}


async def test_shutdown_lets_an_answer_in_flight_finish(
    harness_factory: Any, graph: Any, tmp_path: Any
) -> None:
    from dataclasses import replace

    from .support import FAST_WORKER

    slow = ScriptedAssistant(delay=0.3, courses=[], follow_up=[])
    h = await harness_factory(
        assistant=slow, data_dir=tmp_path, worker=replace(FAST_WORKER, shutdown_grace=5.0)
    )
    await h.post(envelope(text_update("wamid.GR", MX, "hola")))
    await asyncio.wait_for(slow.started.wait(), 5)
    await h.stop()
    assert len(graph.sent) == 1
    again = await harness_factory(data_dir=tmp_path)
    await again.idle()
    assert again.assistant.calls == [] and len(graph.sent) == 1


async def test_a_message_that_keeps_failing_does_not_block_the_user(
    harness_factory: Any, graph: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.whatsapp import worker as worker_module
    from assistant.errors import AssistantError

    real = worker_module.interpret
    attempts = []

    async def flaky(msg: Any) -> Any:
        if msg.text == "boom":
            attempts.append(msg.wamid)
            raise RuntimeError("bug while interpreting")
        return await real(msg)

    monkeypatch.setattr(worker_module, "interpret", flaky)
    h = await harness_factory(assistant=ScriptedAssistant(courses=[], follow_up=[]))
    await h.post(
        envelope(text_update("wamid.PO1", MX, "boom"), text_update("wamid.PO2", MX, "sigo aquí"))
    )
    await h.idle()
    assert len(attempts) == 3
    assert [b["text"]["body"] for b in graph.sent] == [
        AssistantError.default_message,
        h.assistant.answer,
    ]
    assert h.assistant.messages == ["sigo aquí"]
