"""Memory: per-session profile, bounded history, pending slots, turn log and feedback.

Owns the port (`port`: `SessionStore` and its models) and two adapters, `sqlite_store` and
`redis_store`. Adapters import the port, never the reverse; `assistant.factory` picks one.

May import: `assistant.schemas`, `assistant.errors`, `assistant.redact` and
`assistant.retrieval.tokens` (history is bounded in tokens).
"""
