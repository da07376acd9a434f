"""Build the assistant and its clients once per process (app lifespan, CLI, notebook)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.knowledge.reader import read_knowledge
from assistant.embeddings import build_embeddings
from assistant.memory import build_session_store, ensure_writable_dir, needs_data_dir
from assistant.retrieval import HybridRetriever
from assistant.service import Assistant
from assistant.settings import Settings, get_settings
from assistant.store import build_vectorstore


def build_retriever(settings: Settings) -> HybridRetriever:
    """The hybrid retriever over the configured collection, keyword index loaded."""
    retriever = HybridRetriever(build_vectorstore(settings, build_embeddings(settings)))
    retriever.reload()
    return retriever


def build_composer(settings: Settings, on_event: Callable[[str, dict[str, Any]], None]) -> Any:
    """The LLM composer when `MIPYME_LLM=openai`, else None (offline)."""
    if settings.llm != "openai":
        return None
    from assistant.compose_llm import LLMComposer

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
    retriever = build_retriever(settings)
    embeddings = retriever.store.embeddings
    if hasattr(embeddings, "warm_up"):
        embeddings.warm_up()
    return Assistant(
        settings=settings,
        retriever=retriever,
        knowledge=read_knowledge(settings.knowledge_dir),
        memory=build_session_store(settings),
        composer=build_composer(settings, hook),
        on_event=hook,
    )
