"""Remove personal data and secrets from text before it reaches logs or staff reports.

Replaced with placeholders: secrets (`Bearer …`, `sk-…`, `api_key=…`) → `[SECRETO]`,
e-mails → `[CORREO]`, CURP → `[CURP]`, RFC → `[RFC]`, Mexican phone numbers → `[TELÉFONO]`.
Ordinary text, amounts ("$1,500 pesos") and years stay as they are.
"""

from __future__ import annotations

import logging
import re
import sys

_SECRET = "[SECRETO]"

_BEARER = re.compile(r"\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE)
_API_KEY = re.compile(r"(?<![\w-])sk-[A-Za-z0-9_-]{16,}")
_SECRET_FIELD = re.compile(
    r"\b([\w-]*?(?:api[_-]?key|token|secret|password|passwd|contraseña))"
    r"([\"']?\s*[:=]\s*[\"']?)[^\s\"',;]+",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# YYMMDD with a plausible month and day; both RFC and CURP embed a birth/incorporation date.
_DATE = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_CURP = re.compile(rf"(?<![\w&])[A-Z]{{4}}{_DATE}[HMX][A-Z]{{5}}[A-Z\d]\d(?!\w)", re.IGNORECASE)
# Physical persons have 4 letters (13 chars), companies 3 (12 chars); the homoclave is 3 chars.
_RFC = re.compile(rf"(?<![\w&])[A-ZÑ&]{{3,4}}{_DATE}[A-Z\d]{{3}}(?![\w&])", re.IGNORECASE)
# Spaced or dashed form ("GODE-561231-GR8") only in capitals, so "para 230415 los" survives.
_RFC_SEPARATED = re.compile(rf"(?<![\w&])[A-ZÑ&]{{3,4}}[ -]{_DATE}[ -][A-Z\d]{{3}}(?![\w&])")

_SEP = r"[ .-]?"
_PHONE = re.compile(
    r"(?<![\w$+])(?<!\d[.,])"  # not part of a word, an amount or a decimal
    rf"(?:\+?52{_SEP}(?:1{_SEP})?)?"  # +52, 52, 521, +52 1
    r"(?:"
    rf"\(\d{{2}}\){_SEP}\d{{4}}{_SEP}\d{{4}}"  # (55) 1234 5678
    rf"|\(\d{{3}}\){_SEP}\d{{3}}{_SEP}\d{{4}}"  # (951) 123 4567
    rf"|\d{{2}}{_SEP}\d{{4}}{_SEP}\d{{4}}"  # 55 1234 5678, 5512345678
    rf"|\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{4}}"  # 951 123 4567
    rf"|\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}"  # 55 12 34 56 78
    r")"
    r"(?!\w)(?![.,]\d)"
)

# Order matters: secrets and e-mails may contain digits that look like phones.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_BEARER, rf"\1 {_SECRET}"),
    (_API_KEY, _SECRET),
    (_SECRET_FIELD, rf"\1\2{_SECRET}"),
    (_EMAIL, "[CORREO]"),
    (_CURP, "[CURP]"),
    (_RFC, "[RFC]"),
    (_RFC_SEPARATED, "[RFC]"),
    (_PHONE, "[TELÉFONO]"),
)


def redact(text: str) -> str:
    """Return `text` with RFC, CURP, phones, e-mails and secrets replaced by placeholders."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Redact the message template, each argument and the traceback, keeping the args' shape.

    The shape matters: one LogRecord is shared by every handler, and uvicorn's access formatter
    unpacks exactly five args, so folding them into the message would break its log line.
    """

    _formatter = logging.Formatter()

    @staticmethod
    def _fold(record: logging.LogRecord) -> None:
        """Merge args into a redacted message: for args that can't keep their shape."""
        try:
            message = record.getMessage()
        except Exception:  # malformed %-args must not make us drop or leak the record
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), ()

    def _redact_args(self, record: logging.LogRecord) -> None:
        args = record.args
        values = list(args.values()) if isinstance(args, dict) else list(args or ())
        # A number that looks like a phone must become text, which "%d" can't format: fold.
        if any(
            not isinstance(v, str) and v is not None and redact(str(v)) != str(v) for v in values
        ):
            self._fold(record)
            return
        if isinstance(args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in args.items()}
        elif isinstance(args, tuple):
            record.args = tuple(redact(v) if isinstance(v, str) else v for v in args)
        try:
            record.getMessage()
        except Exception:
            self._fold(record)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            self._redact_args(record)
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure_logging(level: str | int = "INFO") -> None:
    """Set up root logging for an entry point, with redaction on every root handler."""
    root = logging.getLogger()
    root.setLevel(level)
    # These libraries log per call at DEBUG/INFO; keep them to warnings.
    for noisy in ("bm25s", "chromadb", "httpx", "httpcore", "openai"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if not root.handlers:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
