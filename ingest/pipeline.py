"""Incremental ingestion: knowledge/ -> chunks -> Chroma, tracked by a SQLite record manager.

Serving never reads what an ingest writes (assistant/retrieval/generations.py): each run builds
generation N+1 beside the live generation N. It copies N's chunks, vectors included, and rebuilds
their record-manager rows in N+1's namespace (nothing is embedded again), then indexes each source
file into N+1 with its own `index()` call and `cleanup="incremental"`, so:
- unchanged chunks are skipped (same content hash), changed ones re-embedded, stale ones removed;
- a file that fails to load keeps its previous chunks (a typo never empties the index);
- a run killed or failing at any point never switches the pointer: serving stays on N, and the
  next run deletes the half-built generation and starts again from N.
Sources whose files disappeared are removed explicitly at the end. Only then is the pointer
switched (atomically) to N+1; N is kept for the processes that have not looked yet, until the
next run starts. The pointer also records a hash of every chunk it was built from: a run that
loads exactly the same chunks keeps N and reports every source unchanged (no copy, no switch).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from langchain_chroma import Chroma
from langchain_classic.indexes import SQLRecordManager
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.indexing import index
from pydantic import BaseModel, Field

from assistant.errors import KnowledgeUnavailable, StorageError
from assistant.knowledge.reader import KnowledgeFileError, read_file
from assistant.retrieval.embeddings import build_embeddings, embedder_id
from assistant.retrieval.generations import (
    Generation,
    generation_name,
    generation_number,
    live_generation,
    pointer_for,
)
from assistant.retrieval.store import build_vectorstore, chroma_client, collection_name
from assistant.retrieval.tokens import count_tokens
from assistant.settings import Settings
from assistant.understanding.sectors import SectorMeaning
from ingest.loaders import LoadError, discover, load_file

# Chunks per request when copying a generation (Chroma also has its own maximum).
_COPY_BATCH = 500

Status = Literal["added", "updated", "unchanged", "deleted", "failed"]


class SourceChange(BaseModel):
    source: str
    status: Status
    chunks_added: int = 0
    chunks_deleted: int = 0
    chunks_unchanged: int = 0
    error: str | None = None


class IngestReport(BaseModel):
    collection: str
    knowledge_dir: str
    # The generation this run built (and switched to, unless nothing could be indexed).
    generation: int = 0
    chunks_copied: int = 0
    sources: list[SourceChange] = Field(default_factory=list)
    chunks_embedded: int = 0
    tokens_embedded: int = 0
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for s in self.sources if s.status == status)

    @property
    def failed(self) -> list[SourceChange]:
        return [s for s in self.sources if s.status == "failed"]

    @property
    def indexed_anything(self) -> bool:
        return any(s.status in ("added", "updated", "unchanged") for s in self.sources)


@contextmanager
def _ingest_lock(settings: Settings) -> Iterator[None]:
    """One ingestion at a time per data dir (CLI and the admin endpoint may race)."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        handle = (settings.data_dir / "ingest.lock").open("w")
    except OSError as exc:
        raise StorageError(
            f"No se puede escribir en el directorio de datos {settings.data_dir}: {exc.strerror}."
        ) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _record_manager(settings: Settings, namespace: str) -> SQLRecordManager:
    manager = SQLRecordManager(namespace, db_url=settings.record_manager_url)
    manager.create_schema()
    return manager


