"""`knowledge/` passes the shared validator (`assistant.knowledge.check`), and the validator
really catches what it claims to: every failure names the file, the field and the record id.

The stale count (entries past `review_by`) is printed at the end of every test run by
`pytest_terminal_summary` in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
import yaml

from assistant.knowledge.check import (
    check,
    check_links,
    entry_urls,
    find_cycle,
    path_order_problems,
    unsourced_sections,
    validate,
)
from assistant.knowledge.models import Course
from assistant.knowledge.reader import KnowledgeFileError, read_file, read_knowledge

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
FIXTURE = ROOT / "tests" / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def real():  # type: ignore[no-untyped-def]
    return read_knowledge(KNOWLEDGE)


def test_real_knowledge_has_no_schema_or_reference_errors(real) -> None:  # type: ignore[no-untyped-def]
    problems = validate(real)
    assert not problems, "\n".join(f"{p.file}: {p.message}" for p in problems)


def test_fixture_knowledge_is_valid_too() -> None:
    # The fixture keeps the real paths.yaml, whose sectors it only partly carries.
    problems = [p for p in validate(read_knowledge(FIXTURE)) if "giro desconocido" not in p.message]
    assert not problems, "\n".join(f"{p.file}: {p.message}" for p in problems)


def test_catalog_is_spanish_first(real) -> None:  # type: ignore[no-untyped-def]
    counts = check(real).counts
    assert counts["courses"] >= 60
    assert counts["paths"] >= 10
    assert counts["programs"] >= 30


def test_every_course_and_document_is_dated_for_review(real) -> None:  # type: ignore[no-untyped-def]
    for course in real.courses.values():
        assert course.review_by >= course.verified_on, course.id
    for program in real.programs.values():
        assert program.meta.review_by >= program.meta.verified_on, program.meta.id


# ── the validator catches what it claims ─────────────────────────────────────────────────

_GOOD_COURSE = {
    "id": "curso-de-prueba",
    "title": "Test course",
    "title_es": "Curso de prueba",
    "provider": "Proveedor",
    "url": "https://example.org/curso",
    "format": "digital self-paced",
    "level": "fundamental",
    "duration_hours": 1.5,
    "duration_note": None,
    "cost": "Gratis",
    "free": True,
    "languages": ["es"],
    "audience": ["owner"],
    "prerequisites": [],
    "topics": ["prueba"],
    "summary": "Un curso inventado solo para comprobar que la validación detecta errores.",
    "source": "Prueba unitaria",
    "verified_on": "2026-11-26",
    "review_by": "2027-05-26",
    "confidence": "alta",
}

_GOOD_FAQ = {
    "id": "prueba-cursos-gratis",
    "question": "¿Hay cursos gratis de IA?",
    "paraphrases": ["hay cursos gratis?", "cursos sin costo de ia", "donde aprendo ia gratis"],
    "answer": "Sí: varios cursos básicos de IA no cuestan nada y algunos están en español.",
    "course_ids": ["curso-de-prueba"],
    "sources": [{"title": "Página", "url": "https://example.org/cursos", "date": "2026-11-01"}],
    "verified_on": "2026-11-26",
    "review_by": "2027-02-26",
    "confidence": "alta",
}


# Facts that /work/shared/research/plan_mexico.md marks "no confirmado", each with the wording
# that would state it as true. Source titles and URLs count too: owners see them as citations.
UNCONFIRMED_STATED_AS_FACT = [
    ("PR-25: 2026 monthly amount of Jóvenes Construyendo el Futuro", r"9[,.]?582"),
    ("PR-25: 2026 amount of Jóvenes Construyendo el Futuro, rounded", r"m[aá]s.de.9.mil.pesos"),
    ("PO-18: Reserva Zapotlán is the AIFA polo", r"es el polo log[ií]stico junto al AIFA"),
]


def test_no_fact_marked_unconfirmed_in_research_is_stated_as_true() -> None:
    offenders = [
        f"{path.relative_to(KNOWLEDGE)}: {fact}"
        for path in sorted(KNOWLEDGE.rglob("*"))
        if path.suffix in {".md", ".yaml"}
        for fact, pattern in UNCONFIRMED_STATED_AS_FACT
        if re.search(pattern, path.read_text(encoding="utf-8"), re.IGNORECASE)
    ]
    assert not offenders, "\n".join(offenders)


# The course dossier the catalog comes from. Read strictly: a language, a "free" or a duration it
# marks "no confirmado" must not be stated as true in knowledge/catalog (ids match the dossier's).
RESEARCH_CATALOG = (
    Path(os.environ.get("MIPYME_RESEARCH_DIR", "/work/shared/research")) / "catalog.md"
)
LANGUAGE_NAMES = {
    "es": "español",
    "en": "inglés",
    "pt": "portugués",
    "ja": "japonés",
    "id": "indonesia",
}
UNCONFIRMED = "no confirmad"  # no confirmado / no confirmada(s) / no confirmados
# How a sentence of ours says a fact is not confirmed ("que no pudimos confirmar", "sin confirmar").
HEDGED = re.compile(r"\bno\b[^.]{0,30}confirm|sin confirmar|por confirmar", re.IGNORECASE)


def research_courses(markdown: str) -> dict[str, dict[str, object]]:
    """The dossier's course records: its ```yaml blocks that carry an id."""
    blocks = (yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", markdown, re.DOTALL))
    return {str(b["id"]): b for b in blocks if isinstance(b, dict) and "id" in b}


def language_is_marked_unconfirmed(code: str, languages: str) -> bool:
    """True when every clause of the dossier's `languages` that names this language says it is
    not confirmed. A whole field "no confirmado" leaves only English, the language of the sources
    we cite (the catalog's convention for a course whose language nobody gives)."""
    field = languages.strip().lower()
    if field == "no confirmado":
        return code != "en"
    mentions = [c for c in field.split(";") if LANGUAGE_NAMES.get(code, code) in c]
    return bool(mentions) and all(UNCONFIRMED in c for c in mentions)


def free_is_marked_unconfirmed(cost: str) -> bool:
    """The dossier's first cost clause does not say the course is free, or doubts it."""
    first = cost.split(";")[0].lower()
    return UNCONFIRMED in first or not re.search(r"gratuit|gratis", first)


def _sentences(*texts: str | None) -> list[str]:
    return [s for t in texts if t for s in re.split(r"(?<=[.!?])\s+", t)]


def _record(offenders: list[str], course_id: str, what: str) -> None:
    offenders.append(f"{course_id}: {what}")


def unconfirmed_stated_as_true(
    knowledge_dir: Path, research: dict[str, dict[str, object]]
) -> list[str]:
    offenders: list[str] = []
    for course in read_knowledge(knowledge_dir).courses.values():
        r = research.get(course.id)
        if r is None:
            continue
        said = functools.partial(_record, offenders, course.id)
        text = _sentences(course.title_es, course.summary, course.duration_note, course.cost)
        for code in course.languages:
            if language_is_marked_unconfirmed(code, str(r.get("languages", ""))):
                said(f"languages lists {code!r}; catalog.md: {r.get('languages')!r}")
        if language_is_marked_unconfirmed("es", str(r.get("languages", ""))):
            for s in text:
                if re.search(r"espa[ñn]ol", s, re.IGNORECASE) and not HEDGED.search(s):
                    said(f"says it is in Spanish: {s!r}")
        if free_is_marked_unconfirmed(str(r.get("cost", ""))):
            if course.free:
                said(f"free: true; catalog.md cost: {r.get('cost')!r}")
            for s in _sentences(course.summary, course.cost):
                if re.search(r"\b(gratis|gratuit[oa]s?|sin costo)\b", s, re.IGNORECASE) and (
                    not HEDGED.search(s)
                ):
                    said(f"says it is free: {s!r}")
        duration = str(r.get("duration", "")).strip().lower()
        if course.duration_hours is not None and duration.startswith(
            ("no confirmado", "no aplica")
        ):
            said(f"duration_hours {course.duration_hours}; catalog.md: {r.get('duration')!r}")
    return offenders


@pytest.mark.skipif(not RESEARCH_CATALOG.exists(), reason="research dossier not on this machine")
@pytest.mark.parametrize("knowledge_dir", [KNOWLEDGE, FIXTURE], ids=["real", "fixture"])
def test_no_course_fact_marked_unconfirmed_in_research_is_stated_as_true(
    knowledge_dir: Path,
) -> None:
    research = research_courses(RESEARCH_CATALOG.read_text(encoding="utf-8"))
    assert len(research) >= 50  # the parser still reads the dossier's records
    offenders = unconfirmed_stated_as_true(knowledge_dir, research)
    assert not offenders, "\n".join(offenders)


def _course_names(course: Course) -> set[str]:
    """How answers name a course: its title, and its Spanish title without notes in brackets."""
    spanish = re.sub(r"\s*\(.*?\)", "", course.title_es).strip().lower()
    return {course.title.lower()} | ({spanish} if len(spanish) > 12 else set())


def prose_stating_unconfirmed(
    knowledge_dir: Path, research: dict[str, dict[str, object]]
) -> list[str]:
    """Sentences of curated answers and path `why`s that call a course Spanish or free when the
    dossier marks that "no confirmado" (unless the sentence itself says it is not confirmed)."""
    k = read_knowledge(knowledge_dir)
    marked = [(c, research[c.id]) for c in k.courses.values() if c.id in research]
    spanish = [
        c for c, r in marked if language_is_marked_unconfirmed("es", str(r.get("languages", "")))
    ]
    free = [c for c, r in marked if free_is_marked_unconfirmed(str(r.get("cost", "")))]
    prose = [(f"faq {e.id}", e.answer) for f in k.files if f.faq for e in f.faq.entries]
    prose += [(f"ruta {p.id}", p.why) for p in k.paths]
    offenders = []
    for where, sentence in ((w, s) for w, text in prose for s in _sentences(text)):
        low = sentence.lower()
        if HEDGED.search(sentence):
            continue
        for claim, courses, said in (
            ("Spanish", spanish, r"espa[ñn]ol"),
            ("free", free, r"gratis|gratuit|sin costo"),
        ):
            for c in courses:
                if re.search(said, low) and any(n in low for n in _course_names(c)):
                    offenders.append(f"{where}: calls {c.id} {claim}: {sentence!r}")
    return offenders


@pytest.mark.skipif(not RESEARCH_CATALOG.exists(), reason="research dossier not on this machine")
def test_answers_and_paths_do_not_call_a_course_spanish_or_free_unconfirmed() -> None:
    # A false alarm is a sentence that names such a course next to another that is in Spanish:
    # split it, or say in it that the course's Spanish version (or price) is not confirmed.
    research = research_courses(RESEARCH_CATALOG.read_text(encoding="utf-8"))
    offenders = prose_stating_unconfirmed(KNOWLEDGE, research)
    assert not offenders, "\n".join(offenders)


def test_the_research_reader_tells_confirmed_from_unconfirmed() -> None:
    assert language_is_marked_unconfirmed("es", "inglés; español no confirmado")
    assert language_is_marked_unconfirmed("es", "inglés; subtítulos en español no confirmados")
    assert language_is_marked_unconfirmed("es", "no confirmado")
    assert not language_is_marked_unconfirmed("en", "no confirmado")
    assert not language_is_marked_unconfirmed(
        "es", "inglés; español LATAM (confirmado por certificados)"
    )
    assert not language_is_marked_unconfirmed(
        "es", "español en Perú según un listado; no confirmado para México"
    )
    assert not language_is_marked_unconfirmed("pt", "inglés; portugués; español no confirmado")
    assert free_is_marked_unconfirmed(
        "no requieren suscripción a Skill Builder; precio no confirmado"
    )
    assert free_is_marked_unconfirmed("no confirmado (una guía lo describe como de uso gratuito)")
    assert not free_is_marked_unconfirmed("gratuito según dos guías de 2026; verificar")
    assert not free_is_marked_unconfirmed("auditoría gratuita según varias fuentes")
    assert HEDGED.search("Circula una versión en español, que no pudimos confirmar.")
    assert not HEDGED.search("Hay versión en español, confirmada por certificados.")


def _write(root: Path, rel: str, data: object) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_schema_error_names_file_field_and_record(tmp_path: Path) -> None:
    broken = dict(_GOOD_COURSE, id="otro", duration_hours="6 h", url="http://example.org/c")
    path = _write(tmp_path, "catalog/roto.yaml", {"courses": [_GOOD_COURSE, broken]})
    with pytest.raises(KnowledgeFileError) as info:
        read_file(path, tmp_path)
    msg = str(info.value)
    assert "catalog/roto.yaml" in msg
    assert "courses[1].duration_hours (id=otro)" in msg
    assert "courses[1].url" in msg


def test_unknown_field_and_reversed_dates_are_schema_errors(tmp_path: Path) -> None:
    path = _write(tmp_path, "catalog/c.yaml", {"courses": [dict(_GOOD_COURSE, duracion="6 h")]})
    with pytest.raises(KnowledgeFileError, match=r"courses\[0\]\.duracion"):
        read_file(path, tmp_path)
    late = dict(_GOOD_COURSE, review_by="2026-01-01")
    path = _write(tmp_path, "catalog/c.yaml", {"courses": [late]})
    with pytest.raises(KnowledgeFileError, match="review_by"):
        read_file(path, tmp_path)


def test_long_curated_answer_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "faq/x.yaml", {"entries": [dict(_GOOD_FAQ, answer="a" * 601)]})
    with pytest.raises(KnowledgeFileError, match=r"entries\[0\]\.answer"):
        read_file(path, tmp_path)


