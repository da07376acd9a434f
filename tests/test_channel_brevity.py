"""WhatsApp answers are the compact form of the same turn: same courses and links, fewer bytes."""

from __future__ import annotations

import re


async def test_whatsapp_answer_is_shorter_with_the_same_courses(assistant) -> None:  # type: ignore[no-untyped-def]
    message = "Tengo una fonda en Oaxaca con 4 empleados y quiero vender más, 3 horas a la semana"
    web = await assistant.respond(None, message, "web")
    wa = await assistant.respond(None, message, "whatsapp")
    assert [s.course_id for s in wa.recommendations.training_path] == [
        s.course_id for s in web.recommendations.training_path
    ]
    assert len(wa.answer) < len(web.answer)
    for step in wa.recommendations.training_path:
        assert step.url in wa.answer  # every course still has its link
    assert "Es parte de la ruta" in web.answer and "Es parte de la ruta" not in wa.answer
    assert re.search(r"\[\d+\]", wa.answer)  # programs keep their citations
