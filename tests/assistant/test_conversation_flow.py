"""Conversation flow: once the business is known, a wish or a fact about how the owner works is
answered with an idea (never "out of domain", never a canned "¿En qué más te ayudo?"); a
yes/no question gets its yes first; each diagnosis question is asked once per conversation, and
an IT lead is not asked for their study hours (issue 11, owner trial round 3).

Real offline assistant over the fixture corpus (tests/fixtures/knowledge).
"""

from __future__ import annotations

from pathlib import Path

from assistant.answering.questions import _DOUBT, _YES_NO
from assistant.composition.offline import noted, tools_told
from assistant.knowledge.reader import read_knowledge
from assistant.recommendation.recommend import goal_focus, recommend
from assistant.schemas import BusinessProfile
from assistant.understanding.reader import QUESTIONS, in_domain, next_slots
from assistant.understanding.text import fold
from tests.assistant.support import Harness

OUT_OF_SCOPE = "queda fuera de lo que se hacer"
CANNED = "en que mas te ayudo"


# ---- a wish or a fact once the business is known ----------------------------------------------
def test_a_wish_in_chat_spelling_is_in_domain_once_the_business_is_known() -> None:
    for wish in (
        "keremos que la gente nos ubique cada dia",
        "nececito saber cuantas piezas salen por turno",
        "ocupamos que no se nos pierdan las notas",
    ):
        assert in_domain(wish, business_known=True), wish
        assert not in_domain(wish), "with no business known the words alone decide"
    # Clearly another subject stays out, even said in the first person.
    assert not in_domain("kiero saber quien gano el partido de los pumas", business_known=True)
    assert not in_domain("quiero el pronostico del tiempo pa mañana", business_known=True)


def test_how_the_team_works_is_in_domain_once_the_business_is_known() -> None:
    # A fact about the work in the first person plural or said impersonally is the owner's.
    for fact in (
        "en diciembre horneamos el triple y ni asi",
        "lo que mas se vende aqui son las conchas",
        "los viernes nos piden puro pozole",
    ):
        assert in_domain(fact, business_known=True), fact
    assert not in_domain("vamos a ver el partido de las chivas", business_known=True)
    assert not in_domain("mis primos se casan el sabado", business_known=True)  # not a verb


async def test_a_wish_told_about_a_known_business_gets_an_idea(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo una fondita en atlixco puebla, somos 4")
    r = await offline.say(sid, "keremos que la raza nos encuentre en el mapa aunque andemos lejos")
    text = fold(r.answer)
    assert OUT_OF_SCOPE not in text and CANNED not in text
    assert any(s.kind == "use_case" for s in r.sources)


async def test_off_topic_is_still_declined_with_the_business_known(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo una fondita en atlixco puebla, somos 4")
    r = await offline.say(sid, "kiero saber quien gano el partido de las chivas")
    assert OUT_OF_SCOPE in fold(r.answer)


async def test_paper_records_get_the_idea_for_keeping_records(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo un changarro de abarrotes en tlaxcala, atiendo con mi hermana")
    r = await offline.say(sid, "los fiados y lo que vendo lo llevo en un cuadernito")
    text = fold(r.answer)
    assert CANNED not in text and OUT_OF_SCOPE not in text
    assert "cuanto vendes y cuanto ganas" in text  # the sector's idea for keeping sales records


def test_the_tools_the_owner_names_are_acknowledged_by_name() -> None:
    assert tools_told("ocupamos photoshop e illustrator, y todos tenemos mac") is None  # no verb
    assert tools_told("usamos photoshop e illustrator, todos tenemos mac") == (
        "Photoshop y Illustrator"
    )
    assert tools_told("uso la compu de mi hijo") is None  # a phrase, not names
    profile = BusinessProfile(sector="manufactura")
    assert noted(profile, set(), "manejamos sketchup y autocad") == (
        "Anotado: ya usan SketchUp y AutoCAD."
    )
    assert noted(profile, set(), "uso canva") == "Anotado: ya usas Canva."


async def test_tools_told_get_a_note_and_an_idea_not_a_canned_reply(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "tengo un taller de herreria en leon guanajuato, somos 3")
    r = await offline.say(sid, "usamos sketchup y excel, todos le sabemos a la compu")
    text = fold(r.answer)
    assert "anotado: ya usan sketchup y excel" in text
    assert CANNED not in text


# ---- yes first ---------------------------------------------------------------------------------
def test_yes_no_questions_and_doubts_are_recognised() -> None:
    for asked in (
        "se puede que me conteste en portugues?",
        "la ia me puede ayudar a cotizar mas rapido?",
        "y me traduce los mensajes al japones?",
    ):
        assert _YES_NO.search(fold(asked)), asked
    assert not _YES_NO.search(fold("como le hago para cotizar?"))
    for doubt in ("eso de la ia neta funciona o es pura moda?", "no sera puro cuento esto?"):
        assert _DOUBT.search(fold(doubt)), doubt


async def test_a_yes_no_question_answered_with_an_idea_says_yes_first(offline: Harness) -> None:
    sid = offline.sid()
    await offline.say(sid, "hago artesanias de barro negro en oaxaca, somos 3 en el taller")
    r = await offline.say(sid, "se puede que la IA me ayude a contestarle a clientes de japon?")
    assert r.answer.startswith("Sí")


# ---- each question once ------------------------------------------------------------------------
def test_a_question_asked_before_is_not_asked_again() -> None:
    profile = BusinessProfile(sector="restaurante")
    history = (("user", "tengo una fonda"), ("assistant", f"Ideas…\n\n{QUESTIONS['goals'][0]}"))
    assert "goals" in next_slots(profile)
    assert "goals" not in next_slots(profile, history=history)


def test_an_it_lead_is_not_asked_for_study_hours() -> None:
    lead = BusinessProfile(sector="manufactura", goals=["quality"], state="Jalisco", role="it")
    assert "weekly_hours" not in next_slots(lead)
    owner = lead.model_copy(update={"role": "owner"})
    assert "weekly_hours" in next_slots(owner)


async def test_no_diagnosis_question_is_repeated_in_a_conversation(offline: Harness) -> None:
    sid = offline.sid()
    replies = [
        (await offline.say(sid, m)).answer
        for m in (
            "buenas, tengo una fonda en xalapa",
            "se me acaba el guisado temprano y otros dias me sobra",
            "y como le hago pa que me encuentren en google?",
            "ah y somos 5 contando a mi suegra",
        )
    ]
    for question, _ in QUESTIONS.values():
        assert sum(question in r for r in replies) <= 1, question


# ---- the same idea is not resent word for word ------------------------------------------------
def test_a_new_goal_does_not_get_the_idea_just_given_in_full() -> None:
    knowledge = read_knowledge(Path(__file__).resolve().parents[1] / "fixtures" / "knowledge")
    profile = BusinessProfile(sector="restaurante", goals=["sell_more"])
    recs = recommend(knowledge, profile, "")
    first, _ = goal_focus(recs, profile, "quiero vender mas")
    assert first
    again, _ = goal_focus(recs, profile, "quiero vender mas", avoid=frozenset({first}))
    assert again != first


def test_the_tools_note_follows_who_speaks() -> None:
    profile = BusinessProfile(
        sector="veterinaria",
        signals=["whatsapp_business", "spreadsheet"],
        maturity=3,
        maturity_reason="Usas WhatsApp Business y Excel, pero todavía no vendes en línea.",
    )
    we = noted(profile, {"signals"}, "manejamos una hojita de excel pa las citas de los perros")
    assert we == "Anotado: ya usan WhatsApp Business y Excel."
