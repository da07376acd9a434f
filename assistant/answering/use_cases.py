"""An idea for the user's own business: the use case of their sector that fits what they ask
("se me juntan las citas", "¿cuánto pan hornear?"). Another business's tip never answers."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.knowledge.models import SectorDef, UseCase
from assistant.knowledge.reader import Knowledge
from assistant.understanding.text import keyword_tokens

# Share of the message's words found in the use case, plus its dense similarity over a floor;
# calibrated on the dev conversations' need statements (see docs/benchmarks.md).
MIN_SCORE = 0.3
DENSE_FLOOR, DENSE_SPAN = 0.8, 0.1
_GENERIC = frozenset(
    keyword_tokens(
        "ia inteligencia artificial negocio quiero puedo como hago cliente clientes mas mejor "
        "tengo somos usar sirve ayuda dia"
    )
)


def _text(uc: UseCase) -> str:
    return f"{uc.title} {uc.problem} {uc.what_ai_does} {uc.first_step}"


def best_use_case(
    message: str,
    knowledge: Knowledge,
    sector: str | None,
    dense: Mapping[str, float],
) -> tuple[SectorDef, UseCase, float] | None:
    """The user's sector's use case that best fits the message, if any fits well enough.

    With no sector known, every sector's use cases compete, and the bar is higher.
    """
    wanted = set(keyword_tokens(message)) - _GENERIC
    if not wanted:
        return None
    sectors = (
        [knowledge.sectors[sector]]
        if sector in knowledge.sectors
        else list(knowledge.sectors.values())
    )
    bar = MIN_SCORE if len(sectors) == 1 else MIN_SCORE + 0.15
    best: tuple[float, SectorDef, UseCase] | None = None
    for s in sectors:
        for uc in s.use_cases:
            have = set(keyword_tokens(_text(uc)))
            cover = len(wanted & have) / len(wanted)
            d = dense.get(uc.id)
            closeness = max(0.0, min(1.0, (d - DENSE_FLOOR) / DENSE_SPAN)) if d else 0.0
            score = 0.6 * cover + 0.4 * closeness
            if best is None or score > best[0]:
                best = (score, s, uc)
    if best is None or best[0] < bar:
        return None
    return best[1], best[2], best[0]
