"""Turn files under `knowledge/` into LangChain Documents with the metadata retrieval needs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from langchain_core.documents import Document
from pydantic import ValidationError

from assistant.knowledge_models import (
    CourseCatalog,
    PathCatalog,
    ProgramFrontMatter,
    SectorFile,
)
from assistant.tokens import count_tokens
from ingest.chunking import sections, split_long, split_markdown

SUPPORTED = {".md", ".markdown", ".yaml", ".yml", ".json", ".pdf", ".html", ".htm", ".txt"}
_FUENTE = re.compile(r"^\s*Fuente:\s*(https?://\S+?)[\s,;]*(?:\((\d{4}-\d{2}-\d{2})\))?\s*$", re.M)


class LoadError(Exception):
    """A file that could not be read; the message names the reason in Spanish."""


def _join(values: list[str]) -> str:
    # Chroma metadata must be scalar; "|a|b|" lets us test membership with one substring.
    return "|" + "|".join(values) + "|" if values else ""


def _meta(rel: str, kind: str, doc_id: str, title: str, url: str, **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": rel,
        "kind": kind,
        "doc_id": doc_id,
        "title": title,
        "url": url,
        "published": "",
        "valid_as_of": "",
        "states": "",
        "sectors": "",
        "level": "",
    }
    meta.update({k: v for k, v in extra.items() if v is not None})
    return meta


def _validation_message(path: str, exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    return f"{path}: campo '{loc}': {first['msg']} ({exc.error_count()} error(es) en total)"


def _read_structured(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LoadError(f"no es YAML/JSON válido: {exc}".splitlines()[0]) from exc


def load_courses(data: Any, rel: str) -> list[Document]:
    catalog = CourseCatalog.model_validate(data)
    docs = []
    for c in catalog.courses:
        hours = f"{c.duration_hours:g} horas" if c.duration_hours else "duración no confirmada"
        text = (
            f"Curso: {c.title_es} ({c.title}). Proveedor: {c.provider}. Nivel: {c.level}. "
            f"Formato: {c.format}. Duración: {hours}. Costo: {c.cost}. "
            f"Idiomas: {', '.join(c.languages)}. Temas: {', '.join(c.topics)}.\n{c.summary}"
        )
        meta = _meta(
            rel, "course", c.id, c.title_es, c.url,
            # `verified` is when we checked the course, not a publication date.
            level=c.level, valid_as_of=c.verified_on.isoformat(),
        )
        docs.append(Document(page_content=text, metadata=meta, id=f"course:{c.id}"))
    return docs


def load_use_cases(data: Any, rel: str) -> list[Document]:
    sector_file = SectorFile.model_validate(data)
    sector = sector_file.sector
    first_source = sector_file.sources[0]
    docs = []
    for uc in sector_file.use_cases:
        tools = ", ".join(f"{t.name} ({t.cost})" for t in uc.tools)
        text = (
            f"Caso de uso de IA para {sector.name}: {uc.title}.\n"
            f"Problema: {uc.problem}\nQué hace la IA: {uc.what_ai_does}\n"
            f"Herramientas: {tools}.\nPrimer paso: {uc.first_step}"
        )
        url = next((t.url for t in uc.tools if t.url), None) or first_source.url
        meta = _meta(
            rel, "use_case", uc.id, uc.title, url,
            sectors=_join([sector.id]), published=first_source.date.isoformat(),
        )
        docs.append(Document(page_content=text, metadata=meta, id=f"use_case:{uc.id}"))
    return docs


def load_program(path: Path, rel: str, max_tokens: int) -> list[Document]:
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    fm = ProgramFrontMatter.model_validate(post.metadata)
    if fm.id != path.stem:
        raise LoadError(f"el id '{fm.id}' no coincide con el nombre del archivo '{path.stem}'")
    docs = []
    for heading, section in sections(post.content):
        # The section's first "Fuente:" line is what every piece of it cites; the lines
        # themselves are kept out of the embedded text, where they are only noise.
        cite = _FUENTE.search(section)
        url = cite.group(1) if cite else fm.sources[0].url
        published = cite.group(2) if cite and cite.group(2) else fm.published.isoformat()
        body = _FUENTE.sub("", section).strip()
        title = fm.title if not heading or heading == fm.title else f"{fm.title}: {heading}"
        for piece in split_long(body, max_tokens):
            if count_tokens(piece) < 5:
                continue
            meta = _meta(
                rel, "program", fm.id, title, url,
                published=published, valid_as_of=fm.valid_as_of.isoformat(),
                states=_join(fm.states), sectors=_join(fm.sectors), confidence=fm.confidence,
            )
            docs.append(Document(page_content=f"{title}\n{piece.strip()}", metadata=meta,
                                 id=f"program:{fm.id}#{len(docs)}"))
    return docs


def _plain(text: str, path: Path, rel: str, kind: str, max_tokens: int) -> list[Document]:
    docs = []
    for n, (heading, body) in enumerate(split_markdown(text, max_tokens)):
        title = heading or path.stem.replace("-", " ").replace("_", " ")
        meta = _meta(rel, kind, path.stem, title, "")
        docs.append(Document(page_content=body, metadata=meta, id=f"{kind}:{path.stem}#{n}"))
    return docs


def _kind_for(rel: str) -> str:
    top = rel.split("/", 1)[0]
    return {"catalog": "course", "use_cases": "use_case"}.get(top, "program")


def load_file(path: Path, root: Path, max_tokens: int = 350) -> list[Document]:
    """Documents of one file; raises LoadError with a Spanish reason."""
    rel = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    try:
        if suffix in {".yaml", ".yml", ".json"}:
            data = _read_structured(path)
            if isinstance(data, dict) and "courses" in data:
                return load_courses(data, rel)
            if isinstance(data, dict) and "paths" in data:
                PathCatalog.model_validate(data)  # validated, not indexed: the recommender reads it
                return []
            if isinstance(data, dict) and "use_cases" in data:
                return load_use_cases(data, rel)
            raise LoadError("no reconozco el formato: esperaba 'courses', 'paths' o 'use_cases'")
        if suffix in {".md", ".markdown"}:
            raw = path.read_text(encoding="utf-8")
            if raw.startswith("---"):
                return load_program(path, rel, max_tokens)
            return _plain(raw, path, rel, _kind_for(rel), max_tokens)
        if suffix == ".txt":
            return _plain(path.read_text(encoding="utf-8"), path, rel, _kind_for(rel), max_tokens)
        if suffix in {".html", ".htm"}:
            from bs4 import BeautifulSoup

            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for tag in soup(["script", "style", "nav", "footer"]):
                tag.decompose()
            return _plain(soup.get_text("\n"), path, rel, _kind_for(rel), max_tokens)
        if suffix == ".pdf":
            from pypdf import PdfReader

            pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
            return _plain("\n\n".join(pages), path, rel, _kind_for(rel), max_tokens)
    except ValidationError as exc:
        raise LoadError(_validation_message(rel, exc)) from exc
    except UnicodeDecodeError as exc:
        raise LoadError("el archivo no está en UTF-8") from exc
    except LoadError:
        raise
    except Exception as exc:  # pypdf, bs4 and yaml raise many types; report, don't crash
        raise LoadError(f"no se pudo leer: {type(exc).__name__}: {exc}") from exc
    raise LoadError(f"tipo de archivo no soportado: {suffix}")


def discover(root: Path) -> list[Path]:
    """Every indexable file under root, in a stable order (READMEs are for people)."""
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED
        and p.name.lower() != "readme.md" and not any(part.startswith(".") for part in p.parts)
    )
