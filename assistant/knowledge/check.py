"""The one validator of `knowledge/`: schema, cross-references, freshness, URLs and links.

`validate()` finds what makes the knowledge unusable (schema errors, broken references) and is
what `mipyme-ia validate` and `make test` fail on. `check()` adds what staff must keep up:
entries past `review_by`, duplicate or insecure URLs and facts marked as unconfirmed.
`check_links()` asks every URL over HTTP (only on request: nothing here touches the network
by default).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import httpx

from assistant.knowledge.reader import Knowledge, ParsedFile

ProblemKind = str  # "schema" | "reference" | "stale" | "duplicate_url" | "insecure_url" | ...

_URL = re.compile(r"https?://[^\s<>()\[\]\"'»]+")
_UNCONFIRMED = re.compile(r"no confirmad[oa]s?", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    file: str
    message: str


@dataclass
class CheckReport:
    counts: dict[str, int]
    errors: list[Problem] = field(default_factory=list)
    stale: list[Problem] = field(default_factory=list)
    urls: list[Problem] = field(default_factory=list)
    unconfirmed: list[Problem] = field(default_factory=list)
    links: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "counts": self.counts,
            **{
                name: [asdict(p) for p in getattr(self, name)]
                for name in ("errors", "stale", "urls", "unconfirmed", "links")
            },
        }


def duplicates(items: Iterable[str]) -> list[str]:
    counts = Counter(items)
    return [item for item, n in counts.items() if n > 1]


def find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a] if the prerequisite graph has any."""
    done: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt in stack:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in done and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        done.add(node)
        return None

    for node in graph:
        if node not in done and (cycle := visit(node)):
            return cycle
    return None


def path_order_problems(
    path_id: str, courses: Sequence[str], prereqs: Mapping[str, Sequence[str]]
) -> list[str]:
    """Prerequisites that are in a path but come after the course that needs them."""
    position = {cid: i for i, cid in enumerate(courses)}
    return [
        f"ruta {path_id!r}: {cid!r} necesita {pre!r}, que aparece después"
        for i, cid in enumerate(courses)
        for pre in prereqs.get(cid, ())
        if pre in position and position[pre] > i
    ]


def unsourced_sections(body: str) -> list[str]:
    """Titles of `## ` sections with no `Fuente:` line carrying an https URL."""
    sections: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
    return [
        title
        for title, lines in sections
        if not any(
            line.lstrip().startswith("Fuente:")
            and any(u.startswith("https://") for u in _URL.findall(line))
            for line in lines
        )
    ]


def _where(knowledge: Knowledge, attr: str) -> Iterator[tuple[ParsedFile, object]]:
    for parsed in knowledge.files:
        if (value := getattr(parsed, attr)) is not None:
            yield parsed, value


def _reference_problems(k: Knowledge) -> Iterator[Problem]:
    def bad(rel: str, message: str) -> Problem:
        return Problem("reference", rel, message)

    course_ids = [c.id for _, cat in _where(k, "courses") for c in cat.courses]  # type: ignore[attr-defined]
    for dup in duplicates(course_ids):
        yield bad("catalog", f"id de curso repetido: {dup!r}")
    prereqs = {c.id: list(c.prerequisites) for c in k.courses.values()}
    for cid, pres in prereqs.items():
        for pre in pres:
            if pre == cid or pre not in k.courses:
                yield bad(
                    "catalog", f"curso {cid!r}: prerrequisito desconocido o él mismo: {pre!r}"
                )
    if cycle := find_cycle(prereqs):
        yield bad("catalog", f"prerrequisitos en ciclo: {' -> '.join(cycle)}")

    for parsed, cat in _where(k, "paths"):
        for path in cat.paths:  # type: ignore[attr-defined]
            for cid in path.courses:
                if cid not in k.courses:
                    yield bad(parsed.rel, f"ruta {path.id!r}: curso desconocido {cid!r}")
            for dup in duplicates(path.courses):
                yield bad(parsed.rel, f"ruta {path.id!r}: curso repetido {dup!r}")
            for msg in path_order_problems(path.id, path.courses, prereqs):
                yield bad(parsed.rel, msg)
            for sector in path.sectors:
                if sector not in k.sectors:
                    yield bad(parsed.rel, f"ruta {path.id!r}: giro desconocido {sector!r}")

    sector_ids = [s.id for _, cat in _where(k, "sectors") for s in cat.sectors]  # type: ignore[attr-defined]
    for dup in duplicates(sector_ids):
        yield bad("sectors", f"id de giro repetido: {dup!r}")
    use_case_ids = [uc.id for s in k.sectors.values() for uc in s.use_cases]
    for dup in duplicates(use_case_ids):
        yield bad("sectors", f"id de caso de uso repetido: {dup!r}")
    owners: dict[str, str] = {}
    for sector in k.sectors.values():
        for alias in {a.strip().lower() for a in sector.aliases}:
            if alias in owners and owners[alias] != sector.id:
                yield bad("sectors", f"alias {alias!r} en dos giros: {owners[alias]}, {sector.id}")
            owners[alias] = sector.id
        for uc in sector.use_cases:
            for cid in uc.related_courses:
                if cid not in k.courses:
                    yield bad("sectors", f"caso {uc.id!r}: curso relacionado desconocido {cid!r}")

    faq_ids = [e.id for _, f in _where(k, "faq") for e in f.entries]  # type: ignore[attr-defined]
    for dup in duplicates(faq_ids):
        yield bad("faq", f"id de respuesta curada repetido: {dup!r}")
    for parsed, faq in _where(k, "faq"):
        for entry in faq.entries:  # type: ignore[attr-defined]
            for cid in entry.course_ids:
                if cid not in k.courses:
                    yield bad(parsed.rel, f"respuesta {entry.id!r}: curso desconocido {cid!r}")
            for sector in entry.sectors:
                if sector not in k.sectors:
                    yield bad(parsed.rel, f"respuesta {entry.id!r}: giro desconocido {sector!r}")

    for parsed, program in _where(k, "program"):
        for title in unsourced_sections(program.body):  # type: ignore[attr-defined]
            yield bad(parsed.rel, f"sección '## {title}' sin línea 'Fuente:' con URL https")


