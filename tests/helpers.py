"""Helpers shared by tests and benchmarks: settings over the fixture corpus, servers on loopback."""

from __future__ import annotations

import datetime as dt
import functools
import socket
import threading
import time
from pathlib import Path
from typing import Any

from assistant.knowledge.models import FaqEntry
from assistant.schemas import SearchHit
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_KNOWLEDGE = ROOT / "tests" / "fixtures" / "knowledge"
REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "MIPYME_DATA_DIR": data_dir,
        "MIPYME_KNOWLEDGE_DIR": FIXTURE_KNOWLEDGE,
        "MIPYME_LLM": "offline",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class UvicornThread:
    """A real uvicorn server on a loopback port, in a thread of this process."""

    def __init__(self, app: object, port: int | None = None, **options: object) -> None:
        import uvicorn

        from api.server import uvicorn_options

        self.port = port or free_port()
        # The same protocol, timeouts and proxy policy as `mipyme-ia serve`.
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            **uvicorn_options(**options),
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> UvicornThread:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


class CountingEmbeddings:
    """The real local embedder, counting how many texts it embeds."""

    def __init__(self) -> None:
        from assistant.retrieval.embeddings import local_embeddings

        self.inner = local_embeddings()
        self.texts = 0

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return self.inner.embed_queries(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.texts += 1
        return self.inner.embed_query(text)


@functools.lru_cache(maxsize=1)
def knowledge_sectors() -> list[Any]:
    """The sectors of the real knowledge/ (read once per test run, not once per module)."""
    from assistant.knowledge.reader import read_knowledge

    return list(read_knowledge(ROOT / "knowledge").sectors.values())


def owner_chat(*messages: str, extractor: Any = None) -> Any:
    """The profile after an owner's messages, each read with the questions asked before it
    (rules only unless `extractor` says otherwise)."""
    from assistant.schemas import BusinessProfile

    extractor = extractor or _rules()
    profile = BusinessProfile()
    for message in messages:
        profile = extractor.update(profile, message, asked=profile.missing()[:2]).profile
    return profile


@functools.lru_cache(maxsize=1)
def _rules() -> Any:
    from assistant.understanding.profile import ProfileExtractor

    return ProfileExtractor(knowledge_sectors())


# Curated answers built in a test (entry) and a retriever that ranks them by words only.
def entry(eid: str, question: str, paraphrases: list[str], answer: str, **more: Any) -> FaqEntry:
    return FaqEntry.model_validate(
        {
            "id": eid,
            "question": question,
            "paraphrases": paraphrases,
            "answer": answer,
            "sources": [{"title": "Fuente", "url": "https://example.org/x", "date": "2026-01-01"}],
            "verified_on": dt.date(2026, 12, 4),
            "review_by": dt.date(2027, 3, 4),
            "confidence": "alta",
            **more,
        }
    )


class SameMeaning:
    """A retriever whose every curated entry is equally close in meaning: words decide."""

    def __init__(self, entries: dict[str, FaqEntry]) -> None:
        self.ids = list(entries)

    def search(self, query: str, k: int = 5, filters: Any = None) -> list[SearchHit]:
        return [
            SearchHit(id=i, kind="faq", title=i, url="https://example.org/x", score=0.0,
                      dense=0.9, snippet="", doc_id=i, text="")
            for i in self.ids
        ]  # fmt: skip

    def dense_by_document(self, query: str, k: int, filters: Any) -> dict[str, float]:
        return dict.fromkeys(self.ids, 0.9)


def curated_reply(
    entries: dict[str, FaqEntry],
    message: str,
    *,
    topic: Any = None,
    state: str | None = None,
    today: Any = None,
) -> Any:
    """The answer to `message` from these curated entries alone, matched by `SameMeaning`, as a
    question asked after `topic` (its label as the owner's last message) by an owner in `state`."""
    import datetime as dt

    from assistant.answering.answerer import Answerer
    from assistant.knowledge.reader import Knowledge
    from assistant.schemas import BusinessProfile
    from assistant.turn import TurnInput, Understanding

    profile = BusinessProfile(state=state)
    answerer = Answerer(Knowledge(faq=entries), SameMeaning(entries))  # type: ignore[arg-type]
    history = (("user", topic.label), ("assistant", "…")) if topic else ()
    turn = TurnInput(
        session_id="s", message=message, channel="web", profile=profile, history=history,
        topic=topic,
    )  # fmt: skip
    understood = Understanding(
        intent="question", profile=profile, is_question=True, explicit_question=True
    )
    return answerer.answer(turn, understood, today or dt.date(2026, 12, 4))
