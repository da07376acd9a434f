"""Everything one turn knows before the answer is written; both composers read the same one."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.schemas import BusinessProfile, Recommendations, Source
from assistant.understanding.intents import Intent


@dataclass
class Evidence:
    """A sentence taken from a numbered source, to answer a direct question."""

    text: str
    n: int


@dataclass
class TurnContext:
    message: str
    intent: Intent
    profile: BusinessProfile
    channel: str = "web"
    changed: list[str] = field(default_factory=list)
    corrected: bool = False
    recommendations: Recommendations = field(default_factory=Recommendations)
    sources: list[Source] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    follow_up: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    is_question: bool = False
    explicit_question: bool = False
    llm_available: bool = True  # asked as a question, not only a description
    confident: bool = True
    in_domain: bool = True
    show_recommendations: bool = False
    handoff_contact: str = ""
    history: list[tuple[str, str]] = field(default_factory=list)
