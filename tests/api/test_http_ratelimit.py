"""Rate limits per IP and per session, in memory and in the real Redis at 127.0.0.1:6379."""

from __future__ import annotations

import redis
from fastapi.testclient import TestClient

from tests.helpers import REDIS_URL


def _assert_429(r):
    assert r.status_code == 429
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert r.json()["error"] == {
        "code": "demasiadas_solicitudes",
        "message": "Enviaste demasiados mensajes seguidos. Espera un momento y vuelve a intentar.",
    }


def test_memory_limit_per_ip(client_for):
    c = client_for(rate_limit="2/minute")
    assert c.post("/v1/chat", json={"message": "uno"}).status_code == 200
    assert c.post("/v1/chat", json={"message": "dos"}).status_code == 200
    _assert_429(c.post("/v1/chat", json={"message": "tres"}))
    # Other routes are not limited.
    assert c.get("/healthz").status_code == 200


def test_memory_limit_per_session_across_ips(client_for):
    c = client_for(rate_limit="2/minute")
    other_ip = TestClient(c.app, client=("10.0.0.2", 4000))
    body = {"message": "hola", "session_id": "misma"}
    assert c.post("/v1/chat", json=body).status_code == 200
    assert other_ip.post("/v1/chat", json=body).status_code == 200
    _assert_429(other_ip.post("/v1/chat", json=body))
    third_ip = TestClient(c.app, client=("10.0.0.9", 4000))
    assert third_ip.post("/v1/chat", json=body).status_code == 429
    assert (
        third_ip.post("/v1/chat", json={"message": "hola", "session_id": "otra"}).status_code == 200
    )


def test_feedback_and_openai_routes_are_limited(client_for):
    c = client_for(rate_limit="1/minute")
    feedback = {"session_id": "x", "message_id": "m", "rating": "up"}
    assert c.post("/v1/feedback", json=feedback).status_code == 404
    _assert_429(c.post("/v1/feedback", json=feedback))
    other_ip = TestClient(c.app, client=("10.0.0.3", 4000))
    req = {"model": "mipyme-ia", "messages": [{"role": "user", "content": "hola"}], "user": "u1"}
    assert other_ip.post("/v1/chat/completions", json=req).status_code == 200
    r = other_ip.post("/v1/chat/completions", json=req)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.json()["error"] == {  # OpenAI's shape, so its clients back off and retry
        "message": "Enviaste demasiados mensajes seguidos. Espera un momento y vuelve a intentar.",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }


def test_profile_delete_and_admin_are_limited(client_for):
    c = client_for(rate_limit="3/minute", admin_token="t0ken")
    sid = c.post("/v1/chat", json={"message": "hola"}).json()["session_id"]
    assert c.get(f"/v1/sessions/{sid}/profile").status_code == 200
    assert c.get("/v1/sessions/w-" + "x" * 32 + "/profile").status_code == 404
    _assert_429(c.get(f"/v1/sessions/{sid}/profile"))
    _assert_429(c.delete(f"/v1/sessions/{sid}"))
    other_ip = TestClient(c.app, client=("10.0.0.4", 4000))
    for _ in range(3):
        assert other_ip.post("/v1/admin/ingest").status_code == 401
    _assert_429(other_ip.post("/v1/admin/ingest"))


def test_redis_limit_shared_between_app_instances(client_for, redis_prefix):
    first = client_for(rate_limit="3/minute", redis_url=REDIS_URL, redis_prefix=redis_prefix)
    second = client_for(rate_limit="3/minute", redis_url=REDIS_URL, redis_prefix=redis_prefix)
    assert first.post("/v1/chat", json={"message": "uno"}).status_code == 200
    assert second.post("/v1/chat", json={"message": "dos"}).status_code == 200
    assert first.post("/v1/chat", json={"message": "tres"}).status_code == 200
    # The fourth hit lands on the other "worker": the counter lives in Redis.
    _assert_429(second.post("/v1/chat", json={"message": "cuatro"}))
    keys = redis.Redis.from_url(REDIS_URL).keys(f"{redis_prefix}*")
    assert keys, "los contadores deben vivir en Redis bajo el prefijo de la prueba"


def test_redis_down_fails_open(client_for):
    c = client_for(rate_limit="1/minute", redis_url="redis://127.0.0.1:1/0")
    assert c.post("/v1/chat", json={"message": "uno"}).status_code == 200
    assert c.post("/v1/chat", json={"message": "dos"}).status_code == 200


def test_an_operator_polling_with_the_token_is_not_throttled_but_a_guesser_is(client_for):
    c = client_for(rate_limit="3/minute", admin_token="t0ken")
    operator = TestClient(c.app, client=("10.0.0.7", 4000))
    good = {"Authorization": "Bearer t0ken"}
    # An ingest job's status polled more often than the limit: before, the fourth poll got 429.
    for _ in range(6):
        assert operator.get("/v1/admin/ingest/no-existe", headers=good).status_code == 404
    guesser = TestClient(c.app, client=("10.0.0.8", 4000))
    for _ in range(3):
        assert (
            guesser.get("/v1/admin/ingest/x", headers={"Authorization": "Bearer no"}).status_code
            == 401
        )
    # Over the limit, the right token is refused too: a 200 among 429s would confirm a guess.
    _assert_429(guesser.get("/v1/admin/ingest/x", headers=good))
    assert operator.get("/v1/admin/ingest/no-existe", headers=good).status_code == 404
