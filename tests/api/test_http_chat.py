"""Chat JSON and SSE stream, sessions, feedback and courses over HTTP."""

from __future__ import annotations

import json

from assistant.errors import KnowledgeUnavailable


def test_chat_returns_chat_response(client, fake):
    r = client.post("/v1/chat", json={"message": "Tengo una tienda en Oaxaca"})
    assert r.status_code == 200
    body = r.json()
    sid = body["session_id"]
    assert sid.startswith("w-") and len(sid) == 34  # issued by the server
    assert body["answer"] == "Respuesta a: Tengo una tienda en Oaxaca"
    assert body["mode"] == "offline"
    assert set(body["recommendations"]) >= {"training_path", "use_cases", "programs"}
    assert body["sources"][0]["n"] == 1
    assert body["follow_up"]
    assert fake.calls[-1] == ("respond", (sid, "Tengo una tienda en Oaxaca", "web"))
    # The issued id continues the conversation.
    again = client.post("/v1/chat", json={"message": "y vendo en línea", "session_id": sid})
    assert again.json()["session_id"] == sid


def test_client_chosen_or_channel_session_ids_get_a_new_server_id(client, fake):
    fake.sessions["wa:5215512340001"] = fake._response(None, "").profile
    for chosen in ("abc-1", "wa:5215512340001", "openai:cliente", "w-" + "A" * 32):
        r = client.post("/v1/chat", json={"message": "hola", "session_id": chosen})
        assert r.status_code == 200
        issued = r.json()["session_id"]
        assert issued != chosen and issued.startswith("w-")
        assert fake.calls[-1][1][0] == issued


def test_chat_passes_channel(client, fake):
    r = client.post("/v1/chat", json={"message": "hola", "channel": "notebook"})
    assert r.status_code == 200
    assert fake.calls[-1][1][2] == "notebook"


def test_stream_event_order_and_payloads(client, parse_sse):
    with client.stream(
        "POST", "/v1/chat/stream", json={"message": "hola amigos", "session_id": "s1"}
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache"
        assert r.headers["x-accel-buffering"] == "no"
        events = parse_sse(r.read().decode())
    names = [name for name, _ in events]
    assert names[:3] == ["meta", "sources", "recommendations"]
    assert names[-1] == "done"
    assert set(names[3:-1]) == {"delta"}
    data = {name: json.loads(d) for name, d in events}
    assert data["meta"].keys() == {"session_id", "message_id", "mode"}
    assert data["sources"]["sources"][0]["title"] == "Plan México"
    assert data["recommendations"].keys() == {"recommendations", "profile", "follow_up"}
    text = "".join(json.loads(d)["text"] for n, d in events if n == "delta")
    assert text == data["done"]["answer"] == "Respuesta a: hola amigos"
    assert data["done"]["message_id"] == data["meta"]["message_id"]


def test_stream_mid_exception_ends_with_error_event(client, fake, parse_sse, caplog):
    fake.fail_after = 4
    with client.stream("POST", "/v1/chat/stream", json={"message": "hola"}) as r:
        assert r.status_code == 200
        events = parse_sse(r.read().decode())
    names = [n for n, _ in events]
    assert names[-1] == "error" and "done" not in names
    assert names.count("error") == 1
    err = json.loads(events[-1][1])
    assert err["code"] == "error_interno"
    assert "CURP" not in err["message"] and "GODE" not in err["message"]
    assert any("flujo" in rec.getMessage().lower() for rec in caplog.records)


def test_stream_error_before_first_event_gets_http_status(client, fake):
    fake.fail_before = KnowledgeUnavailable()
    r = client.post("/v1/chat/stream", json={"message": "hola"})
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "conocimiento_no_disponible"


def test_profile_and_forget(client):
    sid = client.post("/v1/chat", json={"message": "hola"}).json()["session_id"]
    r = client.get(f"/v1/sessions/{sid}/profile")
    assert r.status_code == 200 and r.json()["sector"] == "comercio"
    assert client.delete(f"/v1/sessions/{sid}").status_code == 204
    r = client.get(f"/v1/sessions/{sid}/profile")
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "no_encontrado", "message": "No encontramos esa sesión."}}
    assert client.delete(f"/v1/sessions/{sid}").status_code == 404


def test_channel_sessions_are_not_addressable(client, fake):
    fake.sessions["wa:5215512340001"] = fake._response(None, "").profile
    fake.sessions["openai:cliente-42"] = fake.sessions["wa:5215512340001"]
    for sid in ("wa:5215512340001", "openai:cliente-42"):
        assert client.get(f"/v1/sessions/{sid}/profile").status_code == 404
        assert client.delete(f"/v1/sessions/{sid}").status_code == 404
        r = client.post("/v1/feedback", json={"session_id": sid, "message_id": "m", "rating": "up"})
        assert r.status_code == 404
        assert sid in fake.sessions  # never touched
    assert not fake.feedbacks


def test_feedback(client, fake):
    sid = client.post("/v1/chat", json={"message": "hola"}).json()["session_id"]
    r = client.post("/v1/feedback", json={"session_id": sid, "message_id": "m1", "rating": "up"})
    assert r.status_code == 204
    assert fake.feedbacks[0].rating == "up"
    r = client.post(
        "/v1/feedback", json={"session_id": "nadie", "message_id": "m1", "rating": "down"}
    )
    assert r.status_code == 404
    r = client.post("/v1/feedback", json={"session_id": sid, "message_id": "m1", "rating": "meh"})
    assert r.status_code == 422
    assert "calificación" in r.json()["error"]["message"]


def test_courses_filters(client, fake):
    r = client.get("/v1/courses", params={"q": "ventas", "level": "fundamental", "topic": "ia"})
    assert r.status_code == 200
    assert r.json()[0]["id"] == "ia-para-negocios"
    assert fake.calls[-1] == ("courses", ("ventas", "fundamental", "ia"))
    r = client.get("/v1/courses", params={"level": "experto"})
    assert r.status_code == 422
    assert r.json()["error"]["message"].startswith("El nivel debe ser uno de")
