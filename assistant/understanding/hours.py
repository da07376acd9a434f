"""Weekly hours the owner can give to learning: "2 horitas al día", "unas 3 a la semana"."""

from __future__ import annotations

import re

from assistant.understanding import profile_data as data
from assistant.understanding.figures import NUM, to_number
from assistant.understanding.profile_data import RULES

_HOURS_RX = re.compile(  # "2 horitas", "3 hrs", "media horita", "hora y media", "2 oras"
    rf"\b(?:(?P<a>{NUM})\s*(?:(?:o|a|-)\s*(?:{NUM})\s*)?"
    r"(?P<u>h?or(?:a|ita)s?|hrs?|h|minutos?|minutitos?|mins?)\b"
    r"(?P<half> y media)?|(?P<m>media) h?or(?:a|ita)\b|(?P<hm>h?or(?:a|ita) y media)\b)"
)
# A number with no unit, right before a period: "unas 2 a la semana", "1 al dia".
_PERIOD = re.compile(
    r"(?:a la|por|x|cada|en la|la) semana\b|semanal|(?:al|por|x|cada) dia\b|diari[oa]"
)
_BARE_RX = re.compile(rf"\b(?P<a>{NUM})(?:\s*(?:o|a|-)\s*(?:{NUM}))?\b")
_HOURS_WORD = re.compile(  # the message is about time to learn
    r"\b(?:h?oras?|h?oritas?|hrs?|tiempo|dedic\w*|aprend\w*|estudi\w*|capacit\w*|libres?)\b"
)
_DAYS = re.compile(rf"\b({NUM}) dias (?:a la|por|x|cada|de la|en la) semana\b")


def _bare_hours(text: str, asked: bool) -> list[re.Match[str]]:
    """Unitless amounts read as hours: "unas 2 a la semana" in a short reply or after "¿horas?"."""
    if not (asked or len(text.split()) <= 8 or _HOURS_WORD.search(text)):
        return []
    end = RULES["sentence_end"]
    found = []
    for m in _BARE_RX.finditer(text):
        # Commas don't end the reply: "no, mejor 2, con 5 no me da la vida" is 2.
        before = re.findall(r"\w+", end.split(text[: m.start()])[-1].split(",")[-1])
        after = re.findall(r"\w+", end.split(text[m.end() :])[0].split(",")[0])
        periodic = bool(_PERIOD.match(" ".join(after)))
        # Without a period ("2", "unas 3 nomas") the number is hours only as the asked-for reply.
        alone = asked and set(after) <= data.HOURS_FILLER
        if set(before) <= data.HOURS_FILLER and (periodic or alone):
            found.append(m)
    return found


def weekly_hours(text: str, short: bool, asked: bool = False) -> float | None:
    end = RULES["sentence_end"]
    matches = list(_HOURS_RX.finditer(text))
    for m in [*matches, *([] if matches else _bare_hours(text, asked))]:
        if data.WORK_CUES.intersection(text[: m.start()].split()[-4:]):
            continue
        bare = m.re is _BARE_RX
        if bare:
            amount = to_number(m["a"])
        else:
            amount = (
                0.5 if m["m"] else 1.5 if m["hm"] else to_number(m["a"]) + (0.5 if m["half"] else 0)
            )
            amount = amount / 60 if (m["u"] or "").startswith("min") else amount
        sentence = end.split(text[: m.start()])[-1] + " " + end.split(text[m.end() :])[0]
        said = {
            k
            for k in ("per_day", "weekdays", "weekend", "per_week", "per_month")
            if RULES[k].search(sentence)
        }
        if "per_month" in said:
            weekly = amount / 4.3
        elif days := _DAYS.search(sentence):
            weekly = amount * to_number(days.group(1))
        elif "per_day" in said:
            # A daily amount "on weekends" counts twice; on weekdays five times.
            weekly = amount * (5 if "weekdays" in said else 2 if "weekend" in said else 7)
        elif said:
            # "los fines de semana 2 horas" reads as 2 h in total: under-promising keeps plans doable.
            weekly = amount
        elif asked or (not bare and (short or data.AVAILABLE.intersection(sentence.split()))):
            weekly = amount
        else:
            continue
        # An unprompted bare number above 20 h is more likely sales or clients than study time.
        if 0 < weekly <= (20 if bare and not asked else 60):
            return round(weekly, 1)
    return 1.0 if RULES["no_time"].search(text) else None
