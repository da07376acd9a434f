"""Sizes and patterns every channel shares (the one way to shorten text is `understanding.text.clip`)."""

from __future__ import annotations

import re

# One user message, in characters (not bytes): the same on the web, WhatsApp, OpenAI and CLI.
MAX_MESSAGE_CHARS = 4000
# Session and message ids, as clients send them and as channels derive them.
MAX_ID_CHARS = 128
SESSION_ID_CHARS = r"A-Za-z0-9_.:@+-"
SESSION_ID_PATTERN = rf"^[{SESSION_ID_CHARS}]+$"
SESSION_ID_UNSAFE = re.compile(rf"[^{SESSION_ID_CHARS}]")
# Request bodies: chat stays small; Meta batches up to 1000 updates (3 MB) in one webhook POST.
MAX_BODY_BYTES = 64 * 1024
MAX_WEBHOOK_BODY_BYTES = 4 * 1024 * 1024
# Only this much of a query goes to the embedder: its cost grows with the text, while the
# longest question of the evaluation sets, glossary expansion included, is 312 characters.
MAX_QUERY_CHARS = 512
