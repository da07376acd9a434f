"""Builds the business profile from chat turns: sector, size, place, digital maturity, goals, time.

Each slot has its own reader (sector_reading, headcount, places, maturity, goals, english, hours,
role); this module runs them over one message and decides what replaces what.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from assistant.knowledge.models import Sector
from assistant.schemas import BusinessProfile
from assistant.understanding.business_noun import BusinessNouns
from assistant.understanding.corrections import (
    CORRECTABLE,
    OPENS_WITH_FIGURE,
    figure_corrected,
    slot_replaced,
)
from assistant.understanding.english import reads_english
from assistant.understanding.goals import goal_text, rule_goals, unread_wishes
from assistant.understanding.headcount import size_for, stated_size, team_size
from assistant.understanding.hours import weekly_hours
from assistant.understanding.maturity import maturity, read_signals
from assistant.understanding.places import find_location, split_clauses
from assistant.understanding.profile_data import RULES
from assistant.understanding.role import FOR_SOMEONE, read_role
from assistant.understanding.sector_reading import SectorReader
from assistant.understanding.text import UNDERSTAND_CHARS, clip_chars, normalize, respell


def is_profile_request(text: str) -> bool:
    """The user asks what we know about them ("mi perfil", "¿qué sabes de mí?")."""
    return bool(RULES["profile_request"].search(respell(normalize(text))))


# Why a slot changed when the owner's own words set it (ProfileUpdate.sector_how, logs).
SAID_BY_OWNER = "dicho por el dueño"


@dataclass(frozen=True)
class ProfileUpdate:
    """A new profile plus what changed and whether the user corrected an earlier answer."""

    profile: BusinessProfile
    changed: list[str]
    corrected: bool
    # How the sector was read when it changed: the owner's words, by meaning, or denied.
    sector_how: str | None = None


class ProfileExtractor:
    """Reads one user message at a time and returns the updated business profile.

    Sectors come only from knowledge/sectors.yaml: their aliases, and their descriptions in
    `meaning` (the bundled embedder), used when no alias names the business.
    """

    def __init__(self, sectors: Iterable[Sector] = (), meaning: Any = None):
        self.sector_reader = SectorReader(sectors, meaning)
        self.sectors = self.sector_reader.sectors
        self.meaning = meaning
        self.nouns = BusinessNouns(self.sectors.values())

    def names_a_business(self, message: str) -> bool:
        """Whether `message` names a kind of business we know (SectorReader.names_a_business)."""
        return self.sector_reader.names_a_business(message)

    def update(
        self, profile: BusinessProfile, message: str, asked: Collection[str] = ()
    ) -> ProfileUpdate:
        """Profile after `message`; a new value replaces an old one only when stated explicitly.

        `asked` names the slots the assistant just asked about (see BusinessProfile.missing):
        after "¿cuántas horas…?" a bare "2" or "unas 3" is read as weekly hours.
        """
        message = clip_chars(message, UNDERSTAND_CHARS)  # fuzzy place matching grows with it
        text = respell(normalize(message))
        clauses = split_clauses(message)
        short = sum(len(c.words) for c in clauses) <= 5
        fixing = bool(RULES["correction"].search(text))
        new = profile.model_copy(deep=True)

        read, chosen = self.sector_reader.choose(
            self.sector_reader.read(clauses, short, known=new.sector is not None),
            new.sector,
            fixing,
        )
        how = None
        if chosen is None and new.sector in read.denied:
            new.sector = new.sector_name = new.activity = new.business_noun = None
            new.sector_confidence = None
            how = "negado por el dueño"
        if chosen is not None:
            how = (
                SAID_BY_OWNER
                if chosen[1] == 1.0
                else "ninguno se parece: ruta general"
                if chosen[0] == "general"
                else f"lo más parecido (confianza {chosen[1]:.2f})"
            )
            s = self.sectors[chosen[0]]
            new.sector, new.sector_name, new.activity = s.id, s.name, s.activity
            new.sector_confidence = chosen[1]
            new.business_noun = self.nouns.read(message, s.id, guessed=chosen[1] < 1.0)
        recount = None  # a figure corrected in short: "ponle 18", "eran 5 no 4"
        if (employees := team_size(text)) is not None:
            new.employees = employees
        elif (fixing or OPENS_WITH_FIGURE.match(text)) and (
            recount := figure_corrected(text, profile, asked)
        ) is not None:
            if recount[0] == "employees":
                new.employees = recount[1]
        if new.employees is not None:
            new.size = size_for(new.employees, new.activity)
        elif size := stated_size(text):
            new.size = size

        loc = find_location(message, in_questions=False, near=new.state)
        if loc and (new.state is None or loc.explicit or fixing):
            # "estoy en Puebla" after "en Tehuacán": the town read from the state's name is not
            # a new town, unless the owner corrects.
            keep_city = loc.state == new.state and (
                loc.city is None or (loc.by_state_name and new.city is not None and not fixing)
            )
            new.state, new.city = loc.state, new.city if keep_city else loc.city

        signals = read_signals(clauses, new.signals, fixing)
        if signals != new.signals or (signals and new.maturity is None):
            new.signals = signals
            new.maturity, new.maturity_reason = maturity(signals)

        # Someone else's troubles count when the writer writes for them ("escribo por mi papá").
        others = not (FOR_SOMEONE.search(text) or profile.role == "employee")
        goals = rule_goals(goal_text(clauses), others)
        goals_by_meaning = getattr(self.meaning, "goals", None)
        if goals_by_meaning is not None and (wishes := unread_wishes(clauses, others)):
            # Each wish or complaint no rule read, by meaning, in one batch; only then ("se me
            # acaba todo, y nadie sabe que existimos": a rule, then meaning).
            found = goals_by_meaning([w.text for w in wishes], [w.said for w in wishes])
            goals += [g for g in dict.fromkeys(found) if g and g not in goals]
        if goals:
            replace = fixing and "tambien" not in text
            new.goals = goals if replace else new.goals + [g for g in goals if g not in new.goals]

        if (reads := reads_english(clauses)) is not None:
            new.reads_english = reads
        # "no, mejor 2": a correction of the hours given before reads a bare number as hours.
        hours_asked = "weekly_hours" in asked or (
            fixing and profile.weekly_hours is not None and recount is None
        )
        if (hours := weekly_hours(text, short, hours_asked)) is not None:
            new.weekly_hours = hours
        elif recount and recount[0] == "weekly_hours":
            new.weekly_hours = recount[1]
        owns = read.own and (read.sector is not None or chosen is not None)
        role = read_role(text, owns, known=new.role is not None)
        if role is not None and (role != "it_helper" or new.role != "owner"):
            new.role = "it" if role == "it_helper" else role  # an owner may look after the compu

        changed = [f for f in type(new).model_fields if getattr(new, f) != getattr(profile, f)]
        fixed = [
            f for f in changed if f in CORRECTABLE and slot_replaced(getattr(profile, f), new, f)
        ]
        if "city" in changed and profile.state is not None:
            fixed.append("city")  # "no es Tlaxcala, es Apizaco": the town now says where
        return ProfileUpdate(new, changed, corrected=fixing and bool(fixed), sector_how=how)


# Below this, the sector was guessed by meaning: the answer says so instead of asserting it.
SURE_ENOUGH = 0.8


def sector_phrase(profile: BusinessProfile) -> str | None:
    """How an answer names the owner's sector, honest about a guess.

    "tu negocio es del giro restaurantes", "lo más parecido a tu negocio es el giro …", or, for
    the neutral path, that the business is not on our list.
    """
    if not (profile.sector_name or profile.sector):
        return None
    name = (profile.sector_name or profile.sector or "").lower()
    confidence = profile.sector_confidence
    if profile.sector == "general" and confidence is not None and confidence < SURE_ENOUGH:
        return "tu giro no está en mi lista, así que te doy ideas que sirven a cualquier negocio"
    if confidence is not None and confidence < SURE_ENOUGH:
        return f"lo más parecido a tu negocio es el giro {name}"
    return f"tu negocio es del giro {name}"
