"""Whose team a figure or a list of people names: the owner's, someone else's, the ones sought; and
the lists of people owners write ("yo, mi esposa y 3 repartidores")."""

from __future__ import annotations

import re

from assistant.understanding.figures import APPROX, NUM, to_number
from assistant.understanding.people import KIN, MY_KIN, OUTSIDER_RX, PERSON, SELF_RX, WORKER

# Words before people who are sought or to be trained, not working yet: "busco 2 meseros".
HIRING = set(
    "busco buscando necesito contratar ocupo quiero requiero faltan falta buscamos necesitamos "
    "ocupamos queremos quisiera quisieramos capacitar entrenar inscribir".split()
)


# A kind of staff a headcount is split by: "5 de planta y 3 eventuales", "2 en la oficina".
KIND = (
    r"(?:eventuales|temporales|de planta|fijos|fijas|de base|de medio tiempo|medio tiempo|"
    r"por honorarios|por obra|practicantes|becarios|de fin de semana|por dia|"
    r"en (?:la |el )?(?:oficina|cocina|bodega|taller|mostrador|caja|reparto|campo|planta|obra|"
    r"administracion|ventas|produccion))"
)


# Words before a headcount that make it the whole team, the speaker included ("somos 9
# costureras", "ya son 14").
_WHOLE_TEAM = set("somos son tenemos trabajamos eramos seremos estamos hay".split())


SOLD_TO = set("a al les le".split())
_SOLD_TO_OR_FOR = SOLD_TO | {"para"}  # "para 3 taqueros" is who the work is for
_WORKING_TEAM = _WHOLE_TEAM | {"trabajan", "atiende", "atienden"}


_SPEAKS_AS_OWNER = re.compile(r"\b(?:tengo|soy|yo|mi (?:negocio|local|tienda|taller|empresa))\b")
_NOT_OWNER = re.compile(r"\b(?:trabajo (?:en|para)|soy emplead[oa]|mi (?:jefe|jefa|patron))\b")
# A micro business's owner works next to the few people they name ("tengo 2 empleadas" are
# three people); a payroll of ten or more is given as the headcount.
_OWNER_WORKS_BELOW = 10


def someone_elses(text: str, at: int) -> bool:
    """A figure said of another person's business: "mi compadre tiene una ferretería con 12
    empleados", "mi primo tiene otra granja con 10 trabajadores"."""
    clause = re.split(r"[,.;:!?]", text[:at])[-1]
    return bool(OUTSIDER_RX.search(clause)) and not SELF_RX.search(clause)


def with_owner(text: str, start: int, count: float, governed: list[str]) -> float:
    """A count of staff the owner gave, plus the owner when they speak for themselves."""
    if count >= _OWNER_WORKS_BELOW or _WHOLE_TEAM.intersection(governed):
        return count
    if _NOT_OWNER.search(text):
        return count
    clause_start = not re.search(r"\w", re.split(r"[,.;:(]", text[:start])[-1]) or set(
        governed
    ) <= {"como", "unos", "unas", "casi", "mas", "de", "o", "menos", "aproximadamente"}
    if "tengo" in governed or "con" in governed:
        return count + 1
    # "tengo lavandería en Mérida, 2 empleadas": a figure on its own, from an owner who speaks
    # for themselves; a bare "4 empleados" is left as said.
    return count + 1 if clause_start and _SPEAKS_AS_OWNER.search(text) else count


