"""The answering stage: judge whether retrieval is trustworthy, pick the sentences that answer,
or refuse honestly."""

from __future__ import annotations

import re

from assistant.schemas import SearchHit, Source
from assistant.turn import Answer, Evidence
from assistant.understanding.text import fold, keyword_tokens

# Calibrated on evals/answers.yaml and evals/retrieval.yaml with multilingual-e5-small over the
# full knowledge/ (see docs/benchmarks.md): answerable questions reach dense >= 0.885 with half
# their keywords in a passage, or >= 0.85 with two thirds; questions whose answer we lack
# (IMPI fees, IMSS quotas, bank rates) stay below both.
STRONG_DENSE, STRONG_COVER = 0.885, 0.5
FAIR_DENSE, FAIR_COVER = 0.85, 0.65
_NUMERIC_QUESTION = re.compile(
    r"\b(cuando|cuanto|cuanta|cuantos|cuantas|porcentaje|fecha|monto|precio)\b"
)
# The question sentences of a message ("Tengo una tiendita. ¿Puedo deducir los cursos?").
_QUESTION_PART = re.compile(r"¿[^?]*\?|[^.!?¿\n]*\?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡0-9])")


def _dense(hit: SearchHit) -> float:
    return hit.dense if hit.dense is not None else 0.0


def coverage(query: str, text: str) -> float:
    """Share of the query's keyword stems that occur in text."""
    wanted = set(keyword_tokens(query))
    if not wanted:
        return 0.0
    return len(wanted & set(keyword_tokens(text))) / len(wanted)


def confidence(query: str, hits: list[SearchHit]) -> float:
    """0..1: how sure we are that the top passages answer the query; >= 0.5 means answer."""
    if not hits:
        return 0.0
    dense = max(_dense(h) for h in hits[:3])
    cover = max(coverage(query, h.text) for h in hits[:3])
    if (dense >= STRONG_DENSE and cover >= STRONG_COVER) or (
        dense >= FAIR_DENSE and cover >= FAIR_COVER
    ):
        return round(0.5 + 0.5 * min(1.0, cover), 3)
    return round(min(0.49, dense * cover), 3)


# Sentences that lean on text the user never saw ("aplicando las reglas anteriores", "la tabla").
_DANGLING = re.compile(
    r"\b(anterior(es)?|siguientes?|arriba|abajo|esta tabla|la tabla|este documento|esta seccion|"
    r"como se (menciono|dijo|vio)|ver (la|el|mas)|lo dicho)\b"
)
MAX_SENTENCE = 350


def _readable(sentence: str) -> bool:
    """A whole sentence an owner can read alone: no table row, no dangling reference, no stub."""
    if "|" in sentence or sentence.count("http") > 1:
        return False
    if len(sentence) < 12 or len(sentence) > MAX_SENTENCE:
        return False
    if not sentence[0].isupper() and not sentence[0].isdigit() and sentence[0] not in '¿¡«"':
        return False  # a fragment that starts mid-sentence
    if not sentence.rstrip().endswith((".", "!", "?", ")", "»", '"')):
        return False
    return not _DANGLING.search(fold(sentence))


def _cells(line: str) -> list[str]:
    return [c.strip().replace("**", "") for c in line.strip().strip("|").split("|")]


def _table_rows(lines: list[str]) -> list[str]:
    """A Markdown table as one sentence per row ("Chiapas: 50.7 %."), never raw pipes."""
    header = _cells(lines[0])
    out = []
    for line in lines[1:]:
        cells = _cells(line)
        if not cells or set("".join(cells)) <= set("-: "):
            continue  # the separator row
        if len(cells) == 2:
            out.append(f"{cells[0]}: {cells[1].rstrip('.')}.")
        else:
            named = "; ".join(
                f"{h.lower()} {v}" for h, v in zip(header[1:], cells[1:], strict=False) if v
            )
            out.append(f"{cells[0]}: {named}.")
    return out


def _sentences(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines()[1:] if ln.strip()]
    prose: list[str] = []
    rows: list[str] = []
    table: list[str] = []
    for ln in [*lines, ""]:
        if ln.startswith("|"):
            table.append(ln)
            continue
        if table:
            rows += _table_rows(table)
            table = []
        if ln and not ln.startswith(("Fuente:", "#")):
            prose.append(ln.lstrip("-*• ").replace("**", ""))
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(prose))]
    return [s for s in [*sentences, *rows] if _readable(s)]


def select_evidence(query: str, hits: list[SearchHit], limit: int = 2) -> list[tuple[str, int]]:
    """Up to `limit` sentences (with the index of their hit) that best match the query."""
    scored: list[tuple[float, int, int, str]] = []
    # "¿Cuándo…?", "¿Cuánto…?": the sentence that holds a date or figure is the answer.
    numeric = bool(_NUMERIC_QUESTION.search(fold(query)))
    for hi, hit in enumerate(hits[:4]):
        # A section titled with the question's words ("costo y vigencia") is where answers live.
        section = 0.3 * coverage(query, hit.title)
        for si, sentence in enumerate(_sentences(hit.text)):
            score = coverage(query, sentence) + section - 0.05 * hi - 0.01 * si
            if numeric and any(ch.isdigit() for ch in sentence):
                score += 0.15
            if score > 0:
                scored.append((score, hi, si, sentence))
    best = sorted(scored, key=lambda t: -t[0])[:limit]
    best.sort(key=lambda t: (t[1], t[2]))
    # Whole sentences only (`_sentences` already dropped Markdown emphasis and long ones).
    return [(sentence, hi) for _, hi, _, sentence in best]


