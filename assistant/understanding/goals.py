"""Goals and pains: what the owner wants or suffers, read by rules, and the wishes left for the
reading by meaning."""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.understanding import profile_data as data
from assistant.understanding.people import KIN
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


# A loan is the owner's goal only when they say they need one: "ocupo un crédito para surtir";
# a question about how loans work or a loan already taken says nothing of what they want.
_LOAN = re.compile(r"\b(?:credito|prestamo|financiamiento|presta|pedir prestado)")
_LOAN_WANTED = re.compile(
    r"\b(?:quiero|quisiera|queremos|necesito|necesitamos|ocupo|ocupamos|busco|buscamos|"
    r"me urge|nos urge|me hace falta|nos hace falta|me gustaria|nos gustaria|ojala|"
    r"me falta|nos falta|no me alcanza|no nos alcanza)\b"
)
# A question states a goal only when the owner asks how to get there ("¿cómo le hago para que
# regresen?"); "¿cuánto me cuesta el curso?" is not a goal of saving money.
_WISH = re.compile(
    r"\b(?:quiero|quisiera|queremos|puedo|podemos|podria|hago|hacemos|ayuda\w*|sirve|serviria|"
    r"necesito|necesitamos|me gustaria|nos gustaria|recomiendas|recomienda|recomiendan|"
    r"sugieres|aconsejas|conviene)\b"
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
            # "¿para surtir me conviene pedir prestado?" asks about a loan, it states no goal
            asking = asking and not (_LOAN.search(line) and not _LOAN_WANTED.search(line))
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


def unread_wishes(clauses: list[Clause], others: bool = True) -> list[Wish]:
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
        if _not_the_owners(line, others):
            continue  # someone else's trouble, or one already solved
        for piece in _pieces(line):
            said = _said_trouble(piece)
            if not (said or _STRAIN.search(piece)) or _fine(piece) or rule_goals(piece):
                continue  # no wish, one called no trouble, or one a rule already read
            if len(piece.split()) <= 3 and i + 1 < len(clauses) and not clauses[i + 1].question:
                piece = f"{piece}, {' '.join(clauses[i + 1].words)}"
            out[piece] = out.get(piece, False) or said
    return [Wish(text, said) for text, said in out.items()]


# Words right after a goal that say it is no trouble: "el inventario lo llevo bien", "publicidad
# no ocupo", "redes ya tengo y ahí me va bien", "clientes no me faltan", "tiempo sí tenemos".
_FINE = (
    r"no (?:me |nos )?(?:lo |la |los |las )?(?:ocupo|ocupamos|necesito|necesitamos|preocupa|"
    r"preocupan|interesa|interesan|urge|urgen|falta|faltan|hace falta|hacen falta|batallo|"
    r"batallamos|quita el sue(?:n|ñ)o)"
    r"|(?:ya )?(?:lo |la |los |las )?(?:llevo|llevamos|tengo|tenemos|traigo|traemos|manejo|"
    r"manejamos) (?:muy )?(?:bien|controlad[oa]s?|al dia|en orden|al corriente)"
    r"|(?:me|nos) (?:va|van|sale|salen|funciona|funcionan|jala|jalan) (?:muy )?bien"
    r"|(?:esta|estan|anda|andan|va|van) (?:muy |re |bastante )?bien"
    r"|(?:me|nos) sobran?|de sobra|no (?:es|son) (?:problema|bronca|lo que)"
)
# ...unless denied itself: "no me va bien", "no nos sobra".
_UNDENIED = r"(?<!\bno )(?<!\bno me )(?<!\bno nos )(?<!\bni )"
_FINE_AFTER = re.compile(
    rf"^(?: \w+){{0,2}}? {_UNDENIED}(?:{_FINE}|ya (?:lo |la |los |las )?(?:tengo|tenemos|hago|hacemos|uso|"
    r"usamos)|si (?:tengo|tenemos|hay)(?! que| q))\b"
)
_FINE_SAID = re.compile(rf"\b{_UNDENIED}(?:{_FINE})\b")
# "no tengo problema con el inventario", "no batallo con las cuentas" (a few words before).
_FINE_BEFORE = re.compile(
    r"\bno (?:tengo|tenemos|hay) (?:ningun |ninguna )?(?:problemas?|broncas?|lio) (?:con|de|en)\b"
    r"|\bno (?:batallo|batallamos|sufro|sufrimos) (?:con|de|por)\b"
)
# A clause about someone else's business: "mi compadre tiene un taller y dice que las máquinas se
# le descomponen", "a él se le pierden las refacciones", "una amiga tiene restaurante y…". What
# goes wrong there is theirs, unless the owner is in it too (me, nos, yo).
_THEIRS = re.compile(
    rf"\b(?:mis?|sus?|una?|el|la) {KIN} (?:\w+ ){{0,2}}?tienen? (?:(?:un|una|su|otro|otra) )?"
    r"(?!razon|miedo|ganas|tiempo|dudas?|idea|la culpa)\w+"
    r"|\b(?:mis?|una?) (?:vecin[oa]s?|conocid[oa]s?|compadre|comadre|amig[oa]s?|prim[oa]s?|"
    r"cuñad[oa]s?|cunad[oa]s?|compas?) (?:\w+ ){0,2}?(?:dice|dicen|cuenta|cuentan|le|les)\b"
    r"|\ba (?:el|ella|ellos|ellas) (?:se )?(?:le|les)\b"
)
_MINE = re.compile(r"\b(?:me|nos|yo|nosotros|mi negocio|nuestro negocio)\b")
# A trouble of the past that is solved: "antes se me echaba a perder la fruta pero ya aprendí a
# comprar justo", "hace tiempo nos fallaba el horno, ya se arregló".
_BEFORE = re.compile(
    r"\b(?:antes|hace (?:tiempo|a[nñ]os|meses|rato|un (?:a[nñ]o|tiempo|mes))|el a[nñ]o pasado|"
    r"al principio)\b"
)
_SOLVED = re.compile(
    r"\bya (?:aprendi\w*|aprendimos|(?:lo |la |los |las )?(?:resolvi|resolvimos|arregle|"
    r"arreglamos|solucione|solucionamos|controlo|controlamos|pague|pagamos|liquide|liquidamos)|"
    r"lo tengo controlado|quedo|se (?:arreglo|soluciono|resolvio|compuso)|"
    r"no (?:me |nos )?(?:pasa|sucede)|"
    # "hace un año batallaba con las cuentas, ya contraté una contadora": solved by someone or
    # something the owner got for it.
    r"(?:contrate|contratamos|consegui|conseguimos|compre|compramos|puse|pusimos|meti|metimos) "
    r"(?:a )?(?:un|una|al|a la|mi|el|la)\b)\b"
)
# Prices a client asks about, or the owner sends, are no finance goal: "me escriben pa
# preguntar precios", "tardo mucho en mandar precios".
_ASKED_FOR = re.compile(r"\b(?:pregunt\w*|cotiz\w*|piden|pedir|mand\w*|envi\w*)(?: \w+){0,2}$")


def _fine(text: str) -> bool:
    """The owner calls something no trouble: "el inventario lo llevo bien", "no batallo con…"."""
    return bool(_FINE_SAID.search(text) or _FINE_BEFORE.search(text))


def _not_the_owners(clause: str, others: bool = True) -> bool:
    """Whether a trouble in `clause` is not the owner's now: someone else's business (when
    `others`: the writer does not write for that someone) or a trouble already solved."""
    if others and _THEIRS.search(clause) and not _MINE.search(clause):
        return True
    return bool(_BEFORE.search(clause) and _SOLVED.search(clause))


# A goal's word inside a name: "una tienda de regalos que se llama Detalles y Promociones",
# "nuestra marca se llama Calidad Total". At most a few words of the name before it.
_NAMED = re.compile(
    r"\b(?:se llaman?|llamad[oa]s?|le (?:puse|pusimos)|de nombre|nombre es)(?: \w+){0,3}$"
)
# A goal's word that names what the business sells or does: "taller de rótulos y anuncios
# luminosos", "negocio de mantenimiento de minisplits", "agencia de publicidad". The business
# word and the goal word in one clause, a few words apart, with no wish between them.
_TRADE_OF = re.compile(
    r"\b(?:negocio|empresa|taller|despacho|agencia|servicios?|imprenta|fabrica|consultoria|"
    r"asesoria|compania|bufete)s? (?:de|del|en)(?: (?!quiero|necesito|ocupo|me|nos|pero)\w+){0,5}$"
)
# ...or made by the owner, told as a list ("hacemos lonas, volantes y toda la publicidad
# impresa"): a first-person verb of making or selling, then only things, up to the goal word.
_MAKES = re.compile(
    r"\b(?:hacemos|hago|vendemos|vendo|ofrecemos|ofrezco|fabricamos|fabrico|instalamos|instalo|"
    r"imprimimos|imprimo|elaboramos|elaboro|brindamos|brindo|nos dedicamos a|me dedico a)"
    r"(?: (?!quiero|queremos|necesito|ocupo|me|nos|pero|no|ni|y (?:me|nos|no|quiero))[\w.]+)"
    r"{0,12}$"
)
# ...or a service the owner gives many others: "llevo la contabilidad, nómina e impuestos de
# como 30 clientes", "le hago la publicidad a varias empresas".
_FOR_MANY = re.compile(
    r"^(?: [\w.]+){0,8}? (?:de|a|para) (?:como |unos |unas |mas de |casi )?"
    r"(?:\d+|varios|varias|muchos|muchas|otros|otras|diferentes) ?"
    r"(?:clientes|clientas|empresas|negocios|contribuyentes|pymes|changarros|comercios)?\b"
)
# Someone else's trouble told of the owner's clients: "a los clientes se les calienta el motor
# y me traen los carros" (a mechanic's trade, not the owner's machines).
_CLIENTS_THEIRS = re.compile(
    r"\ba (?:mis|los|las|sus|un|una|el|la|algun|algunos) (?:clientes?|clientas?|pacientes?|"
    r"huespedes|socios?|alumnos?|vecinos?|usuarios?)(?: \w+){0,2}? (?:se )?(?:le|les)\b"
)


def _the_business_itself(goal_word: str, before: str, after: str) -> bool:
    """Whether one goal word (not a complaint said in words) names the business's own trade,
    its name, or a service it gives others: "taller de rótulos y anuncios", "se llama Calidad
    Total", "la contabilidad de como 30 clientes". `before` and `after` reach across commas."""
    if " " in goal_word:
        return False  # "nadie nos conoce", "se me echa a perder": a trouble said, not a noun
    clause_before = before.rsplit(" . ", 1)[-1]
    if _NAMED.search(clause_before) or _TRADE_OF.search(clause_before):
        return True
    return bool(_MAKES.search(before[-120:]) or _FOR_MANY.match(after[:80]))


def _someone_elses_here(clause: str, start: int, end: int) -> bool:
    """A trouble told of the owner's clients in the part of `clause` that holds it: "a los
    clientes se les calienta el motor" (the "me traen los carros" after it is the owner's)."""
    piece_start = max((j.end() for j in _JOINS.finditer(clause, 0, start)), default=0)
    joined = _JOINS.search(clause, end)
    piece = clause[piece_start : joined.start() if joined else len(clause)]
    return bool(_CLIENTS_THEIRS.search(clause[:end])) and not _MINE.search(piece)


def _stated(goal: str, text: str, m: re.Match[str], others: bool = True) -> bool:
    """Whether the goal matched at `m` is one the owner states in `text` (clauses joined by
    " . "): not refused before it, not called no trouble after it, not a loan only asked
    about, not a price a client asks, not someone else's nor one already solved."""
    start = text.rfind(" . ", 0, m.start())
    start = 0 if start < 0 else start + 3
    end = text.find(" . ", m.end())
    clause = text[start : len(text) if end < 0 else end]
    before = text[start : m.start()].split()
    after = text[m.end() : len(text) if end < 0 else end]
    if RULES["goal_rejected"].search(" ".join(before[-4:])):
        return False
    if _FINE_BEFORE.search(" ".join(before[-6:])) or _FINE_AFTER.search(after):
        return False
    if goal == "finance" and _LOAN.search(m.group()) and not _LOAN_WANTED.search(clause):
        return False
    if goal == "finance" and m.group() in ("precios", "costos", "costo"):
        if _ASKED_FOR.search(" ".join(before)):
            return False
    if _the_business_itself(m.group(), text[: m.start()].rstrip(), " " + text[m.end() :].lstrip()):
        return False
    if others and _someone_elses_here(clause, m.start() - start, m.end() - start):
        return False
    return not _not_the_owners(clause, others)


def rule_goals(text: str, others: bool = True) -> list[str]:
    """Goals the rules name in `text`, in GOALS order.

    A refusal counts in its own clause only ("no quiero publicidad, quiero vender más"), and the
    longer reading wins: in "que no me devuelvan pedidos" the returns (quality) hold the word
    "pedidos", which alone would be orders to attend (customer service). See `_stated` for the
    goals a rule names that the owner does not state.
    """
    text = re.sub(r"\b(?:q|ke|k)\b", "que", text)  # "nadie sabe q existo"
    found = [
        (goal, m.start(), m.end())
        for goal, rx in _GOAL_RX.items()
        for m in rx.finditer(text)
        if _stated(goal, text, m, others)
    ]
    kept = [
        goal
        for goal, start, end in found
        if not any(
            g != goal and s <= start and end <= e and e - s > end - start for g, s, e in found
        )
    ]
    return [goal for goal in _GOAL_RX if goal in kept]
