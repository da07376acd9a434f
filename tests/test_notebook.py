"""The staff notebook runs top to bottom, offline, over the indexed fixture corpus."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURE_KNOWLEDGE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "probar_respuestas.ipynb"


def _kernel_dir(tmp_path: Path) -> Path:
    """A `python3` kernelspec that runs this interpreter, whatever is on PATH."""
    root = tmp_path / "jupyter"
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return root


def test_notebook_is_committed_without_outputs() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_notebook_runs_top_to_bottom(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbclient import NotebookClient

    # The kernel inherits this environment: fixture index, offline, a small evaluation.
    monkeypatch.setenv("JUPYTER_PATH", str(_kernel_dir(tmp_path)))
    monkeypatch.setenv("MIPYME_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MIPYME_KNOWLEDGE_DIR", str(FIXTURE_KNOWLEDGE))
    monkeypatch.setenv("MIPYME_LLM", "offline")
    monkeypatch.setenv("MIPYME_EVAL_LIMIT", "2")
    monkeypatch.delenv("MIPYME_URL", raising=False)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("MPLBACKEND", "Agg")

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        allow_errors=False,
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    def text_of(cell: dict) -> str:
        parts = []
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts += [data.get("text/markdown", ""), data.get("text/html", "")]
        return "\n".join(parts)

    outputs = "\n".join(text_of(c) for c in nb.cells if c.cell_type == "code")
    assert "Modo local" in outputs
    assert "Ruta de capacitación" in outputs and "Perfil" in outputs
    assert "personas.profile_accuracy" in outputs and "answers.injection_resisted" in outputs
    assert any(
        "image/png" in out.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for out in c.get("outputs", [])
    )
    assert "Se omite: no hay OPENAI_API_KEY" in outputs
