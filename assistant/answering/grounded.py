"""What every part of the answerer stands on: the knowledge, the curated index and the retriever,
when a curated match is good enough, and how curated entries become an answer with its sources."""

from __future__ import annotations

import datetime as dt

from assistant.answering.curated import (
    MATCH,
    SOFT,
    CuratedAnswers,
    CuratedMatch,
)
from assistant.answering.sentences import gist
from assistant.knowledge.models import FaqEntry
from assistant.knowledge.reader import Knowledge
from assistant.retrieval.hybrid import Filters, HybridRetriever
from assistant.schemas import Source, Topic
from assistant.turn import Answer, Evidence
from assistant.understanding.text import clip, spanish_day

FAQ_CANDIDATES = 40
SNIPPET = 220  # what a source shows of itself (and what the LLM composer reads of it)
# Two curated answers in one reply ("¿cuánto cuesta y viene en español?"): how much of the
# first and of the second is shown, in whole sentences.
STACKED = (400, 280)
# A follow-up that leans on the last curated answer stays on its subject with this score.
FOLLOW_MATCH = 0.45


def _accepted(m: CuratedMatch, follow_up: bool = False) -> bool:
    """A curated match good enough to answer with; a follow-up on the subject just discussed
    ("¿y quién me la da?") needs less, as long as the entry speaks of what it asks (the
    subject's own words, added to a follow-up, say nothing of that)."""
    if follow_up and m.score >= FOLLOW_MATCH and m.lexical >= 0.3 and m.covered >= 0.5:
        return True
    return m.score >= MATCH or (m.score >= SOFT and (m.dense >= 0.885 or m.lexical >= 0.6))


class GroundedAnswers:
    """Answers grounded in what `knowledge/` and the index hold."""

    def __init__(self, knowledge: Knowledge, retriever: HybridRetriever) -> None:
        self.knowledge = knowledge
        self.retriever = retriever
        self.curated = CuratedAnswers(knowledge.faq)

    def _dense(self, query: str, kind: str) -> dict[str, float]:
        """Dense similarity per document id; the query vector is the turn's (memoised)."""
        return self.retriever.dense_by_document(query, FAQ_CANDIDATES, Filters(kind=kind))

    def _from_curated(self, matches: list[CuratedMatch], today: dt.date) -> Answer:
        sources: list[Source] = []
        evidence: list[Evidence] = []
        cautions: list[str] = []
        for m in matches:
            e = m.entry
            src = e.sources[0]
            n = len(sources) + 1
            sources.append(
                Source(
                    n=n,
                    title=src.title,
                    url=str(src.url),
                    kind="faq",
                    snippet=clip(" ".join(e.answer.split()), SNIPPET),
                    published=src.date.isoformat(),
                )
            )
            text = e.answer.strip()
            if len(matches) > 1:
                # Two answers in one reply: the gist of each, so the reply stays one screen.
                text = gist(text, STACKED[min(n, len(STACKED)) - 1])
            evidence.append(Evidence(text=text, n=n))
            if e.review_by < today:  # past its review date: still shown, with a caution
                cautions.append(
                    f"Este dato se revisó el {spanish_day(e.verified_on)} y ya toca confirmarlo"
                    + (f" con {e.refer_to.name}." if e.refer_to else ".")
                )
        first: FaqEntry = matches[0].entry
        course_ids = [c for m in matches for c in m.entry.course_ids]
        return Answer(
            sources=tuple(sources),
            evidence=tuple(evidence),
            kind="curated",
            verified_on=first.verified_on,
            caution=cautions[0] if cautions else "",
            topic=Topic(
                kind="faq",
                ids=[m.entry.id for m in matches],
                courses=course_ids,
                label=first.question,
                refer_name=first.refer_to.name if first.refer_to else "",
                refer_url=str(first.refer_to.url) if first.refer_to else "",
            ),
        )
