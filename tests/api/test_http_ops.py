"""Health, readiness, metrics, admin ingest, CORS, security headers and static files."""

from __future__ import annotations

import sys
import time
import types

from pydantic import BaseModel


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readyz_ready_and_not(client, fake):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {"status": "ready", "checks": {"store": "ok"}}
    fake.ready = False
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "conocimiento_no_disponible"


def test_metrics_counts_requests_retrieval_feedback_fallbacks(client, fake):
    m1 = client.post("/v1/chat", json={"message": "hola"}).json()["session_id"]
    client.post("/v1/feedback", json={"session_id": m1, "message_id": "x", "rating": "down"})
    fake.on_event("fallback", {"reason": "Timeout"})
    client.get(f"/v1/sessions/{m1}/profile")
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'mipyme_http_requests_total{method="POST",route="/v1/chat",status="200"} 1.0' in text
    # Route templates, never raw paths with session ids.
    assert 'route="/v1/sessions/{session_id}/profile"' in text and m1 not in text
    assert "mipyme_http_request_duration_seconds_bucket" in text
    assert 'mipyme_retrievals_total{result="hit"} 1.0' in text
    assert "mipyme_retrieval_hits_total 1.0" in text
    assert 'mipyme_feedback_total{rating="down"} 1.0' in text
    assert 'mipyme_llm_fallbacks_total{reason="Timeout"} 1.0' in text


def test_two_apps_have_separate_registries(client, client_for):
    other = client_for()
    client.get("/healthz")
    assert 'route="/healthz"' not in other.get("/metrics").text


def _install_fake_pipeline(monkeypatch, calls):
    class Report(BaseModel):
        collection: str = "mipyme"
        added: int = 3

    def run_ingest(settings):
        calls.append(settings)
        return Report()

    module = types.ModuleType("ingest.pipeline")
    module.run_ingest = run_ingest
    monkeypatch.setitem(sys.modules, "ingest.pipeline", module)


def test_admin_without_token_configured_is_503(client):
    r = client.post("/v1/admin/ingest", headers={"Authorization": "Bearer lo-que-sea"})
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "falta_configuracion"


def test_admin_wrong_or_missing_token_is_401(client_for):
    c = client_for(admin_token="s3creto-largo")
    for headers in ({}, {"Authorization": "Bearer otro"}, {"Authorization": "Basic s3creto-largo"}):
        r = c.post("/v1/admin/ingest", headers=headers)
        assert r.status_code == 401, headers
        assert r.json()["error"]["code"] == "no_autorizado"
        assert r.headers["www-authenticate"] == "Bearer"


