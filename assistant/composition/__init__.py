"""Composition: writing the answer of a turn from its context.

Owns the `Composer` protocol below and its implementations: the deterministic Spanish composer
(`offline.OfflineComposer`) and the LLM composer (`llm.LLMComposer`: LCEL chain, streaming,
citation and language checks, the one chat-model builder). When the LLM fails, the assistant
falls back to the offline composer for that turn.

May import: `assistant.turn`, `assistant.schemas`, `assistant.settings`, `assistant.errors`,
`assistant.limits`, `assistant.understanding` (language check, clip) and
`assistant.recommendation` (the Spanish names of course levels).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from assistant.turn import TurnContext


class Composer(Protocol):
    """Writes a turn's answer from its context."""

    def stream(self, ctx: TurnContext) -> AsyncIterator[str]:
        """The answer as it is written; may raise `AssistantError` (the caller falls back)."""
        ...

    def finalize(self, ctx: TurnContext, text: str) -> str:
        """The checked final answer from the streamed `text`."""
        ...
