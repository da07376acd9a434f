"""The composition root: builds the assistant and its clients once per process.

Called by the app lifespan, the CLI and the notebook. It is the only module that picks
implementations (SQLite or Redis memory, offline or LLM composer, local or OpenAI embeddings),
so the ports never import their adapters and no package imports back up into this one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.errors import StorageError
from assistant.knowledge.reader import read_knowledge
from assistant.memory.port import SessionStore
from assistant.memory.redis_store import RedisSessionStore
from assistant.memory.sqlite_store import SqliteSessionStore
from assistant.retrieval.embeddings import build_embeddings, embedder_id
from assistant.retrieval.generations import LiveIndex
from assistant.retrieval.hybrid import HybridRetriever
from assistant.service import Assistant
from assistant.settings import Settings, get_settings
from assistant.understanding.sectors import SectorMeaning


def ensure_writable_dir(path: Path) -> None:
    """Create `path` if needed and prove we can write data there, or raise StorageError."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path) as probe:
            # Creating an empty file needs no free blocks: write and sync a page to find a
            # full disk now, at startup, instead of at the first user's turn.
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageError(
                f"No hay espacio libre en el disco de la carpeta de datos «{path}». Libera "
                "espacio o cambia MIPYME_DATA_DIR."
            ) from exc
        raise StorageError(
            f"No podemos escribir en la carpeta de datos «{path}». Revisa que exista, que "
            "tenga permiso de escritura y espacio libre, o cambia MIPYME_DATA_DIR."
        ) from exc


def needs_data_dir(settings: Settings) -> bool:
    """Whether serving writes under MIPYME_DATA_DIR (embedded Chroma, or SQLite sessions)."""
    return not (settings.chroma_host and settings.redis_url)


def build_session_store(settings: Settings) -> SessionStore:
    """Redis when `REDIS_URL` is set, otherwise SQLite in the data directory."""
    if settings.redis_url:
        return RedisSessionStore(settings.redis_url, settings.redis_prefix, settings.history_tokens)
    ensure_writable_dir(settings.data_dir)
    return SqliteSessionStore(settings.sqlite_path, settings.history_tokens)


def build_retriever(settings: Settings) -> HybridRetriever:
    """The hybrid retriever over the live index generation, keyword index loaded."""
    return LiveIndex(settings, build_embeddings(settings)).open()


def build_composer(settings: Settings, on_event: Callable[[str, dict[str, Any]], None]) -> Any:
    """The LLM composer when `MIPYME_LLM=openai`, else None (offline)."""
    if settings.llm != "openai":
        return None
    from assistant.composition.llm import LLMComposer

    return LLMComposer.from_settings(settings, on_event=on_event)


def build_assistant(
    settings: Settings | None = None,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
) -> Assistant:
    """A ready assistant: embeddings warmed up, keyword index built, memory connected."""
    settings = settings or get_settings()
    if needs_data_dir(settings):
        # Fail with the directory's name, not as an opaque Chroma or SQLite error later on.
        ensure_writable_dir(settings.data_dir)
    hook = on_event or (lambda *_: None)
    # The live generation; the assistant follows the pointer when an ingest switches it.
    index = LiveIndex(settings, build_embeddings(settings))
    retriever = index.open()
    embeddings = retriever.embeddings
    if hasattr(embeddings, "warm_up"):
        embeddings.warm_up()
    knowledge = read_knowledge(settings.knowledge_dir)
    # Sector descriptions embedded once and stored in the data dir (tens of seconds the first
    # time on a small CPU, milliseconds after), with the same embedder as the index.
    meaning = SectorMeaning(
        list(knowledge.sectors.values()),
        embeddings,
        settings.data_dir,
        embedder_id(settings, embeddings)[0],
    )
    meaning.warm_up()
    return Assistant(
        meaning=meaning,
        settings=settings,
        retriever=retriever,
        knowledge=knowledge,
        memory=build_session_store(settings),
        composer=build_composer(settings, hook),
        on_event=hook,
        index=index,
    )
