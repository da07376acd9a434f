"""Fixtures for the assistant's behavioural tests: real assistants over the fixture corpus.

The indexed corpus (`indexed_dir`) is embedded once per run; each module gets its own copy and
its own assistant, so conversations in one module never see another module's sessions. The
embedding model is a process singleton, so building an assistant per module is cheap.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.answerer import Answerer
from assistant.factory import build_assistant
from assistant.knowledge.reader import Knowledge, read_knowledge
from tests.assistant.support import Corpus, Harness, StructuredFake, index_urls, load_corpus
from tests.helpers import FIXTURE_KNOWLEDGE, ROOT, SameMeaning, UvicornThread, make_settings

# Values that must not leak in from the developer's shell into module-scoped settings
# (the autouse `_hermetic_env` fixture only covers function-scoped ones).
_CLEAN = {
    "REDIS_URL": None,
    "CHROMA_HOST": None,
    "OPENAI_API_KEY": None,
    "OPENAI_BASE_URL": None,
    "MIPYME_EMBEDDINGS": "local",
}
LLM_TIMEOUT_S = 2.0


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    """The repository's own `knowledge/` (a module that needs another defines its own)."""
    return read_knowledge(ROOT / "knowledge")


@pytest.fixture(scope="module")
def answerer(knowledge: Knowledge) -> Answerer:
    """The answerer over `knowledge`, its curated entries matched by shared meaning words."""
    return Answerer(knowledge, SameMeaning(knowledge.faq))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(FIXTURE_KNOWLEDGE)


def _copy_index(indexed_dir: Path, factory: pytest.TempPathFactory, name: str) -> Path:
    target = factory.mktemp(name) / "data"
    shutil.copytree(indexed_dir, target)
    return target


@pytest.fixture(scope="module")
def offline(
    indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory, corpus: Corpus
) -> Iterator[Harness]:
    """The real offline assistant over a private copy of the indexed fixture corpus."""
    settings = make_settings(_copy_index(indexed_dir, tmp_path_factory, "offline"), **_CLEAN)
    events: list[tuple[str, dict[str, Any]]] = []
    assistant = build_assistant(settings, on_event=lambda name, data: events.append((name, data)))
    assert assistant.composer is None
    corpus.chunk_urls = index_urls(assistant)
    yield Harness(assistant, settings, corpus, events)
    assistant.memory.close()


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[tuple[StructuredFake, str]]:
    """The fake OpenAI server, one per module (its URL keys langchain-openai's client cache)."""
    fake = StructuredFake()
    with UvicornThread(fake.app()) as server:
        yield fake, f"{server.url}/v1"


@pytest.fixture(scope="module")
def llm(
    indexed_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    corpus: Corpus,
    fake_llm: tuple[StructuredFake, str],
) -> Iterator[Harness]:
    """The real assistant with the LLM composer, talking to the fake server over HTTP."""
    fake, base_url = fake_llm
    settings = make_settings(
        _copy_index(indexed_dir, tmp_path_factory, "llm"),
        **{
            **_CLEAN,
            "MIPYME_LLM": "openai",
            "OPENAI_API_KEY": "sk-test",
            "OPENAI_BASE_URL": base_url,
            "MIPYME_LLM_TIMEOUT": LLM_TIMEOUT_S,
        },
    )
    events: list[tuple[str, dict[str, Any]]] = []
    assistant = build_assistant(settings, on_event=lambda name, data: events.append((name, data)))
    assert assistant.composer is not None
    corpus.chunk_urls = corpus.chunk_urls or index_urls(assistant)
    yield Harness(assistant, settings, corpus, events, fake)
    assistant.memory.close()


@pytest.fixture
def reset_fake(llm: Harness) -> Callable[[], StructuredFake]:
    """Clear the fake server's script, recordings and structured answer; return it."""

    def reset() -> StructuredFake:
        assert isinstance(llm.fake, StructuredFake)
        llm.fake.script.clear()
        llm.fake.requests.clear()
        llm.fake.structured = {}
        llm.fake.structured_delay_s = 0.0
        llm.events.clear()
        return llm.fake

    return reset
