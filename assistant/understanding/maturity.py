"""Digital maturity: the tools an owner says they use (signals) and the level and reason read from
them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.schemas import BusinessProfile
from assistant.understanding import profile_data as data
from assistant.understanding.places import Clause

# "WA" in the signal patterns is any spelling of WhatsApp.
_W = r"(?:whats?app|whatsap|whats|wasap|guasap|wats?ap|watsap|wsp)"
_SIGNALS = {
    row[0]: (int(row[1]), row[2], re.compile(row[3].replace("WA", _W)))
    for row in data.table(data.SIGNALS)
}

_SIGNAL_ORDER = {name: i for i, name in enumerate(_SIGNALS)}


def _join(items: list[str], last: str = "y") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def maturity(signals: Iterable[str]) -> tuple[int | None, str | None]:
    """Digital maturity 1-5 and a one-line Spanish reason, from the accumulated signals."""
    sig = {s for s in signals if s in _SIGNALS}
    if not sig:
        return None, None
    level = 5 if {"website", "online_sales", "uses_ai"} <= sig else max(_SIGNALS[s][0] for s in sig)
    hidden = {"smartphone"} if sig & {"whatsapp", "whatsapp_business"} else set()
    hidden |= {"whatsapp", "no_computer"} if "whatsapp_business" in sig else {"no_computer"}
    # Ties go by the table's order, not the set's: string hashes change from one process to the
    # next, and the same owner must read the same reason on the web and on WhatsApp.
    have = sorted(sig - hidden, key=lambda s: (-_SIGNALS[s][0], _SIGNAL_ORDER[s]))[:3]
    if not have:
        return level, data.NO_COMPUTER_REASON
    uses = "Usas " + _join([_SIGNALS[s][1] for s in sorted(have, key=lambda s: _SIGNALS[s][0])])
    if level == 5:
        return level, f"{uses}: ya tienes una base digital sólida."
    todo = [t for s, t in data.NEXT[level] if s not in sig and not (s == "erp" and "crm" in sig)]
    return level, f"{uses}, pero todavía no {_join(todo, 'ni')}." if todo else f"{uses}."


def read_signals(clauses: list[Clause], current: list[str], fixing: bool) -> list[str]:
    """The tools the owner uses after these clauses: each one named is added; one named after a
    negation ("no uso excel") is taken off only in a correction or with "ya no"."""
    signals = list(current)
    for clause in (c for c in clauses if not c.question):
        line = " ".join(clause.words)
        for sig, (_, _, rx) in _SIGNALS.items():
            for m in rx.finditer(line):
                before = re.split(r"\b(?:pero|aunque|sino|y)\b", line[: m.start()])[-1]
                if sig == "no_computer" or not data.NOT_USED.intersection(before.split()[-4:]):
                    signals += [] if sig in signals else [sig]
                elif sig in signals and (fixing or "ya no" in line):
                    signals.remove(sig)
    return signals


# Signals only someone at a computer gives; the phone, WhatsApp, social media or invoices can be
# somebody else's job ("mi hija me ayuda con el face").
AT_A_COMPUTER = frozenset(
    {"spreadsheet", "cloud_tools", "office_automation", "programming", "erp", "crm"}
)
# Course topics (folded) of a first course on the computer itself.
COMPUTER_BASICS_TOPICS = ("computacion basica", "uso de la computadora", "alfabetizacion digital")


def new_to_computers(profile: BusinessProfile) -> bool:
    """Someone who has never used a computer, even if the phone, WhatsApp or a relative's
    Facebook make the business look more digital ("no sé ni prender la compu, nomás uso el
    whats", "mis empleados no le entienden a la compu"): the computer comes first."""
    if (profile.maturity or 2) <= 1:
        return True
    signals = set(profile.signals)
    return "no_computer" in signals and not signals & AT_A_COMPUTER
