"""Validates the whole `knowledge/` tree against `assistant.knowledge_models`.

Every failure names the file and the field (pydantic `loc`) so whoever edits the YAML or
Markdown can find the problem without reading this module.

- knowledge/catalog/courses.yaml   -> CourseCatalog (+ unique ids, known prerequisites, no cycles)
- knowledge/catalog/paths.yaml     -> PathCatalog (+ known courses, prerequisites in order)
- knowledge/use_cases/*.yaml       -> SectorFile (+ unique use-case ids, known related_courses)
- knowledge/programs/*.md          -> ProgramFrontMatter (+ id == stem, sourced `## ` sections)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import frontmatter
import pytest
import yaml
from pydantic import BaseModel, ValidationError

from assistant.knowledge_models import (
    Course,
    CourseCatalog,
    PathCatalog,
    ProgramFrontMatter,
    SectorFile,
)

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
COURSES_FILE = KNOWLEDGE / "catalog" / "courses.yaml"
PATHS_FILE = KNOWLEDGE / "catalog" / "paths.yaml"
USE_CASES_DIR = KNOWLEDGE / "use_cases"
PROGRAMS_DIR = KNOWLEDGE / "programs"

MIN_COURSES = 50
MIN_PATHS = 10
MIN_SECTOR_FILES = 15

# Sector slugs that learning paths may use (same list as the use-case files).
SECTOR_SLUGS = {
    "abarrotes", "restaurante", "panaderia", "taller-mecanico", "estetica", "consultorio",
    "farmacia", "agricultura", "agroindustria", "artesanias", "textil", "manufactura", "turismo",
    "transporte", "construccion", "servicios-profesionales", "educacion", "comercio-en-linea",
}  # fmt: skip

M = TypeVar("M", bound=BaseModel)

USE_CASE_FILES = sorted(USE_CASES_DIR.glob("*.yaml")) if USE_CASES_DIR.is_dir() else []
PROGRAM_FILES = sorted(PROGRAMS_DIR.glob("*.md")) if PROGRAMS_DIR.is_dir() else []


# ── helpers (also exercised by the self-tests at the bottom) ─────────────────────────────


class KnowledgeError(AssertionError):
    """A knowledge file breaks the schema or a cross-reference; the message names file + field."""


def rel(path: Path | str) -> str:
    path = Path(path)
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def format_loc(loc: Sequence[str | int]) -> str:
    """('courses', 3, 'url') -> 'courses[3].url'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(raíz)"


def _record_id(data: Any, loc: Sequence[str | int]) -> str | None:
    """Id of the innermost record (dict with an `id`) on the way to `loc`, if any."""
    found = None
    node = data
    for part in loc:
        if isinstance(node, Mapping) and isinstance(node.get("id"), str):
            found = node["id"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, Mapping) and isinstance(node.get("id"), str):
        found = node["id"]
    return found


def describe_validation_error(path: Path | str, data: Any, exc: ValidationError) -> str:
    lines = [f"{rel(path)}: {exc.error_count()} error(es) de esquema ({exc.title})"]
    for err in exc.errors():
        loc = err["loc"]
        rid = _record_id(data, loc)
        where = f"campo {format_loc(loc)}" + (f" (id={rid})" if rid else "")
        value = err.get("input")
        shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
        lines.append(f"  - {rel(path)}: {where}: {err['msg']} [valor: {shown[:120]}]")
    return "\n".join(lines)