def test_broken_references_are_reported(tmp_path: Path) -> None:
    needs = dict(_GOOD_COURSE, id="avanzado", prerequisites=["no-existe"])
    _write(tmp_path, "catalog/courses.yaml", {"courses": [_GOOD_COURSE, needs]})
    _write(tmp_path, "catalog/courses-es.yaml", {"courses": [_GOOD_COURSE]})
    _write(tmp_path, "faq/a.yaml", {"entries": [dict(_GOOD_FAQ, course_ids=["fantasma"])]})
    _write(tmp_path, "faq/b.yaml", {"entries": [_GOOD_FAQ]})
    messages = [p.message for p in validate(read_knowledge(tmp_path))]
    assert any("'no-existe'" in m for m in messages)
    assert any("id de curso repetido: 'curso-de-prueba'" in m for m in messages)
    assert any("'fantasma'" in m for m in messages)
    assert any("respuesta curada repetido" in m for m in messages)


def test_broken_file_is_recorded_and_the_rest_still_loads(tmp_path: Path) -> None:
    _write(tmp_path, "catalog/courses.yaml", {"courses": [_GOOD_COURSE]})
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "roto.yaml").write_text("entries: [\n", encoding="utf-8")
    knowledge = read_knowledge(tmp_path)
    assert "curso-de-prueba" in knowledge.courses
    assert "no es YAML válido" in knowledge.errors["faq/roto.yaml"]
    assert [p.kind for p in validate(knowledge)] == ["schema"]


