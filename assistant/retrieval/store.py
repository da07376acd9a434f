"""The Chroma vector store: embedded under MIPYME_DATA_DIR, or a server when CHROMA_HOST is set."""

from __future__ import annotations

import re
from typing import Any

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from assistant.errors import KnowledgeUnavailable
from assistant.retrieval.embeddings import embedder_id
from assistant.settings import Settings


def collection_name(model: str, dim: int) -> str:
    """Encodes embedder and dimension so vectors of two models can never mix."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", model).strip("-.")
    return f"mipyme-{slug}-{dim}"


def chroma_client(settings: Settings) -> Any:
    """A Chroma client; telemetry off because nothing may touch the network by default."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except Exception as exc:  # chromadb raises ValueError, ConnectionError, OSError…
        raise KnowledgeUnavailable() from exc


def build_vectorstore(
    settings: Settings,
    embeddings: Embeddings,
    client: Any = None,
    name: str | None = None,
    create: bool = True,
) -> Chroma:
    """LangChain's Chroma over our collection (or the generation `name` of it); never Chroma's
    default embedding function. With `create=False` a missing collection is an error, not a new
    empty one (a generation that vanished must show, not serve nothing)."""
    model, dim = embedder_id(settings, embeddings)
    try:
        return Chroma(
            collection_name=name or collection_name(model, dim),
            embedding_function=embeddings,
            client=client or chroma_client(settings),
            collection_metadata={"hnsw:space": "cosine", "embedder": model, "dimension": dim},
            create_collection_if_not_exists=create,
        )
    except KnowledgeUnavailable:
        raise
    except Exception as exc:
        raise KnowledgeUnavailable() from exc
