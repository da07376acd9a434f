"""Keep phone numbers and BSUIDs out of logs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

_DIGITS = re.compile(r"\+?\d[\d \-]{6,}\d")


def user_tag(key: str) -> str:
    """Return a short stable pseudonym for a user key, safe to log."""
    return "u:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def _fallback_redact(text: str) -> str:
    return _DIGITS.sub("[número]", text)


def _load_redactor() -> Callable[[str], str]:
    try:  # written by a colleague; optional so this channel never depends on it
        from assistant.redact import redact
    except Exception:
        return _fallback_redact
    return lambda text: _fallback_redact(redact(text))


_redact: Callable[[str], str] | None = None


def scrub(text: object) -> str:
    """Return `text` with phone numbers, e-mails and IDs redacted, for logs."""
    global _redact
    if _redact is None:
        _redact = _load_redactor()
    return _redact(str(text))


def msg_tag(wamid: str | None) -> str:
    """Return a short pseudonym for a wamid (Meta's wamids embed the phone number in base64)."""
    if not wamid:
        return "m:-"
    return "m:" + hashlib.sha256(wamid.encode("utf-8")).hexdigest()[:10]
