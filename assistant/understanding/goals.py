"""Goals and pains: what the owner wants or suffers, read by rules, and the wishes left for the
reading by meaning."""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.understanding import profile_data as data
from assistant.understanding.places import Clause
from assistant.understanding.profile_data import RULES
from assistant.understanding.sector_cues import CONTENT


def _pain(things: str, wrong: str, gap: int = 4) -> str:
    """A thing and what goes wrong with it, either way round and at most `gap` words apart
    within one clause: "falla el refri", "el jitomate se me pudre" (data.PAINS)."""
    between = rf"(?: \w+){{0,{gap}}}? "
    return rf"\b(?:{things}){between}(?:{wrong})\b|\b(?:{wrong}){between}(?:{things})\b"


_PAINS: dict[str, list[str]] = {}
for _goal, _things, _wrong in data.table(data.PAINS):
    _PAINS.setdefault(_goal, []).append(_pain(_things, _wrong))
_GOAL_RX = {
    goal: re.compile("|".join([rx, *_PAINS.get(goal, [])])) for goal, rx in data.table(data.GOALS)
}


# A question states a goal only when the owner asks how to get there ("¿cómo le hago para que
# regresen?"); "¿cuánto me cuesta el curso?" is not a goal of saving money.
_WISH = re.compile(
    r"\b(?:quiero|quisiera|queremos|puedo|podemos|podria|hago|hacemos|ayuda\w*|sirve|serviria|"
    r"necesito|necesitamos|me gustaria|nos gustaria|recomiendas|recomienda|recomiendan|"
    r"sugieres|aconsejas|conviene)\b"
    # asking for a loan is asking for money for the business: "¿a qué tasa presta Banorte?"
    r"|\b(?:creditos?|prestamos?|financiamientos?|presta|prestan|prestar)\b"
    r"|\bcon (?:eso|esto|la ia|ia|la inteligencia artificial)\b"  # "¿con eso vendo más?"
)


# "¿me ayuda a cobrar? ¿y a que me conozcan?": a question that goes on from one asking how.
_GOES_ON = {"y", "o", "ademas", "tambien", "e"}


def goal_text(clauses: list[Clause]) -> str:
    kept: list[str] = []
    asking = False  # the previous question asked how to get somewhere
    for c in clauses:
        line = " ".join(c.words)
        if c.question:
            asking = bool(_WISH.search(line)) or (asking and c.words[0] in _GOES_ON)
        if not c.question or asking:
            kept.append(line)
    return " . ".join(kept)


# An owner saying what they want or lack: only then may a goal be read by meaning.
_DESIRE = re.compile(
    r"\b(?:quiero|quisiera|queremos|necesito|necesitamos|ocupo|ocupamos|me gustaria|"
    r"nos gustaria|busco|buscamos|batallo|batallamos|ojala|tardo|tardamos|mi problema|"
    r"nuestro problema|el problema|no me da (?:el )?tiempo|no nos da (?:el )?tiempo)\b"
    # "se me olvidó mi hermano", "se me pasó decirte": a correction of what was said, no wish.
    r"|\bse (?:me|nos) (?!hace\b|hizo\b|ocurre\b|ocurrio\b|olvido\b|paso\b)\w+"
)
# ...or complaining: what goes wrong for them, said without a wish ("nunca sé cuánto tengo en
# bodega", "me tardo horas en las cotizaciones", "los clientes vienen una vez y ya no vuelven",
# "las facturas me traen loco", "nadie sabe que existimos"). The owner is the one it happens to
# (me/nos, a first-person verb) and the clause says it goes wrong (never, nobody, no longer,
# losing, too slow, fed up). A wish is a complaint turned around: the goal is the same.
_TROUBLE = re.compile(
    r"\b(?:no|nunca|jamas|ni) (?:se|sabemos|sabe|alcanzo|alcanzamos|alcanza|contesto|contestamos|"
    r"respondo|respondemos|doy|damos|me doy|nos damos|puedo|podemos|llevo|llevamos|encuentro|"
    r"tengo control|tenemos control|me (?:alcanza|rinde|pagan|da)|nos (?:alcanza|rinde|pagan|da))\b"
    r"|\b(?:me|nos) (?:tardo|tardamos|la paso|la pasamos|traen?|quitan?|roban?|devuelven|"
    r"regresan|ganan?|esta comiendo|estan comiendo|cuestan?|pegan?|urgen?|falla|fallan|"
    r"vuelve loco|vuelven locos?|trae loco|traen locos?)\b"
    r"|\b(?:pierdo|perdemos|se pierden?|batallo|batallamos|nadie|una vez y|abasto|ni idea|"
    r"no tengo idea|me preocupa|nos preocupa)\b"
    r"|\b(?:flojas?|flojos?|bajas|bajaron|cayeron|caidas|loco|loca|locos|harto|harta)\b"
)

_REFUSAL = re.compile(r"\bno (?:me |nos )?(?:quiero|queremos|necesito|interesa|busco|ocupo|urge)\b")
# "y q papeles ocupo", "cuanto tarda": a question written without its "?" is no wish either
# ("como" and "cuando" also open statements: "cuando se llena no me doy abasto").
_ASKS = re.compile(
    r"^(?:y |o |pero )?(?:q|que|cuanto|cuanta|cuantos|cuantas|donde|cual|cuales|quien|quienes)\b"
)
_PRICE_ASKED = re.compile(r"\bcuanto (?:cuesta|cuestan|vale|valen|sale|salen|cobran|cobra)\b")


