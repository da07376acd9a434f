"""The core every channel calls: one `Assistant` over a few rooms with one job each.

    service.Assistant      thin orchestrator: turn input → understanding → answer and
                           recommendations → composer → turn result (stage records in `turn`)
    understanding/         the one normaliser, places, intents, profile, glossary, language
    retrieval/             vector store, embeddings, hybrid retriever, tokens
    answering/             evidence and refusal
    recommendation/        use cases, training path, programs
    composition/           offline and LLM composers
    memory/                session port plus SQLite and Redis adapters
    evaluation/            metrics and reports (no CLI)
    factory                the composition root: picks adapters, builds the assistant

Shared by all rooms: `settings`, `errors`, `schemas`, `limits`, `redact`, and the knowledge
schema, reader and checks (`knowledge/`). `assistant/` never imports `api/` or
`ingest/`.
"""
