"""Sector by meaning: an owner's own words matched against each sector's description.

The rules (aliases in knowledge/sectors.yaml) name most businesses. A business they don't name
("un estudio de tatuajes", "una mueblería") is compared here, with the bundled embedder, to the
`description` of every sector in knowledge/sectors.yaml.

Measured on the 237 owner phrases (`examples`) of knowledge/sectors.yaml with multilingual-e5-small:
matching against the descriptions alone picks the right sector 86 % of the time; adding the
examples as neighbours drops it to 33-61 %, because short owner phrases ("tengo una X en la
colonia") resemble each other more than their businesses. So the examples are used only to
calibrate: each sector's mean similarity to all owner phrases is subtracted from its score (some
descriptions attract every message), and the gap between the first and second sector is the
confidence. With a gap of at least 0.01 the nearest sector was right 97 % of the time on the
examples; below it the business goes to the neutral `general` path instead of a wrong sector.

Vectors are computed once per knowledge version and stored in the data directory
(`sector_vectors-<model>.npz`, keyed by a hash of the texts): embedding ~280 phrases costs tens of
seconds on a small CPU, loading them a few milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

# Gap between the first and second sector (after calibration) below which we don't guess.
MIN_GAP = 0.01
# Gap at which the match counts as certain (confidence 1.0).
SURE_GAP = 0.03
# Shared words: at least two of a sector's own words ("empacamos aguacate"), scoring at least twice
# the runner-up's. One shared word ("estudio" of "estudio de yoga") is never enough.
LEXICAL_WORDS, LEXICAL_RATIO = 2, 2.0
# A near miss's word ("asilo") counts only when at most this many sectors use it.
MISS_WORD_SECTORS = 2
# Below the owner's own words: a match by meaning is never certain.
MAX_MEANING_CONFIDENCE = 0.9
# Goals by meaning (calibrated like sectors): the nearest goal prototype must score at least
# GOAL_MIN_SCORE and beat the nearest prototype of another goal (or of "none") by GOAL_MIN_GAP.
# On 27 fresh owner wishes (tests/test_goals_english.py) these gave 21 right, 0 wrong.
GOAL_MIN_SCORE, GOAL_MIN_GAP = 0.04, 0.012
# A pain said only as a fact ("sale mucha rebaba", no "quiero" or "se me"): the bar below which
# statements about the business itself ("repartimos garrafones en 2 camionetas") stayed on the
# 700 dev owner turns.
STRAIN_MIN_SCORE, STRAIN_MIN_GAP = 0.085, 0.03


@dataclass(frozen=True)
class SectorGuess:
    """The nearest sector to a message, how sure we are (0-1), and the runner-up."""

    sector: str
    confidence: float
    runner_up: str | None = None


_STOP_STEMS = {
    "tengo",
    "tenem",
    "somo",
    "vend",
    "hag",
    "hac",
    "negoc",
    "clien",
    "trabaj",
    "graci",
    "quier",
    # Words any business uses about itself: "agente independiente", "negocio familiar".
    "indep",
    "famil",
    "peque",
    "chiqu",
    "propi",
}


def _keys(text: str, skip: frozenset[str] = frozenset()) -> set[str]:
    """Stem prefixes of the content words: "empacamos" and "empacadora" both give "empac"."""
    from assistant.understanding.text import keyword_tokens, words

    kept = " ".join(w for w in words(text) if w not in skip and len(w) >= 4)
    return {t[:5] for t in keyword_tokens(kept) if len(t) >= 4 and t[:5] not in _STOP_STEMS}


def _place_words() -> frozenset[str]:
    from assistant.understanding.places import CITIES, STATES
    from assistant.understanding.text import words

    names = (
        [c.name for c in CITIES] + list(STATES) + [a for v in STATES.values() for a in v.split("|")]
    )
    return frozenset(w for n in names for w in words(n) if len(w) >= 4)


class Lexicon:
    """Each sector's own words (name, aliases, description, owner phrases) as stem prefixes.

    A word that only one or two sectors use ("aguacate", "tatuaje") says more than a word
    many use ("venta"): matches are weighted by inverse sector frequency.
    """

    def __init__(self, sectors: Sequence[Any]) -> None:
        import math

        self._places = _place_words()
        self._bags: dict[str, set[str]] = {}
        for s in sectors:
            text = " ".join(
                [
                    s.name,
                    *[a.lstrip("~") for a in s.aliases],
                    getattr(s, "description", ""),
                    *getattr(s, "examples", []),
                ]
            )
            self._bags[s.id] = _keys(text, self._places)
        n = len(self._bags)
        df: dict[str, int] = {}
        for bag in self._bags.values():
            for k in bag:
                df[k] = df.get(k, 0) + 1
        self._idf = {k: math.log((n + 1) / (d + 0.5)) for k, d in df.items()}
        # Words only a sector's near misses use ("asilo", "abuelitos" for child day care) and
        # few other sectors do ("personas" says nothing), and words only its own phrases use
        # ("niños", "maternal"), for `near_miss_words`.
        self._miss_only: dict[str, set[str]] = {}
        self._own_only: dict[str, set[str]] = {}
        for s in sectors:
            misses = _keys(" ".join(getattr(s, "near_misses", None) or []), self._places)
            if misses:
                rare = {k for k in misses if df.get(k, 0) <= MISS_WORD_SECTORS}
                self._miss_only[s.id] = rare - self._bags[s.id]
                self._own_only[s.id] = self._bags[s.id] - misses

    def covers(self, sector: str, text: str) -> bool:
        """Whether every content word of `text` is one of `sector`'s own words."""
        keys = _keys(text, self._places)
        return keys <= self._bags.get(sector, set())

    def near_miss_words(self, sector: str, text: str) -> bool:
        """Whether `text` uses words of the businesses that only sound like `sector` and none
        of the sector's own: "cuidamos ancianitos en un asilo" is not a child day care."""
        keys = _keys(text, self._places)
        miss_only = self._miss_only.get(sector, set())
        return bool(keys & miss_only) and not keys & self._own_only.get(sector, set())

    def knows(self, text: str) -> bool:
        """Whether `text` has content words to compare at all ("tejido" stems too short)."""
        return bool(_keys(text, self._places))

    def elsewhere(self, sector: str, text: str) -> bool:
        """Whether some content word of `text` belongs to other sectors and not to `sector`."""
        own = self._bags.get(sector, set())
        keys = _keys(text, self._places) - own
        return any(keys & bag for sid, bag in self._bags.items() if sid not in (sector, "general"))

    def scores(self, text: str) -> list[tuple[str, float, int]]:
        """Every sector with its weighted count of shared words and their number, best first."""
        keys = _keys(text, self._places)
        out = [
            (sid, sum(self._idf[k] for k in keys & bag), len(keys & bag))
            for sid, bag in self._bags.items()
        ]
        return sorted(out, key=lambda x: -x[1])


