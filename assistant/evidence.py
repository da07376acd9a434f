"""Pick the sentences that answer a direct question, and judge whether retrieval is trustworthy."""

from __future__ import annotations

import re

from assistant.schemas import SearchHit
from assistant.text import keyword_tokens

# Calibrated on the evaluation set with multilingual-e5-small (see docs/benchmarks.md):
# in-scope questions score above ~0.84 on their best passage, unrelated ones below ~0.82.
DENSE_CONFIDENT = 0.845
DENSE_WITH_KEYWORDS = 0.80
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡0-9])")


def _dense(hit: SearchHit) -> float:
    value = hit.metadata.get("dense")
    return float(value) if value is not None else 0.0


def coverage(query: str, text: str) -> float:
    """Share of the query's keyword stems that occur in text."""
    wanted = set(keyword_tokens(query))
    if not wanted:
        return 0.0
    return len(wanted & set(keyword_tokens(text))) / len(wanted)


def confidence(query: str, hits: list[SearchHit]) -> float:
    """0..1: how sure we are that the top passages speak to the query."""
    if not hits:
        return 0.0
    dense = max(_dense(h) for h in hits[:3])
    cover = max(coverage(query, h.text) for h in hits[:3])
    if dense >= DENSE_CONFIDENT:
        return round(min(1.0, 0.6 + cover * 0.4), 3)
    if dense >= DENSE_WITH_KEYWORDS and cover >= 0.5:
        return round(0.5 + cover * 0.3, 3)
    return round(min(0.49, dense * cover), 3)


def _sentences(text: str) -> list[str]:
    lines = [
        ln for ln in text.splitlines()[1:] if ln.strip() and not ln.startswith(("Fuente:", "#"))
    ]
    body = " ".join(ln.strip().lstrip("-*• ") for ln in lines)
    return [s.strip() for s in _SENTENCE.split(body) if len(s.strip()) > 25]


def select_evidence(query: str, hits: list[SearchHit], limit: int = 2) -> list[tuple[str, int]]:
    """Up to `limit` sentences (with the index of their hit) that best match the query."""
    scored: list[tuple[float, int, int, str]] = []
    for hi, hit in enumerate(hits[:3]):
        for si, sentence in enumerate(_sentences(hit.text)):
            score = coverage(query, sentence) - 0.05 * hi - 0.01 * si
            if score > 0:
                scored.append((score, hi, si, sentence))
    best = sorted(scored, key=lambda t: -t[0])[:limit]
    best.sort(key=lambda t: (t[1], t[2]))
    # Offline answers are plain text on every channel: drop Markdown emphasis.
    plain = [(sentence.replace("**", ""), hi) for _, hi, _, sentence in best]
    return [(s if len(s) <= 400 else s[:397] + "…", hi) for s, hi in plain]
