"""Index generations: which Chroma collection is live, and when a serving process must move.

Each ingest builds a new generation beside the live one: its own collection
(`<collection_name>-g<N>`) and its own record-manager namespace (`chroma/<collection>`). When the
build is complete, one small pointer is switched atomically:

- embedded Chroma: `MIPYME_DATA_DIR/index/<collection_name>.json`, written to a temporary file,
  fsynced and `os.replace`d (readers see the old pointer or the new one, never half of one);
- Chroma server (`CHROMA_HOST`): the metadata of an empty collection `<collection_name>-current`
  on that server, changed in one call, so replicas on other machines see it too.

A data dir from before generations (one collection named `<collection_name>`, no pointer) is
generation 0. Serving processes never read a collection that is being written: they read the
live one, look at the pointer at most once per `LiveIndex.interval` (one `os.stat`, or one
request to the Chroma server) and, when it moved, open the new generation beside the old one and
swap (see `Assistant.refresh`). The ingest keeps the previous generation, so a process that has
not looked yet still reads a complete index; older ones are deleted.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings

from assistant.errors import KnowledgeUnavailable
from assistant.retrieval.embeddings import embedder_id
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.store import build_vectorstore, chroma_client, collection_name
from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Generation:
    """One complete index: a Chroma collection and the record-manager rows that describe it."""

    number: int
    collection: str
    built_at: str = ""
    # A hash of every chunk the build indexed (ingest/pipeline.py): a run that finds the same
    # knowledge keeps this generation instead of copying it into a new one.
    fingerprint: str = ""

    @property
    def namespace(self) -> str:
        """The record manager's namespace for this generation's chunks."""
        return f"chroma/{self.collection}"

    def same_as(self, other: Generation | None) -> bool:
        return other is not None and (self.number, self.collection) == (
            other.number,
            other.collection,
        )


def generation_name(base: str, number: int) -> str:
    """The collection of generation `number` (0 is the collection from before generations)."""
    return base if number == 0 else f"{base}-g{number}"


def generation_number(base: str, name: str) -> int | None:
    """The generation a collection named `name` holds, or None if it is not one of `base`'s."""
    if name == base:
        return 0
    match = re.fullmatch(re.escape(base) + r"-g(\d+)", name)
    return int(match.group(1)) if match else None


class Pointer(Protocol):
    """Where the live generation is named."""

    def read(self) -> Generation | None: ...

    def write(self, generation: Generation) -> None: ...

    def version(self) -> object:
        """A cheap token that changes whenever the pointer is written."""
        ...


class FilePointer:
    """A JSON file in the data dir, replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def version(self) -> object:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KnowledgeUnavailable() from exc
        # os.replace gives every written pointer a new inode.
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> Generation | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Generation(
                int(data["generation"]),
                str(data["collection"]),
                str(data.get("built_at", "")),
                str(data.get("fingerprint", "")),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KnowledgeUnavailable(
                "No se puede leer el puntero del índice. Corre «mipyme-ia ingest» para "
                "construir una generación nueva."
            ) from exc

    def write(self, generation: Generation) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        body = {
            "generation": generation.number,
            "collection": generation.collection,
            "built_at": generation.built_at,
            "fingerprint": generation.fingerprint,
        }
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(body, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a power cut
        finally:
            os.close(directory)


class ChromaPointer:
    """The metadata of an empty collection on the Chroma server, shared by every replica."""

    def __init__(self, client: Any, base: str) -> None:
        self.client = client
        self.name = f"{base}-current"

    def version(self) -> object:
        return self.read()

    def read(self) -> Generation | None:
        from chromadb.errors import NotFoundError

        try:
            meta = self.client.get_collection(self.name).metadata or {}
        except NotFoundError:
            return None
        except Exception as exc:
            raise KnowledgeUnavailable() from exc
        if "generation" not in meta:
            return None
        return Generation(
            int(meta["generation"]),
            str(meta["collection"]),
            str(meta.get("built_at", "")),
            str(meta.get("fingerprint", "")),
        )

    def write(self, generation: Generation) -> None:
        meta = {
            "generation": generation.number,
            "collection": generation.collection,
            "built_at": generation.built_at,
            "fingerprint": generation.fingerprint,
        }
        collection = self.client.get_or_create_collection(
            self.name, metadata=meta, embedding_function=None
        )
        collection.modify(metadata=meta)


def pointer_for(settings: Settings, client: Any, base: str) -> Pointer:
    if settings.chroma_host:
        return ChromaPointer(client, base)
    return FilePointer(settings.data_dir / "index" / f"{base}.json")


def live_generation(pointer: Pointer, base: str) -> Generation:
    """The generation the pointer names; generation 0 (the collection from before) without one."""
    return pointer.read() or Generation(0, base)


class LiveIndex:
    """The serving side: the generation this process reads, and whether the pointer moved."""

    def __init__(
        self,
        settings: Settings,
        embeddings: Embeddings,
        client: Any = None,
        interval: float = 1.0,
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.client = client or chroma_client(settings)
        self.base = collection_name(*embedder_id(settings, embeddings))
        self.pointer = pointer_for(settings, self.client, self.base)
        self.interval = interval
        self._version = self.pointer.version()
        self._seen = live_generation(self.pointer, self.base)
        self._checked = time.monotonic()
        # What this process serves; set by whoever swapped a retriever in.
        self.generation = self._seen

    def open(self, generation: Generation | None = None) -> HybridRetriever:
        """A retriever over `generation` (default: the live one), keyword index built.

        Generation 0 is created empty when missing (a data dir never ingested); any other
        generation must exist: a missing one is KnowledgeUnavailable, never an empty index.
        """
        generation = generation or self._seen
        store = build_vectorstore(
            self.settings,
            self.embeddings,
            client=self.client,
            name=generation.collection,
            create=generation.number == 0,
        )
        retriever = HybridRetriever(store=store)
        retriever.reload()
        return retriever

    def moved(self, force: bool = False) -> Generation | None:
        """The live generation if it is not the one this process serves, else None.

        The pointer itself is looked at once per `interval` (or now, with `force`); a pending move
        is reported at every call until someone serves it.
        """
        now = time.monotonic()
        if force or now - self._checked >= self.interval:
            self._checked = now
            try:
                version = self.pointer.version()
                if force or version != self._version:
                    self._seen = live_generation(self.pointer, self.base)
                    self._version = version
            except KnowledgeUnavailable:
                log.debug("Index pointer unreadable; staying on the current generation")
        return None if self._seen.same_as(self.generation) else self._seen

    def missing_reason(self) -> str | None:
        """A Spanish reason this process has no index to serve, or None."""
        live = live_generation(self.pointer, self.base)
        if live.number == 0 and self._empty(live.collection):
            return "Todavía no hay índice: corre «mipyme-ia ingest» para construirlo."
        if not live.same_as(self.generation):
            return (
                f"La generación {live.number} del índice no se puede leer todavía; este proceso "
                f"sigue en la {self.generation.number}."
            )
        return None

    def _empty(self, name: str) -> bool:
        try:
            return int(self.client.get_collection(name).count()) == 0
        except Exception:
            return True
