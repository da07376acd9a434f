"""An idea for the user's own business: the use case of their sector that fits what they ask
("se me juntan las citas", "¿cuánto pan hornear?"). Another business's tip never answers."""

from __future__ import annotations

from collections.abc import Mapping, Set
from functools import lru_cache

from assistant.answering.curated import owner_words
from assistant.knowledge.models import SectorDef, UseCase
from assistant.knowledge.reader import Knowledge
from assistant.understanding.text import keyword_tokens

# Share of the message's words found in the use case, plus its dense similarity over a floor;
# calibrated on the dev conversations' need statements (see docs/benchmarks.md).
MIN_SCORE = 0.3
GENERAL = "general"  # the neutral path of a business outside the list
DENSE_FLOOR, DENSE_SPAN = 0.8, 0.1
_GENERIC = frozenset(
    keyword_tokens(
        "ia inteligencia artificial negocio quiero puedo como hago cliente clientes mas mejor "
        "tengo somos usar sirve ayuda dia "
        # wishes as owners spell them ("kiero", "ocupamos que…"): the want, not its subject
        "kiero keremos queremos quisiera ocupo ocupamos necesito necesitamos nececito nesesito "
        "hagamos hacemos tenemos"
    )
)


def _text(uc: UseCase) -> str:
    return f"{uc.title} {uc.problem} {uc.what_ai_does} {uc.first_step}"


@lru_cache(maxsize=1024)
def _tokens(uc_id: str, text: str) -> frozenset[str]:
    return frozenset(keyword_tokens(owner_words(text)))


def fit_score(said: Set[str], uc: UseCase, dense: Mapping[str, float]) -> tuple[float, float]:
    """How well `uc` fits what was said: (score, share of the words it holds)."""
    wanted = set(said) - _GENERIC
    have = _tokens(uc.id, _text(uc))
    cover = len(wanted & have) / len(wanted) if wanted else 0.0
    d = dense.get(uc.id)
    closeness = max(0.0, min(1.0, (d - DENSE_FLOOR) / DENSE_SPAN)) if d else 0.0
    return 0.6 * cover + 0.4 * closeness, cover


def best_use_case(
    said: Set[str],
    knowledge: Knowledge,
    sector: str | None,
    dense: Mapping[str, float],
    size: str | None = None,
    skip: Set[str] = frozenset(),
) -> tuple[SectorDef, UseCase, float] | None:
    """The user's sector's use case that best fits what the message says (`said`: its match
    tokens, in the owner's words read as the knowledge's), if any fits well enough.

    With no sector known, or a business outside the list (the general path), every sector's
    use cases compete, and the bar is higher. An idea written for another business size
    (a production line for a workshop of two) never answers.
    """
    wanted = set(said) - _GENERIC
    if not wanted:
        return None
    own = knowledge.sectors.get(sector or "")
    sectors = [own] if own is not None and own.id != GENERAL else list(knowledge.sectors.values())
    bar = MIN_SCORE if len(sectors) == 1 else MIN_SCORE + 0.15
    best: tuple[float, SectorDef, UseCase] | None = None
    for s in sectors:
        for uc in s.use_cases:
            if not uc.fits_size(size) or uc.id in skip:
                continue
            score, _ = fit_score(wanted, uc, dense)
            if best is None or score > best[0]:
                best = (score, s, uc)
    if best is None or best[0] < bar:
        return None
    return best[1], best[2], best[0]
