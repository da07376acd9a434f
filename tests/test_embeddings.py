"""The local embedder passes LangChain's standard suites, and behaves like e5 should."""

from __future__ import annotations

import numpy as np
import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.errors import NeedsConfiguration
from assistant.retrieval.embeddings import LocalE5Embeddings, build_embeddings, embedder_id
from assistant.retrieval.store import collection_name
from assistant.settings import Settings


class TestLocalE5Unit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[LocalE5Embeddings]:
        return LocalE5Embeddings

    @property
    def embedding_model_params(self) -> dict:
        return {}


@pytest.mark.slow
class TestLocalE5Integration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[LocalE5Embeddings]:
        return LocalE5Embeddings

    @property
    def embedding_model_params(self) -> dict:
        return {}


@pytest.mark.slow
def test_query_and_passage_prefixes_differ_and_rank_sensibly() -> None:
    model = LocalE5Embeddings()
    query = np.array(model.embed_query("¿Hay cursos gratis de inteligencia artificial?"))
    docs = np.array(
        model.embed_documents(
            [
                "Curso gratuito en línea de inteligencia artificial generativa para principiantes.",
                "Receta tradicional de mole poblano con chiles secos.",
            ]
        )
    )
    scores = docs @ query
    assert scores[0] > scores[1]
    # The same text embedded as query and as passage differs: the prefixes are applied.
    text = "capacitación en la nube"
    assert not np.allclose(model.embed_query(text), model.embed_documents([text])[0])


@pytest.mark.slow
def test_batches_give_the_same_vectors_as_single_calls() -> None:
    model = LocalE5Embeddings(batch_size=2)
    texts = ["uno", "dos", "tres", "cuatro", "cinco"]
    batched = np.array(model.embed_documents(texts))
    single = np.array([model.embed_documents([t])[0] for t in texts])
    assert batched.shape == (5, 384)
    assert np.allclose(batched, single, atol=1e-5)


def test_collection_name_encodes_model_and_dimension() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    name = collection_name(*embedder_id(settings, build_embeddings(settings)))
    assert name == "mipyme-multilingual-e5-small-384"
    assert collection_name("text-embedding-3-small", 1536) != name


def test_openai_embeddings_need_a_key() -> None:
    settings = Settings(_env_file=None, MIPYME_EMBEDDINGS="openai")  # type: ignore[call-arg]
    try:
        build_embeddings(settings)
    except NeedsConfiguration as exc:
        assert "OPENAI_API_KEY" in exc.message
    else:  # pragma: no cover
        raise AssertionError("expected NeedsConfiguration")


def test_openai_embeddings_through_a_local_server(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """MIPYME_EMBEDDINGS=openai drives the real langchain-openai client against a local server."""
    import shutil

    from assistant.factory import build_retriever
    from ingest.pipeline import run_ingest
    from tests.fake_openai import FakeOpenAI
    from tests.helpers import FIXTURE_KNOWLEDGE, UvicornThread, make_settings

    corpus = tmp_path / "k" / "programs"
    corpus.mkdir(parents=True)
    shutil.copy(FIXTURE_KNOWLEDGE / "programs" / "convenio-aws-se.md", corpus)
    fake = FakeOpenAI()
    with UvicornThread(fake.app()) as server:
        settings = make_settings(
            tmp_path / "d",
            MIPYME_KNOWLEDGE_DIR=corpus.parent,
            MIPYME_EMBEDDINGS="openai",
            OPENAI_API_KEY="sk-test",
            OPENAI_BASE_URL=f"{server.url}/v1",
            MIPYME_OPENAI_EMBEDDING_MODEL="modelo-local",
        )
        report = run_ingest(settings)
        assert report.collection == "mipyme-modelo-local-8"  # dimension asked from the server
        assert report.chunks_embedded > 0 and not report.failed
        assert build_retriever(settings).search("convenio", k=2)
    embedded = [r for r in fake.requests if r["path"] == "embeddings"]
    assert embedded and all(r["model"] == "modelo-local" for r in embedded)
