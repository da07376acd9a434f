"""`mipyme-ia validate` and `mipyme-ia knowledge check`: the knowledge validator for staff."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from assistant.knowledge.check import CheckReport, Problem, check, check_links, entry_urls
from assistant.knowledge.reader import read_knowledge
from assistant.settings import get_settings

_SHOWN = 15  # lines per group on screen; --json has them all


def _root(args: argparse.Namespace) -> Path:
    return Path(args.knowledge) if args.knowledge else get_settings().knowledge_dir


def _print_group(title: str, problems: list[Problem]) -> None:
    print(f"\n{title}: {len(problems)}")
    for p in problems[:_SHOWN]:
        print(f"  - {p.file}: {p.message}")
    if len(problems) > _SHOWN:
        print(f"  … y {len(problems) - _SHOWN} más (usa --json para verlos todos)")


def _print_report(report: CheckReport, links: bool) -> None:
    c = report.counts
    print(
        f"Cursos: {c['courses']} ({c['courses_es']} en español) · giros: {c['sectors']} "
        f"({c['use_cases']} casos de uso) · respuestas curadas: {c['faq']} · "
        f"documentos: {c['programs']} · rutas: {c['paths']}"
    )
    _print_group("Errores de esquema o referencias", report.errors)
    _print_group("Vencidos (pasó su fecha de revisión)", report.stale)
    _print_group("URLs repetidas o sin https", report.urls)
    _print_group("Datos no confirmados o de confianza baja", report.unconfirmed)
    if links:
        _print_group("Enlaces rotos", report.links)


def cmd_validate(args: argparse.Namespace) -> int:
    report = check(read_knowledge(_root(args)))
    if args.json:
        print(
            json.dumps(
                {"ok": report.ok, "errors": report.as_dict()["errors"]},
                indent=2,
                ensure_ascii=False,
            )
        )
    elif report.ok:
        print(
            f"knowledge/ es válido: {report.counts['courses']} cursos, "
            f"{report.counts['sectors']} giros, {report.counts['faq']} respuestas curadas, "
            f"{report.counts['programs']} documentos."
        )
    else:
        _print_group("Errores de esquema o referencias", report.errors)
    return 0 if report.ok else 1


def cmd_check(args: argparse.Namespace) -> int:
    knowledge = read_knowledge(_root(args))
    report = check(knowledge)
    if args.links:
        report.links = asyncio.run(check_links(entry_urls(knowledge), timeout=args.timeout))
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_report(report, args.links)
    return 0 if report.ok and not report.links else 1


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("validate", help="revisa el esquema y las referencias de knowledge/")
    p.add_argument("--knowledge", default=None, help="carpeta (por omisión MIPYME_KNOWLEDGE_DIR)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("knowledge", help="herramientas para mantener knowledge/")
    ksub = p.add_subparsers(dest="knowledge_command", required=True)
    c = ksub.add_parser("check", help="vencidos, URLs, datos no confirmados y errores")
    c.add_argument("--knowledge", default=None, help="carpeta (por omisión MIPYME_KNOWLEDGE_DIR)")
    c.add_argument("--links", action="store_true", help="prueba cada URL por HTTP (usa la red)")
    c.add_argument("--timeout", type=float, default=10.0)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_check)
