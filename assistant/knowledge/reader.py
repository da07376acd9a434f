"""The one reader of `knowledge/`: every file parsed and validated once, errors in Spanish.

Ingestion turns what this returns into Documents; the assistant keeps it in memory for the
recommender, the profile extractor and the curated answers. Nobody else opens these files.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args

import frontmatter
import yaml
from pydantic import BaseModel, ValidationError

from assistant.knowledge.models import (
    BusinessSize,
    Course,
    CourseCatalog,
    FaqEntry,
    FaqFile,
    LearningPath,
    PathCatalog,
    ProgramFrontMatter,
    SectorCatalog,
    SectorDef,
    UseCase,
)

# libyaml's safe loader when PyYAML was built with it (its wheels are): the same YAML, parsed
# about 10x faster, which is most of an ingest that finds nothing changed and of startup.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

STRUCTURED = {".yaml", ".yml", ".json"}
MARKDOWN = {".md", ".markdown"}
SUPPORTED = STRUCTURED | MARKDOWN | {".pdf", ".html", ".htm", ".txt"}

GENERAL_SECTOR = "general"  # the neutral path: ideas for any small business
MIN_IDEAS = 3  # ideas a first reply shows


class KnowledgeFileError(Exception):
    """A knowledge file that cannot be used; the message names the file and field in Spanish."""


@dataclass(frozen=True)
class Program:
    """A program document: validated front matter and its Markdown body."""

    meta: ProgramFrontMatter
    body: str


@dataclass(frozen=True)
class ParsedFile:
    """One file of `knowledge/` and what it holds (exactly one of the fields is set)."""

    rel: str
    courses: CourseCatalog | None = None
    paths: PathCatalog | None = None
    sectors: SectorCatalog | None = None
    faq: FaqFile | None = None
    program: Program | None = None
    text: str | None = None  # plain text of .md without front matter, .txt, .html or .pdf


@dataclass
class Knowledge:
    """Everything valid under `knowledge/`, by id, plus the files that failed."""

    courses: dict[str, Course] = field(default_factory=dict)
    paths: list[LearningPath] = field(default_factory=list)
    sectors: dict[str, SectorDef] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    faq: dict[str, FaqEntry] = field(default_factory=dict)
    files: list[ParsedFile] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    # The use cases that fit each (sector, size), sizes None included, built once when the
    # knowledge is read (see `index_ideas`): a turn looks them up instead of filtering again.
    # Unknown sectors are not keys: callers use the neutral GENERAL_SECTOR.
    ideas: dict[tuple[str, str | None], list[UseCase]] = field(default_factory=dict)


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
    """Id of the innermost record (a mapping with an `id`) on the way to `loc`."""
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


def describe(rel: str, data: Any, exc: ValidationError) -> str:
    """A pydantic error as lines naming the file, the field and the record id."""
    lines = [f"{rel}: {exc.error_count()} error(es) de esquema"]
    for err in exc.errors():
        rid = _record_id(data, err["loc"])
        where = f"campo {format_loc(err['loc'])}" + (f" (id={rid})" if rid else "")
        value = err.get("input")
        shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
        lines.append(f"  - {where}: {err['msg']} [valor: {shown[:120]}]")
    return "\n".join(lines)


def _validate(model: type[M], data: Any, rel: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeFileError(describe(rel, data, exc)) from None


def _structured(path: Path, rel: str) -> ParsedFile:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        raise KnowledgeFileError(f"{rel}: no es YAML válido: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise KnowledgeFileError(f"{rel}: esperaba un mapa con una clave de primer nivel")
    if "courses" in data:
        return ParsedFile(rel, courses=_validate(CourseCatalog, data, rel))
    if "paths" in data:
        return ParsedFile(rel, paths=_validate(PathCatalog, data, rel))
    if "sectors" in data:
        return ParsedFile(rel, sectors=_validate(SectorCatalog, data, rel))
    if "entries" in data:
        return ParsedFile(rel, faq=_validate(FaqFile, data, rel))
    raise KnowledgeFileError(
        f"{rel}: no reconozco el formato: esperaba 'courses', 'paths', 'sectors' o 'entries'"
    )


def _markdown(path: Path, rel: str) -> ParsedFile:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---"):
        return ParsedFile(rel, text=raw)
    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        msg = str(exc).splitlines()[0]
        raise KnowledgeFileError(f"{rel}: front matter ilegible: {msg}") from None
    meta = _validate(ProgramFrontMatter, dict(post.metadata), rel)
    if meta.id != path.stem:
        raise KnowledgeFileError(
            f"{rel}: campo id: {meta.id!r} debe ser igual al nombre del archivo {path.stem!r}"
        )
    if not post.content.strip():
        raise KnowledgeFileError(f"{rel}: el documento no tiene texto después del front matter")
    return ParsedFile(rel, program=Program(meta, post.content))


def _other(path: Path, rel: str, suffix: str) -> ParsedFile:
    if suffix == ".txt":
        return ParsedFile(rel, text=path.read_text(encoding="utf-8"))
    if suffix in {".html", ".htm"}:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["script", "style", "nav", "footer"]):
            tag.decompose()
        return ParsedFile(rel, text=soup.get_text("\n"))
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    return ParsedFile(rel, text="\n\n".join(pages))


def read_file(path: Path, root: Path) -> ParsedFile:
    """Parse and validate one file; raise KnowledgeFileError with a Spanish reason."""
    rel = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise KnowledgeFileError(f"{rel}: tipo de archivo no soportado: {suffix}")
    try:
        if suffix in STRUCTURED:
            return _structured(path, rel)
        if suffix in MARKDOWN:
            return _markdown(path, rel)
        return _other(path, rel, suffix)
    except KnowledgeFileError:
        raise
    except UnicodeDecodeError:
        raise KnowledgeFileError(f"{rel}: el archivo no está en UTF-8") from None
    except Exception as exc:  # pypdf and bs4 raise many types: report, never crash
        raise KnowledgeFileError(f"{rel}: no se pudo leer: {type(exc).__name__}: {exc}") from exc


def discover(root: Path) -> list[Path]:
    """Every readable file under root, in a stable order (READMEs are for people)."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED
        and p.name.lower() != "readme.md"
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def add(knowledge: Knowledge, parsed: ParsedFile) -> None:
    """Index one parsed file's entries by id."""
    knowledge.files.append(parsed)
    if parsed.courses:
        knowledge.courses.update((c.id, c) for c in parsed.courses.courses)
    if parsed.paths:
        knowledge.paths.extend(parsed.paths.paths)
    if parsed.sectors:
        knowledge.sectors.update((s.id, s) for s in parsed.sectors.sectors)
    if parsed.faq:
        knowledge.faq.update((e.id, e) for e in parsed.faq.entries)
    if parsed.program:
        knowledge.programs[parsed.program.meta.id] = parsed.program


def read_knowledge(root: Path) -> Knowledge:
    """Everything valid under root; a broken file is recorded in `errors` and skipped."""
    knowledge = Knowledge()
    for path in discover(root) if root.is_dir() else []:
        try:
            add(knowledge, read_file(path, root))
        except (KnowledgeFileError, OSError) as exc:
            rel = path.relative_to(root).as_posix()
            knowledge.errors[rel] = str(exc)
            log.warning("Se omitió %s", str(exc).splitlines()[0])
    index_ideas(knowledge)
    return knowledge


def index_ideas(knowledge: Knowledge) -> None:
    """Every sector's use cases that fit each business size; a sector with fewer than three
    ideas for a size is completed with the general ideas that fit it (a distributor of a
    hundred people learns nothing from the corner shop's notebook)."""
    general = knowledge.sectors.get(GENERAL_SECTOR)
    for own in knowledge.sectors.values():
        for size in (None, *get_args(BusinessSize)):
            ideas = [uc for uc in own.use_cases if uc.fits_size(size)]
            if len(ideas) < MIN_IDEAS and general is not None and own is not general:
                ideas += [uc for uc in general.use_cases if uc.fits_size(size)]
            knowledge.ideas[(own.id, size)] = ideas