def run_ingest(
    settings: Settings, knowledge_dir: Path | None = None, progress: bool = False
) -> IngestReport:
    """Bring the index in line with knowledge_dir and report what changed, per source."""
    root = (knowledge_dir or settings.knowledge_dir).resolve()
    if not root.is_dir():
        raise KnowledgeUnavailable(f"No existe la carpeta de conocimiento: {root}")
    started = time.perf_counter()
    with _ingest_lock(settings):
        embeddings = build_embeddings(settings)
        client = chroma_client(settings)
        name = collection_name(*embedder_id(settings, embeddings))
        pointer = pointer_for(settings, client, name)
        live = live_generation(pointer, name)
        files = discover(root)
        loaded = {path.relative_to(root).as_posix(): _load(path, root) for path in files}
        fingerprint = _fingerprint(root, loaded)
        if fingerprint and fingerprint == live.fingerprint and _has_chunks(client, live):
            # Nothing changed since the live generation was built: keep it (no copy, no switch).
            report = _unchanged_report(name, root, live, loaded)
            _drop_generations(settings, client, name, keep=lambda n: n <= live.number)
            _store_sector_vectors(settings, root, embeddings)
            report.seconds = round(time.perf_counter() - started, 3)
            return report
        # Above the live generation: builds that died, never served. Below: the one it replaced
        # at the last run, which every process has left since (each looks before every turn).
        # So the disk holds two generations at most, during a build too.
        _drop_generations(settings, client, name, keep=lambda n: n == live.number)
        new = Generation(
            live.number + 1,
            generation_name(name, live.number + 1),
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            fingerprint=fingerprint,
        )
        store = build_vectorstore(settings, embeddings, client=client, name=new.collection)
        manager = _record_manager(settings, new.namespace)
        report = IngestReport(collection=name, knowledge_dir=str(root), generation=new.number)
        report.chunks_copied = _copy_generation(client, live, new, manager)
        items = list(loaded.items())
        iterator: Any = items
        if progress:
            from tqdm import tqdm

            iterator = tqdm(items, desc="Indexando", unit="archivo")
        for rel, docs in iterator:
            report.sources.append(_index_source(docs, rel, store, manager, report))
        # A folder where nothing loads (wrong path, every file broken) must not empty the index.
        if report.indexed_anything:
            report.sources.extend(_delete_missing(set(loaded), store, manager))
        # Before the switch: the processes that move to the new generation find them ready.
        _store_sector_vectors(settings, root, embeddings)
        if report.indexed_anything:
            pointer.write(new)
            # Keep the one just replaced: processes that have not looked yet still read it.
            _drop_generations(settings, client, name, keep=lambda n: n >= live.number)
        else:
            report.generation = live.number
            _drop_generations(settings, client, name, keep=lambda n: n <= live.number)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _drop_generations(
    settings: Settings, client: Any, base: str, keep: Callable[[int], bool]
) -> None:
    """Delete the collections and record-manager rows of `base`'s generations not kept."""
    names = {str(getattr(c, "name", c)) for c in client.list_collections()}
    for name in sorted(names):
        number = generation_number(base, name)
        if number is None or keep(number):
            continue
        client.delete_collection(name)
        manager = _record_manager(settings, Generation(number, name).namespace)
        keys = manager.list_keys()
        if keys:
            manager.delete_keys(keys)


def _copy_generation(
    client: Any, source: Generation, target: Generation, manager: SQLRecordManager
) -> int:
    """Copy `source`'s chunks into `target` as they are (ids, vectors, texts, metadata), and
    write their record-manager rows in `target`'s namespace; returns how many were copied.

    The rows are rebuilt from the chunks themselves (`index()` uses the record key as the Chroma
    id and the `source` metadata as the group), so they match the copied vectors exactly.
    """
    from chromadb.errors import NotFoundError

    stale = manager.list_keys()
    if stale:  # rows of an earlier build of this generation that died
        manager.delete_keys(stale)
    try:
        old = client.get_collection(source.collection)
    except NotFoundError:
        return 0  # deleted by hand: this generation starts empty and embeds everything
    new = client.get_collection(target.collection)
    batch = min(_COPY_BATCH, int(client.get_max_batch_size()))
    copied = offset = 0
    while True:
        got = old.get(include=["embeddings", "documents", "metadatas"], limit=batch, offset=offset)
        if not got["ids"]:
            break
        offset += len(got["ids"])
        rows = [
            (cid, vector, text, meta)
            for cid, vector, text, meta in zip(
                got["ids"], got["embeddings"], got["documents"], got["metadatas"], strict=True
            )
            if meta and meta.get("source")
        ]
        if not rows:
            continue
        ids, vectors, texts, metas = (list(column) for column in zip(*rows, strict=True))
        new.add(ids=ids, embeddings=vectors, documents=texts, metadatas=metas)
        manager.update(ids, group_ids=[str(m["source"]) for m in metas])
        copied += len(ids)
    # index() deletes a group's rows older than its own start: the copied rows must be older.
    last = manager.get_time()
    while manager.get_time() <= last:
        time.sleep(0.005)
    return copied


