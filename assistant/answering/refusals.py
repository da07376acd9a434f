"""Refusal and referral: when nothing here answers, say so and who does (the institution the
question names, the product's own site, the topic's institution, else Economía)."""

from __future__ import annotations

import re

from assistant.answering.catalog import asks_for_courses
from assistant.answering.curated import (
    CIVIL_PROTECTION,
    CIVIL_REGISTRY,
    ECONOMIA,
    HEALTH_REMAINS,
    MATCH,
    MUNICIPALITY,
    STATE_ECONOMY,
    STATE_FINANCE,
    STATE_VEHICLES,
    Referral,
    civil_protection,
    facets,
    for_state,
    institution_for,
    institutions_in,
    municipality,
    names_in,
    names_state_program,
    referral_for,
)
from assistant.answering.evidence import question_of
from assistant.answering.grounded import GroundedAnswers
from assistant.schemas import BusinessProfile, Topic
from assistant.turn import Answer, Refusal
from assistant.understanding.places import find_state
from assistant.understanding.text import clip, fold, keyword_tokens, stopwords

# Below this share of a follow-up's words said by the last entry, a follow-up naming another
# institution asks about that institution's business, not about the entry.
ELSEWHERE = 0.5
# "¿Cuánto cuesta Shopify?", "cuánto me cobra clip": the thing right after the price verb.
_PRICE_OF = re.compile(
    r"\bcuanto (?:me |nos |te |le |les )?(?:cuesta|cuestan|sale|salen|cobra|cobran) "
    r"(?:el |la |los |las |un |una )?(?:plan |app |aplicacion |servicio )?(?:de |del )?"
    r"([a-z][a-z0-9.-]{2,})"
)


def _same_office(ref: Referral, topic: Topic) -> bool:
    """Whether `ref` is who handles `topic` ("la Secretaría Anticorrupción…" and the entry's
    "Secretaría Anticorrupción…"; the same site)."""
    if ref.url and topic.refer_url and ref.url.rstrip("/") == topic.refer_url.rstrip("/"):
        return True
    mine, theirs = fold(ref.name), fold(topic.refer_name)
    return bool(theirs) and (theirs in mine or mine in theirs)


class Referrals(GroundedAnswers):
    """Honest refusals that point to whoever handles what is asked."""

    def _refusal(
        self, message: str, last: Topic | None, follow: bool, profile: BusinessProfile
    ) -> Answer:
        """Nothing answers: say so, and who does (the topic's institution on a follow-up)."""
        fallback = None
        if last is not None and follow and last.refer_name:
            fallback = Referral(last.refer_name, last.refer_url)
        ref = self._referral(message, profile, fallback)
        topic = last
        if ref not in (fallback, ECONOMIA):
            # Who handles what this message asks: the topic a follow-up leans on.
            label = clip(message, 200)
            topic = Topic(kind="refusal", label=label, refer_name=ref.name, refer_url=ref.url)
        return Answer(
            confident=False,
            kind="refusal",
            refusal=Refusal(reason="no_source", refer_name=ref.name, refer_url=ref.url),
            topic=topic,
        )

    def _referral(
        self, message: str, profile: BusinessProfile, fallback: Referral | None = None
    ) -> Referral:
        """Who handles what we can't answer: the institution or company the question names
        (the municipality by name when the city is known), else the product asked about by
        its own site, else the topic's institution or Economía."""
        ref = institution_for(message)
        named = find_state(message)
        if ref is MUNICIPALITY:
            return municipality((named[1] if named else None) or profile.city)
        if ref is CIVIL_PROTECTION:
            return civil_protection((named[1] if named else None) or profile.city)
        if ref is HEALTH_REMAINS:
            # The body is where the funeral home is: "el finado que trajeron de Puebla" is
            # cremated, and its permit given, in the owner's state.
            return for_state(ref, profile.state or (named[0] if named else None))
        if ref in (STATE_VEHICLES, CIVIL_REGISTRY, STATE_FINANCE):
            return for_state(ref, named[0] if named else profile.state)
        if ref is None and names_state_program(message):
            return for_state(STATE_ECONOMY, named[0] if named else profile.state)
        if ref is None and (product := self._unknown_product(message)):
            return Referral(f"{product}, en su página oficial", "")
        return ref or fallback or ECONOMIA

    def _unknown_product(self, message: str) -> str | None:
        """ "¿Cuánto sale Shopify al mes?": the thing whose price is asked, when no entry ever
        names it (a word the entries use is a subject we know, not a product)."""
        m = _PRICE_OF.search(fold(message))
        if m is None:
            return None
        word = m.group(1)
        if word in stopwords() or set(keyword_tokens(word)) & self.curated.vocabulary:
            return None
        return word[:1].upper() + word[1:]

    def _place_not_covered(self, message: str, found: Answer) -> Answer | None:
        """ "¿En qué dirección está el centro de examen en Hermosillo?": a curated answer that
        never names the place asked about doesn't hold that detail; say so, and who has it."""
        if "place" not in facets(message) or found.topic is None:
            return None
        # The place the question names, not where the business is ("tengo un cyber en
        # Hermosillo y quiero la certificación, ¿dónde se presenta el examen?").
        named = find_state(question_of(message))
        entry = self.knowledge.faq.get(found.topic.ids[0]) if found.topic.ids else None
        if not named or entry is None or entry.states:
            return None
        state, city = named
        text = fold(" ".join(e.text for e in found.evidence))
        if fold(city or state) in text:
            return None
        ref = entry.refer_to
        # The entry's own institution has the detail (Pearson VUE lists its test centres).
        where = Referral(ref.name, str(ref.url)) if ref else referral_for(message)
        return Answer(
            confident=False,
            kind="refusal",
            refusal=Refusal(reason="no_source", refer_name=where.name, refer_url=where.url),
            topic=found.topic,
        )

    def _still_refused(self, query: str, last: Topic) -> bool:
        """Whether a follow-up to a refusal only asks an aspect of what was refused ("¿y cuánto
        tarda?", "¿y dónde queda la oficina?"), not a new subject ("¿y ChatGPT cuánto cuesta?",
        "¿hay cursos gratis?") nor another institution's."""
        if institutions_in(query) - institutions_in(last.label) or names_state_program(query):
            return False
        new = self.curated.subject(query) - self.curated.tokens(last.label)
        if not new:
            return True
        if asks_for_courses(query) and not asks_for_courses(last.label):
            return False  # courses are always ours to answer ("ok y cursos pa ellas hay?")
        if len(new) > 1 or names_in(query):
            return False
        ranked = self.curated.rank(query, {})
        return not ranked or ranked[0].lexical < MATCH

    def _turns_elsewhere(self, query: str, last: Topic, ref: Referral) -> bool:
        """Whether a follow-up turns to another institution's business: one the last entry is
        not about (it may mention it in passing) and whose words that entry mostly doesn't
        say ("¿y el IMSS lo cubre?" after the apprentices' answer stays on it)."""
        eid = last.ids[0]
        if _same_office(ref, last) or self.curated.centred_on(eid, ref):
            return False
        said = self.curated.subject(query)
        return bool(said) and self.curated.covers(said, [eid]) < ELSEWHERE
