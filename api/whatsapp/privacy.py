"""Keep phone numbers and BSUIDs out of logs."""

from __future__ import annotations

import hashlib
import re

from assistant.redact import redact

_DIGITS = re.compile(r"\+?\d[\d \-]{6,}\d")


def user_tag(key: str) -> str:
    """Return a short pseudonym for a `user_hash` (never pass a phone number), safe to log."""
    return "u:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def scrub(text: object) -> str:
    """Return `text` with phone numbers, e-mails and IDs redacted, for logs."""
    # Our redactor first; then any long run of digits it did not recognise as a phone.
    return _DIGITS.sub("[número]", redact(str(text)))


def msg_tag(wamid: str | None) -> str:
    """Return a short pseudonym for a wamid (Meta's wamids embed the phone number in base64)."""
    if not wamid:
        return "m:-"
    return "m:" + hashlib.sha256(wamid.encode("utf-8")).hexdigest()[:10]
