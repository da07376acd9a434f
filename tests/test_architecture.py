"""The layout holds: no import cycles, and one chat turn walks a small, known set of modules."""

from __future__ import annotations

import ast
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from assistant.settings import Settings
from tests.helpers import ROOT

PACKAGES = ("assistant", "api", "ingest")
# The heaviest common turn: a business described and a question asked, so one request runs
# understanding, retrieval, the answer, recommendations, the composer and memory.
HEAVY_TURN = "Tengo una tiendita en Puebla y quiero vender más. ¿Qué cursos gratis hay?"
# Measured for HEAVY_TURN (see docs/architecture.md, "Un turno"); a new module on this path
# must replace one, or be argued for here.
# 16: understanding/language.py joined, since every message's language is read (an English
# message gets the "solo respondo en español" notice instead of a Spanish diagnosis).
# 20: answering (issue 11) runs curated answers, catalog facts, use cases and evidence in that
# order, each in its own module of assistant/answering/ (answerer, curated, catalog, evidence).
# 21: retrieval/generations.py joined (issue 14): each turn first asks whether the index pointer
# moved (one os.stat at most once a second), so an ingest by another process never needs a
# restart and never leaves a worker reading a collection being written.
# 42 (issue 11, sixth round): the same code in modules of one idea each. answerer.py was split
# into questions, curated_choice, follow_ups, ideas, courses, refusals, sentences, grounded and
# openers (the Sí/No lead of an open question); profile.py into sector_reading, sector_cues,
# headcount, team, corrections, english, maturity, goals, hours and role. Two readers joined:
# business_noun (the owner's own name for the business, for the first sentence) and fitting
# (products, documents and languages the owner names, put into an idea's first step).
# 44 (issue 11, seventh round): course_fit (courses fitted to the person who asks: the basic PC
# course first for someone new to computers, English courses for a relative who reads it) and
# reach (a program that starts by states answers "¿ya llegó a mi estado?" with Sí / Todavía no).
CORE_MODULES_PER_TURN = 44
API_MODULES_PER_TURN = 6


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules `name` imports anywhere in its body (lazy imports count too)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base]).strip(".")
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            # `from assistant.understanding import profile_data` imports the submodule.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _graph() -> dict[str, set[str]]:
    modules = _project_modules()
    known = set(modules)
    graph = {name: _imports(name, path, known) for name, path in modules.items()}
    # A package's __init__ is not a dependency of its own submodules' importers in our layout.
    return {name: {t for t in deps if not name.startswith(t + ".")} for name, deps in graph.items()}


def _room(module: str) -> str:
    """The unit of the layout a module belongs to: a sub-package, or a top-level module."""
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_import_cycles_between_modules() -> None:
    graph = _graph()
    assert len(graph) > 50
    assert _cycles(graph) == []


def test_no_import_cycles_between_rooms() -> None:
    rooms: dict[str, set[str]] = {}
    for module, deps in _graph().items():
        rooms.setdefault(_room(module), set()).update(
            _room(d) for d in deps if _room(d) != _room(module)
        )
    assert _cycles(rooms) == []


# What each room may import besides itself: the same lists as the packages' docstrings.
SHARED = {"assistant.errors", "assistant.limits", "assistant.schemas", "assistant.settings"}
MAY_IMPORT = {
    "assistant.understanding": {"assistant.knowledge", "assistant.turn"},
    "assistant.retrieval": {"assistant.understanding"},
    "assistant.answering": {
        "assistant.knowledge",
        "assistant.retrieval",
        "assistant.turn",
        "assistant.understanding",
    },
    "assistant.recommendation": {
        "assistant.knowledge",
        "assistant.retrieval",
        "assistant.turn",
        "assistant.understanding",
    },
    "assistant.composition": {
        "assistant.recommendation",
        "assistant.turn",
        "assistant.understanding",
    },
    "assistant.memory": {"assistant.redact", "assistant.retrieval"},
}


def test_each_room_imports_only_what_its_docstring_allows() -> None:
    for module, deps in _graph().items():
        room = _room(module)
        if room in MAY_IMPORT:
            allowed = SHARED | MAY_IMPORT[room] | {room}
            assert {_room(d) for d in deps} <= allowed, (module, {_room(d) for d in deps} - allowed)


def test_the_core_never_imports_the_edges() -> None:
    for module, deps in _graph().items():
        if module.startswith("assistant"):
            assert not [d for d in deps if d.startswith(("api", "ingest"))], module


class _Recorder:
    """Project files whose functions run while `active` (any thread started after install)."""

    def __init__(self) -> None:
        self.active = False
        self.files: set[str] = set()
        self.root = str(ROOT) + os.sep
        self.tests = str(ROOT / "tests") + os.sep

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if self.active and event == "call":
            name = frame.f_code.co_filename
            if name.startswith(self.root) and not name.startswith(self.tests):
                self.files.add(os.path.relpath(name, ROOT))

    def install(self) -> Iterator[None]:
        sys.setprofile(self)
        threading.setprofile(self)
        try:
            yield
        finally:
            sys.setprofile(None)
            threading.setprofile(None)  # type: ignore[arg-type]


@pytest.mark.slow
def test_one_chat_turn_walks_a_small_known_set_of_modules(settings: Settings) -> None:
    recorder = _Recorder()
    installed = recorder.install()
    next(installed)  # before the client starts its threads, so they inherit the hook
    try:
        with TestClient(create_app(settings)) as client:
            warm = client.post(
                "/v1/chat", json={"message": "Tengo una fonda en Oaxaca. ¿Hay cursos?"}
            )
            assert warm.status_code == 200
            recorder.active = True
            response = client.post("/v1/chat", json={"message": HEAVY_TURN})
            recorder.active = False
    finally:
        next(installed, None)
    body = response.json()
    assert response.status_code == 200
    assert body["recommendations"]["training_path"] and body["sources"]
    core = sorted(f for f in recorder.files if f.startswith("assistant"))
    edge = sorted(f for f in recorder.files if f.startswith("api"))
    assert len(core) <= CORE_MODULES_PER_TURN, core
    assert len(edge) <= API_MODULES_PER_TURN, edge
