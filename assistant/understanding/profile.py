"""Builds the business profile from chat turns: sector, size, place, digital maturity, goals, time."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal, cast

from assistant.knowledge.models import Sector
from assistant.schemas import BusinessProfile, Size
from assistant.understanding import profile_data as data
from assistant.understanding.places import (
    Clause,
    PhraseIndex,
    find_location,
    is_place,
    split_clauses,
)
from assistant.understanding.text import normalize, respell

# A role read from text; "it_helper" is someone who looks after the computers.
RoleRead = Literal["owner", "employee", "it", "developer", "it_helper"]


def _table(block: str) -> list[list[str]]:
    return [line.split(" | ") for line in block.strip().splitlines()]


def _patterns(block: str) -> dict[str, re.Pattern[str]]:
    return {key: re.compile(rx) for key, rx in _table(block)}


_FALLBACK = _table(data.SECTORS)
_FALLBACK_SECTORS = [
    Sector(id=sid, name=name, aliases=aliases.replace("~", "").split(", "), activity=activity)
    for sid, activity, name, aliases in _FALLBACK
]
_WEAK = {normalize(a[1:]) for row in _FALLBACK for a in row[3].split(", ") if a.startswith("~")}

_UNITS, _TENS = data.UNITS, data.TENS
_NUMS = {w: i for i, w in enumerate(_UNITS, 1)} | {w: 10 * i for i, w in enumerate(_TENS, 3)}
_NUMS |= {"un": 1, "una": 1, "veintiun": 21, "veintiuna": 21, "cien": 100}
NUM = (
    rf"\d+(?:[.,]\d+)?|(?:{'|'.join(_TENS)}) y (?:{'|'.join(_UNITS[:9])}|una|un)|un par de|"
    + "|".join(sorted(_NUMS, key=len, reverse=True))
)


def _num(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", s):  # "1,200" is a headcount, "1,5" is hours
        return float(re.sub(r"\D", "", s))
    if s[0].isdigit():
        return float(s.replace(",", "."))
    return 2.0 if s == "un par de" else float(sum(_NUMS[w] for w in s.split(" y ")))


_APPROX = r"(?:(?:como|unos|unas|alrededor de|aproximadamente|casi|mas o menos|cerca de|mas de) )?"
_STAFF = (
    r"(?:emplead[oa]s?|trabajador(?:es|as?)?|colaborador(?:es|as?)?|ayudantes?|chalan(?:es)?|"
    r"meser[oa]s?|cociner[oa]s?|vendedor(?:es|as?)?|operari[oa]s?|auxiliar(?:es)?|personal)"
)
_HELP = r"(?:chav[oa]s?|muchach[oa]s?|personas?|gente|chamac[oa]s?)"
_EMPLOYEE_RX = [
    re.compile(rf"\b({NUM}) {_STAFF}\b"),
    re.compile(
        rf"\b(?:tengo|tenemos|somos|son|trabajan|con) {_APPROX}({NUM}) {_HELP}\b(?! al| por| cada)"
    ),
    re.compile(rf"\bsomos {_APPROX}(?!una?\b|uno\b)({NUM})\b(?! (?:años|anos|meses|dias|veces)\b)"),
    re.compile(rf"\bequipo de {_APPROX}({NUM})\b"),
]
_HIRING = set("busco buscando necesito contratar ocupo quiero requiero faltan falta".split())
_KIN = (
    r"(?:esposa|esposo|pareja|mujer|marido|señora|senora|viej[oa]|herman[oa]s?|hij[oa]s?|mama|"
    r"papa|madre|padre|soci[oa]s?|suegr[oa]|cuñad[oa]s?|cunad[oa]s?|prim[oa]s?|ti[oa]s?|novi[oa]|"
    r"sobrin[oa]s?|amig[oa]s?|compadre|comadre)"
)
_KIN_ONE = rf"(?:con )?mis? (?:(?:{NUM}) )?{_KIN}"
_FAMILY_RX = re.compile(
    rf"\b((?:{_KIN_ONE}(?:, | y ))+)yo\b|\byo (?:y|con) ((?:{_KIN_ONE},? ?(?:y )?)+)"
)
_SOLO_RX = re.compile(
    r"\b(?:trabajo|estoy|atiendo|chambeo|lo atiendo|la atiendo) sol[oa]\b(?! (?:los|las|el|la|por|"
    r"de|medio|unas?|un|entre|en (?:las|la|el)|lunes|martes|miercoles|jueves|viernes|sabados?|"
    r"domingos?|fines?|mañanas|tardes|noches|\d))"
    r"|\b(?:yo sol[oa]|sol[oa] yo|nada mas yo|nadamas yo|nomas yo|unicamente yo|solamente yo)\b"
    r"(?=\s*(?:$|[,.;!?]|y\b|atiendo|trabajo|llevo|hago|lo\b|la\b|le\b|en (?:el|la|mi)\b|sin\b))"
    r"|\b(?:no tengo|no tenemos|sin|ningun|ni un) (?:emplead|trabajador|ayudante|personal)"
)


def _employees(text: str) -> int | None:
    found = []
    for rx in _EMPLOYEE_RX:
        for m in rx.finditer(text):
            if not _HIRING.intersection(text[: m.start()].split()[-3:]):
                found.append((m.start(), _num(m.group(1))))
    if found:
        return max(1, int(max(found)[1]))  # the last figure stated wins
    if family := _FAMILY_RX.search(text):
        kin = re.findall(rf"\b(mis?) (?:({NUM}) )?{_KIN}", family.group(1) or family.group(2))
        return 1 + sum(int(_num(n)) if n else (2 if mi == "mis" else 1) for mi, n in kin)
    return 1 if _SOLO_RX.search(text) else None


# Official stratification by number of workers (DOF 30-jun-2009). The official formula also
# weighs annual sales (10 % workers + 90 % sales), but in chat we only learn the headcount.
_SIZE_LIMITS = {"comercio": (10, 30, 100), "industria": (10, 50, 250), "servicios": (10, 50, 100)}


def size_for(employees: int, activity: str | None) -> Size:
    """micro/pequeña/mediana/grande for a headcount; unknown activity uses the servicios limits."""
    micro, small, medium = _SIZE_LIMITS.get(activity or "servicios", _SIZE_LIMITS["servicios"])
    if employees <= micro:
        return "micro"
    return "pequeña" if employees <= small else "mediana" if employees <= medium else "grande"


# "WA" in the signal patterns is any spelling of WhatsApp.
_W = r"(?:whats?app|whatsap|whats|wasap|guasap|wats?ap|watsap|wsp)"
_SIGNALS = {
    row[0]: (int(row[1]), row[2], re.compile(row[3].replace("WA", _W)))
    for row in _table(data.SIGNALS)
}


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
    have = sorted(sig - hidden, key=lambda s: -_SIGNALS[s][0])[:3]
    if not have:
        return level, data.NO_COMPUTER_REASON
    uses = "Usas " + _join([_SIGNALS[s][1] for s in sorted(have, key=lambda s: _SIGNALS[s][0])])
    if level == 5:
        return level, f"{uses}: ya tienes una base digital sólida."
    todo = [t for s, t in data.NEXT[level] if s not in sig and not (s == "erp" and "crm" in sig)]
    return level, f"{uses}, pero todavía no {_join(todo, 'ni')}." if todo else f"{uses}."


_GOAL_RX = _patterns(data.GOALS)
_RX = _patterns(data.PATTERNS)
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
    end = _RX["sentence_end"]
    found = []
    for m in _BARE_RX.finditer(text):
        before = end.split(text[: m.start()])[-1].split()
        after = end.split(text[m.end() :])[0].split()
        periodic = bool(_PERIOD.match(" ".join(after)))
        # Without a period ("2", "unas 3 nomas") the number is hours only as the asked-for reply.
        alone = asked and set(after) <= data.HOURS_FILLER
        if set(before) <= data.HOURS_FILLER and (periodic or alone):
            found.append(m)
    return found


def _weekly_hours(text: str, short: bool, asked: bool = False) -> float | None:
    end = _RX["sentence_end"]
    matches = list(_HOURS_RX.finditer(text))
    for m in [*matches, *([] if matches else _bare_hours(text, asked))]:
        if data.WORK_CUES.intersection(text[: m.start()].split()[-4:]):
            continue
        bare = m.re is _BARE_RX
        if bare:
            amount = _num(m["a"])
        else:
            amount = 0.5 if m["m"] else 1.5 if m["hm"] else _num(m["a"]) + (0.5 if m["half"] else 0)
            amount = amount / 60 if (m["u"] or "").startswith("min") else amount
        sentence = end.split(text[: m.start()])[-1] + " " + end.split(text[m.end() :])[0]
        said = {
            k
            for k in ("per_day", "weekdays", "weekend", "per_week", "per_month")
            if _RX[k].search(sentence)
        }
        if "per_month" in said:
            weekly = amount / 4.3
        elif days := _DAYS.search(sentence):
            weekly = amount * _num(days.group(1))
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
    return 1.0 if _RX["no_time"].search(text) else None


def _goals(text: str) -> list[str]:
    rejected = _RX["goal_rejected"]
    return [
        goal
        for goal, rx in _GOAL_RX.items()
        if any(
            not rejected.search(" ".join(text[: m.start()].split()[-4:])) for m in rx.finditer(text)
        )
    ]


_ROLE_RX = _patterns(data.ROLES)


def _role(text: str, owns_sector: bool) -> RoleRead | None:
    for role, rx in _ROLE_RX.items():
        if any(not re.search(r"\bno\s*$", text[: m.start()]) for m in rx.finditer(text)):
            return cast(RoleRead, role)
        if role == "owner" and owns_sector:
            return "owner"
    return None


_CORRECTABLE = {"sector", "employees", "state", "city", "weekly_hours", "role", "signals", "goals"}


def is_profile_request(text: str) -> bool:
    """The user asks what we know about them ("mi perfil", "¿qué sabes de mí?")."""
    return bool(_RX["profile_request"].search(respell(normalize(text))))


@dataclass(frozen=True)
class ProfileUpdate:
    """A new profile plus what changed and whether the user corrected an earlier answer."""

    profile: BusinessProfile
    changed: list[str]
    corrected: bool


class ProfileExtractor:
    """Reads one user message at a time and returns the updated business profile."""

    def __init__(self, sectors: Iterable[Sector] = ()):
        given = {s.id: s for s in sectors}
        fallback = {s.id: s for s in _FALLBACK_SECTORS}
        self.sectors: dict[str, Sector] = fallback | given
        # The sector files' aliases come first, so they win where a word appears in two sectors.
        entries = [(a, s.id) for s in given.values() for a in (*s.aliases, s.name)]
        entries += [(a, s.id) for s in fallback.values() for a in s.aliases]
        self._index = PhraseIndex(entries, blocklist=data.SECTOR_BLOCKLIST, min_fuzzy=6)

    def _sector(self, clauses: list[Clause], short: bool) -> tuple[str, bool] | None:
        best = None
        for ci, clause in enumerate(clauses):
            for hit in self._index.find(clause.words):
                before = clause.words[max(0, hit.start - 4) : hit.start]
                cue = bool(data.BUSINESS_CUES.intersection(before))
                owned = bool(before) and before[-1] in {"mi", "nuestra", "nuestro"}
                if not owned and data.SKIP_CUES.intersection(before[-3:]):
                    continue
                # In questions only an owned business counts; "vivo en Palenque" is a town.
                if not cue and (clause.question or is_place(hit.phrase)):
                    continue
                rank = (cue, hit.phrase not in _WEAK, -ci, -hit.start)
                if best is None or rank > best[0]:
                    best = (rank, hit.value, cue or (short and not clause.question))
        return (best[1], best[2]) if best else None

    def _signals(self, clauses: list[Clause], current: list[str], fixing: bool) -> list[str]:
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

    def update(
        self, profile: BusinessProfile, message: str, asked: Collection[str] = ()
    ) -> ProfileUpdate:
        """Profile after `message`; a new value replaces an old one only when stated explicitly.

        `asked` names the slots the assistant just asked about (see BusinessProfile.missing):
        after "¿cuántas horas…?" a bare "2" or "unas 3" is read as weekly hours.
        """
        text = respell(normalize(message))
        clauses = split_clauses(message)
        short = sum(len(c.words) for c in clauses) <= 5
        fixing = bool(_RX["correction"].search(text))
        new = profile.model_copy(deep=True)

        sector = self._sector(clauses, short)
        if sector and sector[0] != new.sector and (new.sector is None or sector[1]):
            s = self.sectors[sector[0]]
            new.sector, new.sector_name, new.activity = s.id, s.name, s.activity
        if (employees := _employees(text)) is not None:
            new.employees = employees
        if new.employees is not None:
            new.size = size_for(new.employees, new.activity)

        loc = find_location(message)
        if loc and (new.state is None or loc.explicit):
            keep_city = loc.city is None and loc.state == new.state
            new.state, new.city = loc.state, new.city if keep_city else loc.city

        signals = self._signals(clauses, new.signals, fixing)
        if signals != new.signals or (signals and new.maturity is None):
            new.signals = signals
            new.maturity, new.maturity_reason = maturity(signals)

        goals = _goals(text)
        if goals:
            replace = fixing and "tambien" not in text
            new.goals = goals if replace else new.goals + [g for g in goals if g not in new.goals]

        if (hours := _weekly_hours(text, short, "weekly_hours" in asked)) is not None:
            new.weekly_hours = hours
        owns = bool(sector and re.search(r"\b(?:tengo|tenemos) (?:un|una|mi|dos|tres)\b", text))
        if (role := _role(text, owns)) is not None and (role != "it_helper" or new.role != "owner"):
            new.role = "it" if role == "it_helper" else role  # an owner may look after the compu

        changed = [f for f in type(new).model_fields if getattr(new, f) != getattr(profile, f)]
        was = [f for f in changed if f in _CORRECTABLE and getattr(profile, f) not in (None, [])]
        return ProfileUpdate(new, changed, corrected=fixing and bool(was))