def validate(knowledge: Knowledge) -> list[Problem]:
    """What makes the knowledge unusable: schema errors and broken references."""
    schema = [Problem("schema", rel, msg) for rel, msg in sorted(knowledge.errors.items())]
    return schema + list(_reference_problems(knowledge))


def _entries(k: Knowledge) -> Iterator[tuple[str, str, object]]:
    """(file, label, entry) for every dated entry."""
    for parsed in k.files:
        if parsed.courses:
            yield from ((parsed.rel, f"curso {c.id}", c) for c in parsed.courses.courses)
        if parsed.sectors:
            yield from ((parsed.rel, f"giro {s.id}", s) for s in parsed.sectors.sectors)
        if parsed.faq:
            yield from ((parsed.rel, f"respuesta {e.id}", e) for e in parsed.faq.entries)
        if parsed.program:
            yield parsed.rel, f"documento {parsed.program.meta.id}", parsed.program.meta


def entry_urls(k: Knowledge) -> Iterator[tuple[str, str]]:
    """(file, url) of every URL the knowledge cites: fields and `Fuente:` lines."""
    for parsed in k.files:
        for model in (parsed.courses, parsed.paths, parsed.sectors, parsed.faq):
            if model is not None:
                for url in _urls_in(model.model_dump(mode="json")):
                    yield parsed.rel, url
        if parsed.program:
            for url in _urls_in(parsed.program.meta.model_dump(mode="json")):
                yield parsed.rel, url
            for url in _URL.findall(parsed.program.body):
                yield parsed.rel, url.rstrip(".,;:")


def _urls_in(data: object) -> Iterator[str]:
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key == "url" and isinstance(value, str):
                yield value
            else:
                yield from _urls_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from _urls_in(value)


def check(knowledge: Knowledge, today: dt.date | None = None) -> CheckReport:
    """Validation plus freshness, URL hygiene and unconfirmed facts."""
    today = today or dt.date.today()
    report = CheckReport(
        counts={
            "courses": len(knowledge.courses),
            "courses_es": sum("es" in c.languages for c in knowledge.courses.values()),
            "sectors": len(knowledge.sectors),
            "use_cases": sum(len(s.use_cases) for s in knowledge.sectors.values()),
            "faq": len(knowledge.faq),
            "programs": len(knowledge.programs),
            "paths": len(knowledge.paths),
        },
        errors=validate(knowledge),
    )
    for rel, label, entry in _entries(knowledge):
        review_by: dt.date = entry.review_by  # type: ignore[attr-defined]
        if review_by < today:
            report.stale.append(Problem("stale", rel, f"{label}: revisar desde el {review_by}"))
        confidence = getattr(entry, "confidence", None)
        if confidence == "baja":
            report.unconfirmed.append(Problem("unconfirmed", rel, f"{label}: confianza baja"))
    for parsed in knowledge.files:
        text = parsed.program.body if parsed.program else ""
        if parsed.faq:
            text = "\n".join(e.answer for e in parsed.faq.entries)
        for match in _UNCONFIRMED.finditer(text):
            line = text[max(0, match.start() - 80) : match.end() + 20].replace("\n", " ")
            report.unconfirmed.append(Problem("unconfirmed", parsed.rel, f"…{line.strip()}…"))
    course_urls = [c.url for c in knowledge.courses.values()]
    for dup in duplicates(course_urls):
        report.urls.append(Problem("duplicate_url", "catalog", f"dos cursos con la URL {dup}"))
    for rel, url in entry_urls(knowledge):
        if not url.startswith("https://"):
            report.urls.append(Problem("insecure_url", rel, f"URL sin https: {url}"))
    return report


async def check_links(
    urls: Iterable[tuple[str, str]], timeout: float = 10.0, concurrency: int = 8
) -> list[Problem]:
    """Ask each distinct URL over HTTP (HEAD, then GET if HEAD is refused); list the broken."""
    by_url: dict[str, str] = {}
    for rel, url in urls:
        by_url.setdefault(url, rel)
    limit = asyncio.Semaphore(concurrency)

    async def probe(client: httpx.AsyncClient, url: str) -> Problem | None:
        async with limit:
            try:
                resp = await client.head(url)
                if resp.status_code in {403, 405, 501}:
                    resp = await client.get(url)
            except httpx.HTTPError as exc:
                return Problem("link", by_url[url], f"{url}: {type(exc).__name__}")
        if resp.status_code >= 400:
            return Problem("link", by_url[url], f"{url}: HTTP {resp.status_code}")
        return None

    headers = {"User-Agent": "mipyme-ia-knowledge-check/1.0"}
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, headers=headers) as client:
        results = await asyncio.gather(*(probe(client, url) for url in by_url))
    return [p for p in results if p is not None]