# ---- the team as owners list it --------------------------------------------------------------
# "estamos yo, mi esposa, 3 repartidores y el muchacho de la planta", "trabajan ella, sus dos
# hijas y una señora q lava", "somos 18 costureras, 2 cortadores, yo y el dueño": a list of the
# people who work, each item one person or a figure of them, joined by commas, "y", "más". An
# item may say what the person does ("mi hijo que es el encargado", "mi cuñada en la caja").
_ROLE = (
    r"(?:dueñ[oa]s?|duen[oa]s?|patron(?:a|es)?|jef[ea]s?|doctor(?:es|as?)?|ingenier[oa]s?|"
    r"licenciad[oa]s?|administrador(?:es|as?)?|capataz|mayordom[oa]s?|mozos?)"
)
# Trades said with a usual ending ("2 lancheros", "una recamarera", "3 electricistas"); the
# words here end the same and are things or clients.
_TRADE = (
    r"(?!(?:sombreros?|llaveros?|numeros?|tableros?|agujeros?|basureros?|ceniceros?|veleros?|"
    r"cueros?|pasajeros?|viajeros?|extranjeros?|primer[oa]s?|enter[oa]s?|tercer[oa]s?|dineros?|"
    r"neveras?|hieleras?|cafeteras?|carreteras?|escaleras?|banderas?|carteras?|maderas?|"
    r"fronteras?|tijeras?|macetas|turistas?|revistas?|listas?|pistas?|vistas?|entrevistas?|"
    r"maneras?|afueras|veras?|eras?|series?|materas?|loncheras?|regaderas?|llantas?)\b)"
    r"[a-zñ]{2,}(?:er[oa]s?|istas?)"
)
_MEMBER_NOUN = rf"(?:{WORKER}|{PERSON}|{KIN}|{_ROLE}|{_TRADE})"
_MEMBER = re.compile(
    r"\b(?P<me>yo)\b(?! (?:no|tampoco|ni)\b)"  # "mi socia habla inglés, yo no"
    r"|\b(?P<pron>ella|el)\b(?= ?(?:$|[,.;:!?)]|(?:y|mas|en|que|q)\b))"
    rf"|\b(?:(?P<det>mis?|sus?|nuestr[oa]s?|el|la|los|las|otr[oa]s?) )?(?:(?P<n>{NUM}) )?"
    rf"(?P<noun>{_MEMBER_NOUN})\b"
    rf"|\b(?P<part>{NUM}) (?:de (?:la familia|oficina|planta|base)\b|{KIND})"
    r"|\b(?P<the_one>el|la) de (?:la |el |los |las )?[a-zñ]+"
)
# Between two people of the list: what the first one does (a few words), then the joint.
_JOINT = re.compile(
    r"(?P<says>(?: (?!(?:y|tiene|tienen|tengo|pero|porque|aunque|cuando|si|ni|para)\b)[a-zñ0-9]+)"
    r"{0,7}?)(?P<by>,? y(?: (?:tambien|aparte|ademas|tenemos|hay|tengo|esta|estan|trabaja|trabajan))*"
    r"|,(?: y| tambien| aparte| ademas)*|,? mas|,? \+|,? con|,? aparte|,? ademas) ?"
)
# Words just before a list of people who are not the whole team: the ones who just came or were
# forgotten (clients, "les vendo a…", and the ones sought are told apart as everywhere else).
_NOT_THE_TEAM = set(
    "entraron entro llegaron llego contrate contratamos metimos olvido olvidaba olvidaron "
    "olvidaban olvide paso pasaron".split()
)
_COUNTED_ALREADY = re.compile(r" (?:incluid[oa]s?|entre (?:ellos|ellas)|tambien cuento)\b")
_SAYS_WHO = re.compile(r" (?:que|q|quien|es|era|como)\b")
_PLURAL_DET = {"mis", "sus", "nuestros", "nuestras", "los", "las", "otros", "otras"}
# Words before a list that add someone not in it: the speaker ("trabajan conmigo…", "tengo una
# dulcería con mi esposo y…", "me ayudan…") or the owner named ("ella tiene…", "trabajan con él…").
_ONE_MORE = set("conmigo con tengo tiene tienen ayudan ayuda apoyan".split())


def _member_count(m: re.Match[str]) -> int:
    if m["me"] and _COUNTED_ALREADY.match(m.string, m.end()):
        return 0  # "somos 4 arquitectos, yo incluida, y una asistente"
    if m.group("n") or m.group("part"):
        return int(to_number(m.group("n") or m.group("part")))
    if m.group("noun"):
        plural = m.group("det") in _PLURAL_DET or (
            m.group("det") is None and m.group("noun").endswith("s")
        )
        return 2 if plural and not m.group("noun").endswith("espaldas") else 1
    return 1


# The whole team's figure said just before its list: "somos 4: mi esposo, yo y dos guías", "somos
# tres mi hermana mi mamá y yo", "en total somos 6 - …". The list says who they are (and may
# name some by words no list reader knows); the figure is how many.
_TOTAL_BEFORE = re.compile(
    rf"\b(?:somos|son|eramos|en total)(?: en total)? {APPROX}({NUM})"
    r"(?: (?:en total|personas|trabajando|de planta))? ?[:,\-–]? ?"
    rf"(?:{MY_KIN},? (?:y )?)*$"
)


# "yo sola, mi hija me ayuda con la página": help with one thing, no place in the team (the
# business itself is: "me ayuda con la tienda").
_HELPS_WITH_ONE_THING = re.compile(
    r" (?:me|nos) (?:ayuda|ayudan|echa la mano|apoya)(?: (?:a veces|de vez en cuando|luego))? con "
    r"(?!(?:el|la|mi|nuestro|nuestra) (?:negocio|tienda|local|puesto|taller|changarro|chamba|"
    r"trabajo|atencion|clientela)\b|todo\b|(?:los|las|mis) clientes?\b|el quehacer\b)"
)


