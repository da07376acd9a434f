"""Retrieval: the vector store, embeddings, hybrid search and token counting.

Owns the Chroma collection (`store`), its generations and the pointer to the live one
(`generations`), the embedding models (`embeddings`), the hybrid retriever,
a LangChain `BaseRetriever` fusing dense and BM25 rankings (`hybrid`), and tiktoken counts
(`tokens`).

May import: `assistant.settings`, `assistant.errors`, `assistant.schemas`, `assistant.limits` and
`assistant.understanding` (the normaliser, the glossary and clip).
"""
