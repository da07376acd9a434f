"""Sending: retries with backoff, the durable outbox, permanent errors, the 24-hour window."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest

from api.whatsapp.payloads import wamid_hash

from .support import ScriptedAssistant, envelope, text_update

pytestmark = pytest.mark.asyncio(loop_scope="session")

MX = "5215512345678"


@pytest.mark.parametrize(
    "status,code", [(500, None), (429, None), (400, 131056), (400, 130429), (503, 80007)]
)
async def test_transient_graph_errors_are_retried_and_delivered_once(
    harness_factory: Any, graph: Any, status: int, code: int | None
) -> None:
    graph.fail_next(2, status=status, code=code)  # fewer than the in-call attempts
    h = await harness_factory(assistant=ScriptedAssistant(follow_up=[], courses=[]))
    await h.post(envelope(text_update("wamid.R", MX, "hola")))
    await h.idle()
    assert len(graph.send_attempts) == 3
    assert len(graph.sent) == 1
    [out] = await h.store.outbound()
    assert out.state == "sent" and out.wamid_hash == wamid_hash(graph.accepted[0])


async def test_long_outage_goes_to_the_outbox_and_is_retried_later(
    harness_factory: Any, graph: Any
) -> None:
    graph.fail_next(7, status=500)  # more than one call's attempts: needs the outbox pass
    h = await harness_factory(assistant=ScriptedAssistant(follow_up=[], courses=[]))
    await h.post(envelope(text_update("wamid.O", MX, "hola")))
    for _ in range(300):
        if graph.sent:
            break
        await asyncio.sleep(0.01)
    await h.idle()
    assert len(graph.send_attempts) == 8
    assert len(graph.sent) == 1
    [out] = await h.store.outbound()
    assert out.state == "sent" and out.attempts == 3


async def test_outbox_gives_up_with_a_stored_failed_state(
    harness_factory: Any, graph: Any, caplog: Any
) -> None:
    graph.fail_next(1000, status=500)
    h = await harness_factory(assistant=ScriptedAssistant(follow_up=[], courses=[]))
    await h.post(envelope(text_update("wamid.G", MX, "hola")))
    for _ in range(500):
        outs = await h.store.outbound()
        if outs and outs[0].state != "pending":
            break
        await asyncio.sleep(0.01)
    [out] = await h.store.outbound()
    assert out.state == "failed" and out.attempts == 6


async def test_permanent_400_is_not_retried(
    harness_factory: Any, graph: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="api.whatsapp")
    graph.fail_next(1, status=400, code=131026)  # message undeliverable
    h = await harness_factory(assistant=ScriptedAssistant(follow_up=[], courses=[]))
    await h.post(envelope(text_update("wamid.P", MX, "hola")))
    await h.idle()
    assert len(graph.send_attempts) == 1
    [out] = await h.store.outbound()
    assert (out.state, out.error_code) == ("failed", 131026)
    assert "131026" in caplog.text
    assert "5512345678" not in caplog.text  # no phone numbers in logs


async def test_rejected_interactive_falls_back_to_text(harness_factory: Any, graph: Any) -> None:
    graph.fail_next(1, status=400, code=131009)  # "parameter value is not valid"
    h = await harness_factory()
    await h.post(envelope(text_update("wamid.F", MX, "hola")))
    await h.idle()
    assert [b["type"] for b in graph.send_attempts] == ["interactive", "text"]
    assert "IA generativa para negocios" in graph.sent[0]["text"]["body"]
    assert [o.state for o in await h.store.outbound()] == ["sent"]


async def test_window_closed_at_send_time_marks_reply_expired(
    harness_factory: Any, graph: Any, caplog: Any
) -> None:
    caplog.set_level(logging.INFO, logger="api.whatsapp")
    slow = ScriptedAssistant()
    slow.gate = asyncio.Event()
    h = await harness_factory(assistant=slow)
    await h.post(envelope(text_update("wamid.W", MX, "hola")))
    await asyncio.wait_for(slow.started.wait(), 5)
    h.runtime.clock.advance(25 * 3600)  # the answer took "a day"
    slow.gate.set()
    await h.idle()
    assert graph.sent == []
    assert [o.state for o in await h.store.outbound()] == ["expired"]
    assert "24-hour window" in caplog.text


async def test_stale_redelivery_is_stored_but_never_sent(harness_factory: Any, graph: Any) -> None:
    h = await harness_factory()
    old = time.time() - 2 * 24 * 3600
    await h.post(envelope(text_update("wamid.OLD", MX, "hola", ts=old)))
    await h.idle()
    assert graph.calls == []  # not even a read receipt
    assert [o.state for o in await h.store.outbound()] == ["expired"]


async def test_window_is_refreshed_by_the_latest_message(harness_factory: Any, graph: Any) -> None:
    h = await harness_factory()
    old = time.time() - 2 * 24 * 3600
    await h.post(
        envelope(
            text_update("wamid.NEW", MX, "otra vez"), text_update("wamid.OLD2", MX, "hola", ts=old)
        )
    )
    await h.idle()
    assert len(graph.sent) == 2


async def test_graph_131047_marks_expired(harness_factory: Any, graph: Any) -> None:
    graph.fail_next(1, status=400, code=131047)
    h = await harness_factory(assistant=ScriptedAssistant(follow_up=[], courses=[]))
    await h.post(envelope(text_update("wamid.E", MX, "hola")))
    await h.idle()
    assert len(graph.send_attempts) == 1
    assert [o.state for o in await h.store.outbound()] == ["expired"]
