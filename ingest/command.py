"""`mipyme-ia ingest` / `python -m ingest`: run the pipeline and print the change report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.errors import AssistantError
from assistant.settings import Settings, get_settings
from ingest.pipeline import IngestReport, run_ingest

_LABELS = {
    "added": "nuevo",
    "updated": "actualizado",
    "unchanged": "sin cambios",
    "deleted": "eliminado",
    "failed": "ERROR",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--knowledge", type=Path, default=None, help="carpeta de conocimiento")
    parser.add_argument("--json", action="store_true", help="imprime el reporte como JSON")


def format_report(report: IngestReport) -> str:
    """The human-readable change report."""
    lines = [f"Colección: {report.collection}"]
    for s in report.sources:
        detail = f"+{s.chunks_added} -{s.chunks_deleted} ={s.chunks_unchanged}"
        line = f"  [{_LABELS[s.status]:>12}] {s.source}  ({detail})"
        if s.error:
            line += f"\n                 {s.error}"
        lines.append(line)
    lines.append(
        "Resumen: {a} nuevos, {u} actualizados, {n} sin cambios, {d} eliminados, {f} con error; "
        "{c} fragmentos embebidos en {t:.1f} s.".format(
            a=report.count("added"),
            u=report.count("updated"),
            n=report.count("unchanged"),
            d=report.count("deleted"),
            f=report.count("failed"),
            c=report.chunks_embedded,
            t=report.seconds,
        )
    )
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Exit 0 when everything indexed, 1 when a file failed, 2 when nothing could be indexed."""
    settings = settings or get_settings()
    try:
        report = run_ingest(
            settings, args.knowledge, progress=not args.json and sys.stderr.isatty()
        )
    except AssistantError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return 2
    print(report.model_dump_json(indent=2) if args.json else format_report(report))
    if not report.indexed_anything:
        print("Error: no se pudo indexar ningún archivo.", file=sys.stderr)
        return 2
    return 1 if report.failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Indexa knowledge/.")
    add_arguments(parser)
    return run(parser.parse_args(argv))
