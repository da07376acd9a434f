"""Rendering limits, WhatsApp markup, choice ids and tolerant parsing (no HTTP needed)."""

from __future__ import annotations

from typing import Any

import pytest

from api.whatsapp.choices import text_for_choice
from api.whatsapp.payloads import normalize_phone, parse_webhook, session_id_for
from api.whatsapp.render import render_response, split_text, to_whatsapp
from api.whatsapp.signature import sign, verify_signature
from assistant.schemas import BusinessProfile, ChatResponse, Recommendations, TrainingStep

from .support import COURSES, envelope, graph_violations, text_update


def response(
    answer: str, *, courses: list[TrainingStep] | None = None, follow_up: list[str] | None = None
) -> ChatResponse:
    return ChatResponse(
        session_id="wa:1",
        message_id="m",
        answer=answer,
        mode="offline",
        profile=BusinessProfile(),
        recommendations=Recommendations(training_path=courses or []),
        follow_up=follow_up or [],
    )


def course(i: int, title: str = "Curso", **kw: Any) -> TrainingStep:
    return TrainingStep(
        course_id=f"c{i}",
        title=f"{title} {i}",
        provider=kw.get("provider", "P"),
        url=f"https://x.test/{i}",
        level="básico",
        duration_hours=2,
        cost="Gratis",
        languages=["es"],
        why="w",
    )


def bodies(resp: ChatResponse) -> list[dict[str, Any]]:
    out = [r.body for r in render_response(resp, "525512345678")]
    for body in out:
        assert graph_violations(body) == []
    assert 1 <= len(out) <= 2
    return out


PARAGRAPH = ("La inteligencia artificial puede ayudarte a vender más. " * 12).strip()