class SectorMeaning:
    """Descriptions of the sectors as unit vectors, and the message-to-sector match."""

    def __init__(
        self,
        sectors: Sequence[Any],
        embeddings: Any,
        cache_dir: Path | None = None,
        model_name: str = "model",
    ) -> None:
        # `sectors` are SectorDef-like: id, description, examples.
        self._ids = [s.id for s in sectors if getattr(s, "description", None)]
        self._descriptions = [s.description for s in sectors if getattr(s, "description", None)]
        self._examples = [e for s in sectors for e in getattr(s, "examples", [])]
        self._embeddings = embeddings
        self._cache_dir = cache_dir
        self._model = model_name
        self._vectors: np.ndarray | None = None
        self._bias: np.ndarray | None = None
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self.lexicon = Lexicon(sectors)
        from assistant.understanding.profile_data import GOAL_PROTOTYPES

        self._goal_ids = [g for g, phrases in GOAL_PROTOTYPES.items() for _ in phrases]
        self._goal_texts = [p for phrases in GOAL_PROTOTYPES.values() for p in phrases]
        self._goal_vectors: np.ndarray | None = None
        self._goal_bias: np.ndarray | None = None
        # Near misses ("estancia para abuelitos" for child day care) and, to weigh them against,
        # the same sector's own words (description and owner phrases), for sectors that have any.
        self._miss_rows: list[tuple[str, bool, str]] = [
            (s.id, miss, text)
            for s in sectors
            if getattr(s, "near_misses", None)
            for miss, texts in ((True, s.near_misses), (False, [s.description, *s.examples]))
            for text in texts
        ]
        self._miss_vectors: np.ndarray | None = None

    # ---- the vectors ----------------------------------------------------------------------------
    def _key(self) -> str:
        text = "\x1f".join([self._model, *self._ids, *self._descriptions, "\x1e", *self._examples])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def _goal_key(self) -> str:
        text = "\x1f".join(
            [self._model, *self._goal_ids, *self._goal_texts, "\x1e", *self._examples]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def _miss_key(self) -> str:
        rows = [f"{sid}|{miss}|{text}" for sid, miss, text in self._miss_rows]
        return hashlib.sha256("\x1f".join([self._model, *rows]).encode()).hexdigest()[:16]

    def _cache_file(self, kind: str = "sector") -> Path | None:
        if self._cache_dir is None:
            return None
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in self._model)
        return self._cache_dir / f"{kind}_vectors-{safe}.npz"

    def _read(self, kind: str, key: str) -> tuple[np.ndarray, np.ndarray] | None:
        path = self._cache_file(kind)
        if path is None or not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["key"]) != key:
                    return None
                return data["vectors"], data["bias"]
        except (OSError, KeyError, ValueError):
            return None

    def _store(self, kind: str, key: str, vectors: np.ndarray, bias: np.ndarray) -> None:
        path = self._cache_file(kind)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, key=np.array(key), vectors=vectors, bias=bias)
            tmp.replace(path)
        except OSError as exc:  # a read-only data dir only costs the next start the same time
            log.warning("Could not store %s vectors in %s: %s", kind, path, exc)

    def _load(self) -> bool:
        found = self._read("sector", self._key())
        if found is not None:
            self._vectors, self._bias = found
        return found is not None

    def _unit(self, rows: list[list[float]]) -> np.ndarray:
        m: np.ndarray = np.asarray(rows, dtype=np.float32)
        unit: np.ndarray = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)
        return unit

    def _embed_many(self, texts: list[str]) -> list[list[float]]:
        # Batched query vectors where the embedder has them (local e5 tells queries from
        # passages); otherwise documents, which for API embedders are the same vectors.
        batch = getattr(self._embeddings, "embed_queries", None)
        return list(batch(texts)) if batch else list(self._embeddings.embed_documents(texts))

    def _build(self) -> None:
        started = time.perf_counter()
        # Both sides as queries: a message and a description are compared like with like.
        vectors = self._unit(self._embed_many(self._descriptions))
        examples = self._unit(self._embed_many(self._examples)) if self._examples else None
        if examples is not None:
            bias = (examples @ vectors.T).mean(axis=0)
        else:
            bias = np.zeros(len(self._ids), dtype=np.float32)
        self._vectors, self._bias = vectors, bias.astype(np.float32)
        self._store("sector", self._key(), vectors, self._bias)
        log.info(
            "Embedded %d sector descriptions and %d owner phrases in %.1f s",
            len(self._ids),
            len(self._examples),
            time.perf_counter() - started,
        )
        if self._goal_vectors is None:
            self._build_goals(examples)

    def _build_goals(self, examples: np.ndarray | None = None) -> None:
        """Goal prototypes, calibrated like sectors: minus their mean similarity to owner
        phrases that state no goal (the sector examples), so a generic prototype can't win."""
        vectors = self._unit(self._embed_many(self._goal_texts))
        if examples is None and self._examples:
            examples = self._unit(self._embed_many(self._examples))
        if examples is not None:
            bias = (examples @ vectors.T).mean(axis=0).astype(np.float32)
        else:
            bias = np.zeros(len(self._goal_texts), dtype=np.float32)
        self._goal_vectors, self._goal_bias = vectors, bias
        self._store("goal", self._goal_key(), vectors, bias)

    def rebuilt(self, sectors: Sequence[Any]) -> SectorMeaning:
        """The same embedder and store over new sectors (after an ingest), warmed up."""
        fresh = SectorMeaning(sectors, self._embeddings, self._cache_dir, self._model)
        fresh.warm_up()
        return fresh

    def warm_up(self) -> None:
        """Load the stored vectors, or compute and store them (at startup, not in a turn)."""
        with self._lock:
            if self._goal_vectors is None and self._goal_texts:
                found = self._read("goal", self._goal_key())
                if found is not None:
                    self._goal_vectors, self._goal_bias = found
            if self._vectors is None and not self._load():
                self._build()
            if self._goal_vectors is None and self._goal_texts:
                self._build_goals()
            if self._miss_vectors is None and self._miss_rows:
                found = self._read("nearmiss", self._miss_key())
                if found is None:
                    vectors = self._unit(self._embed_many([t for _, _, t in self._miss_rows]))
                    bias = np.zeros(len(self._miss_rows), dtype=np.float32)
                    self._store("nearmiss", self._miss_key(), vectors, bias)
                    found = (vectors, bias)
                self._miss_vectors = found[0]

    @property
    def ready(self) -> bool:
        return self._vectors is not None

    # ---- matching -------------------------------------------------------------------------------
    def embed(self, text: str) -> np.ndarray:
        """The unit vector of a message; the last few are kept so a turn never embeds twice."""
        if text in self._recent:
            self._recent.move_to_end(text)
            return self._recent[text]
        vector: np.ndarray = self._unit([self._embeddings.embed_query(text)])[0]
        self._remember(text, vector)
        return vector

    def scores(self, vector: np.ndarray) -> list[tuple[str, float]]:
        """Every sector with its calibrated similarity to `vector`, best first."""
        self.warm_up()
        assert self._vectors is not None and self._bias is not None
        values = self._vectors @ np.asarray(vector, dtype=np.float32) - self._bias
        order = np.argsort(-values)
        return [(self._ids[i], float(values[i])) for i in order]

    def nearest(self, text: str, exclude: Sequence[str] = ()) -> SectorGuess | None:
        """The sector nearest to `text` if the gap to the runner-up is large enough, else None.

        `exclude` drops sectors the user denied ("no somos textiles") and the neutral `general`
        is never a guess: it is what the caller falls back to.
        """
        if not self._ids:
            return None
        # The sector's own rare words first: cheap, and sure when two of them agree.
        shared = [w for w in self.lexicon.scores(text) if w[0] not in exclude and w[0] != "general"]
        if (
            len(shared) >= 2
            and shared[0][2] >= LEXICAL_WORDS
            and shared[0][1] >= LEXICAL_RATIO * shared[1][1]
        ):
            if self.near_miss(shared[0][0], text):
                return None  # "agencia de seguridad" shares a stem with "seguros", not a trade
            return SectorGuess(shared[0][0], 0.7, shared[1][0])
        ranked = [
            (sid, v)
            for sid, v in self.scores(self.embed(text))
            if sid not in exclude and sid != "general"
        ]
        if len(ranked) < 2:
            return None
        (best, top), (second, next_) = ranked[0], ranked[1]
        gap = top - next_
        if gap < MIN_GAP or self.near_miss(best, text):
            return None
        scale = min(1.0, (gap - MIN_GAP) / (SURE_GAP - MIN_GAP))
        confidence = 0.5 + (MAX_MEANING_CONFIDENCE - 0.5) * scale
        return SectorGuess(best, round(confidence, 2), second)

    def near_miss(self, sector: str, text: str) -> bool:
        """Whether `text` is nearer to a business that only sounds like `sector` (its
        `near_misses` in knowledge/sectors.yaml) than to any of the sector's own words.

        Short phrases against short phrases (near misses against owner examples), so the length
        of the description does not tilt it. Reuses the message's vector when it was embedded.
        """
        rows = [i for i, (sid, _, _) in enumerate(self._miss_rows) if sid == sector]
        if not rows:
            return False
        if self.lexicon.near_miss_words(sector, text):
            return True  # the embedder hears "un asilo chiquito" close to "una guarde chiquita"
        self.warm_up()
        assert self._miss_vectors is not None
        values = self._miss_vectors[rows] @ self.embed(text)
        misses = [float(v) for i, v in zip(rows, values, strict=True) if self._miss_rows[i][1]]
        own = [float(v) for i, v in zip(rows, values, strict=True) if not self._miss_rows[i][1]]
        return max(misses) > max(own)

    def goals(self, texts: Sequence[str], said: Sequence[bool] = ()) -> list[str | None]:
        """The goal (knowledge/models.py `Goal`) each owner's wish is nearest to, or None.

        None when the nearest is a wish that is not a business goal ("quiero aprender…"), or when
        no goal is near enough or clearly ahead of the others: rather nothing than a wrong goal.
        The wishes of one message are embedded in one batch. A text whose `said` is False holds
        no wish in words, only a strain ("sale mucha rebaba"): it needs a nearer, clearer goal.
        """
        if not self._goal_texts or not texts:
            return [None for _ in texts]
        self.warm_up()
        assert self._goal_vectors is not None and self._goal_bias is not None
        flags = list(said) or [True] * len(texts)
        return [
            self._nearest_goal(self._goal_vectors @ v - self._goal_bias, strict=not flag)
            for v, flag in zip(self._embed_all(texts), flags, strict=True)
        ]

    def goal(self, text: str) -> str | None:
        """The goal one wish is nearest to, or None (see `goals`)."""
        return self.goals([text])[0]

    def _nearest_goal(self, values: np.ndarray, strict: bool = False) -> str | None:
        best: dict[str, float] = {}
        for goal, value in zip(self._goal_ids, values.tolist(), strict=True):
            best[goal] = max(best.get(goal, -1.0), value)
        (top, score), (_, runner_up) = sorted(best.items(), key=lambda kv: -kv[1])[:2]
        least, gap = (
            (STRAIN_MIN_SCORE, STRAIN_MIN_GAP) if strict else (GOAL_MIN_SCORE, GOAL_MIN_GAP)
        )
        if top == "none" or score < least or score - runner_up < gap:
            return None
        return top

    def _embed_all(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Unit vectors of `texts`, the ones not embedded this turn in one batch."""
        fresh = [t for t in dict.fromkeys(texts) if t not in self._recent]
        if len(fresh) > 1:
            for text, vector in zip(fresh, self._unit(self._embed_many(fresh)), strict=True):
                self._remember(text, vector)
        return [self.embed(t) for t in texts]

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._recent[text] = vector
        while len(self._recent) > 64:
            self._recent.popitem(last=False)