def test_check_lists_stale_duplicate_urls_and_unconfirmed(tmp_path: Path) -> None:
    twin = dict(_GOOD_COURSE, id="gemelo", review_by="2026-12-01")
    _write(tmp_path, "catalog/courses.yaml", {"courses": [_GOOD_COURSE, twin]})
    shaky = dict(_GOOD_FAQ, answer="El monto no confirmado todavía; revisa la página oficial.")
    _write(tmp_path, "faq/a.yaml", {"entries": [shaky]})
    report = check(read_knowledge(tmp_path), today=dt.date(2026, 12, 4))
    assert [p.message for p in report.stale] == ["curso gemelo: revisar desde el 2026-12-01"]
    assert any("dos cursos con la URL https://example.org/curso" in p.message for p in report.urls)
    assert any("no confirmado" in p.message for p in report.unconfirmed)
    assert report.ok


def test_cycle_and_order_checkers() -> None:
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    cycle = find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]})
    assert cycle is not None and cycle[0] == cycle[-1] and set(cycle) == {"a", "b", "c"}
    assert path_order_problems("ok", ["a", "b"], {"b": ["a"]}) == []
    assert len(path_order_problems("mal", ["b", "a"], {"b": ["a"]})) == 1


def test_section_source_checker() -> None:
    body = (
        "## Con fuente\nTexto.\nFuente: https://www.gob.mx/se (2025-08-06)\n\n"
        "## Sin fuente\nTexto sin cita.\n\n"
        "## Fuente sin https\nFuente: http://inseguro.example\n"
    )
    assert unsourced_sections(body) == ["Sin fuente", "Fuente sin https"]


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/sin-head":
            self.send_response(405)
        else:
            self.send_response(200 if self.path in {"/vivo", "/sin-head"} else 404)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200 if self.path == "/sin-head" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_links_are_checked_over_real_http() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        import asyncio

        urls = [("a.yaml", f"{base}/vivo"), ("b.yaml", f"{base}/muerto"),
                ("c.yaml", f"{base}/sin-head"), ("a.yaml", f"{base}/vivo")]  # fmt: skip
        broken = asyncio.run(check_links(urls, timeout=5))
    finally:
        server.shutdown()
    assert [(p.file, p.message) for p in broken] == [("b.yaml", f"{base}/muerto: HTTP 404")]


def test_entry_urls_include_program_source_lines() -> None:
    urls = {url for _, url in entry_urls(read_knowledge(FIXTURE))}
    assert any(u.startswith("https://") for u in urls)
    assert all(" " not in u for u in urls)
