"""Composition: writing the answer of a turn from its context.

Owns the deterministic Spanish composer (`offline`) and the LLM composer (`llm`: LCEL chain,
streaming, citation and language checks, the one chat-model builder).

May import: `assistant.turn`, `assistant.schemas`, `assistant.settings`, `assistant.errors` and
`assistant.understanding` (language check).
"""
