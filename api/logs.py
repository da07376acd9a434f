"""Keep RFC, CURP, phones and e-mails out of every log line the server writes."""

from __future__ import annotations

import logging

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