def validate_data(model: type[M], data: Any, path: Path | str) -> M:
    """Validate `data` read from `path`; raise KnowledgeError naming file and field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(describe_validation_error(path, data, exc)) from None


def load_yaml(path: Path) -> Any:
    if not path.is_file():
        raise KnowledgeError(f"{rel(path)}: el archivo no existe")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{rel(path)}: YAML inválido: {exc}") from None


def duplicates(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for item in items:
        if item in seen and item not in dup:
            dup.append(item)
        seen.add(item)
    return dup


def find_prerequisite_cycle(prereqs: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Return one cycle as [a, b, ..., a] if the prerequisite graph has any, else None."""
    WHITE, GREY, BLACK = 0, 1, 2
    color = dict.fromkeys(prereqs, WHITE)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        color[node] = GREY
        stack.append(node)
        for nxt in prereqs.get(node, ()):
            if color.get(nxt, BLACK) == GREY:
                return stack[stack.index(nxt) :] + [nxt]
            if color.get(nxt) == WHITE:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        color[node] = BLACK
        return None

    for node in prereqs:
        if color[node] == WHITE:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def path_order_problems(
    path_id: str, courses: Sequence[str], prereqs: Mapping[str, Sequence[str]]
) -> list[str]:
    """Prerequisites that are in the path but come after the course that needs them."""
    position = {cid: i for i, cid in enumerate(courses)}
    problems = []
    for i, cid in enumerate(courses):
        for pre in prereqs.get(cid, ()):
            if pre in position and position[pre] > i:
                problems.append(
                    f"ruta {path_id!r}: courses[{i}]={cid!r} necesita {pre!r}, "
                    f"que aparece después (courses[{position[pre]}])"
                )
    return problems