def _finished(client, job_id: str, headers: dict[str, str]) -> dict:
    """Poll the job's status until it is done or failed."""
    for _ in range(600):
        job = client.get(f"/v1/admin/ingest/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"the ingest job never finished: {job}")


def test_admin_right_token_starts_a_job_that_ingests_and_reloads(client_for, fake, monkeypatch):
    calls: list = []
    _install_fake_pipeline(monkeypatch, calls)
    c = client_for(admin_token="s3creto-largo")
    headers = {"Authorization": "Bearer s3creto-largo"}
    r = c.post("/v1/admin/ingest", headers=headers)
    assert r.status_code == 202
    job = r.json()
    assert job["status"] in ("queued", "running") and len(job["job_id"]) == 32
    assert r.headers["location"] == job["status_url"] == f"/v1/admin/ingest/{job['job_id']}"
    done = _finished(c, job["job_id"], headers)
    assert done["status"] == "done" and done["error"] is None
    assert done["report"] == {"collection": "mipyme", "added": 3}
    assert done["started_at"] and done["finished_at"]
    assert len(calls) == 1 and calls[0].admin_token.get_secret_value() == "s3creto-largo"
    assert fake.reloads == 1  # this worker reloaded before the job said done
    r = c.get("/v1/admin/ingest/" + "0" * 32, headers=headers)
    assert r.status_code == 404 and "tarea de ingesta" in r.json()["error"]["message"]
    assert c.get(f"/v1/admin/ingest/{job['job_id']}").status_code == 401


def test_admin_ingest_failure_is_reported_in_spanish(client_for, monkeypatch):
    from assistant.errors import KnowledgeUnavailable

    def run_ingest(settings):
        raise KnowledgeUnavailable("No existe la carpeta de conocimiento: /srv/x")

    module = types.ModuleType("ingest.pipeline")
    module.run_ingest = run_ingest
    monkeypatch.setitem(sys.modules, "ingest.pipeline", module)
    c = client_for(admin_token="s3creto-largo")
    headers = {"Authorization": "Bearer s3creto-largo"}
    job = _finished(c, c.post("/v1/admin/ingest", headers=headers).json()["job_id"], headers)
    assert job["status"] == "failed" and job["report"] is None
    assert job["error"].startswith("No existe la carpeta de conocimiento")


def test_a_second_post_while_a_job_runs_joins_it(client_for, monkeypatch):
    import threading

    release = threading.Event()

    class Report(BaseModel):
        collection: str = "mipyme"

    def run_ingest(settings):
        release.wait(30)
        return Report()

    module = types.ModuleType("ingest.pipeline")
    module.run_ingest = run_ingest
    monkeypatch.setitem(sys.modules, "ingest.pipeline", module)
    c = client_for(admin_token="s3creto-largo")
    headers = {"Authorization": "Bearer s3creto-largo"}
    first = c.post("/v1/admin/ingest", headers=headers)
    second = c.post("/v1/admin/ingest", headers=headers)
    assert first.status_code == second.status_code == 202
    assert second.json()["job_id"] == first.json()["job_id"]
    release.set()
    assert _finished(c, first.json()["job_id"], headers)["status"] == "done"
    third = c.post("/v1/admin/ingest", headers=headers)
    assert third.json()["job_id"] != first.json()["job_id"]  # a new job once that one ended
    _finished(c, third.json()["job_id"], headers)


def test_cors_allowed_and_denied_origins(client_for):
    c = client_for(cors_origins="https://tienda.example, https://otra.example")
    preflight = {
        "Origin": "https://tienda.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    r = c.options("/v1/chat", headers=preflight)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "https://tienda.example"
    r = c.post("/v1/chat", json={"message": "hola"}, headers={"Origin": "https://tienda.example"})
    assert r.headers["access-control-allow-origin"] == "https://tienda.example"
    assert "retry-after" in r.headers["access-control-expose-headers"].lower()
    r = c.post("/v1/chat", json={"message": "hola"}, headers={"Origin": "https://malo.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_error_responses_are_readable_by_the_widget(client_for):
    c = client_for(max_body_bytes=100)
    r = c.post("/v1/chat", json={"message": "x" * 500}, headers={"Origin": "https://x.example"})
    assert r.status_code == 413
    assert r.headers["access-control-allow-origin"] == "*"


def test_static_widget_and_page_with_security_headers(client):
    r = client.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "/widget.js" in r.text
    assert r.headers["x-frame-options"] == "DENY"
    assert "connect-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    api = client.get("/healthz")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "content-security-policy" not in api.headers


def test_openapi_documents_error_shape(client):
    spec = client.get("/openapi.json").json()
    chat = spec["paths"]["/v1/chat"]["post"]["responses"]
    assert chat["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert "/v1/chat/completions" in spec["paths"] and "/widget.js" not in spec["paths"]


def test_server_logs_are_redacted(settings, fake):
    import io
    import logging

    from api.main import create_app

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        create_app(settings, assistant=fake)
        logging.getLogger("api.errors").error("correo ana@example.com, tel 55 1234 5678")
    finally:
        root.removeHandler(handler)
    text = stream.getvalue()
    assert "ana@example.com" not in text and "1234 5678" not in text


def test_access_log_keeps_uvicorn_format_and_hides_phones(settings, fake):
    import io
    import logging

    from uvicorn.logging import AccessFormatter

    from api.main import create_app

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessFormatter('%(client_addr)s "%(request_line)s" %(status_code)s'))
    access = logging.getLogger("uvicorn.access")
    access.addHandler(handler)
    level = access.level
    access.setLevel(logging.INFO)
    try:
        create_app(settings, assistant=fake)
        args = ("127.0.0.1:5000", "GET", "/v1/sessions/5215512345678/profile", "1.1", 404)
        access.info('%s - "%s %s HTTP/%s" %d', *args)
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    line = stream.getvalue()
    assert '"GET /v1/sessions/' in line and "404" in line
    assert "5512345678" not in line