@pytest.mark.parametrize("size", [100, 1024, 1025, 4096, 4097, 5000, 8192, 9000, 50_000])
@pytest.mark.parametrize("menu", ["none", "list", "buttons"])
def test_any_length_fits_in_two_messages(size: int, menu: str) -> None:
    text = "\n\n".join([PARAGRAPH] * (size // (len(PARAGRAPH) + 2) + 1))[:size]
    follow = {
        "none": None,
        "list": ["¿Cuántas personas trabajan contigo?"],
        "buttons": ["Sí", "No"],
    }[menu]
    resp = response(text, courses=list(COURSES) if menu == "list" else None, follow_up=follow)
    out = bodies(resp)
    if menu != "none" and size <= 4096 + 1024 - 200:
        assert out[-1]["type"] == "interactive"  # the menu survives when there is room


def test_long_answer_is_split_on_paragraph_boundaries() -> None:
    paragraphs = [f"Párrafo {i}. " + "x" * 900 for i in range(6)]
    out = bodies(response("\n\n".join(paragraphs)))
    assert [b["type"] for b in out] == ["text", "text"]
    first = out[0]["text"]["body"]
    assert first.endswith("x") and first.count("Párrafo") == 4
    assert out[1]["text"]["body"].startswith("Párrafo 4.")


def test_overflow_beyond_two_messages_is_clipped_not_dropped_silently() -> None:
    out = bodies(response("\n\n".join([PARAGRAPH] * 40)))
    assert len(out) == 2 and out[1]["text"]["body"].endswith("…")


def test_list_limits() -> None:
    long_title = "Introducción completa a la inteligencia artificial generativa para Mipymes"
    courses = [
        course(i, long_title, provider="Proveedor con un nombre larguísimo " * 3) for i in range(14)
    ]
    follow = ["¿Cuántas personas trabajan en tu negocio actualmente?", "Sí", "No", "Tal vez"]
    # one option is too long for a button, so everything goes in the list
    [body] = bodies(response("Tu ruta:", courses=courses, follow_up=follow))
    interactive = body["interactive"]
    assert interactive["type"] == "list"
    rows = [r for s in interactive["action"]["sections"] for r in s["rows"]]
    assert len(rows) == 10  # 7 courses + 3 follow-ups
    assert all(len(r["title"]) <= 24 and len(r.get("description", "")) <= 72 for r in rows)
    assert rows[0]["title"].endswith("…")
    assert (
        text_for_choice(rows[0]["id"], rows[0]["title"]) == f"Cuéntame del curso «{long_title} 0»"
    )
    assert rows[0]["description"].startswith("Introducción completa")
    assert text_for_choice(rows[7]["id"], rows[7]["title"]) == follow[0]


def test_short_options_become_buttons_even_with_courses() -> None:
    follow = ["1 hora", "3 horas", "5 horas", "10 horas", "1 hora"]
    [body] = bodies(
        response("¿Cuántas horas puedes dedicar?", courses=list(COURSES), follow_up=follow)
    )
    buttons = body["interactive"]["action"]["buttons"]
    titles = [b["reply"]["title"] for b in buttons]
    assert titles == ["1 hora", "3 horas", "5 horas"]
    assert [text_for_choice(b["reply"]["id"], None) for b in buttons] == titles


def test_long_options_without_courses_become_a_list() -> None:
    follow = [
        "Quiero vender en línea por WhatsApp",
        "Quiero vender en línea por Facebook",
        "Quiero vender en línea por Instagram",
        "Cuarta opción",
    ]
    [body] = bodies(response("¿Qué prefieres?", follow_up=follow))
    action = body["interactive"]["action"]
    assert body["interactive"]["type"] == "list" and action["button"] == "Ver opciones"
    rows = action["sections"][0]["rows"]
    assert len(rows) == 3 and all(len(r["title"]) <= 24 for r in rows)
    assert [text_for_choice(r["id"], r["title"]) for r in rows] == follow[:3]
    assert rows[0]["description"] == follow[0]


def test_trailing_question_sits_above_its_buttons() -> None:
    answer = ("Tu ruta tiene cinco cursos. " * 60).strip() + "\n\n¿Cuántas horas puedes dedicar?"
    out = bodies(response(answer, courses=list(COURSES), follow_up=["1 hora", "3 horas"]))
    assert [b["type"] for b in out] == ["text", "interactive"]
    assert out[1]["interactive"]["body"]["text"] == "¿Cuántas horas puedes dedicar?"
    assert "¿Cuántas" not in out[0]["text"]["body"]


def test_translation_marker_is_dropped_and_clipped_titles_are_completed() -> None:
    step = course(1).model_copy(
        update={"title": "Introducción a la inteligencia artificial generativa (traducción)"}
    )
    [body] = bodies(response("Hola", courses=[step]))
    [row] = body["interactive"]["action"]["sections"][0]["rows"]
    assert "traducción" not in row["id"] + row["title"] + row["description"]
    assert row["description"].startswith("Introducción a la inteligencia artificial")


def test_short_answer_with_menu_is_a_single_message() -> None:
    [body] = bodies(response("Hola", courses=[course(1)]))
    assert body["interactive"]["body"]["text"] == "Hola"


def test_medium_answer_is_text_then_menu() -> None:
    out = bodies(response("a " * 1000, follow_up=["Sí"]))
    assert [b["type"] for b in out] == ["text", "interactive"]


def test_markdown_becomes_whatsapp_markup() -> None:
    md = (
        "## Tu plan\n\n**Paso 1**: toma [el curso](https://x.test/c).\n* uno\n+ dos\n\n\n\n"
        "Ver https://x.test/d"
    )
    assert to_whatsapp(md) == (
        "*Tu plan*\n\n*Paso 1*: toma el curso: https://x.test/c.\n"
        "- uno\n- dos\n\nVer https://x.test/d"
    )


def test_split_text_never_exceeds_limits() -> None:
    blob = "palabra " * 3000 + "\n\n" + "y" * 5000
    parts = split_text(blob, 4096, 2)
    assert len(parts) == 2 and all(len(p) <= 4096 for p in parts)


def test_choice_ids_fall_back_to_titles() -> None:
    assert text_for_choice("priority_express", "Priority Mail Express") == "Priority Mail Express"
    assert text_for_choice("c:abc", "Curso ABC") == "Cuéntame del curso «Curso ABC»"
    assert text_for_choice(None, None) is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("5215512345678", "525512345678"),
        ("525512345678", "525512345678"),
        ("+52 1 55 1234 5678", "525512345678"),
        ("16505551234", "16505551234"),
        ("5491112345678", "5491112345678"),
        ("", ""),
    ],
)
def test_mexican_normalisation(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_session_ids_fit_the_chat_schema() -> None:
    sid = session_id_for("525512345678")
    assert sid.startswith("wa:") and "525512345678" not in sid and len(sid) == 43
    assert session_id_for("525512345678") == sid  # stable
    assert session_id_for("525512345679") != sid
    long = session_id_for("user." + "a" * 250)
    assert len(long) == 43 and long.startswith("wa:")
    # Keyed: without the server's secret, hashing every phone number finds nothing.
    from api.whatsapp import payloads

    old = payloads._session_key
    try:
        payloads.configure_session_key("otro-secreto")
        assert session_id_for("525512345678") != sid
    finally:
        payloads._session_key = old


def test_parser_tolerates_missing_optional_keys() -> None:
    bare = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "metadata": {"phone_number_id": "1"},
                            "messages": [
                                {"from": "5215512345678", "id": "w1", "type": "text"},
                                {"id": "w2"},  # no sender: skipped, not fatal
                                "garbage",
                            ],
                            "statuses": [{"id": "s1", "status": "sent"}, {"status": "read"}],
                        }
                    }
                ]
            },
            {"changes": "nope"},
            "junk",
        ],
    }
    parsed = parse_webhook(bare, now=1000.0, phone_number_id="1")
    assert [m.wamid for m in parsed.messages] == ["w1"]
    assert parsed.messages[0].timestamp == 1000.0 and parsed.messages[0].text == ""
    assert [s.wamid for s in parsed.statuses] == ["s1"]
    assert parsed.skipped >= 3


def test_parser_prefers_bsuid_and_empty_wa_id() -> None:
    value = text_update("w", "", "hola", user_id="US.1")
    parsed = parse_webhook(envelope(value), now=1.0)
    assert parsed.messages[0].user_key == "US.1" and parsed.messages[0].to == "US.1"


def test_future_timestamps_are_clamped_to_receipt_time() -> None:
    value = text_update("w", "5215512345678", "hola", ts=10**10)
    assert parse_webhook(envelope(value), now=50.0).messages[0].timestamp == 50.0


def test_signature_helpers() -> None:
    body = b'{"a":"\\u00e9"}'
    header = sign("s3cret", body)
    assert verify_signature("s3cret", body, header)
    assert verify_signature("s3cret", body, header.upper().replace("SHA256=", "sha256="))
    assert not verify_signature("s3cret", body + b" ", header)
    assert not verify_signature("", body, header)
