"""Turn what `assistant.knowledge.reader` parsed into LangChain Documents for the index.

Parsing and validation live in the reader (shared with the assistant); this module only decides
what text each entry contributes and the metadata retrieval filters on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.knowledge.models import CourseCatalog, FaqFile, SectorCatalog
from assistant.knowledge.reader import KnowledgeFileError, ParsedFile, Program, discover, read_file
from assistant.retrieval.tokens import count_tokens
from ingest.chunking import sections, split_long, split_markdown

__all__ = ["LoadError", "discover", "load_file"]

LoadError = KnowledgeFileError
_FUENTE = re.compile(r"^\s*Fuente:\s*(https?://\S+?)[\s,;]*(?:\((\d{4}-\d{2}-\d{2})\))?\s*$", re.M)


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
        "review_by": "",
        "states": "",
        "sectors": "",
        "level": "",
    }
    meta.update({k: v for k, v in extra.items() if v is not None})
    return meta


def course_documents(catalog: CourseCatalog, rel: str) -> list[Document]:
    docs = []
    for c in catalog.courses:
        hours = f"{c.duration_hours:g} horas" if c.duration_hours else "duración no confirmada"
        languages = "en español" if "es" in c.languages else "solo en inglés"
        text = (
            f"Curso: {c.title_es} ({c.title}). Proveedor: {c.provider}. Nivel: {c.level}. "
            f"Formato: {c.format}. Duración: {hours}. Costo: {c.cost}. "
            f"Idiomas: {', '.join(c.languages)} ({languages}). Temas: {', '.join(c.topics)}."
            f"\n{c.summary}"
        )
        meta = _meta(
            rel, "course", c.id, c.title_es, c.url, level=c.level,
            valid_as_of=c.verified_on.isoformat(), review_by=c.review_by.isoformat(),
        )  # fmt: skip
        docs.append(Document(page_content=text, metadata=meta, id=f"course:{c.id}"))
    return docs


def sector_documents(catalog: SectorCatalog, rel: str) -> list[Document]:
    docs = []
    for sector in catalog.sectors:
        first_source = sector.sources[0]
        for uc in sector.use_cases:
            tools = ", ".join(f"{t.name} ({t.cost})" for t in uc.tools)
            # The sector's own words go in too, so "ideas de IA para mi tortillería" finds them.
            text = (
                f"Caso de uso de IA para {sector.name} ({', '.join(sector.aliases[:6])}): "
                f"{uc.title}.\nProblema: {uc.problem}\nQué hace la IA: {uc.what_ai_does}\n"
                f"Herramientas: {tools}.\nPrimer paso: {uc.first_step}"
            )
            url = next((t.url for t in uc.tools if t.url), None) or first_source.url
            meta = _meta(
                rel, "use_case", uc.id, uc.title, url, sectors=_join([sector.id]),
                published=first_source.date.isoformat(),
                valid_as_of=sector.verified_on.isoformat(), review_by=sector.review_by.isoformat(),
            )  # fmt: skip
            docs.append(Document(page_content=text, metadata=meta, id=f"use_case:{uc.id}"))
    return docs


def faq_documents(faq: FaqFile, rel: str) -> list[Document]:
    docs = []
    for e in faq.entries:
        # Paraphrases are how owners ask: they make the entry findable by keyword and meaning.
        text = f"Pregunta: {e.question}\n" + "\n".join(e.paraphrases) + f"\nRespuesta: {e.answer}"
        meta = _meta(
            rel, "faq", e.id, e.question, e.sources[0].url,
            published=e.sources[0].date.isoformat(), valid_as_of=e.verified_on.isoformat(),
            review_by=e.review_by.isoformat(), states=_join(e.states), sectors=_join(e.sectors),
            confidence=e.confidence,
        )  # fmt: skip
        docs.append(Document(page_content=text, metadata=meta, id=f"faq:{e.id}"))
    return docs


def program_documents(program: Program, rel: str, max_tokens: int) -> list[Document]:
    fm = program.meta
    docs: list[Document] = []
    for heading, section in sections(program.body):
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
                rel, "program", fm.id, title, url, published=published,
                valid_as_of=fm.verified_on.isoformat(), review_by=fm.review_by.isoformat(),
                states=_join(fm.states), sectors=_join(fm.sectors), confidence=fm.confidence,
            )  # fmt: skip
            docs.append(
                Document(
                    page_content=f"{title}\n{piece.strip()}",
                    metadata=meta,
                    id=f"program:{fm.id}#{len(docs)}",
                )
            )
    return docs


def _plain(text: str, rel: str, max_tokens: int) -> list[Document]:
    stem = Path(rel).stem
    top = rel.split("/", 1)[0]
    kind = {"catalog": "course", "faq": "faq"}.get(top, "program")
    docs = []
    for n, (heading, body) in enumerate(split_markdown(text, max_tokens)):
        title = heading or stem.replace("-", " ").replace("_", " ")
        meta = _meta(rel, kind, stem, title, "")
        docs.append(Document(page_content=body, metadata=meta, id=f"{kind}:{stem}#{n}"))
    return docs


def documents(parsed: ParsedFile, max_tokens: int = 350) -> list[Document]:
    """The Documents one parsed file contributes to the index (paths are read, not indexed)."""
    if parsed.courses:
        return course_documents(parsed.courses, parsed.rel)
    if parsed.sectors:
        return sector_documents(parsed.sectors, parsed.rel)
    if parsed.faq:
        return faq_documents(parsed.faq, parsed.rel)
    if parsed.program:
        return program_documents(parsed.program, parsed.rel, max_tokens)
    if parsed.text is not None:
        return _plain(parsed.text, parsed.rel, max_tokens)
    return []


def load_file(path: Path, root: Path, max_tokens: int = 350) -> list[Document]:
    """Documents of one file; raises LoadError (KnowledgeFileError) with a Spanish reason."""
    return documents(read_file(path, root), max_tokens)