# "tengo una vulcanizadora en Tepic, califico pa…?": a clause that tells of the business, in a
# question written without "¿"; "tengo que pagar…" is the question itself.
# A clause that opens asking ("cuánto cuestan", "y dónde…", "se puede…").
_ASKS = re.compile(
    r"^\W*(?:y\s+)?(?:cuant\w*|cuando|donde|como|que|q|cual\w*|quien\w*|se puede|hay|me dan"
    r"|puedo|sirve|aplica)\b"
)
_TOLD = re.compile(
    r"^\s*(?:(?:hola|buenas(?: tardes| noches)?|buenos dias|buen dia|que tal|oiga|oye)[\s,!]+)?"
    r"(?:y\s+)?(?:somos|soy|tengo|tenemos|hacemos|hago|vendo|vendemos|llevo|llevamos|estoy"
    r"|estamos|trabajo|trabajamos|manejo|manejamos|mi negocio|nuestro negocio)\b"
    # "tengo poquitos datos, ¿cómo tomo cursos?": the owner's condition is part of the question.
    r"(?!\s+(?:que|q|obligad|poc[oa]s?|poquit\w*|mala|mal|muy|problemas?|dudas?|miedo|ganas"
    r"|sol[oa]|solamente|nomas|puro|pura|nada de|sin))",
    re.IGNORECASE,
)


# Where the owner heard of it ("…q salió en la tele", "que vi en el face"): no part of what
# is asked.
_HEARD_OF = re.compile(
    r"\s+(?:q|que|k)\s+(?:\w+\s+){0,2}?(?:en|por)\s+(?:la |el |las |los )?(?:tele|television"
    r"|radio|face|facebook|noticias|redes|internet|periodico|mañanera|mananera|tiktok|youtube"
    r"|whats|whatsapp)\b(?=\W*$)",
    re.IGNORECASE,
)


def question_of(message: str) -> str:
    """What to search for: the question itself; the business described around it only dilutes."""
    message = _HEARD_OF.sub("", message).strip() or message
    asked = " ".join(q.strip(" ,;:") for q in _QUESTION_PART.findall(message))
    tail = message[message.rfind("?") + 1 :] if "?" in message else ""
    if asked and _ASKS.match(fold(tail)):
        # "¿La CFE vende paquetes? cuánto cuestan": a second question written without "?".
        asked = f"{asked} {tail.strip()}"
    if "¿" not in message and len(asked) > 3:
        # "hago huaraches en Sahuayo con mis hijos, el sello es gratis, ¿verdad?": the clauses
        # before it that describe the business are not part of the question.
        # "tengo un cyber y quiero sacar la certificación X, ¿dónde se presenta?": what the
        # owner wants after the business is part of the question.
        clauses = re.split(
            r"(?<=,)\s+|\s+(?=y\s+(?:estoy|estamos|somos|soy|tengo|quiero|queremos|quisiera"
            r"|me interesa|nos interesa|necesito|necesitamos)\b)",
            asked,
        )
        while len(clauses) > 1 and _TOLD.match(clauses[0]):
            clauses = clauses[1:]
        asked = " ".join(c.strip(" ,;:") for c in clauses)
    return asked if len(asked) > 3 else message


def answer_from(query: str, hits: list[SearchHit], in_domain: bool) -> Answer:
    """Cited sentences from `hits` when they answer `query` with confidence, else a refusal."""
    score = confidence(query, hits)
    # Outside our domain, only a near-certain match is worth answering.
    if score < 0.5 or (not in_domain and score < 0.7):
        return Answer(confident=False)
    chosen = select_evidence(query, hits)
    sources, numbers = cite([], [hits[i] for _, i in chosen])
    evidence = tuple(Evidence(text=text, n=n) for (text, _), n in zip(chosen, numbers, strict=True))
    return Answer(sources=tuple(sources), evidence=evidence, confident=bool(evidence))


def cite(
    sources: list[Source], hits: tuple[SearchHit, ...] | list[SearchHit]
) -> tuple[list[Source], list[int]]:
    """`sources` plus one numbered source per new article among `hits`, and each hit's number.

    An article is cited once, whatever section of it we read.
    """
    out = list(sources)
    numbers: list[int] = []
    for hit in hits:
        known = next((s.n for s in out if s.url == hit.url), None)
        if known is None:
            known = len(out) + 1
            out.append(
                Source(
                    n=known,
                    title=hit.title,
                    url=hit.url,
                    kind=hit.kind,
                    snippet=hit.snippet,
                    published=hit.metadata.get("published") or None,
                )
            )
        numbers.append(known)
    return out, numbers