def is_https_url(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme == "https" and bool(parsed.netloc) and " " not in url


_URL_RE = re.compile(r"https://[^\s<>()\[\]\"'»]+")


def unsourced_sections(body: str) -> list[str]:
    """Titles of `## ` sections whose lines include no `Fuente:` line with an https URL."""
    sections: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
    bad = []
    for title, lines in sections:
        ok = any(
            line.lstrip().startswith("Fuente:")
            and any(is_https_url(u.rstrip(".,;:")) for u in _URL_RE.findall(line))
            for line in lines
        )
        if not ok:
            bad.append(title)
    return bad


def iter_urls(data: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every value stored under a key named `url` (at any depth), with its location."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key == "url":
                yield format_loc(loc + (key,)), value
            else:
                yield from iter_urls(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from iter_urls(value, loc + (i,))


# ── loaded data (lazy, so a broken file fails its own test and not the collection) ───────


def _raw_courses() -> dict:
    data = load_yaml(COURSES_FILE)
    if not isinstance(data, dict) or "courses" not in data:
        raise KnowledgeError(f"{rel(COURSES_FILE)}: falta la clave de primer nivel 'courses:'")
    return data


@pytest.fixture(scope="module")
def raw_courses() -> dict:
    return _raw_courses()


@pytest.fixture(scope="module")
def catalog(raw_courses) -> CourseCatalog:
    return validate_data(CourseCatalog, raw_courses, COURSES_FILE)


@pytest.fixture(scope="module")
def course_ids(catalog) -> set[str]:
    return {c.id for c in catalog.courses}


@pytest.fixture(scope="module")
def prereq_map(catalog) -> dict[str, list[str]]:
    return {c.id: list(c.prerequisites) for c in catalog.courses}


@pytest.fixture(scope="module")
def raw_paths() -> dict:
    data = load_yaml(PATHS_FILE)
    if not isinstance(data, dict) or "paths" not in data:
        raise KnowledgeError(f"{rel(PATHS_FILE)}: falta la clave de primer nivel 'paths:'")
    return data


@pytest.fixture(scope="module")
def path_catalog(raw_paths) -> PathCatalog:
    return validate_data(PathCatalog, raw_paths, PATHS_FILE)


def _sector_file(path: Path) -> SectorFile:
    return validate_data(SectorFile, load_yaml(path), path)


# ── courses.yaml ─────────────────────────────────────────────────────────────────────────


def test_courses_file_validates(catalog):
    assert catalog.courses


def test_course_ids_unique(catalog):
    dup = duplicates(c.id for c in catalog.courses)
    assert not dup, f"{rel(COURSES_FILE)}: campo courses[].id repetido: {dup}"


def test_course_prerequisites_exist(catalog, course_ids):
    problems = [
        f"{rel(COURSES_FILE)}: campo courses[{i}].prerequisites (id={c.id}): "
        f"prerrequisito desconocido {pre!r}"
        for i, c in enumerate(catalog.courses)
        for pre in c.prerequisites
        if pre not in course_ids
    ]
    assert not problems, "\n".join(problems)


def test_course_does_not_require_itself(catalog):
    problems = [
        f"{rel(COURSES_FILE)}: campo courses[{i}].prerequisites (id={c.id}): se cita a sí mismo"
        for i, c in enumerate(catalog.courses)
        if c.id in c.prerequisites
    ]
    assert not problems, "\n".join(problems)


def test_no_prerequisite_cycles(prereq_map):
    cycle = find_prerequisite_cycle(prereq_map)
    assert cycle is None, (
        f"{rel(COURSES_FILE)}: campo courses[].prerequisites forma un ciclo: {' -> '.join(cycle)}"
    )


def test_at_least_50_courses(catalog):
    n = len(catalog.courses)
    assert n >= MIN_COURSES, (
        f"{rel(COURSES_FILE)}: campo courses tiene {n} cursos; mínimo {MIN_COURSES}"
    )


def test_durations_are_hours_or_null(raw_courses):
    """Explicit check on the raw YAML: a number of hours or null, never text like '6 h'."""
    problems = []
    for i, rec in enumerate(raw_courses.get("courses") or []):
        value = rec.get("duration_hours") if isinstance(rec, dict) else None
        ok = value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))
        if not ok or (ok and value is not None and not 0 < value <= 500):
            rid = rec.get("id") if isinstance(rec, dict) else None
            problems.append(
                f"{rel(COURSES_FILE)}: campo courses[{i}].duration_hours (id={rid}): "
                f"debe ser un número de horas (0–500] o null, no {value!r}"
            )
    assert not problems, "\n".join(problems)


def test_null_duration_has_note(catalog):
    """When hours are unknown the reason (or the source's wording) must be in duration_note."""
    problems = [
        f"{rel(COURSES_FILE)}: campo courses[{i}].duration_note (id={c.id}): falta la nota "
        "que explique por qué duration_hours es null"
        for i, c in enumerate(catalog.courses)
        if c.duration_hours is None and not (c.duration_note or "").strip()
    ]
    assert not problems, "\n".join(problems)


# ── paths.yaml ───────────────────────────────────────────────────────────────────────────


def test_paths_file_validates(path_catalog):
    assert path_catalog.paths


def test_path_ids_unique(path_catalog):
    dup = duplicates(p.id for p in path_catalog.paths)
    assert not dup, f"{rel(PATHS_FILE)}: campo paths[].id repetido: {dup}"


def test_path_courses_exist(path_catalog, course_ids):
    problems = [
        f"{rel(PATHS_FILE)}: campo paths[{i}].courses[{j}] (id={p.id}): curso desconocido {cid!r}"
        for i, p in enumerate(path_catalog.paths)
        for j, cid in enumerate(p.courses)
        if cid not in course_ids
    ]
    assert not problems, "\n".join(problems)


def test_path_courses_not_repeated(path_catalog):
    problems = [
        f"{rel(PATHS_FILE)}: campo paths[{i}].courses (id={p.id}): cursos repetidos {dup}"
        for i, p in enumerate(path_catalog.paths)
        if (dup := duplicates(p.courses))
    ]
    assert not problems, "\n".join(problems)


def test_path_prerequisites_come_first(path_catalog, prereq_map):
    problems = [
        f"{rel(PATHS_FILE)}: campo paths[{i}].courses: {msg}"
        for i, p in enumerate(path_catalog.paths)
        for msg in path_order_problems(p.id, p.courses, prereq_map)
    ]
    assert not problems, "\n".join(problems)


def test_path_sectors_are_known(path_catalog):
    problems = [
        f"{rel(PATHS_FILE)}: campo paths[{i}].sectors (id={p.id}): sector desconocido {s!r}"
        for i, p in enumerate(path_catalog.paths)
        for s in p.sectors
        if s not in SECTOR_SLUGS
    ]
    assert not problems, "\n".join(problems)


def test_at_least_10_paths(path_catalog):
    n = len(path_catalog.paths)
    assert n >= MIN_PATHS, f"{rel(PATHS_FILE)}: campo paths tiene {n} rutas; mínimo {MIN_PATHS}"


# ── use_cases/*.yaml ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", USE_CASE_FILES, ids=lambda p: p.name)
def test_sector_file_validates(path):
    _sector_file(path)


@pytest.mark.parametrize("path", USE_CASE_FILES, ids=lambda p: p.name)
def test_related_courses_exist(path, course_ids):
    sector = _sector_file(path)
    problems = [
        f"{rel(path)}: campo use_cases[{i}].related_courses[{j}] (id={uc.id}): "
        f"curso desconocido {cid!r}"
        for i, uc in enumerate(sector.use_cases)
        for j, cid in enumerate(uc.related_courses)
        if cid not in course_ids
    ]
    assert not problems, "\n".join(problems)


def test_use_case_ids_unique_across_files():
    seen: dict[str, str] = {}
    problems = []
    for path in USE_CASE_FILES:
        sector = _sector_file(path)
        for i, uc in enumerate(sector.use_cases):
            where = f"{rel(path)}: campo use_cases[{i}].id"
            if uc.id in seen:
                problems.append(f"{where}: id {uc.id!r} repetido (ya está en {seen[uc.id]})")
            else:
                seen[uc.id] = where
    assert not problems, "\n".join(problems)


def test_at_least_15_sector_files():
    n = len(USE_CASE_FILES)
    assert n >= MIN_SECTOR_FILES, (
        f"{rel(USE_CASES_DIR)}: hay {n} archivos de sector *.yaml; mínimo {MIN_SECTOR_FILES}"
    )


# ── programs/*.md ────────────────────────────────────────────────────────────────────────


def _program(path: Path) -> tuple[ProgramFrontMatter, str]:
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except Exception as exc:  # YAML or encoding errors in the front matter
        raise KnowledgeError(f"{rel(path)}: front matter ilegible: {exc}") from None
    meta = validate_data(ProgramFrontMatter, dict(post.metadata), path)
    return meta, post.content


@pytest.mark.parametrize("path", PROGRAM_FILES, ids=lambda p: p.name)
def test_program_front_matter(path):
    meta, _ = _program(path)
    assert meta.id == path.stem, (
        f"{rel(path)}: campo id: {meta.id!r} debe ser igual al nombre del archivo {path.stem!r}"
    )


@pytest.mark.parametrize("path", PROGRAM_FILES, ids=lambda p: p.name)
def test_program_body(path):
    _, body = _program(path)
    assert body.strip(), (
        f"{rel(path)}: cuerpo: el documento no tiene texto después del front matter"
    )
    bad = unsourced_sections(body)
    assert not bad, (
        f"{rel(path)}: cuerpo: secciones '## ' sin una línea 'Fuente:' con URL https: {bad}"
    )


# ── URLs (also enforced by the schema; checked here on the raw files) ────────────────────


def _all_knowledge_docs() -> list[tuple[Path, Any]]:
    docs: list[tuple[Path, Any]] = []
    for path in (COURSES_FILE, PATHS_FILE, *USE_CASE_FILES):
        if path.is_file():
            docs.append((path, load_yaml(path)))
    for path in PROGRAM_FILES:
        docs.append((path, dict(frontmatter.loads(path.read_text(encoding="utf-8")).metadata)))
    return docs


def test_every_url_is_https():
    problems = [
        f"{rel(path)}: campo {loc}: URL mal formada o sin https: {url!r}"
        for path, data in _all_knowledge_docs()
        for loc, url in iter_urls(data)
        if url is not None and not (isinstance(url, str) and is_https_url(url))
    ]
    assert not problems, "\n".join(problems)


# ── self-tests: the checks above really fail on bad data ─────────────────────────────────

_GOOD_COURSE = {
    "id": "curso-de-prueba",
    "title": "Test course",
    "title_es": "Curso de prueba",
    "provider": "Proveedor",
    "url": "https://example.org/curso",
    "format": "digital self-paced",
    "level": "fundamental",
    "duration_hours": 1.5,
    "duration_note": None,
    "cost": "Gratis",
    "free": True,
    "languages": ["es"],
    "audience": ["owner"],
    "prerequisites": [],
    "topics": ["prueba"],
    "summary": "Un curso inventado solo para comprobar que la validación detecta errores.",
    "source": "Prueba unitaria",
    "verified_on": "2026-11-26",
    "review_by": "2027-05-26",
    "confidence": "alta",
}


def test_helper_accepts_good_record():
    catalog = validate_data(CourseCatalog, {"courses": [_GOOD_COURSE]}, "knowledge/x.yaml")
    assert catalog.courses[0].duration_hours == 1.5


def test_helper_names_file_and_field_on_broken_record():
    broken = dict(_GOOD_COURSE, duration_hours="6 h", url="http://example.org/curso")
    data = {"courses": [_GOOD_COURSE, broken]}
    with pytest.raises(KnowledgeError) as info:
        validate_data(CourseCatalog, data, KNOWLEDGE / "catalog" / "roto.yaml")
    msg = str(info.value)
    assert "knowledge/catalog/roto.yaml" in msg
    assert "courses[1].duration_hours" in msg
    assert "courses[1].url" in msg
    assert "id=curso-de-prueba" in msg


def test_helper_reports_extra_field():
    with pytest.raises(KnowledgeError, match=r"courses\[0\]\.duracion"):
        validate_data(CourseCatalog, {"courses": [dict(_GOOD_COURSE, duracion="6 h")]}, "x.yaml")


def test_helper_single_model():
    with pytest.raises(KnowledgeError, match=r"x\.yaml: .*campo summary"):
        validate_data(Course, dict(_GOOD_COURSE, summary="corto"), "x.yaml")


def test_cycle_detector():
    assert find_prerequisite_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    cycle = find_prerequisite_cycle({"a": ["b"], "b": ["c"], "c": ["a"]})
    assert cycle is not None and cycle[0] == cycle[-1] and set(cycle) == {"a", "b", "c"}
    assert find_prerequisite_cycle({"a": ["a"]}) == ["a", "a"]


def test_path_order_checker():
    prereqs = {"b": ["a"], "a": []}
    assert path_order_problems("ok", ["a", "b"], prereqs) == []
    assert path_order_problems("ok", ["b"], prereqs) == []  # prerequisite outside the path
    problems = path_order_problems("mal", ["b", "a"], prereqs)
    assert len(problems) == 1 and "'b'" in problems[0] and "'a'" in problems[0]


def test_section_source_checker():
    body = (
        "Intro sin sección.\n\n"
        "## Con fuente\nTexto.\nFuente: https://www.gob.mx/se (2025-08-06)\n\n"
        "### Subsección\nSigue dentro de la sección anterior.\n\n"
        "## Sin fuente\nTexto sin cita.\n\n"
        "## Fuente sin https\nFuente: http://inseguro.example\n\n"
        "## Fuente mal puesta\nVer https://example.org pero sin la palabra al inicio.\n"
    )
    assert unsourced_sections(body) == ["Sin fuente", "Fuente sin https", "Fuente mal puesta"]


def test_url_walker_finds_nested_urls():
    data = {"sources": [{"url": "http://x.org"}], "tools": [{"url": None}], "url": "https://y.org"}
    found = dict(iter_urls(data))
    assert found == {"sources[0].url": "http://x.org", "tools[0].url": None, "url": "https://y.org"}
    assert not is_https_url("http://x.org") and is_https_url("https://y.org")
