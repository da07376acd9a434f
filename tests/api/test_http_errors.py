"""Every failure is a Spanish `{error: {code, message}}` with the right status."""

from __future__ import annotations

from assistant.errors import RateLimited


def _error(r):
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


def test_empty_message_is_422(client):
    r = client.post("/v1/chat", json={"message": ""})
    assert r.status_code == 422
    assert _error(r) == {"code": "entrada_invalida", "message": "El mensaje no puede estar vacío."}


def test_long_message_is_422(client):
    r = client.post("/v1/chat", json={"message": "a" * 4001})
    assert r.status_code == 422
    assert _error(r)["message"] == "El mensaje supera los 4000 caracteres."


def test_missing_message_and_bad_channel(client):
    r = client.post("/v1/chat", json={"channel": "fax"})
    assert r.status_code == 422
    message = _error(r)["message"]
    assert "Falta el mensaje." in message
    assert "El canal debe ser uno de estos valores" in message


def test_invalid_json_is_400(client):
    r = client.post(
        "/v1/chat", content=b'{"message": "hola"', headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert _error(r)["code"] == "json_invalido"


def test_body_without_json_content_type(client):
    r = client.post("/v1/chat", content=b"hola", headers={"content-type": "text/plain"})
    assert r.status_code == 422
    assert "objeto JSON" in _error(r)["message"]


def test_bad_session_id_characters(client):
    r = client.post("/v1/chat", json={"message": "hola", "session_id": "a b<script>"})
    assert r.status_code == 422
    assert "caracteres no permitidos" in _error(r)["message"]


def test_oversize_body_by_content_length_is_413(client_for):
    c = client_for(max_body_bytes=1024)
    r = c.post("/v1/chat", json={"message": "x" * 2000})
    assert r.status_code == 413
    err = _error(r)
    assert err["code"] == "cuerpo_demasiado_grande"
    assert "1 KB" in err["message"]


def test_oversize_chunked_body_is_413(client_for):
    c = client_for(max_body_bytes=1024)

    def chunks():
        yield b'{"message": "'
        for _ in range(10):
            yield b"x" * 300
        yield b'"}'

    r = c.post("/v1/chat", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413
    assert _error(r)["code"] == "cuerpo_demasiado_grande"


def test_small_chunked_body_passes(client_for):
    c = client_for(max_body_bytes=1024)

    def chunks():
        yield b'{"message": '
        yield b'"hola"}'

    r = c.post("/v1/chat", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 200


def test_unknown_route_and_method(client):
    r = client.get("/v1/nada")
    assert r.status_code == 404 and _error(r)["code"] == "no_encontrado"
    r = client.get("/v1/chat")
    assert r.status_code == 405 and _error(r)["code"] == "metodo_no_permitido"


def test_assistant_rate_limited_sets_retry_after(client, fake):
    fake.fail_respond = RateLimited(retry_after=7)
    r = client.post("/v1/chat", json={"message": "hola"})
    assert r.status_code == 429
    assert r.headers["retry-after"] == "7"
    assert _error(r)["code"] == "demasiadas_solicitudes"


def test_unexpected_error_is_generic_500(client_for, fake, caplog):
    c = client_for(raise_server_exceptions=False)
    fake.fail_respond = RuntimeError("detalle interno: RFC GODE561231GR8")
    r = c.post("/v1/chat", json={"message": "hola"})
    assert r.status_code == 500
    err = _error(r)
    assert err["code"] == "error_interno"
    assert "RFC" not in err["message"] and "interno:" not in r.text
    assert any(rec.exc_info for rec in caplog.records if rec.name == "api.errors")