def _store_sector_vectors(settings: Settings, root: Path, embeddings: Embeddings) -> None:
    """The sectors' descriptions as vectors in the data dir (understanding/sectors.py), so the
    first start after an ingest does not spend tens of seconds embedding them."""
    path = root / "sectors.yaml"
    if not path.exists():
        return
    try:
        parsed = read_file(path, root)
    except KnowledgeFileError:
        return  # reported with the other files; the assistant embeds them at start if it can
    if parsed.sectors is not None:
        model = embedder_id(settings, embeddings)[0]
        SectorMeaning(parsed.sectors.sectors, embeddings, settings.data_dir, model).warm_up()


def _load(path: Path, root: Path) -> list[Document] | LoadError:
    """A file's chunks, or why it could not be loaded (reported as that source's failure)."""
    try:
        return load_file(path, root)
    except LoadError as exc:
        return exc


def _fingerprint(root: Path, loaded: dict[str, list[Document] | LoadError]) -> str:
    """A hash of every file's bytes and every chunk's text and metadata; "" when a file failed
    (a failed file must be reported, and keeps its previous chunks, so that run always builds).

    The bytes count too: serving processes also read knowledge/ itself (sector descriptions,
    aliases, curated answers' sources), and only a new generation tells every worker to reload.
    """
    digest = hashlib.sha256()
    for rel in sorted(loaded):
        docs = loaded[rel]
        if isinstance(docs, LoadError):
            return ""
        digest.update(rel.encode("utf-8") + b"\0")
        try:
            digest.update(hashlib.sha256((root / rel).read_bytes()).digest())
        except OSError:
            return ""
        for doc in docs:
            meta = json.dumps(doc.metadata, sort_keys=True, ensure_ascii=False, default=str)
            digest.update(f"{doc.id}\0{doc.page_content}\0{meta}\0".encode())
    return digest.hexdigest()


def _has_chunks(client: Any, generation: Generation) -> bool:
    try:
        return int(client.get_collection(generation.collection).count()) > 0
    except Exception:  # missing or unreadable: build a new generation
        return False


def _unchanged_report(
    name: str, root: Path, live: Generation, loaded: dict[str, list[Document] | LoadError]
) -> IngestReport:
    report = IngestReport(collection=name, knowledge_dir=str(root), generation=live.number)
    for rel, docs in loaded.items():
        count = 0 if isinstance(docs, LoadError) else len(docs)
        report.sources.append(SourceChange(source=rel, status="unchanged", chunks_unchanged=count))
    return report


def _index_source(
    docs: list[Document] | LoadError,
    rel: str,
    store: Chroma,
    manager: SQLRecordManager,
    report: IngestReport,
) -> SourceChange:
    if isinstance(docs, LoadError):
        return SourceChange(source=rel, status="failed", error=str(docs))
    for doc in docs:
        doc.metadata["chunk_id"] = doc.id
    existed = bool(manager.list_keys(group_ids=[rel], limit=1))
    if not docs and not existed:
        return SourceChange(source=rel, status="unchanged")
    result = index(
        docs,
        manager,
        store,
        cleanup="incremental",
        source_id_key="source",
        key_encoder="sha256",
        # One batch per file: with incremental cleanup, each batch deletes its source's rows it
        # did not touch, so a file split over two batches re-embedded its second part every run.
        batch_size=max(len(docs), 1),
    )
    if result["num_added"]:
        # index() does not say which chunks it embedded; when a file changes, most do.
        report.chunks_embedded += result["num_added"]
        share = result["num_added"] / len(docs)
        report.tokens_embedded += round(share * sum(count_tokens(d.page_content) for d in docs))
    if not existed:
        status: Status = "added"
    elif result["num_added"] or result["num_deleted"]:
        status = "updated"
    else:
        status = "unchanged"
    return SourceChange(
        source=rel,
        status=status,
        chunks_added=result["num_added"],
        chunks_deleted=result["num_deleted"],
        chunks_unchanged=result["num_skipped"],
    )


def _delete_missing(seen: set[str], store: Chroma, manager: SQLRecordManager) -> list[SourceChange]:
    """Remove the chunks of sources whose files are gone."""
    changes = []
    known = _all_groups(store)
    for source in sorted(known - seen):
        keys = manager.list_keys(group_ids=[source])
        if keys:
            store.delete(keys)
            manager.delete_keys(keys)
        changes.append(SourceChange(source=source, status="deleted", chunks_deleted=len(keys)))
    return changes


def _all_groups(store: Chroma) -> set[str]:
    """Every source file that has chunks in the collection."""
    metadatas = store.get(include=["metadatas"])["metadatas"]
    return {str(meta["source"]) for meta in metadatas if meta and meta.get("source")}
