"""Hybrid retrieval: dense (Chroma's vectors) plus Spanish BM25 (bm25s), fused by reciprocal rank.

`HybridRetriever` is a LangChain `BaseRetriever`, so staff notebooks and other chains can use it
as a Runnable (`retriever.invoke("curso gratis de IA")`); the assistant calls `search`, which
returns `SearchHit`s with the fused score and the dense similarity as typed fields.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from langchain_chroma import Chroma
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from assistant.errors import KnowledgeUnavailable
from assistant.limits import MAX_QUERY_CHARS
from assistant.schemas import SearchHit
from assistant.understanding.text import (
    EMBED_UNITS,
    GLOSSARY_UNITS,
    KEYWORD_TOKENS,
    clip,
    clip_units,
    expand,
    keyword_tokens,
)

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60


@dataclass(frozen=True)
class Filters:
    """Metadata filters; list-valued metadata (states, sectors) is stored as '|a|b|'."""

    kind: str | None = None
    level: str | None = None
    state: str | None = None
    sector: str | None = None

    def where(self) -> dict[str, Any] | None:
        clauses = [
            {key: value} for key, value in (("kind", self.kind), ("level", self.level)) if value
        ]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, meta: dict[str, Any]) -> bool:
        if self.kind and meta.get("kind") != self.kind:
            return False
        if self.level and meta.get("level") != self.level:
            return False
        if self.state and f"|{self.state}|" not in (meta.get("states") or ""):
            return False
        return not (self.sector and f"|{self.sector}|" not in (meta.get("sectors") or ""))


@dataclass
class _Corpus:
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metas: list[dict[str, Any]] = field(default_factory=list)
    bm25: Any = None
    # The chunks' vectors as unit rows (float32), read with the texts: the dense ranking is one
    # product in memory, exact, instead of a Chroma query per kind (~6 ms each, most of it
    # reading documents and metadata back). None when the store gave no vectors.
    vectors: np.ndarray | None = None
    kinds: np.ndarray | None = None  # metadata "kind" and "level" per row, for `Filters.where`
    levels: np.ndarray | None = None
    rows: dict[str, int] = field(default_factory=dict)  # chunk id -> its row

    def allowed(self, filters: Filters) -> np.ndarray | None:
        """Rows the store-side filter (kind, level) keeps; None for all of them."""
        if self.kinds is None or self.levels is None:
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        if filters.kind:
            mask &= self.kinds == filters.kind
        if filters.level:
            mask &= self.levels == filters.level
        return None if mask.all() else np.flatnonzero(mask)


def _unit_rows(vectors: Any) -> np.ndarray | None:
    """Rows scaled to length 1 (cosine similarity is then a dot product), or None."""
    if vectors is None or len(vectors) == 0:
        return None
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0).astype(np.float32)


def _snippet(text: str, limit: int = 220) -> str:
    body = text.split("\n", 1)[1] if "\n" in text else text
    # Citation lines are metadata for us, noise for the reader.
    body = " ".join(ln for ln in body.splitlines() if not ln.strip().startswith("Fuente:"))
    body = " ".join(body.split())
    return clip(body, limit)


class HybridRetriever(BaseRetriever):
    """Searches one Chroma collection; the keyword index is rebuilt from it on `reload`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Chroma
    candidates: int = 40
    # What `invoke` uses; `search` takes them per call.
    k: int = 5
    filters: Filters = Filters()
    mode: Mode = "hybrid"

    _corpus: _Corpus = PrivateAttr(default_factory=lambda: _Corpus())
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _vectors: dict[str, list[float]] = PrivateAttr(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self._corpus.ids)

    @property
    def embeddings(self) -> Embeddings:
        """The embedder of the collection's vectors."""
        embeddings = self.store.embeddings
        if embeddings is None:
            raise KnowledgeUnavailable()
        return embeddings

    def ping(self) -> None:
        """Raise KnowledgeUnavailable when the collection can't be read."""
        try:
            self.store.get(limit=1, include=[])
        except Exception as exc:
            raise KnowledgeUnavailable() from exc

    def reload(self) -> None:
        """Read every chunk back from Chroma and rebuild BM25 over it."""
        import bm25s

        # bm25s forces its logger to DEBUG at import, which floods every entry point.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        try:
            data = self.store.get(include=["documents", "metadatas", "embeddings"])
        except Exception as exc:
            raise KnowledgeUnavailable() from exc
        corpus = _Corpus(list(data["ids"]), list(data["documents"]), list(data["metadatas"]))
        corpus.rows = {cid: i for i, cid in enumerate(corpus.ids)}
        corpus.vectors = _unit_rows(data.get("embeddings"))
        if corpus.vectors is not None and len(corpus.vectors) == len(corpus.ids):
            corpus.kinds = np.array([m.get("kind") for m in corpus.metas], dtype=object)
            corpus.levels = np.array([m.get("level") for m in corpus.metas], dtype=object)
        else:
            corpus.vectors = None
        if corpus.ids:
            corpus.bm25 = bm25s.BM25()
            corpus.bm25.index([keyword_tokens(t) for t in corpus.texts], show_progress=False)
        with self._lock:
            self._corpus = corpus

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        """The Runnable face: top `k` chunks as Documents, their fused score in metadata."""
        return [
            Document(
                page_content=hit.text, metadata={**hit.metadata, "score": hit.score}, id=hit.id
            )
            for hit in self.search(query, k=self.k, filters=self.filters, mode=self.mode)
        ]

    def search(
        self, query: str, k: int = 5, filters: Filters | None = None, mode: Mode = "hybrid"
    ) -> list[SearchHit]:
        """Top-k chunks for query; scores are fused RRF scores (or raw scores in one mode)."""
        corpus = self._corpus
        hits = []
        for i, score, dense in self._ranked(corpus, query, k, filters or Filters(), mode):
            meta = corpus.metas[i]
            hits.append(
                SearchHit(
                    id=meta.get("chunk_id") or corpus.ids[i],
                    kind=meta.get("kind", ""),
                    title=meta.get("title", ""),
                    url=meta.get("url", ""),
                    score=round(score, 5),
                    dense=dense,
                    snippet=_snippet(corpus.texts[i]),
                    doc_id=meta.get("doc_id", ""),
                    text=corpus.texts[i],
                    metadata=dict(meta),
                )
            )
        return hits

    def dense_by_document(self, query: str, k: int, filters: Filters) -> dict[str, float]:
        """Of the top-k hybrid hits (what `search` returns), the best dense similarity per
        document id: what a ranking by meaning of whole entries needs, without building the
        hits (their snippets and metadata were most of a search's time)."""
        corpus = self._corpus
        out: dict[str, float] = {}
        for i, _, dense in self._ranked(corpus, query, k, filters, "hybrid"):
            if dense is not None:
                doc_id = corpus.metas[i].get("doc_id", "")
                out[doc_id] = max(out.get(doc_id, 0.0), dense)
        return out

    def _ranked(
        self, corpus: _Corpus, query: str, k: int, filters: Filters, mode: Mode
    ) -> list[tuple[int, float, float | None]]:
        """The top-k chunks as (row in the corpus, score, dense similarity or None)."""
        if not corpus.ids:
            return []
        # Bound the work per query whatever the script (the budget in understanding/text.py).
        expanded = expand(clip_units(query, EMBED_UNITS))
        rankings: list[list[tuple[str, float]]] = []
        if mode in ("hybrid", "dense"):
            rankings.append(self._dense(corpus, expanded, filters))
        if mode in ("hybrid", "bm25"):
            rankings.append(self._keyword(corpus, expanded, filters))
        if mode == "hybrid":
            fused: dict[str, float] = {}
            for ranking in rankings:
                for rank, (chunk_id, _) in enumerate(ranking):
                    fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            ordered = sorted(fused.items(), key=lambda kv: kv[1], reverse=True)
        else:
            ordered = rankings[0]
        dense_scores = dict(rankings[0]) if mode != "bm25" else {}
        out = []
        for chunk_id, score in ordered[:k]:
            i = corpus.rows.get(chunk_id)
            if i is not None:
                out.append((i, score, dense_scores.get(chunk_id)))
        return out

    def _embed(self, query: str) -> list[float]:
        """Query vectors, memoised: recommendation queries repeat across users and turns.

        Only the first MAX_QUERY_CHARS go to the embedder: its cost grows with the text (a
        4,000-character message took seconds of CPU, holding the model's lock).
        """
        query = clip_units(query[:MAX_QUERY_CHARS], EMBED_UNITS + GLOSSARY_UNITS)
        vector = self._vectors.get(query)
        if vector is None:
            vector = self.embeddings.embed_query(query)
            if len(self._vectors) >= 2048:
                self._vectors.pop(next(iter(self._vectors)))
            self._vectors[query] = vector
        return vector

    def _dense(self, corpus: _Corpus, query: str, filters: Filters) -> list[tuple[str, float]]:
        try:
            vector = self._embed(query)
            if corpus.vectors is not None:
                return self._dense_in_memory(corpus, vector, filters)
            found = self.store.similarity_search_by_vector_with_relevance_scores(
                vector, k=min(self.candidates, max(self.size, 1)), filter=filters.where()
            )
        except KnowledgeUnavailable:
            raise
        except Exception as exc:
            raise KnowledgeUnavailable() from exc
        # Chroma returns cosine distances here; we rank by similarity.
        return [
            (str(doc.id), 1.0 - float(distance))
            for doc, distance in found
            if filters.accepts(doc.metadata)
        ]

    def _dense_in_memory(
        self, corpus: _Corpus, vector: list[float], filters: Filters
    ) -> list[tuple[str, float]]:
        """The `candidates` rows closest to the vector among those the filter's kind and level
        keep (what Chroma's filtered query returns, exactly: no approximate graph walk)."""
        assert corpus.vectors is not None
        query = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(query))
        if norm > 0:
            query = query / np.float32(norm)
        rows = corpus.allowed(filters)
        similarity = corpus.vectors @ query if rows is None else corpus.vectors[rows] @ query
        # As Chroma reports it: a float32 cosine distance, turned into a similarity.
        distance = np.float32(1.0) - similarity
        order = np.argsort(distance, kind="stable")[: min(self.candidates, max(self.size, 1))]
        out: list[tuple[str, float]] = []
        for j in order:
            i = int(j) if rows is None else int(rows[j])
            if filters.accepts(corpus.metas[i]):
                out.append((corpus.ids[i], 1.0 - float(distance[j])))
        return out

    def _keyword(self, corpus: _Corpus, query: str, filters: Filters) -> list[tuple[str, float]]:
        tokens = keyword_tokens(query)[:KEYWORD_TOKENS]
        if not tokens or corpus.bm25 is None:
            return []
        scores = np.asarray(corpus.bm25.get_scores(tokens))
        order = np.argsort(-scores)
        out: list[tuple[str, float]] = []
        for i in order:
            if scores[i] <= 0 or len(out) >= self.candidates:
                break
            if filters.accepts(corpus.metas[i]):
                out.append((corpus.ids[i], float(scores[i])))
        return out
