"""`X-Hub-Signature-256` check: HMAC-SHA256 of the raw body keyed with the app secret."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str | bytes, body: bytes) -> str:
    """Return the header value Meta would send for `body`."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return PREFIX + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify_signature(secret: str | bytes, body: bytes, header: str | None) -> bool:
    """True when `header` is a valid signature of the *raw* bytes (never re-serialised JSON)."""
    if not secret or not header or not header.startswith(PREFIX):
        return False
    expected = sign(secret, body)
    # Meta sends lowercase hex; normalise the case so only the digest bytes matter.
    return hmac.compare_digest(expected.encode("ascii"), header.strip().lower().encode("utf-8"))
