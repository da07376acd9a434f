"""The `mipyme-ia` command: ingest, serve, chat, search, eval, report, validate, knowledge."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from assistant.errors import AssistantError
from assistant.limits import MAX_MESSAGE_CHARS
from assistant.service import Assistant
from assistant.settings import Settings, get_settings


def _cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.command import run

    return run(args)


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assistant.factory import ensure_writable_dir, needs_data_dir

    settings = get_settings()
    if needs_data_dir(settings):
        # Before any worker starts: a clear Spanish message naming the directory, exit 2.
        ensure_writable_dir(settings.data_dir)
    from api.server import uvicorn_options

    # Slow-client timeouts; forwarded headers only from MIPYME_TRUSTED_PROXIES (api/server.py).
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        **uvicorn_options(),
    )
    return 0


def _build() -> Assistant:
    from assistant.factory import build_assistant
    from assistant.redact import configure_logging

    configure_logging("WARNING")
    return build_assistant(get_settings())


def _print_turn(response, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        print(response.model_dump_json(indent=2))
        return
    print(response.answer)
    if response.sources:
        print("\nFuentes:")
        for s in response.sources:
            print(f"  [{s.n}] {s.title} — {s.url}")
    if response.follow_up:
        print("\nSugerencias: " + " | ".join(response.follow_up))


def _cmd_chat(args: argparse.Namespace) -> int:
    assistant = _build()
    try:
        return _chat(assistant, args)
    finally:
        asyncio.run(assistant.aclose())


def _chat(assistant: Assistant, args: argparse.Namespace) -> int:
    session = args.session
    if args.message:
        response = asyncio.run(assistant.respond(session, args.message, "cli"))
        _print_turn(response, args.json)
        return 0
    print("Mipyme IA — escribe tu mensaje (Ctrl+D o «salir» para terminar).")
    while True:
        try:
            message = input("\nTú: ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if message.lower() in {"salir", "exit", "quit"}:
            return 0
        if not message:
            continue
        response = asyncio.run(assistant.respond(session, message[:MAX_MESSAGE_CHARS], "cli"))
        session = response.session_id
        print("\nMipyme IA:")
        _print_turn(response, args.json)


def _cmd_search(args: argparse.Namespace) -> int:
    from assistant.factory import build_retriever
    from assistant.retrieval.hybrid import Filters

    retriever = build_retriever(get_settings())
    hits = retriever.search(args.query, k=args.k, filters=Filters(kind=args.kind))
    if args.json:
        keys = ("id", "kind", "title", "url", "score", "snippet")
        print(
            json.dumps(
                [h.model_dump(include=set(keys)) for h in hits], ensure_ascii=False, indent=2
            )
        )
        return 0
    if not hits:
        print("Sin resultados. ¿Ya corriste «mipyme-ia ingest»?")
    for i, h in enumerate(hits, 1):
        print(f"{i}. [{h.kind}] {h.title} ({h.score:.4f})\n   {h.url}\n   {h.snippet}")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from assistant.evaluation.suite import collect, headline, to_markdown

    baseline = None
    if args.compare:
        path = Path(args.compare)
        if not path.exists():
            print(f"Error: no existe la línea base {path}.", file=sys.stderr)
            return 2
        baseline = json.loads(path.read_text(encoding="utf-8"))
    report = collect(get_settings(), only=args.only, set_file=args.set_file, split=args.split)
    if args.write_baseline:
        Path("evals/baseline.json").write_text(
            json.dumps(headline(report), indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    markdown = to_markdown(report, baseline)
    if args.markdown:
        Path(args.markdown).write_text(markdown, encoding="utf-8")
    if args.json:
        if baseline is not None:
            report["compare"] = {
                k: {"base": baseline.get(k), "now": v} for k, v in headline(report).items()
            }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(markdown)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    return run_report(get_settings(), as_json=args.json)


def run_report(settings: Settings, as_json: bool = False) -> int:
    """Print the feedback report (or its JSON); 0 even when there is nothing to report."""
    from assistant.evaluation.report import build_report, embedder_for, flagged, render_text
    from assistant.factory import build_session_store

    store = build_session_store(settings)
    try:
        rows = store.list_turn_log()
    finally:
        store.close()
    embed = embedder_for(settings) if any(flagged(r) for r in rows) else None
    report = build_report(rows, embed, threshold=None, top=10)
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render_text(report))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from api.knowledge_cli import add_commands as add_knowledge_commands
    from ingest.command import add_arguments as ingest_arguments

    parser = argparse.ArgumentParser(prog="mipyme-ia", description="Asistente de IA para Mipymes.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="indexa knowledge/ (incremental)")
    ingest_arguments(p)
    p.set_defaults(func=_cmd_ingest)
    p = sub.add_parser("serve", help="levanta la API y el widget")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=_cmd_serve)
    p = sub.add_parser("chat", help="conversa en la terminal")
    p.add_argument("message", nargs="?")
    p.add_argument("--session", default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_chat)
    p = sub.add_parser("search", help="búsqueda híbrida en el índice")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--kind", choices=["course", "program", "use_case", "faq"], default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_search)
    p = sub.add_parser("eval", help="métricas de recuperación, recomendación y conversaciones")
    p.add_argument("--set", dest="set_file", default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--markdown", default=None, help="escribe el reporte en Markdown aquí")
    p.add_argument("--compare", nargs="?", const="evals/baseline.json", default=None)
    p.add_argument("--write-baseline", action="store_true")
    p.add_argument(
        "--only", choices=["retrieval", "personas", "answers", "conversations"], default=None
    )
    p.add_argument(
        "--split",
        choices=["dev", "heldout"],
        default=None,
        help="solo una parte de evals/conversations.yaml",
    )
    p.set_defaults(func=_cmd_eval)
    p = sub.add_parser("report", help="reporte de retroalimentación y preguntas sin respuesta")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_report)
    add_knowledge_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AssistantError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
