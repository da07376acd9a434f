"""Index generations over real HTTP: ingesting never breaks serving, and every worker moves.

A real uvicorn server (the real offline assistant) serves a copy of the session's fixture index
while the CLI ingest runs beside it, or the admin endpoint, or a build that fails half-way.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import pytest
import yaml

from api.main import create_app
from assistant.settings import Settings
from tests.helpers import FIXTURE_KNOWLEDGE, ROOT, UvicornThread, make_settings

from .support import clean_env, ingest_into_chroma, wait_until

BASE = "mipyme-multilingual-e5-small-384"
ADMIN = {"Authorization": "Bearer t0ken-de-admin"}
NEW_QUESTION = "¿Cada cuánto se actualiza el padrón de artesanos de barro negro?"
NEW_FACT = "San Bartolo Coyotepec"
TURNS = [
    "¿Qué cursos gratis de inteligencia artificial hay?",
    "Tengo una tienda de abarrotes en Oaxaca, ¿hay algún apoyo para capacitarme?",
    "¿Qué es el convenio entre AWS y la Secretaría de Economía?",
    "¿Cuánto cuesta obtener el sello Hecho en México?",
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KNOWLEDGE, target)
    return target


@pytest.fixture
def settings(data_dir: Path, corpus: Path) -> Settings:
    return make_settings(
        data_dir,
        MIPYME_KNOWLEDGE_DIR=corpus,
        MIPYME_RATE_LIMIT="100000/minute",
        MIPYME_ADMIN_TOKEN=ADMIN["Authorization"].split()[1],
    )


@pytest.fixture
def server(settings: Settings) -> Iterator[UvicornThread]:
    with UvicornThread(create_app(settings)) as running:
        yield running


def _change(corpus: Path) -> None:
    """A new curated answer, a program with a new section, a program deleted: chunks are
    embedded, replaced and removed."""
    faq = corpus / "faq" / "respuestas.yaml"
    data = yaml.safe_load(faq.read_text(encoding="utf-8"))
    entry = dict(data["entries"][0])
    entry.update(
        id="artesanos-barro-negro-padron",
        question=NEW_QUESTION,
        paraphrases=[
            "cuando actualizan el padron de artesanos de barro negro",
            "padron de artesanos de barro negro cada cuanto",
            "cada cuanto renuevan el registro de artesanos de barro negro",
        ],
        answer=(
            "El padrón de artesanos de barro negro se actualiza cada 45 días hábiles en la "
            f"oficina municipal de {NEW_FACT}, Oaxaca."
        ),
        topics=["artesanos", "barro negro", "padrón"],
    )
    data["entries"].append(entry)
    faq.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    program, gone, *_ = sorted((corpus / "programs").glob("*.md"))
    program.write_text(
        program.read_text(encoding="utf-8")
        + "\n## Nota nueva\nDato agregado para probar las generaciones del índice.\n"
        "Fuente: https://www.gob.mx/se (2026-01-01)\n",
        encoding="utf-8",
    )
    gone.unlink()


def _ask(url: str, message: str) -> httpx.Response:
    return httpx.post(f"{url}/v1/chat", json={"message": message}, timeout=120)


def _knows_the_new_fact(url: str) -> bool:
    return NEW_FACT in _ask(url, NEW_QUESTION).json()["answer"]


def _pointer(data_dir: Path) -> dict[str, Any]:
    return json.loads((data_dir / "index" / f"{BASE}.json").read_text(encoding="utf-8"))


def _collections(data_dir: Path) -> dict[str, int]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    return {c.name: client.get_collection(c.name).count() for c in client.list_collections()}


class Chatter:
    """A thread sending turns to /v1/chat back to back; every status is kept."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.results: list[tuple[int, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            i = 0
            while not self._stop.is_set():
                try:
                    r = client.post("/v1/chat", json={"message": TURNS[i % len(TURNS)]})
                    self.results.append((r.status_code, r.text[:300]))
                except httpx.HTTPError as exc:
                    self.results.append((0, repr(exc)))
                i += 1

    def __enter__(self) -> Chatter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=180)


@pytest.mark.slow
def test_cli_ingest_beside_a_serving_server_breaks_no_turn(
    server: UvicornThread, settings: Settings, corpus: Path, data_dir: Path
) -> None:
    assert not _knows_the_new_fact(server.url)
    before = _pointer(data_dir)["generation"]
    _change(corpus)
    env = clean_env(MIPYME_DATA_DIR=data_dir, MIPYME_KNOWLEDGE_DIR=corpus)
    with Chatter(server.url) as chatter:
        wait_until(lambda: len(chatter.results) >= 2, 120, what="turns before the ingest")
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", "ingest", "--json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        during = len(chatter.results)
        time.sleep(2.5)  # turns after the switch: the server moves to the new generation
    assert done.returncode == 0, done.stderr[-2000:]
    bad = [r for r in chatter.results if r[0] != 200]
    assert not bad, bad[:3]
    assert during >= 4, "too few turns ran during the ingest to prove anything"
    report = json.loads(done.stdout)
    statuses = {s["source"]: s["status"] for s in report["sources"]}
    assert statuses["faq/respuestas.yaml"] == "updated"
    assert "deleted" in statuses.values() and report["chunks_embedded"] >= 2
    assert report["generation"] == before + 1 == _pointer(data_dir)["generation"]
    # Without a restart, the server answers from the new generation and the new knowledge/.
    assert wait_until(lambda: _knows_the_new_fact(server.url), 30, what="the new curated answer")
    ready = httpx.get(f"{server.url}/readyz").json()
    assert ready["checks"]["index_generation"] == str(before + 1)
    # The generation just replaced is kept for workers that have not looked yet; older ones go.
    assert set(_collections(data_dir)) == {f"{BASE}-g{before}", f"{BASE}-g{before + 1}"}


