"""Schema of every file under `knowledge/`, shared by ingestion, validation and the recommender.

Layout it validates:
- `knowledge/catalog/courses.yaml`   -> `{courses: [Course, ...]}`
- `knowledge/catalog/paths.yaml`     -> `{paths: [LearningPath, ...]}`
- `knowledge/programs/*.md`          -> Markdown whose front matter is `ProgramFrontMatter`
- `knowledge/sectors.yaml`           -> `{sectors: [SectorDef, ...]}` (every sector and its use cases)
- `knowledge/faq/*.yaml`             -> `{entries: [FaqEntry, ...]}` (curated answers)

Every course, program, sector and curated answer carries `verified_on` (the day a person last
checked it against its source) and `review_by` (the day it must be checked again).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

Level = Literal["fundamental", "intermediate", "advanced"]
Audience = Literal["owner", "employee", "it", "developer"]
Goal = Literal[
    "sell_more",
    "customer_service",
    "save_time",
    "inventory",
    "marketing",
    "finance",
    "retention",
    "maintenance",
    "quality",
]
Confidence = Literal["alta", "media", "baja"]
Activity = Literal["comercio", "industria", "servicios"]
ClassLevel = Literal["bajo", "medio", "alto"]
CostClass = Literal["gratis", "bajo", "medio", "alto"]
# Business size by headcount (official stratification; `Size` of the profile in schemas.py).
BusinessSize = Literal["micro", "pequeña", "mediana", "grande"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]


def _https(url: str) -> str:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc or " " in url:
        raise ValueError(f"URL mal formada o sin https: {url!r}")
    return url


HttpsUrl = Annotated[str, AfterValidator(_https)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Fresh(_Strict):
    """An entry a person verified on a date and must review again by another."""

    verified_on: dt.date
    review_by: dt.date

    @model_validator(mode="after")
    def _review_after_verification(self) -> _Fresh:
        if self.review_by < self.verified_on:
            raise ValueError("review_by no puede ser anterior a verified_on")
        return self


class SourceRef(_Strict):
    """Where a fact was read: a URL and the date of the page (or of our visit)."""

    title: str = Field(min_length=2)
    url: HttpsUrl
    date: dt.date


class Course(_Fresh):
    """One real course, certification, lab or learning program."""

    id: Slug
    title: str = Field(min_length=3)
    title_es: str = Field(min_length=3)
    provider: str
    url: HttpsUrl
    format: Literal["digital self-paced", "instructor-led", "lab", "exam", "program", "guide"]
    level: Level
    # Hours as a number, or None when no source gives them: never guessed.
    duration_hours: float | None = Field(default=None, gt=0, le=500)
    duration_note: str | None = None
    cost: str = Field(min_length=3)
    free: bool | None = None
    languages: list[Literal["es", "en", "pt", "ja", "fr", "de", "ko", "zh", "it", "id"]] = Field(
        min_length=1
    )
    audience: list[Audience] = Field(min_length=1)
    prerequisites: list[Slug] = Field(default_factory=list)
    topics: list[str] = Field(min_length=1)
    summary: str = Field(min_length=40, max_length=600)
    # Whether finishing it gives a certificate, badge or constancia; None when no source says.
    certificate: bool | None = None
    source: str = Field(min_length=5)
    confidence: Confidence


class CourseCatalog(_Strict):
    courses: list[Course] = Field(min_length=1)


class LearningPath(_Strict):
    """An ordered list of course ids for a persona, with the reason for the order."""

    id: Slug
    title: str
    persona: str
    audience: Audience
    sectors: list[Slug] = Field(default_factory=list)
    courses: list[Slug] = Field(min_length=2)
    why: str = Field(min_length=40)


class PathCatalog(_Strict):
    paths: list[LearningPath] = Field(min_length=1)


class Tool(_Strict):
    name: str
    cost: str
    url: HttpsUrl | None = None


class Figure(_Strict):
    """A number quoted by a use case, with its source."""

    text: str
    source: SourceRef


class StepExample(_Strict):
    """An example inside a use case's `first_step` written for some businesses of the sector only
    ("un barandal de herrería" fits a herrería, not a carpintería). The recommender puts the
    item the owner named in its place (`named`, where "{}" is the item), else, for a business whose
    words hold none of `fits`, the neutral wording."""

    text: str = Field(min_length=3)  # as it appears in first_step
    kind: Literal["product", "document"]
    fits: list[str] = Field(default_factory=list)  # words of the businesses it was written for
    named: str = "{}"
    neutral: str = Field(min_length=3)


class UseCase(_Strict):
    id: Slug
    title: str = Field(min_length=5, max_length=120)
    problem: str = Field(min_length=20)
    what_ai_does: str = Field(min_length=20)
    tools: list[Tool] = Field(min_length=1)
    effort: ClassLevel
    cost_class: CostClass
    maturity_min: int = Field(ge=1, le=5)
    first_step: str = Field(min_length=20)
    goals: list[Goal] = Field(min_length=1)
    related_courses: list[Slug] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    # The business sizes the idea fits; empty = any. Only for ideas that clearly need scale (a
    # production line, supervisors) or clearly lack it (the counter, the neighbours, a notebook).
    sizes: list[BusinessSize] = Field(default_factory=list)
    # Words an owner uses that say this idea fits their business ("food truck", "lives"): an idea
    # whose cue the owner wrote goes first among the sector's ideas.
    cues: list[str] = Field(default_factory=list)
    # An idea for some businesses of the sector only (a food truck's, not a fonda's): it goes
    # after the sector's general ideas unless the owner wrote one of its cues.
    niche: bool = False
    # Words that say the idea cannot fit the business the owner described, though the sector
    # holds both (a crop's pests for a tilapia farm, parents for a driving school): left out.
    not_for: list[str] = Field(default_factory=list)
    # Examples of the first step that fit some businesses only, or take the owner's own item.
    step_examples: list[StepExample] = Field(default_factory=list)

    @model_validator(mode="after")
    def _examples_in_step(self) -> UseCase:
        for example in self.step_examples:
            if example.text not in self.first_step:
                raise ValueError(f"step_examples: «{example.text}» no está en first_step")
        return self

    def fits_size(self, size: str | None) -> bool:
        """Whether the idea fits a business of this size (an unknown size fits every idea)."""
        return not (self.sizes and size and size not in self.sizes)


class Sector(_Strict):
    """What the profile extractor needs of a sector: its id, name, words and activity."""

    id: Slug
    name: str
    aliases: list[str] = Field(min_length=1)
    activity: Activity


class ProgramFrontMatter(_Fresh):
    """Front matter of a Plan México / public-support document."""

    id: Slug
    title: str
    summary: str = Field(min_length=20, max_length=400)
    sources: list[SourceRef] = Field(min_length=1)
    published: dt.date
    valid_as_of: dt.date
    confidence: Confidence
    states: list[str] = Field(default_factory=list)
    sectors: list[Slug] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)


class SectorDef(Sector, _Fresh):
    """A kind of business owners have, how they describe it, and its AI use cases."""

    # One or two sentences an embedder can match an owner's description against.
    description: str = Field(min_length=20, max_length=400)
    # How owners actually say it: "tengo una fonda en el mercado", "vendo tacos de canasta".
    examples: list[str] = Field(min_length=3)
    # Businesses that sound like this one and are not ("estancia para abuelitos" is no child
    # day care): a description nearer to one of these than to ours is not this sector.
    near_misses: list[str] = Field(default_factory=list)
    use_cases: list[UseCase] = Field(min_length=3)
    sources: list[SourceRef] = Field(min_length=1)


class SectorCatalog(_Strict):
    sectors: list[SectorDef] = Field(min_length=1)


class Referral(_Strict):
    """The institution that really handles a question, for a refusal or a next step."""

    name: str = Field(min_length=2)
    url: HttpsUrl


class FaqEntry(_Fresh):
    """A curated answer to a question owners ask, in plain Spanish, with its sources."""

    id: Slug
    question: str = Field(min_length=8, max_length=200)
    # The same question the way owners write it: typos, slang, no accents.
    paraphrases: list[str] = Field(min_length=3)
    answer: str = Field(min_length=40, max_length=600)
    topics: list[str] = Field(default_factory=list)
    # State names as written in Spanish ("Oaxaca", "Ciudad de México"); empty means national.
    states: list[str] = Field(default_factory=list)
    sectors: list[Slug] = Field(default_factory=list)
    course_ids: list[Slug] = Field(default_factory=list)
    refer_to: Referral | None = None
    sources: list[SourceRef] = Field(min_length=1)
    confidence: Confidence


class FaqFile(_Strict):
    entries: list[FaqEntry] = Field(min_length=1)
