"""Keep RFC, CURP, phones and e-mails out of every log line the server writes."""

from __future__ import annotations

import logging
from urllib.parse import unquote

from assistant.redact import RedactingFilter

_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access")


def install_redaction() -> None:
    """Attach a RedactingFilter to the root and uvicorn handlers (idempotent)."""
    root = logging.getLogger()
    if not root.handlers:
        # Under `uvicorn`/`mipyme-ia serve` only uvicorn's loggers get handlers; the app's own
        # warnings would go to logging.lastResort, which no filter can reach: unredacted.
        fallback = logging.StreamHandler()
        fallback.setFormatter(logging.Formatter("%(levelname)s:  %(name)s: %(message)s"))
        root.addHandler(fallback)
    for name in _LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
    for handler in logging.getLogger("uvicorn.access").handlers:
        if not any(isinstance(f, DecodedAccessPath) for f in handler.filters):
            handler.filters.insert(0, DecodedAccessPath())  # before the redaction runs


class DecodedAccessPath(logging.Filter):
    """Percent-decode the path of uvicorn's access line so `wa%3A5215512345678` is redacted
    like `wa:5215512345678` (clients encode the colon of WhatsApp session ids)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (*args[:2], unquote(args[2]), *args[3:])
        return True