# Two troubles joined in one clause ("se me va la lana y los clientes no regresan") are two
# wishes: each is read on its own, so one goal can't hide the other.
_JOINS = re.compile(r"\s+(?:y (?:luego|aparte|ademas|tambien)|y|pero|aparte|ademas|e)\s+")
# A wish said as a bare subjunctive about other people: "que la gente no espere", "que me
# compren de otras ciudades", "que cuando busquen…". "que mas ideas tienen" asks, it wishes nothing.
_SUBJUNCTIVE = re.compile(
    r"^(?:y |o )?que (?:(?:la|las|los|el|mis|mas) (?!ideas\b|cursos\b|opciones\b)\w+|cuando|"
    r"todos|nadie|ya no|no|(?:me|nos) \w+(?:en|an|eran|aran|ieran)\b)"
)
# A pain said as a fact, with no wish and no "me/nos": "sale mucha rebaba", "el cliente rechaza
# lotes", "las notas las hago a mano", "de lunes a jueves está vacío". Only a sign that the
# clause may hold a goal: read by meaning with a stricter bar than a said wish (see sectors.py).
_STRAIN = re.compile(
    r"\b(?:no|nunca|nadie|ni|jamas|ningun[oa]?|sin)\b"
    r"|\b(?:mucho|mucha|muchos|muchas|demasiad[oa]s?|a cada rato|seguido|a mano|uno por uno|"
    r"una por una)\b"
    r"|\b(?:quej\w+|rechaz\w+|reclam\w+|cancel\w+|desesper\w+|tirar|tiramos|tiro|atora\w*|"
    r"vaci[oa]s?|chuec[oa]s?|disparej[oa]s?|desaparec\w+|atras\w*|fall\w+)\b"
)


def _said_trouble(text: str) -> bool:
    return bool(_DESIRE.search(text) or _TROUBLE.search(text) or _SUBJUNCTIVE.search(text))


def _pieces(line: str) -> list[str]:
    """`line` cut where a conjunction joins two troubles, each of its own: the part before holds
    a trouble in at least three words, the part after names a goal or says a trouble in at least
    four words with a content word. The rest stays with the part before ("se me va la lana y no
    sé ni en qué" is one trouble; so is "los familiares preguntan todo el día y no me doy abasto
    contestando")."""
    parts = _JOINS.split(line)
    out = [parts[0]]
    for part in parts[1:]:
        before = out[-1]
        said = len(part.split()) >= 4 and _said_trouble(part) and CONTENT.search(part)
        own = said or bool(rule_goals(part))  # "…y aparte nadie me conoce": a rule reads it
        troubled = _said_trouble(before) or _STRAIN.search(before)
        if own and troubled and len(before.split()) >= 3:
            out.append(part)
        else:
            out[-1] = f"{before} y {part}"
    return out


class Wish(NamedTuple):
    """Words where the owner may say a goal, and whether they said a wish or a complaint in so
    many words ("quiero…", "se me…", "no sé…") or only a strain ("sale mucha rebaba")."""

    text: str
    said: bool


def unread_wishes(clauses: list[Clause]) -> list[Wish]:
    """The statements where the owner wants, lacks or suffers something that no rule read as a
    goal ("ocupo saber cuánto me queda", "nunca sé qué me falta"), one per trouble, with the
    next clause when the cue stands alone ("mi problema es, que…"). A refusal ("no me interesa
    vender en línea") is no wish."""
    out: dict[str, bool] = {}
    for i, clause in enumerate(clauses):
        line = " ".join(clause.words)
        asks = clause.question or (i == 0 and bool(_ASKS.search(line)))
        if asks or _PRICE_ASKED.search(line) or _REFUSAL.search(line):
            continue  # "quiero saber cuánto cuesta" asks a price: no goal of finance
        for piece in _pieces(line):
            said = _said_trouble(piece)
            if not (said or _STRAIN.search(piece)) or rule_goals(piece):
                continue  # no wish, or one a rule already read
            if len(piece.split()) <= 3 and i + 1 < len(clauses) and not clauses[i + 1].question:
                piece = f"{piece}, {' '.join(clauses[i + 1].words)}"
            out[piece] = out.get(piece, False) or said
    return [Wish(text, said) for text, said in out.items()]


def rule_goals(text: str) -> list[str]:
    """Goals the rules name in `text`, in GOALS order.

    A refusal counts in its own clause only ("no quiero publicidad, quiero vender más"), and the
    longer reading wins: in "que no me devuelvan pedidos" the returns (quality) hold the word
    "pedidos", which alone would be orders to attend (customer service).
    """
    rejected = RULES["goal_rejected"]
    found = [
        (goal, m.start(), m.end())
        for goal, rx in _GOAL_RX.items()
        for m in rx.finditer(text)
        if not rejected.search(" ".join(text[: m.start()].split(" . ")[-1].split()[-4:]))
    ]
    kept = [
        goal
        for goal, start, end in found
        if not any(
            g != goal and s <= start and end <= e and e - s > end - start for g, s, e in found
        )
    ]
    return [goal for goal in _GOAL_RX if goal in kept]
