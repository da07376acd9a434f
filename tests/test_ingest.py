"""Incremental ingestion: change reports, bad files, kill -9, and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.factory import build_retriever
from ingest.pipeline import run_ingest
from tests.helpers import FIXTURE_KNOWLEDGE, ROOT, make_settings


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KNOWLEDGE, target)
    return target


def _touch_every_course(path: Path) -> None:
    """Change every course's summary, keeping the YAML valid."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for course in data["courses"]:
        course["summary"] = "Actualizado. " + course["summary"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _statuses(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {s.source: s.status for s in report.sources}


@pytest.mark.slow
def test_rerun_embeds_nothing_and_edits_are_incremental(data_dir: Path, corpus: Path) -> None:
    settings = make_settings(data_dir, MIPYME_KNOWLEDGE_DIR=corpus)
    again = run_ingest(settings)
    assert again.chunks_embedded == 0
    assert set(_statuses(again).values()) == {"unchanged"}

    program, gone, *_ = sorted((corpus / "programs").glob("*.md"))
    program.write_text(
        program.read_text(encoding="utf-8")
        + "\n## Nota nueva\nDato agregado para la prueba de reindexado incremental.\nFuente: https://www.gob.mx/se (2026-01-01)\n",
        encoding="utf-8",
    )
    gone.unlink()
    report = run_ingest(settings)
    statuses = _statuses(report)
    assert statuses[f"programs/{program.name}"] == "updated"
    assert report.count("deleted") == 1
    assert 1 <= report.chunks_embedded <= 3  # only the changed sections, not the whole corpus
    hits = build_retriever(settings).search("dato agregado para la prueba de reindexado", k=3)
    assert any("reindexado" in h.text for h in hits)


@pytest.mark.slow
def test_malformed_file_is_reported_and_the_rest_still_index(tmp_path: Path, corpus: Path) -> None:
    bad = corpus / "catalog" / "roto.yaml"
    bad.write_text("courses:\n  - id: sin-campos\n    url: http://inseguro\n", encoding="utf-8")
    (corpus / "programs" / "vacio.md").write_text(
        "---\nid: otro-id\n---\nTexto\n", encoding="utf-8"
    )
    report = run_ingest(make_settings(tmp_path / "d", MIPYME_KNOWLEDGE_DIR=corpus))
    failed = {s.source: s.error for s in report.failed}
    assert set(failed) == {"catalog/roto.yaml", "programs/vacio.md"}
    assert (
        "catalog/roto.yaml" in failed["catalog/roto.yaml"]
        and "courses[0]" in failed["catalog/roto.yaml"]
    )
    assert report.count("added") >= 3


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "mipyme-ia"), *args],
        capture_output=True,
        text=True,
        # The console script would import whatever the editable install points at.
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=600,
    )


@pytest.mark.slow
def test_cli_json_report_and_exit_codes(tmp_path: Path, corpus: Path) -> None:
    env = {**os.environ, "MIPYME_DATA_DIR": str(tmp_path / "d")}
    ok = _cli("ingest", "--knowledge", str(corpus), "--json", env=env)
    assert ok.returncode == 0, ok.stderr
    report = json.loads(ok.stdout)
    statuses = {s["source"]: s["status"] for s in report["sources"]}
    # paths.yaml is validated but not embedded: the recommender reads it directly.
    assert statuses.pop("catalog/paths.yaml") == "unchanged"
    assert set(statuses.values()) == {"added"}
    (corpus / "catalog" / "roto.yaml").write_text("courses: [", encoding="utf-8")
    partial = _cli("ingest", "--knowledge", str(corpus), env=env)
    assert partial.returncode == 1
    assert "roto.yaml" in partial.stdout and "ERROR" in partial.stdout
    empty = tmp_path / "vacia"
    empty.mkdir()
    (empty / "malo.yaml").write_text("courses: [", encoding="utf-8")
    nothing = _cli("ingest", "--knowledge", str(empty), env=env)
    assert nothing.returncode == 2
    assert "no se pudo indexar" in nothing.stderr
    # ...and that run deleted nothing: the previous index still answers.
    again = json.loads(_cli("ingest", "--knowledge", str(corpus), "--json", env=env).stdout)
    assert {s["status"] for s in again["sources"]} == {"unchanged", "failed"}
    missing = _cli("ingest", "--knowledge", str(tmp_path / "no-existe"), env=env)
    assert missing.returncode == 2 and "No existe la carpeta" in missing.stderr


@pytest.mark.slow
def test_search_cli_prints_the_contract(tmp_path: Path, indexed_dir: Path) -> None:
    env = {**os.environ, "MIPYME_DATA_DIR": str(indexed_dir)}
    out = _cli(
        "search",
        "cursos gratis de inteligencia artificial",
        "-k",
        "3",
        "--kind",
        "course",
        "--json",
        env=env,
    )
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert 1 <= len(hits) <= 3
    for hit in hits:
        assert set(hit) == {"id", "kind", "title", "url", "score", "snippet"}
        assert hit["kind"] == "course" and hit["url"].startswith("https://")


@pytest.mark.slow
def test_kill_9_mid_run_keeps_the_old_index_and_the_next_run_completes(
    data_dir: Path, corpus: Path
) -> None:
    settings = make_settings(data_dir, MIPYME_KNOWLEDGE_DIR=corpus)
    before = build_retriever(settings).size
    # Make every source change so the run has plenty to embed when we kill it.
    for path in sorted(corpus.rglob("*")):
        if path.suffix == ".md":
            path.write_text(
                path.read_text(encoding="utf-8")
                + "\n## Anexo\n"
                + "Texto adicional para reindexar. " * 60
                + "\nFuente: https://www.gob.mx/se (2026-01-01)\n",
                encoding="utf-8",
            )
        elif path.name == "courses.yaml":
            _touch_every_course(path)
    env = {**os.environ, "MIPYME_DATA_DIR": str(data_dir), "MIPYME_KNOWLEDGE_DIR": str(corpus)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest", "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(4.0)
    assert proc.poll() is None, "ingestion finished before it could be killed; grow the change"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    # The old index still answers.
    retriever = build_retriever(settings)
    assert retriever.size >= before * 0.9
    assert retriever.search("cursos de inteligencia artificial", k=3)

    report = run_ingest(settings)
    assert not report.failed
    final = run_ingest(settings)
    assert final.chunks_embedded == 0, "the run after the recovery must find nothing left to do"
    hits = build_retriever(settings).search("texto adicional para reindexar anexo", k=5)
    assert any("Texto adicional" in h.text for h in hits)
    summaries = build_retriever(settings).search(
        "Actualizado",
        k=5,
    )
    assert summaries


@pytest.mark.slow
def test_an_edit_outside_every_chunk_still_builds_a_generation(
    data_dir: Path, corpus: Path
) -> None:
    """Serving workers also read knowledge/ itself (sector descriptions, aliases…); only a new
    generation tells all of them to reload, so any change to a file must build one."""
    settings = make_settings(data_dir, MIPYME_KNOWLEDGE_DIR=corpus)
    first = run_ingest(settings)
    same = run_ingest(settings)
    assert same.generation == first.generation and same.chunks_copied == 0  # nothing changed
    sectors = corpus / "sectors.yaml"
    sectors.write_text(
        sectors.read_text(encoding="utf-8") + "\n# revisado por el equipo\n", encoding="utf-8"
    )
    edited = run_ingest(settings)
    assert edited.generation == first.generation + 1
    assert edited.chunks_embedded == 0  # no chunk changed: the vectors are copied
