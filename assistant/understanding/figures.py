"""Numbers as owners write them: digits, words ("veintiuno", "un par de"), "una docena", and the
words that round them ("como", "unos")."""

from __future__ import annotations

import re

from assistant.understanding import profile_data as data

_UNITS, _TENS = data.UNITS, data.TENS
_NUMS = {w: i for i, w in enumerate(_UNITS, 1)} | {w: 10 * i for i, w in enumerate(_TENS, 3)}
_NUMS |= {"un": 1, "una": 1, "veintiun": 21, "veintiuna": 21, "cien": 100}
NUM = (
    r"(?:una |media )docena|"  # "somos una docena", "media docena contando a mi mamá"
    rf"\d+(?:[.,]\d+)?|(?:{'|'.join(_TENS)}) y (?:{'|'.join(_UNITS[:9])}|una|un)|un par de|"
    + "|".join(sorted(_NUMS, key=len, reverse=True))
)


def to_number(s: str) -> float:
    """The value of a figure NUM matched: "12", "1,200", "veintiuna", "media docena"."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", s):  # "1,200" is a headcount, "1,5" is hours
        return float(re.sub(r"\D", "", s))
    if s[0].isdigit():
        return float(s.replace(",", "."))
    if s.endswith("docena"):
        return 6.0 if s.startswith("media") else 12.0
    return 2.0 if s == "un par de" else float(sum(_NUMS[w] for w in s.split(" y ")))


APPROX = (
    r"(?:(?:como|unos|unas|alrededor de|aproximadamente|casi|mas o menos|cerca de|mas de) ){0,2}"
)
