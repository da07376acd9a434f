"""Ingestion benchmark: full-ingest throughput vs the raw embedder, and a no-change re-run.

Run from the repo root: `.venv/bin/python -m bench.ingest [--knowledge knowledge]` (loopback only, no network).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from assistant.retrieval.embeddings import local_embeddings
from assistant.retrieval.tokens import count_tokens
from assistant.settings import Settings
from ingest.loaders import discover, load_file
from ingest.pipeline import run_ingest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    args = parser.parse_args()
    root = args.knowledge.resolve()
    texts = [d.page_content for p in discover(root) for d in load_file(p, root)]
    tokens = sum(count_tokens(t) for t in texts)
    embedder = local_embeddings()
    embedder.warm_up()

    start = time.perf_counter()
    embedder.embed_documents(texts)
    raw_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, MIPYME_DATA_DIR=tmp, MIPYME_KNOWLEDGE_DIR=root)  # type: ignore[call-arg]
        start = time.perf_counter()
        report = run_ingest(settings)
        full_s = time.perf_counter() - start
        start = time.perf_counter()
        again = run_ingest(settings)
        rerun_s = time.perf_counter() - start

    chunks = report.chunks_embedded
    print(f"corpus: {len(texts)} chunks, {tokens} tokens (cl100k)")
    print(
        f"raw embedder:  {raw_s:7.2f} s  {len(texts) / raw_s:7.1f} chunks/s  {tokens / raw_s:8.0f} tokens/s"
    )
    print(
        f"full ingest:   {full_s:7.2f} s  {chunks / full_s:7.1f} chunks/s  {tokens / full_s:8.0f} tokens/s"
    )
    print(f"ratio ingest/raw throughput: {raw_s / full_s:.2f}  (target >= 0.80)")
    print(
        f"re-run, nothing changed: {rerun_s:.2f} s, {again.chunks_embedded} chunks embedded  (target < 2 s, 0)"
    )


if __name__ == "__main__":
    main()
