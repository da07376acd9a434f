"""The evaluation suite behind `mipyme-ia eval` and the notebook: retrieval, recommendation,
answer and conversation metrics; headline and Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.evaluation import retrieval
from assistant.evaluation.conversations import Split
from assistant.settings import Settings

DEFAULT_RETRIEVAL_SET = Path("evals/retrieval.yaml")
DEFAULT_PERSONAS = Path("evals/personas.yaml")
DEFAULT_ANSWERS = Path("evals/answers.yaml")
DEFAULT_CONVERSATIONS = Path("evals/conversations.yaml")


def collect(
    settings: Settings,
    only: str | None = None,
    limit: int | None = None,
    set_file: str | Path | None = None,
    split: Split | None = None,
) -> dict[str, Any]:
    """Run the selected evaluations (all when `only` is None) and return one JSON-able report.

    `limit` keeps the first N personas / questions per group (a quick run from the notebook);
    `split` keeps one part of the conversation set (dev or heldout).
    """
    from assistant.factory import build_assistant

    assistant = build_assistant(settings)
    report: dict[str, Any] = {"index_chunks": assistant.retriever.size}
    if only in (None, "retrieval"):
        path = Path(set_file) if set_file else DEFAULT_RETRIEVAL_SET
        rows = retrieval.evaluate(assistant.retriever, retrieval.load_set(path).questions)
        report["retrieval"] = [r.model_dump() for r in rows]
    if only in (None, "personas") and DEFAULT_PERSONAS.exists():
        from assistant.evaluation import personas

        report["personas"] = personas.evaluate(
            assistant, personas.load(DEFAULT_PERSONAS), limit=limit
        )
    if only in (None, "answers") and DEFAULT_ANSWERS.exists():
        from assistant.evaluation import answers

        report["answers"] = answers.evaluate(assistant, answers.load(DEFAULT_ANSWERS), limit=limit)
    if only in (None, "conversations") and DEFAULT_CONVERSATIONS.exists():
        from assistant.evaluation import conversations

        report["conversations"] = conversations.evaluate(
            assistant,
            conversations.load(DEFAULT_CONVERSATIONS),
            limit=limit,
            split=split,
        )
    return report


def headline(report: dict[str, Any]) -> dict[str, float]:
    """The flat numbers two runs are compared on."""
    flat: dict[str, float] = {}
    for row in report.get("retrieval", []):
        for key in ("hit_at_1", "hit_at_5", "mrr"):
            flat[f"retrieval.{row['mode']}.{key}"] = row[key]
    for section in ("personas", "answers"):
        for key, value in (report.get(section) or {}).get("metrics", {}).items():
            flat[f"{section}.{key}"] = value
    if report.get("conversations"):
        from assistant.evaluation.conversations import headline as conversation_headline

        flat.update(conversation_headline(report["conversations"]))
    return flat


def _conversation_lines(section: dict[str, Any]) -> list[str]:
    """Dev and held-out side by side, per-slot accuracy, then dev failures (held-out: a count)."""
    splits = section.get("splits", {})
    names = [s for s in ("dev", "heldout") if s in splits]
    if not names:
        return []

    def cell(value: Any, key: str = "") -> str:
        # Shares with three decimals; counts and character lengths as whole numbers.
        if value is None:
            return "—"
        if isinstance(value, int) or "length" in key:
            return f"{value:g}"
        return f"{value:.3f}"

    lines = ["## Conversaciones (evals/conversations.yaml)", ""]
    lines += ["| métrica | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key in splits[names[0]]["metrics"]:
        lines.append(
            f"| {key} | "
            + " | ".join(cell(splits[n]["metrics"].get(key), key) for n in names)
            + " |"
        )
    lines += ["", "| campo del perfil | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for slot in splits[names[0]]["slots"]:
        lines.append(
            f"| {slot} | " + " | ".join(cell(splits[n]["slots"].get(slot)) for n in names) + " |"
        )
    for name in names:
        failures = section.get("failures", {}).get(name, [])
        if failures and name == "heldout":
            # Counted, never listed: whoever reads the held-out failures starts tuning on them.
            lines += ["", f"Fallas (heldout): {len(failures)} (no se listan: solo se reportan)."]
        elif failures:
            lines += ["", f"Fallas ({name}, {len(failures)}; primeras 40):"]
            lines += [f"- {f}" for f in failures[:40]]
    return [*lines, ""]


def to_markdown(report: dict[str, Any], baseline: dict[str, float] | None = None) -> str:
    lines = ["# Evaluación de Mipyme IA", ""]
    if report.get("retrieval"):
        lines += [
            "## Recuperación",
            "",
            "| modo | n | hit@1 | hit@5 | MRR |",
            "|---|---|---|---|---|",
        ]
        for r in report["retrieval"]:
            lines.append(
                f"| {r['mode']} | {r['n']} | {r['hit_at_1']:.3f} | {r['hit_at_5']:.3f} | {r['mrr']:.3f} |"
            )
        lines.append("")
    for section, title in (("personas", "Recomendaciones (personas)"), ("answers", "Respuestas")):
        metrics = (report.get(section) or {}).get("metrics")
        if metrics:
            lines += [f"## {title}", "", "| métrica | valor |", "|---|---|"]
            lines += [f"| {k} | {v:.3f} |" for k, v in metrics.items()]
            failures = report[section].get("failures", [])
            if failures:
                lines += ["", "Fallas:", *[f"- {f}" for f in failures[:30]]]
            lines.append("")
    lines += _conversation_lines(report.get("conversations") or {})
    if baseline is not None:
        lines += [
            "## Comparación con la línea base",
            "",
            "| métrica | base | ahora | Δ |",
            "|---|---|---|---|",
        ]
        now = headline(report)
        for key in sorted(set(now) | set(baseline)):
            b, n = baseline.get(key), now.get(key)
            delta = f"{n - b:+.3f}" if b is not None and n is not None else "—"
            lines.append(
                f"| {key} | {b if b is not None else '—'} | {n if n is not None else '—'} | {delta} |"
            )
    return "\n".join(lines) + "\n"
