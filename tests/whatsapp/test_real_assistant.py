"""The real offline assistant behind the webhook: real answers must fit WhatsApp."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.factory import build_assistant

from .support import envelope, text_update

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.slow]

MX = "5215512345678"
TURNS = [
    "Hola",
    "Tengo una tienda de abarrotes en Oaxaca con 3 empleados",
    "Quiero vender más por WhatsApp, ¿qué cursos me recomiendas?",
    "¿Hay apoyos del gobierno para capacitarme?",
]


async def test_real_conversation_over_whatsapp(
    harness_factory: Any, graph: Any, settings: Any
) -> None:
    assistant = build_assistant(settings)
    h = await harness_factory(assistant=assistant, data_dir=settings.data_dir)
    for i, text in enumerate(TURNS):
        await h.post(envelope(text_update(f"wamid.real{i}", MX, text)))
        await h.idle(timeout=60)
    outs = await h.store.outbound()
    assert {o.state for o in outs} == {"sent"}
    per_turn: dict[str, int] = {}
    for o in outs:
        per_turn[o.inbound_id] = per_turn.get(o.inbound_id, 0) + 1
    assert len(per_turn) == len(TURNS) and max(per_turn.values()) <= 2
    assert all(b["to"] == "525512345678" for b in graph.sent)
    # the graph fixture fails the test on any limit violation in these real answers
    kinds = [b["type"] for b in graph.sent]
    assert "interactive" in kinds, kinds
