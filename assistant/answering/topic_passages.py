"""A bare follow-up on the subject just answered ("¿y cuántos me dejan tener?", "¿en cuánto tiempo
me dicen?", "¿cuánto dura?") made whole with that subject and looked for in the whole index: the
sentence of a passage on the same subject that states the aspect asked, and that the owner has not
read yet. Used when the curated answer would only say again what was just said, or when nothing
else answers a question that names no subject of its own."""

from __future__ import annotations

import re

from assistant.answering.curated import facets, names_in, owner_words
from assistant.answering.grounded import SNIPPET, GroundedAnswers
from assistant.answering.sentences import sentences
from assistant.schemas import Source, Topic
from assistant.turn import Answer, Evidence
from assistant.understanding.text import clip, fold, keyword_tokens

# How an aspect is stated in a passage's sentence (folded text).
_STATES = {
    "time": re.compile(
        r"\b(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|quince|treinta)"
        r" (?:dias|semanas|meses|horas|anos|minutos)\b|\bhasta el \d"
    ),
    "cost": re.compile(r"\b(?:gratis|gratuit\w*|sin costo|pesos|dolares|usd|cuesta|cuestan)\b"),
    "requirements": re.compile(
        r"\b(?:piden|pide|requisitos?|documentos|identificacion|ine|curp|comprobante|rfc"
        r"|constancia|acta)\b"
    ),
    # "¿Cuántos me dejan tener?": a limit or a number of the subject's things.
    "count": re.compile(r"\bhasta \d+|\b\d+ [a-z]+"),
}
# "¿Cuántos…?" asks a number, unless it asks a time or a price ("¿cuántos días tarda?").
_HOW_MANY = re.compile(r"\bcuant[oa]s\b")
_AGES = re.compile(r"\bde \d+ a \d+ anos\b")
# What a sentence in a passage's markdown carries that is no text.
_MARKUP = re.compile(r"\*\*|__|^\s*(?:[-*•]|\d+\.)\s+", re.MULTILINE)
# Share of a sentence's words already said in the last reply for it to count as said.
SAID = 0.6
# Subject words a passage's title must share with the topic to be on it.
ON_TOPIC_WORDS = 2


def repeated(before: str, now: str) -> float:
    """Share of the word 3-grams of `now` that `before` already had."""

    def grams(text: str) -> set[tuple[str, ...]]:
        w = re.findall(r"[a-z0-9ñ%]+", fold(text))
        return {tuple(w[i : i + 3]) for i in range(max(len(w) - 2, 1))} if w else set()

    mine = grams(now)
    return len(mine & grams(before)) / len(mine) if mine else 0.0


def _asked(query: str) -> set[str]:
    asked = set(facets(query)) & {"time", "cost", "requirements"}
    if not asked and _HOW_MANY.search(owner_words(query)):
        asked.add("count")
    return asked


def states_asked(query: str, text: str) -> bool:
    """Whether `text` states the aspect `query` asks (a time, a price, the papers, a number)."""
    folded = _AGES.sub(" ", fold(text))
    return any(_STATES[a].search(folded) for a in _asked(query))


def _words(text: str) -> set[str]:
    return set(keyword_tokens(text))


class TopicPassages(GroundedAnswers):
    """The aspect of the last topic asked in a bare follow-up, from the indexed passages on it."""

    def _passage_aspect(self, query: str, last: Topic | None, said: str) -> Answer | None:
        """The sentence (or two) of a passage on `last`'s subject that states the aspect `query`
        asks (a time, a price, the papers, how many) and that `said` (the last reply) doesn't
        hold; None when the question names a subject of its own or no passage states it."""
        if last is None or last.kind != "faq" or not last.ids:
            return None
        asked = _asked(query)
        if not asked:
            return None
        label = last.label or self.knowledge.faq[last.ids[0]].question
        # What the topic is about: its entry's question without the words that ask ("¿Cómo
        # puedo recibir aprendices de Jóvenes Construyendo el Futuro?") and its first topic.
        subject = set(self.curated.subject(label)) | set(self.curated.subject_tokens(last.ids))
        # What the question names beside the subject ("¿y cuánto tarda la STPS?", "yo que soy
        # persona física") must be in the sentence: "¿y el az-104 cuánto cuesta?" is not
        # answered by the price of the exam just talked about.
        own = set(names_in(query)) - subject - _words(said)
        # Its other words weigh in the choice of the sentence ("yo que soy persona física").
        more = set(self.curated.subject(query)) - subject
        near = min(ON_TOPIC_WORDS, len(subject))
        if not near:
            return None
        whole = f"{owner_words(query)} {label}"
        asked_words = _words(query) - self.curated.generic
        said_words = _words(said)
        best: tuple[float, str, int] | None = None
        hits = [h for h in self.retriever.search(whole, k=8) if h.kind not in ("faq", "use_case")]
        for n, hit in enumerate(hits):
            if len(_words(hit.title) & subject) < near:
                continue
            text = _MARKUP.sub(" ", hit.text or hit.snippet)
            if hit.title and text.startswith(hit.title):
                text = text[len(hit.title) :]
            for sentence in sentences(text):
                plain = " ".join(sentence.split())
                folded = _AGES.sub(" ", fold(plain))  # "de 18 a 29 años" is no time
                if len(plain) < 25 or not any(_STATES[a].search(folded) for a in asked):
                    continue
                mine = _words(plain)
                if not mine or len(mine & said_words) / len(mine) >= SAID:
                    continue  # the owner just read it
                if own and not own & mine:
                    continue
                score = (
                    len(mine & asked_words) + len(mine & more) + 0.5 * len(mine & subject) - 0.1 * n
                )
                if best is None or score > best[0]:
                    best = (score, plain, n)
        if best is None:
            return None
        _, text, n = best
        hit = hits[n]
        source = Source(
            n=1, title=hit.title, url=hit.url, kind=hit.kind, snippet=clip(text, SNIPPET)
        )
        topic = Topic(kind="faq", ids=list(last.ids), courses=list(last.courses), label=label)
        return Answer(
            sources=(source,), evidence=(Evidence(text=text, n=1),), kind="evidence", topic=topic
        )
