"""Supports that fit this turn's ask, the owner's own path, and businesses the list lacked.

- A money ask ("¿hay crédito pa cambiar la camioneta?") gets financing, never free courses
  labelled as money; courses are named as a way to train, apart from the supports.
- "¿Cuánto dura mi ruta?" is answered from the path the owner was given.
- An idea whose cue the owner wrote ("carrito", "lives") comes first among the sector's ideas.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.catalog import path_duration
from assistant.composition.offline import program_lines
from assistant.knowledge.reader import read_knowledge
from assistant.recommendation.recommend import applicable_programs, top_use_cases
from assistant.schemas import BusinessProfile, ProgramRec, Recommendations
from assistant.understanding.reader import support_asked
from tests.helpers import owner_chat

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real():  # type: ignore[no-untyped-def]
    return read_knowledge(ROOT / "knowledge")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("oye y no hay algun credito pa cambiar la camioneta de reparto?", "money"),
        ("nos apoyan con algo para comprar un horno mas grande?", "money"),
        ("existen apoyos para mandar mis artesanias a canada?", "export"),
        ("que programas tiene el gobierno pa los productores del campo?", "field"),
        ("hay apoyos pa capacitar a mis meseros?", "training"),
        ("hay apoyos para capacitar a mi equipo de ventas?", "training"),
        ("que apoyos me tocan?", None),
        ("quiero comprar una impresora nueva, cual me recomiendas?", None),
    ],
)
def test_the_support_a_message_asks_for(message: str, kind: str | None) -> None:
    assert support_asked(message) == kind


def test_a_money_ask_gets_financing_and_no_courses(real) -> None:  # type: ignore[no-untyped-def]
    owner = BusinessProfile(sector="lavanderia", state="Sonora", size="micro")
    recs, hits = applicable_programs(real, owner, ask="habra credito pa otra secadora?")
    assert recs and recs[0].id == "financiamiento-mipymes", [p.id for p in recs]
    assert all(p.kind == "money" for p in recs), [(p.id, p.kind) for p in recs]
    assert [h.url for h in hits] == [p.url for p in recs]
    # Without an ask, courses may show, named as what they are.
    general, _ = applicable_programs(real, owner, ask="que apoyos hay pa mi?")
    assert any(p.kind == "training" for p in general)


def test_an_ask_no_program_serves_gets_none_rather_than_courses(real) -> None:  # type: ignore[no-untyped-def]
    ranch = BusinessProfile(sector="ganaderia", state="Jalisco", size="micro")
    recs, _ = applicable_programs(real, ranch, ask="hay apoyos del gobierno pa la ganaderia?")
    assert recs == []


def _program(pid: str, kind: str) -> ProgramRec:
    return ProgramRec(
        id=pid, kind=kind, title=f"Programa {pid}: detalle", url=f"https://x.mx/{pid}",
        summary="Resumen.", valid_as_of="2026-12-04",
    )  # fmt: skip


def test_courses_are_never_called_supports_that_apply() -> None:
    recs = Recommendations(programs=[_program("credito", "money"), _program("cursos", "training")])
    whatsapp = program_lines(recs, BusinessProfile(), "whatsapp", [])
    heads = [line for line in whatsapp if not line.startswith("•")]
    assert heads == ["*Apoyos que te aplican:*", "*Para capacitarte gratis:*"], whatsapp
    assert whatsapp.index("• Programa credito: detalle") < whatsapp.index(
        "*Para capacitarte gratis:*"
    )
    web = program_lines(recs, BusinessProfile(), "web", [])[0]
    assert "1 apoyo que te aplica y 1 opción para capacitarte gratis" in web, web
    only = Recommendations(programs=[_program("cursos", "training")])
    assert "apoyo" not in program_lines(only, BusinessProfile(), "web", [])[0]


def test_a_programs_block_alone_on_the_web_names_what_it_shows() -> None:
    recs = Recommendations(programs=[_program("credito", "money")])
    alone = program_lines(recs, BusinessProfile(), "web", [], alone=True)[0]
    assert "Programa credito" in alone and "detalle" not in alone, alone


def test_how_long_the_owners_own_path_takes(real) -> None:  # type: ignore[no-untyped-def]
    known = [c.id for c in real.courses.values() if c.duration_hours][:2]
    unknown = [c.id for c in real.courses.values() if not c.duration_hours][:1]
    path = [*known, *unknown]
    hours = sum(real.courses[c].duration_hours or 0 for c in known)
    facts = path_duration(
        "oiga y cuanto me tardo en acabar la ruta q me diste?", real.courses, path, 2
    )
    assert facts is not None
    text = " ".join(facts.lines)
    assert "De los 3 cursos de tu ruta, 2 publican su duración" in text, text
    assert "El otro no la publica" in text, text
    assert "A 2 horas por semana" in text, text
    assert f"{real.courses[known[0]].duration_hours:g}" in text
    assert hours > 0
    # The catalog in general, or no path given yet: not this answer.
    assert path_duration("cuanto duran los cursos de aws?", real.courses, path, 2) is None
    assert path_duration("cuanto dura mi ruta?", real.courses, [], 2) is None


def test_an_idea_whose_cue_the_owner_wrote_comes_first(real) -> None:  # type: ignore[no-untyped-def]
    cart = BusinessProfile(sector="restaurante", goals=["finance"])
    said = "vendo hamburguesas en un carrito y me muevo por las colonias"
    first = top_use_cases(real, cart, n=1, said=said)[0]
    assert first.id == "restaurante-ubicacion-y-pedidos-anticipados", first.id
    fonda = top_use_cases(real, cart, n=3, said="tengo una fonda en el mercado")
    assert "restaurante-ubicacion-y-pedidos-anticipados" not in [u.id for u in fonda]


@pytest.mark.parametrize(
    ("message", "sector"),
    [
        ("tenemos un establo con 40 vacas lecheras en lagos de moreno", "ganaderia"),
        ("crio borregos pa barbacoa en hidalgo", "ganaderia"),
        ("damos servicio de guardias de seguridad a condominios", "seguridad-privada"),
        ("soy interiorista, hago proyectos de cocinas y baños", "arquitectura"),
        ("llevo turistas en kayak por la laguna", "agencia-de-viajes"),
        ("tengo un rancho con vacas de ordeña en aguascalientes", "ganaderia"),
    ],
)
def test_businesses_the_list_lacked(message: str, sector: str) -> None:
    assert owner_chat(message).sector == sector


@pytest.mark.parametrize(
    "message",
    [
        "y el gobierno da algo pa comprar una soldadora?",
        "dan algo pa cambiar el refri de la tienda?",
    ],
)
def test_money_asked_without_the_word_apoyo(message: str) -> None:
    assert support_asked(message) == "money"


def test_how_long_asked_in_other_words(real) -> None:  # type: ignore[no-untyped-def]
    path = [c.id for c in real.courses.values() if c.duration_hours][:2]
    for message in (
        "cuanto me voy a tardar en acabar los cursos que me recomendaste?",
        "en cuanto tiempo termino mi ruta?",
    ):
        facts = path_duration(message, real.courses, path, 3)
        assert facts is not None, message
        assert "Los 2 cursos de tu ruta suman" in facts.lines[0], facts.lines


async def test_how_long_the_path_takes_when_it_is_given_in_the_same_turn(assistant) -> None:  # type: ignore[no-untyped-def]
    sid = "path-and-length"
    await assistant.respond(sid, "tengo una tiendita en oaxaca, somos 2", "web")
    reply = await assistant.respond(sid, "cuanto dura la ruta de cursos que me das?", "web")
    assert reply.recommendations.training_path, "the path comes with the answer"
    assert "de tu ruta" in reply.answer or "tu ruta publica" in reply.answer, reply.answer
    assert "Art of the Possible" not in reply.answer, reply.answer


def test_the_courses_said_once_a_path_was_given_are_the_path(real) -> None:  # type: ignore[no-untyped-def]
    path = [c.id for c in real.courses.values() if c.duration_hours][:2]
    mine = path_duration(
        "oiga y cuanto tiempo son los cursos? yo nomas tengo las noches", real.courses, path, 3
    )
    assert mine is not None and "de tu ruta" in mine.lines[0], mine
    other = "cuanto tiempo duran los cursos de google?"
    assert path_duration(other, real.courses, path, 3) is None


def test_ideas_the_owner_described_come_first_for_a_security_agency(real) -> None:  # type: ignore[no-untyped-def]
    agency = BusinessProfile(sector="seguridad-privada")
    said = "tenemos 50 guardias y las rondas se apuntan en papel"
    first = top_use_cases(real, agency, n=1, said=said)[0]
    assert first.id == "seguridad-privada-rondines-con-qr", first.id
