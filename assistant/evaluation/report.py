"""`mipyme-ia report`: what users asked that we could not answer well, grouped for the staff.

Reads the redacted turn log (`SessionStore.list_turn_log`): questions that were refused or
answered with low confidence, and exchanges rated thumbs down. Similar questions are grouped by
average-linkage agglomerative clustering over cosine similarity of local embeddings (or
rapidfuzz's token_set_ratio when no embedder is available), and the most frequent keyword stems
name the topics the knowledge base is missing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from assistant.memory.port import ReportRow
from assistant.settings import Settings
from assistant.understanding.text import clip, keyword_tokens, words

log = logging.getLogger(__name__)

SIMILARITY = 0.87  # e5-small: paraphrases ≥ 0.93, same topic ≈ 0.88, unrelated 0.78–0.85
FUZZY_SIMILARITY = 0.85
LOW_CONFIDENCE = 0.5
MAX_QUESTIONS = 500  # agglomeration is O(n³); the newest distinct questions are enough
Embed = Callable[[list[str]], list[list[float]]]


def flagged(row: ReportRow) -> bool:
    """A question the staff should look at: refused, low confidence or thumbs down."""
    low = row.confidence is not None and row.confidence < LOW_CONFIDENCE
    return row.refused or low or row.rating == "down"


def _normalized(text: str) -> str:
    return " ".join(words(text))


def agglomerate(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage clusters whose mean pairwise similarity stays ≥ threshold."""
    n = len(sim)
    s = np.array(sim, dtype=float)
    np.fill_diagonal(s, -np.inf)
    sizes = np.ones(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    while len(members) > 1:
        i, j = np.unravel_index(int(np.argmax(s)), s.shape)
        if s[i, j] < threshold:
            break
        merged = (sizes[i] * s[i] + sizes[j] * s[j]) / (sizes[i] + sizes[j])  # Lance–Williams
        s[i, :] = merged
        s[:, i] = merged
        s[i, i] = -np.inf
        s[j, :] = -np.inf
        s[:, j] = -np.inf
        sizes[i] += sizes[j]
        members[int(i)] += members.pop(int(j))
    return sorted((sorted(m) for m in members.values()), key=lambda m: (-len(m), m[0]))


def embedding_similarity(texts: list[str], embed: Embed) -> np.ndarray:
    vectors = np.asarray(embed(texts), dtype=float)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    return np.asarray(vectors @ vectors.T)


def fuzzy_similarity(texts: list[str]) -> np.ndarray:
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    folded = [_normalized(t) for t in texts]
    return np.asarray(cdist(folded, folded, scorer=fuzz.token_set_ratio), dtype=float) / 100.0


def _channel_counts(rows: Sequence[ReportRow]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        c = out.setdefault(
            row.channel, {"intercambios": 0, "sin_respuesta": 0, "negativos": 0, "positivos": 0}
        )
        c["intercambios"] += 1
        c["sin_respuesta"] += int(
            row.refused or (row.confidence is not None and row.confidence < LOW_CONFIDENCE)
        )
        c["negativos"] += int(row.rating == "down")
        c["positivos"] += int(row.rating == "up")
    return dict(sorted(out.items()))


def top_topics(texts: Sequence[str], n: int = 10) -> list[dict[str, Any]]:
    """Most frequent keyword stems (once per question), each with its most common word."""
    stems: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = {}
    for text in texts:
        seen: set[str] = set()
        for word in words(text):
            tokens = keyword_tokens(word)
            if not tokens or len(tokens[0]) < 3:  # "da", "va": verbs, not topics
                continue
            stem = tokens[0]
            surface.setdefault(stem, Counter())[word] += 1
            seen.add(stem)
        stems.update(seen)
    return [
        {"raiz": stem, "palabra": surface[stem].most_common(1)[0][0], "preguntas": count}
        for stem, count in stems.most_common(n)
    ]


def _group(
    indices: list[int],
    sim: np.ndarray,
    questions: list[str],
    by_question: dict[str, list[ReportRow]],
) -> dict[str, Any]:
    sub = sim[np.ix_(indices, indices)]
    medoid = indices[int(np.argmax(sub.sum(axis=1)))] if len(indices) > 1 else indices[0]
    members = [r for i in indices for r in by_question[questions[i]]]
    channels = Counter(r.channel for r in members)
    reasons = [r.reason for r in members if r.reason]
    return {
        "veces": len(members),
        "sin_respuesta": sum(
            1
            for r in members
            if r.refused or (r.confidence is not None and r.confidence < LOW_CONFIDENCE)
        ),
        "negativos": sum(1 for r in members if r.rating == "down"),
        "canales": dict(sorted(channels.items())),
        "pregunta": by_question[questions[medoid]][-1].user_text,
        "variantes": [by_question[questions[i]][-1].user_text for i in indices if i != medoid][:5],
        "motivos": list(dict.fromkeys(reasons))[:5],
        "ultima_vez": max(r.created_at for r in members).isoformat(),
    }


def build_report(
    rows: Sequence[ReportRow],
    embed: Embed | None = None,
    threshold: float | None = None,
    top: int = 10,
) -> dict[str, Any]:
    """The whole report as a JSON-able dict (Spanish keys: it is printed for the staff)."""
    rows = list(rows)
    flagged_rows = [r for r in rows if flagged(r)]
    by_question: dict[str, list[ReportRow]] = {}
    for row in sorted(flagged_rows, key=lambda r: r.created_at):
        by_question.setdefault(_normalized(row.user_text) or row.user_text, []).append(row)
    questions = sorted(by_question, key=lambda q: by_question[q][-1].created_at, reverse=True)
    omitted = max(len(questions) - MAX_QUESTIONS, 0)
    questions = questions[:MAX_QUESTIONS]
    texts = [by_question[q][-1].user_text for q in questions]
    method = "sin preguntas"
    groups: list[dict[str, Any]] = []
    if texts:
        sim: np.ndarray | None = None
        if embed is not None:
            try:
                sim = embedding_similarity(texts, embed)
                method = "embeddings"
            except Exception as exc:  # an unreachable embedder must not sink the report
                log.warning("Embeddings unavailable for the report, using rapidfuzz: %s", exc)
        if sim is None:
            sim = fuzzy_similarity(texts)
            method = "rapidfuzz"
        limit = (
            threshold
            if threshold is not None
            else (SIMILARITY if method == "embeddings" else FUZZY_SIMILARITY)
        )
        clusters = agglomerate(sim, limit)
        groups = [_group(c, sim, questions, by_question) for c in clusters]
        groups.sort(key=lambda g: (-g["veces"], -g["negativos"], g["pregunta"]))
    else:
        limit = threshold if threshold is not None else SIMILARITY
    return {
        "generado": datetime.now(UTC).isoformat(timespec="seconds"),
        "intercambios": len(rows),
        "sesiones": len({r.session_id for r in rows}),
        "sin_respuesta": sum(
            1
            for r in rows
            if r.refused or (r.confidence is not None and r.confidence < LOW_CONFIDENCE)
        ),
        "negativos": sum(1 for r in rows if r.rating == "down"),
        "positivos": sum(1 for r in rows if r.rating == "up"),
        "canales": _channel_counts(rows),
        "agrupacion": {"metodo": method, "umbral": limit, "omitidas": omitted},
        "grupos": groups,
        "temas": top_topics([r.user_text for r in flagged_rows], top),
    }


def _table(headers: list[str], rows: list[list[Any]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def _clip(text: str, width: int = 70) -> str:
    return clip(" ".join(text.split()), width)


def render_text(report: dict[str, Any]) -> str:
    """The report as a plain-text terminal table, in Spanish."""
    out = [
        f"Reporte de Mipyme IA — {report['generado']}",
        f"Intercambios registrados: {report['intercambios']} en {report['sesiones']} sesiones. "
        f"Sin respuesta: {report['sin_respuesta']}. Calificaciones: {report['negativos']} "
        f"negativas, {report['positivos']} positivas.",
        "",
    ]
    if not report["intercambios"]:
        out.append("Todavía no hay conversaciones registradas.")
        return "\n".join(out)
    out.append("Por canal")
    out += _table(
        ["canal", "intercambios", "sin respuesta", "negativas", "positivas"],
        [
            [ch, c["intercambios"], c["sin_respuesta"], c["negativos"], c["positivos"]]
            for ch, c in report["canales"].items()
        ],
        right={1, 2, 3, 4},
    )
    grouping = report["agrupacion"]
    out += [
        "",
        f"Preguntas sin respuesta o con calificación negativa, agrupadas "
        f"({grouping['metodo']}, similitud ≥ {grouping['umbral']:.2f})",
    ]
    if not report["grupos"]:
        out.append("Ninguna. ¡Bien!")
    else:
        out += _table(
            ["#", "veces", "sin resp.", "neg.", "canales", "pregunta representativa"],
            [
                [
                    i,
                    g["veces"],
                    g["sin_respuesta"],
                    g["negativos"],
                    ", ".join(g["canales"]),
                    _clip(g["pregunta"]),
                ]
                for i, g in enumerate(report["grupos"], 1)
            ],
            right={0, 1, 2, 3},
        )
        for i, g in enumerate(report["grupos"], 1):
            if g["variantes"]:
                out.append(f"  {i}. también: " + " | ".join(_clip(v, 60) for v in g["variantes"]))
            if g["motivos"]:
                out.append(f"  {i}. motivos: " + " | ".join(_clip(m, 60) for m in g["motivos"]))
        if grouping["omitidas"]:
            out.append(f"(Se omitieron {grouping['omitidas']} preguntas más antiguas.)")
    if report["temas"]:
        out += ["", "Temas más frecuentes sin respuesta"]
        out += _table(
            ["palabra", "raíz", "preguntas"],
            [[t["palabra"], t["raiz"], t["preguntas"]] for t in report["temas"]],
            right={2},
        )
    return "\n".join(out)


def embedder_for(settings: Settings) -> Embed | None:
    """The configured embedder as a batch function, or None when it cannot be built."""
    try:
        from assistant.retrieval.embeddings import LocalE5Embeddings, build_embeddings

        model = build_embeddings(settings)
    except Exception as exc:  # e.g. MIPYME_EMBEDDINGS=openai without a key
        log.warning("No embedder for the report: %s", exc)
        return None
    if isinstance(model, LocalE5Embeddings):
        # e5 wants "query: " on both sides for symmetric question-to-question similarity.
        return lambda texts: [model.embed_query(t) for t in texts]
    return model.embed_documents
