"""Spanish text normalisation for keyword search: accent folding, stop words, Snowball stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9ñ]+")


def fold(text: str) -> str:
    """Lowercase without accents (ñ kept apart from n would split 'año'/'ano'; we fold it too)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_SPANISH

    # Question words carry no topic, and shop owners use them in every message.
    extra = {"quiero", "puedo", "hay", "tengo", "como", "que", "cual", "cuales", "donde", "mi"}
    # WhatsApp fillers and question frames: they say nothing about the topic.
    extra |= {
        "q",
        "k",
        "ke",
        "pa",
        "pal",
        "xq",
        "porq",
        "nomas",
        "neta",
        "onda",
        "porfa",
        "plis",
        "oye",
        "pos",
        "pues",
        "tons",
        "sirve",
        "necesito",
        "saber",
        "hacer",
        "hago",
        "conviene",
        "alguien",
        "algo",
        "alguna",
        "algun",
        "favor",
        "ayuda",
        "ayudame",
        "dime",
        "busco",
    }
    return frozenset(fold(w) for w in STOPWORDS_SPANISH) | extra


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("spanish")


def words(text: str) -> list[str]:
    """Folded words, stop words kept."""
    return _WORD.findall(fold(text))


def keyword_tokens(text: str) -> list[str]:
    """Tokens for BM25: folded, without stop words, stemmed."""
    kept = [w for w in words(text) if w not in _stopwords() and (len(w) > 1 or w.isdigit())]
    return list(_stemmer().stemWords(kept))