@pytest.mark.slow
def test_admin_ingest_is_a_job_and_every_worker_moves(
    settings: Settings, corpus: Path, data_dir: Path
) -> None:
    # Two app instances on one data dir: two workers, each with its own assistant.
    with UvicornThread(create_app(settings)) as one, UvicornThread(create_app(settings)) as two:
        for url in (one.url, two.url):
            assert not _knows_the_new_fact(url)
        _change(corpus)
        assert httpx.post(f"{one.url}/v1/admin/ingest").status_code == 401
        started = httpx.post(f"{one.url}/v1/admin/ingest", headers=ADMIN, timeout=30)
        assert started.status_code == 202, started.text
        job = started.json()
        assert job["status"] in ("queued", "running")
        # The job is visible to the other worker too.
        status_url = f"{two.url}{started.headers['location']}"

        def finished() -> dict[str, Any] | None:
            body = httpx.get(status_url, headers=ADMIN, timeout=30).json()
            return body if body["status"] in ("done", "failed") else None

        final = wait_until(finished, 600, interval=0.5, what="the ingest job")
        assert final["status"] == "done", final
        assert final["report"]["generation"] == _pointer(data_dir)["generation"]
        assert final["report"]["chunks_embedded"] >= 2
        assert str(data_dir) not in json.dumps(final) and str(corpus) not in json.dumps(final)
        # Both workers serve the new generation without a restart.
        for url in (one.url, two.url):
            assert wait_until(lambda u=url: _knows_the_new_fact(u), 30, what=f"{url} moved")
        missing = httpx.get(f"{one.url}/v1/admin/ingest/{'a' * 32}", headers=ADMIN)
        assert missing.status_code == 404
        assert missing.json()["error"]["message"].startswith("No encontramos esa tarea")
        assert httpx.get(status_url).status_code == 401


@pytest.mark.slow
def test_readyz_is_503_without_its_generation_and_ready_after_an_ingest(
    server: UvicornThread, settings: Settings, data_dir: Path, indexed_dir: Path
) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    ready = httpx.get(f"{server.url}/readyz")
    assert ready.status_code == 200
    live = _pointer(data_dir)
    assert ready.json()["checks"]["index_generation"] == str(live["generation"])
    chromadb.PersistentClient(
        path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    ).delete_collection(live["collection"])
    gone = httpx.get(f"{server.url}/readyz")
    assert gone.status_code == 503
    error = gone.json()["error"]
    assert error["code"] == "conocimiento_no_disponible"
    assert f"generación {live['generation']} del índice no existe" in error["message"]
    assert str(data_dir) not in gone.text
    ingest_into_chroma(settings, indexed_dir)  # the real pipeline, vectors reused
    again = httpx.get(f"{server.url}/readyz")
    assert again.status_code == 200, again.text
    assert again.json()["checks"]["index_generation"] == str(live["generation"] + 1)
    assert _ask(server.url, TURNS[0]).status_code == 200


@pytest.mark.slow
def test_readyz_is_503_when_no_generation_exists(tmp_path: Path, indexed_dir: Path) -> None:
    empty_dir = tmp_path / "vacio"
    empty_dir.mkdir()
    for vectors in indexed_dir.glob("sector_vectors-*"):  # not the index: only saves time
        shutil.copy(vectors, empty_dir)
    with UvicornThread(create_app(make_settings(empty_dir))) as empty:
        r = httpx.get(f"{empty.url}/readyz")
    assert r.status_code == 503
    assert "Todavía no hay índice" in r.json()["error"]["message"]


@pytest.mark.slow
def test_a_build_that_fails_half_way_never_switches_and_is_cleaned_next_time(
    server: UvicornThread, settings: Settings, corpus: Path, data_dir: Path
) -> None:
    from ingest import pipeline

    live = _pointer(data_dir)
    _change(corpus)
    real = pipeline._index_source
    calls = 0

    def dies_on_the_fourth_file(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise RuntimeError("la corrida muere a la mitad")
        return real(*args, **kwargs)

    with (
        mock.patch.object(pipeline, "_index_source", dies_on_the_fourth_file),
        pytest.raises(RuntimeError),
    ):
        pipeline.run_ingest(settings)
    assert _pointer(data_dir) == live  # never switched
    half = f"{BASE}-g{live['generation'] + 1}"
    assert half in _collections(data_dir)
    # Serving goes on from the old generation.
    ready = httpx.get(f"{server.url}/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["index_generation"] == str(live["generation"])
    assert all(_ask(server.url, turn).status_code == 200 for turn in TURNS)
    assert not _knows_the_new_fact(server.url)

    report = pipeline.run_ingest(settings)
    assert not report.failed and report.generation == live["generation"] + 1
    assert _pointer(data_dir)["collection"] == half
    collections = _collections(data_dir)
    assert set(collections) == {live["collection"], half}
    # The half-built collection was dropped and built again, complete: the next run finds the
    # same knowledge and keeps that generation (nothing embedded, copied or switched).
    switched = _pointer(data_dir)
    again = pipeline.run_ingest(settings)
    assert (again.chunks_embedded, again.chunks_copied) == (0, 0)
    assert again.generation == live["generation"] + 1 and _pointer(data_dir) == switched
    assert {s.status for s in again.sources} == {"unchanged"}
    assert sum(s.chunks_unchanged for s in again.sources) == collections[half]
    assert wait_until(lambda: _knows_the_new_fact(server.url), 30, what="the new generation")
