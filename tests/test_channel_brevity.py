"""The same turn on each channel: same courses; the web text summarises and leaves the details to
the cards, WhatsApp carries them (with links) in one message."""

from __future__ import annotations


async def test_each_channel_gets_the_same_courses_within_its_limit(assistant) -> None:  # type: ignore[no-untyped-def]
    message = "Tengo una fonda en Oaxaca con 4 empleados y quiero vender más, 3 horas a la semana"
    web = await assistant.respond(None, message, "web")
    wa = await assistant.respond(None, message, "whatsapp")
    assert web.recommendations.training_path
    assert [s.course_id for s in wa.recommendations.training_path] == [
        s.course_id for s in web.recommendations.training_path
    ]
    assert len(web.answer) <= 900 and len(wa.answer) <= 1024
    for step in wa.recommendations.training_path:
        assert step.url in wa.answer  # every course keeps its link in the one message
    for step in web.recommendations.training_path:
        assert step.url not in web.answer and step.title not in web.answer  # the card has it
        assert step.why  # ...with the reason it is there
    assert "Es parte de la ruta" not in web.answer + wa.answer  # reasons live in the cards


async def test_programs_keep_their_citations_on_whatsapp(assistant) -> None:  # type: ignore[no-untyped-def]
    sid = "wa-programs"
    await assistant.respond(sid, "Tengo una fonda en Oaxaca con 4 empleados", "whatsapp")
    reply = await assistant.respond(sid, "Apoyos en mi estado", "whatsapp")
    assert reply.recommendations.programs
    for program in reply.recommendations.programs:
        n = next(s.n for s in reply.sources if s.url == program.url)
        assert f"[{n}]" in reply.answer
