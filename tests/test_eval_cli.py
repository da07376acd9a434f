"""`mipyme-ia eval`: retrieval metrics side by side, JSON, Markdown and --compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURE_KNOWLEDGE, ROOT

SET = """questions:
  - q: "cuanta gente va a capacitar amazon con la secretaria de economia"
    expected: [convenio-aws-se]
  - q: "se me acaban los refrescos en la tiendita y no me doy cuenta"
    expected: [abarrotes-surtido-inteligente]
  - q: "hay polos de desarrollo en el istmo de oaxaca"
    expected: [polos-istmo-oaxaca]
"""


def _eval(*args: str, data: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MIPYME_DATA_DIR": str(data),
        "MIPYME_KNOWLEDGE_DIR": str(FIXTURE_KNOWLEDGE),
        # The console script would import whatever the editable install points at.
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [str(Path(sys.executable).parent / "mipyme-ia"), "eval", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )


@pytest.mark.slow
def test_eval_reports_the_three_modes_and_compares_with_a_baseline(
    indexed_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "evals").mkdir()
    questions = tmp_path / "set.yaml"
    questions.write_text(SET, encoding="utf-8")
    out = _eval(
        "--set", str(questions), "--only", "retrieval", "--json", data=indexed_dir, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    rows = {r["mode"]: r for r in json.loads(out.stdout)["retrieval"]}
    assert set(rows) == {"hybrid", "dense", "bm25"}
    assert rows["hybrid"]["n"] == 3 and rows["hybrid"]["hit_at_5"] == 1.0

    baseline = tmp_path / "base.json"
    baseline.write_text(json.dumps({"retrieval.hybrid.mrr": 0.1}), encoding="utf-8")
    report = tmp_path / "reporte.md"
    compared = _eval(
        "--set",
        str(questions),
        "--only",
        "retrieval",
        "--compare",
        str(baseline),
        "--markdown",
        str(report),
        data=indexed_dir,
        cwd=tmp_path,
    )
    assert compared.returncode == 0, compared.stderr
    text = report.read_text(encoding="utf-8")
    assert "| hybrid | 3 |" in text and "Comparación con la línea base" in text
    assert "| retrieval.hybrid.mrr | 0.1 |" in text

    missing = _eval(
        "--set",
        str(questions),
        "--only",
        "retrieval",
        "--compare",
        str(tmp_path / "no.json"),
        data=indexed_dir,
        cwd=tmp_path,
    )
    assert missing.returncode == 2 and "no existe la línea base" in missing.stderr