_KIN_NOUN = re.compile(rf"{KIN}")


def _my_kin(m: re.Match[str]) -> bool:
    """A relative named as the writer's: "mi mamá", "mis 2 tías"."""
    return m["det"] in ("mi", "mis") and bool(m["noun"]) and bool(_KIN_NOUN.fullmatch(m["noun"]))


def rosters(text: str) -> list[tuple[int, int, int | None]]:
    """Each list of people: (start, end, how many work, the speaker included when they are one
    of them or say they work with them; None for a list of people who are not the team)."""
    members = [
        m
        for m in _MEMBER.finditer(text)
        if (not m.group("noun") or m.group("det") or m.group("n"))  # "gente" alone is no one
        and not _HELPS_WITH_ONE_THING.match(text, m.end())
    ]

    def joins(a: re.Match[str], b: re.Match[str]) -> bool:
        if text[a.end() : b.start()] == " " and _my_kin(a) and _my_kin(b):
            return True  # "las tejemos mi mamá mis 2 tías y yo": owners list kin without commas
        joint = _JOINT.fullmatch(text, a.end(), b.start())
        return joint is not None and not (joint["says"] and joint["by"].endswith("con"))

    groups: list[list[re.Match[str]]] = []
    for m in members:
        if (
            len(groups) > 1
            and len(groups[-1]) == 1
            and _SAYS_WHO.match(text, groups[-2][-1].end(), groups[-1][0].start())
            and joins(groups[-2][-1], m)
        ):
            # "mi hijo que es el encargado y yo": "el encargado" says what the son does.
            groups.pop()
            groups[-1].append(m)
        elif groups and joins(groups[-1][-1], m):
            groups[-1].append(m)
        else:
            groups.append([m])
    found: list[tuple[int, int, int | None]] = []
    for group in groups:
        if len(group) < 2:
            continue
        start, end = group[0].start(), group[-1].end()
        lead = re.split(r"[.;:!?(]", text[:start])[-1].split()
        if (
            (not any(m["me"] for m in group) and someone_elses(text, start))
            or HIRING.intersection(lead[-3:])
            or _NOT_THE_TEAM.intersection(lead[-2:])
            or _SOLD_TO_OR_FOR.intersection(lead[-1:])
            or re.search(rf"\b(?:{NUM}) (?:con|contando a|incluyendo a)$", " ".join(lead))
            or re.search(r"\b(?:es|era|son) de$", " ".join(lead))  # "es de mi mamá, yo le ayudo"
        ):
            # "mi vecina tiene una fonda con su hija y 2 muchachas", "busco 2 meseros y un
            # cocinero", "les vendo a 3 taqueros y 2 fonderos", "se me olvidaba mi cuñada y…";
            # "somos 5 con mi esposa y yo" says who the five are.
            found.append((start, end, None))
            continue
        if total := _TOTAL_BEFORE.search(text[:start]):
            found.append((start, end, int(to_number(total.group(1)))))  # the figure said first
            continue
        size = sum(_member_count(m) for m in group)
        figure = any(m.group("n") or m.group("part") for m in group)
        if any(m.group("me") for m in group):
            pass
        elif any(m["part"] for m in group) and not {"con", "conmigo"}.intersection(lead):
            pass  # "tengo 5 fijos y 3 de medio tiempo": the payroll said in parts
        elif {"con", "conmigo", "ayudan", "ayuda", "apoyan"}.intersection(lead[-3:]) or (
            _ONE_MORE.intersection(lead[-3:]) and size < _OWNER_WORKS_BELOW
        ):
            size += 1  # "tengo 12 choferes y 3 mecánicos" is the payroll as said
        elif "somos" in lead[-3:]:
            # "somos mi esposa y 2 empleados": the speaker too; "somos 14 empleados más los dos
            # dueños": the speaker is one of the fourteen.
            size += 1 if group[0].group("det") in ("mi", "mis") else 0
        elif not _WORKING_TEAM.intersection(lead[-3:]):
            if not figure:
                continue  # "se me pasó, mi cuñada y el chavo": who they are, not how many
            if not any(m["pron"] or m["det"] in ("mi", "mis", "su", "sus") for m in group):
                size = int(with_owner(text, start, size, lead[-3:]))
        found.append((start, end, size))
    return found
