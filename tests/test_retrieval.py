"""Hybrid retrieval over the fixture corpus: Spanish as shop owners write it, filters, server mode."""

from __future__ import annotations

import pytest

from assistant.factory import build_retriever
from assistant.retrieval.hybrid import Filters
from assistant.settings import Settings
from assistant.understanding.text import expand, fold, keyword_tokens
from ingest.pipeline import run_ingest
from tests.helpers import make_settings


@pytest.fixture(scope="module")
def retriever(indexed_dir):  # type: ignore[no-untyped-def]
    return build_retriever(make_settings(indexed_dir))


def _docs(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(h.doc_id for h in hits))


def test_spanish_keyword_normalisation() -> None:
    assert fold("Capacitación en MÉXICO") == "capacitacion en mexico"
    assert (
        keyword_tokens("capacitación")
        == keyword_tokens("capacitacion")
        == keyword_tokens("Capacitaciones")
    )
    assert "de" not in keyword_tokens("cursos de la nube")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "convenio de amazon con la secretaria de economia para capacitar gente",
            "convenio-aws-se",
        ),
        ("cuanta gente van a capacitar aws y economia", "convenio-aws-se"),
        ("quiero que la ia me ayude a contestar los pedidos de mi fonda por whats", "restaurante"),
        ("se me acaban los productos de la tiendita y no me doy cuenta", "abarrotes"),
        ("hay algun polo de desarrollo en oaxaca", "oaxaca"),
        ("puedo deducir lo que gasto en capacitar a mis empleados", "deduccion"),
        ("curso grátis de IA para principiantes", None),
    ],
)
def test_finds_the_right_source_in_colloquial_spanish(
    retriever, query: str, expected: str | None
) -> None:  # type: ignore[no-untyped-def]
    hits = retriever.search(query, k=5)
    assert hits, query
    if expected:
        assert any(expected in d for d in _docs(hits)), (query, _docs(hits))
    for hit in hits:
        assert hit.url.startswith("https://") and hit.title and hit.snippet


def test_hybrid_survives_typos_that_defeat_keywords(retriever) -> None:  # type: ignore[no-untyped-def]
    query = "capasitacion gratis en inteligensia artifisial"  # typos: BM25 alone misses
    free_training = {"capacitacion-gratuita", "convenio-aws-se"}
    top = _docs(retriever.search(query, k=5, mode="hybrid"))
    assert free_training & set(top[:2]), top
    keyword_top = _docs(retriever.search(query, k=5, mode="bm25"))
    assert not free_training & set(keyword_top[:2]), (
        "the typos no longer hurt BM25: pick harder ones"
    )


def test_kind_and_level_filters(retriever) -> None:  # type: ignore[no-untyped-def]
    courses = retriever.search("inteligencia artificial", k=8, filters=Filters(kind="course"))
    assert courses and {h.kind for h in courses} == {"course"}
    basic = retriever.search(
        "inteligencia artificial", k=8, filters=Filters(kind="course", level="fundamental")
    )
    assert basic and {h.metadata["level"] for h in basic} == {"fundamental"}


def test_state_and_sector_filters(retriever) -> None:  # type: ignore[no-untyped-def]
    oaxaca = retriever.search("polos de desarrollo", k=5, filters=Filters(state="Oaxaca"))
    assert oaxaca and all("|Oaxaca|" in h.metadata["states"] for h in oaxaca)
    fonda = retriever.search(
        "ideas de inteligencia artificial", k=5, filters=Filters(sector="restaurante")
    )
    assert fonda and all(h.kind == "use_case" for h in fonda)
    assert not retriever.search("polos", k=5, filters=Filters(state="Estado Inexistente"))


def test_glossary_connects_mexican_terms(retriever) -> None:  # type: ignore[no-untyped-def]
    hits = retriever.search("changarro", k=5)
    assert "abarrotes" in " ".join(_docs(hits))


@pytest.mark.slow
def test_chroma_server_mode_ingests_and_searches(chroma_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    host, port = chroma_server
    settings: Settings = make_settings(tmp_path / "d", CHROMA_HOST=host, CHROMA_PORT=port)
    # The server is shared by the session (test_scale_out may have indexed the same corpus
    # into it already, so this run may embed nothing): what counts is that it serves.
    report = run_ingest(settings)
    assert not report.failed and report.indexed_anything
    again = run_ingest(settings)
    assert again.chunks_embedded == 0 and again.generation == report.generation
    retriever = build_retriever(settings)
    hits = retriever.search("convenio aws secretaría de economía", k=3)
    assert hits and "convenio-aws-se" in _docs(hits)


def test_the_retriever_is_a_langchain_runnable_with_a_typed_dense_score(retriever) -> None:  # type: ignore[no-untyped-def]
    from langchain_core.runnables import Runnable

    assert isinstance(retriever, Runnable)
    docs = retriever.invoke("convenio de amazon con la secretaria de economia")
    assert 0 < len(docs) <= retriever.k
    assert any("convenio-aws-se" in d.metadata["doc_id"] for d in docs)
    assert all(d.page_content and d.metadata["url"].startswith("https://") for d in docs)
    # Each hit says how close the dense match was, as a field rather than buried in metadata.
    hits = retriever.search("convenio de amazon con la secretaria de economia", k=3)
    assert all(h.dense is None or 0.0 < h.dense <= 1.0 for h in hits)
    assert any(h.dense is not None and h.dense > 0.8 for h in hits)
    assert all("dense" not in h.metadata for h in hits)
    assert [h.dense for h in retriever.search("convenio aws", k=3, mode="bm25")] == [None] * 3


def test_dense_ranking_comes_from_memory_and_matches_chromas_filtered_query(
    retriever, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A turn ranks by meaning once per kind asked (faq, use_case…): from the vectors read at
    reload, the same chunks and similarities Chroma's exact filtered query gives, without its
    ~6 ms per query of reading documents and metadata back."""
    query = "quiero contestar los pedidos de mi fonda por whats"
    vector = retriever.embeddings.embed_query(expand(query))
    store = retriever.store
    expected = {}
    for kind in ("faq", "use_case", "course", "program"):
        found = store.similarity_search_by_vector_with_relevance_scores(
            vector, k=retriever.candidates, filter={"kind": kind}
        )
        expected[kind] = {
            doc.metadata.get("chunk_id") or str(doc.id): 1.0 - float(d) for doc, d in found
        }

    def no_query(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a Chroma query on the turn")

    monkeypatch.setattr(store, "similarity_search_by_vector_with_relevance_scores", no_query)
    for kind, want in expected.items():
        hits = retriever.search(
            query, k=retriever.candidates, filters=Filters(kind=kind), mode="dense"
        )
        got = {h.id: h.dense for h in hits}
        assert want and {h.kind for h in hits} == {kind}
        assert got == pytest.approx(want, abs=1e-6), kind


def test_dense_by_document_is_the_best_similarity_of_each_document_among_the_hits(
    retriever,
) -> None:  # type: ignore[no-untyped-def]
    """Ranking whole entries by meaning reads the same hits `search` returns, without building
    them: each document's best dense similarity among the top k."""
    for query, kind in (
        ("se me acaban las cosas de la tiendita y no me doy cuenta", "use_case"),
        ("cuanto sale capacitarse en la nube con aws", None),
    ):
        filters = Filters(kind=kind)
        want: dict[str, float] = {}
        for h in retriever.search(query, k=12, filters=filters):
            if h.dense is not None:
                want[h.doc_id] = max(want.get(h.doc_id, 0.0), h.dense)
        assert want, query
        assert retriever.dense_by_document(query, 12, filters) == want
