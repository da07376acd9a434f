"""Retrieval metrics (hit@1, hit@5, MRR) for hybrid, dense-only and BM25-only search."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from assistant.retrieval.hybrid import HybridRetriever, Mode

MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")


class RetrievalQuestion(BaseModel):
    q: str = Field(min_length=3)
    expected: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)


class RetrievalSet(BaseModel):
    questions: list[RetrievalQuestion] = Field(min_length=1)


class RetrievalMetrics(BaseModel):
    mode: str
    n: int
    hit_at_1: float
    hit_at_5: float
    mrr: float
    misses: list[str] = Field(default_factory=list)


def load_set(path: Path) -> RetrievalSet:
    return RetrievalSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def rank_of(doc_ids: list[str], expected: list[str]) -> int | None:
    """1-based rank of the first expected document among unique retrieved documents."""
    unique = list(dict.fromkeys(doc_ids))
    for i, doc in enumerate(unique, 1):
        if doc in expected:
            return i
    return None


def evaluate(
    retriever: HybridRetriever, questions: list[RetrievalQuestion], depth: int = 10
) -> list[RetrievalMetrics]:
    """One row per mode."""
    rows = []
    for mode in MODES:
        ranks: list[int | None] = []
        misses = []
        for question in questions:
            hits = retriever.search(question.q, k=depth, mode=mode)
            rank = rank_of([h.doc_id for h in hits], question.expected)
            ranks.append(rank)
            if rank is None or rank > 5:
                misses.append(question.q)
        n = len(ranks)
        rows.append(
            RetrievalMetrics(
                mode=mode,
                n=n,
                hit_at_1=round(sum(1 for r in ranks if r == 1) / n, 3),
                hit_at_5=round(sum(1 for r in ranks if r is not None and r <= 5) / n, 3),
                mrr=round(sum(1.0 / r for r in ranks if r) / n, 3),
                misses=misses,
            )
        )
    return rows
