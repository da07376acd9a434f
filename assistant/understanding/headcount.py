"""How many people work in the business, from what the owner says ("somos 5", "tengo 2 empleadas y
una señora que hace el aseo", "mi esposa y yo"), and the company size."""

from __future__ import annotations

import re

from assistant.schemas import Size
from assistant.understanding.figures import APPROX, NUM, to_number
from assistant.understanding.people import HELP, KIN, KIN_ONE, MY_KIN, PERSON, STAFF, WORKER
from assistant.understanding.team import HIRING, KIND, SOLD_TO, rosters, someone_elses, with_owner

# "mis 2 primos", "mi hermana": MY_KIN with the possessive and the number captured.
_MY_KIN_COUNTED = re.compile(rf"(mis?) (?:({NUM}) )?{KIN}")
_MY_KIN_COUNTED_AT = re.compile(rf"\b(mis?) (?:({NUM}) )?{KIN}")

_EMPLOYEE_RX = [
    re.compile(rf"\b({NUM}) {STAFF}\b"),
    re.compile(
        rf"\b(?:tengo|tenemos|somos|son|trabajan|con) {APPROX}({NUM}) {HELP}\b(?! al| por| cada)"
    ),
    re.compile(
        rf"\bsomos {APPROX}(?!(?:una?|uno)\b(?! docena))({NUM})\b(?! (?:años|anos|meses|dias|veces)\b)"
    ),
    re.compile(rf"\bequipo de {APPROX}({NUM})\b"),
    # "…en Guadalajara, 7 personas.": a headcount said on its own, everyone included.
    re.compile(
        rf"(?:^|[,.;:(]) ?{APPROX}({NUM}) (?:(?:personas|gente)"
        r"(?= ?(?:$|[,.;:)!]|en total|trabajando|en el (?:equipo|taller|negocio|local)\b"
        r"|(?:de|en) (?!la\b|el\b|los\b|las\b|todo)[a-z]+ ?(?:$|[,.;:)!])))"
        r"|(?:personas |gente )?en total\b)"
    ),
    re.compile(rf"(?:^|[,.;:(]) ?en total (?:somos |son )?{APPROX}({NUM})(?= ?(?:$|[,.;:)!]))"),
    re.compile(rf"\bsomos (?:una )?familia de {APPROX}({NUM})\b"),
    # "somos una cooperativa de 12 socios": the members are the ones who work.
    re.compile(
        rf"\b(?:cooperativa|sociedad|grupo|asociacion) de {APPROX}({NUM}) "
        r"(?:socios|socias|miembros|integrantes|productores|productoras|mujeres|personas)\b"
    ),
    # "cooperativa de café en Cuetzalan, 20 socias": said later in the same message.
    re.compile(
        rf"\b(?:cooperativa|ejido|sociedad cooperativa)\b.*?[,.;:] ?{APPROX}({NUM}) "
        r"(?:socios|socias|miembros|integrantes|productores|productoras|ejidatarios)\b"
    ),
    # "no, son 6 con el nuevo", "ya son 14": a new figure for the whole team.
    re.compile(
        rf"(?:^|[,.;:]|\b(?:ya|ahora|perdon|mejor|nomas|solo)) ?son {APPROX}({NUM})"
        r"(?= ?(?:$|[,.;!]|con (?:el|la|los|las|mi|mis)\b|contando|en total|trabajando))"
    ),
    # "trabajamos 5", "trabajamos como 8": the ones working, the speaker included.
    re.compile(
        rf"\btrabajamos {APPROX}({NUM})\b"
        r"(?! (?:años|anos|meses|dias|horas|veces|de|a|al|por|x)\b)"
    ),
]


# "que 30 operadoras aprendan", "20 de ellos se capaciten": the ones a wish is about, a part of
# the team, not its size.
_TRAINED = re.compile(r" (?:(?:se|le|les) )?(?:aprend|sep|tom|estudi|capacit|entren|certifiqu)\w*")


# Relatives listed before someone else: "mi esposa y ", "mi papá, mi tío y ".
_KIN_LIST = rf"(?:{KIN_ONE}(?:, | y ))+"
# "mi esposa y yo" is a team; "es de mi mamá, yo le ayudo" says whose the business is.
_FAMILY_RX = re.compile(
    rf"(?<!\bde )\b({_KIN_LIST})yo\b|\byo (?:y|con) ((?:{KIN_ONE},? ?(?:y )?)+)"
)
# "era de mi papá y mi tío, yo la heredé": the kin before the speaker are who owned it, not
# the team (the lookbehind in _FAMILY_RX covers the first of them only).
_OWNED_BY_KIN = re.compile(rf"\bde {_KIN_LIST}$")
_SOLO_RX = re.compile(
    r"\b(?:trabajo|estoy|atiendo|chambeo|lo atiendo|la atiendo) sol(?:it)?[oa]\b(?! (?:con|los|las|el|la|por|"
    r"de|medio|unas?|un|entre|en (?:las|la|el)|lunes|martes|miercoles|jueves|viernes|sabados?|"
    r"domingos?|fines?|mañanas|tardes|noches|\d))"
    r"|\b(?:yo sol(?:it)?[oa]|sol[oa] yo|(?:nada mas|nadamas|nomas|unicamente|solamente|solo)"
    r"(?: somos| estoy)? yo)\b"
    r"(?=\s*(?:$|[,.;!?]|y\b|atiendo|trabajo|llevo|hago|lo\b|la\b|le\b|en (?:el|la|mi)\b|sin\b))"
    r"|\b(?:no tengo|no tenemos|sin|ningun|ni un) (?:emplead|trabajador|ayudante|personal)"
)


# "somos 4 mecánicos y yo": the speaker is one more.
# Any plural after "somos N" names the people: "somos 4 cuidadoras y yo".
_AND_ME = re.compile(rf"\bsomos {APPROX}({NUM}) (?:{WORKER}|[a-zñ]{{3,}}s) (?:y|mas|\+) yo\b")
# A headcount said in parts: "somos 5 de planta y 3 eventuales", "somos 30 guardias y 2 en la
# oficina", "tengo 6 fijos y 2 de medio tiempo". Both parts work in the business.
_PARTS = re.compile(
    rf"\b(?:somos|tengo|tenemos|trabajamos) {APPROX}({NUM})(?: (?:{WORKER}|[a-zñ]{{3,}}s))?"
    rf"(?: {KIND})? "
    rf"(?:y|mas|\+) (?:otr[oa]s )?({NUM}) (?:{WORKER} )?{KIND}"
)
# A headcount said as a range: "somos entre 10 y 12 según la temporada", "somos 8 o 9", "somos de
# 15 a 20". The larger figure is how many work at the busiest; "somos 3 y 2 en la oficina" is a
# headcount in parts (_PARTS).
_RANGE = re.compile(
    rf"\b(?:somos|son|trabajamos|estamos|eramos) (?:(?:entre|de) ({NUM}) (?:y|a) ({NUM})|"
    rf"({NUM}) (?:o|a) ({NUM}))\b(?! (?:años|anos|meses|dias|horas|veces|pesos|mil)\b)"
)
# People per branch: "2 sucursales con 8 cada una", "3 tiendas y en cada una hay 4 empleados",
# "dos turnos de 5 personas".
_BRANCH = (
    r"(?:sucursal(?:es)?|tiendas?|locales|local|puestos?|talleres|taller|negocios?|turnos?|"
    r"cocinas?|planteles?|consultorios?|cuadrillas?|equipos?)"
)
_EACH = r"(?:cada (?:una|uno)|en cada (?:una|uno)|por (?:sucursal|tienda|local|turno|taller))"
_PER_BRANCH = re.compile(
    rf"\b({NUM}) {_BRANCH}\b(?: [a-zñ]+){{0,4}}? (?:con|de|y) ({NUM})(?: {WORKER})? {_EACH}\b"
    rf"|\b({NUM}) {_BRANCH}\b,?(?: [a-zñ]+){{0,4}}?,? (?:y )?(?:en )?cada (?:una|uno) "
    rf"(?:hay |tiene |tienen |con |trabajan )?({NUM})\b"
)
# "somos 2 veterinarios y una recepcionista", "tengo 3 empleados y un chalán".
_AND_MORE = re.compile(
    rf"\b(?:somos|tengo|tenemos) {APPROX}({NUM}) {WORKER} (?:y|mas|\+) ({NUM}) {WORKER}\b"
)
# Members of a gym or a club ("un box con 60 socios") are not workers.
_NOT_MEMBERS = r"(?<!socios)(?<!socias)"
# "yo y 2 cajeras", "trabajo con 2 asistentes", "nomás yo y un chalán": the speaker plus them.
_ME_AND = re.compile(
    rf"\b(?:yo (?:y|con)|trabajo con|trabajamos|me ayuda[n]?) {APPROX}({NUM}) {WORKER}\b"
    rf"|\byo (?:y|con) {APPROX}({NUM}) [a-zñ]{{3,}}s\b"  # "somos yo y dos baristas"
    # "un taller con 3 ayudantes"; a club's members don't work, and "también tenemos consultorio
    # con una doctora" is one person of a part of the business, not its team.
    rf"|\bcon {APPROX}(?!una?\b)({NUM}) {WORKER}\b{_NOT_MEMBERS}"
)
# "tengo mi consultorio en Puebla y una asistente": the owner plus them.
_MINE_AND = re.compile(rf"\btengo\b.{{0,60}}?\b(?:y|con) ({NUM}) {WORKER}\b{_NOT_MEMBERS}")
# "tengo una asistente", "tengo un chalán": one helper and the speaker.
_ONE_HELPER = re.compile(rf"\btengo (?:un|una) (?:{WORKER})\b(?! (?:de|en|por|para)\b)")
# "mi hijo me ayuda", "me ayuda mi esposa": the speaker and one relative.
# "trabajo con mi hermana", "la atiendo con mis hijos": the same, said by the owner's work.
_KIN_HELPS = re.compile(
    rf"\b(?P<kin>{MY_KIN}) me ayuda"
    rf"|\bme ayuda(?:n)? (?P<kin2>{MY_KIN})\b"
    rf"|\b(?:trabajo|chambeo|(?:lo|la) (?:atiendo|llevo|trabajo)) (?:junto )?con (?P<kin3>mis? {KIN})\b"
)


# Help with one thing is no place in the team: "mi hijo me ayuda con eso", "me ayuda mi hija con
# la página de Facebook". Help with the business itself still is ("me ayuda con la tienda").
_ONE_TASK = re.compile(
    r"(?: (?:a veces|de vez en cuando|luego))? con (?!(?:el|la|mi|nuestro|nuestra) (?:negocio|tienda|"
    r"local|puesto|taller|changarro|chamba|trabajo|atencion|clientela)\b|todo\b|(?:los|las|mis) "
    r"clientes?\b|el quehacer\b)"
)


# The people someone works with: "mi hermana", "mis 3 hermanos", "2 empleadas", "mi chalán".
_ITEM = rf"(?:yo|{MY_KIN}|(?:mis? )?(?:{NUM}) {WORKER}|mi {WORKER})"
# "trabajo solo con mi esposa", "lo atiendo nomás con mis dos hijas": the speaker and them.
_WORK_WITH = re.compile(
    r"\b(?:trabajo|chambeo|atiendo|lo atiendo|la atiendo|lo trabajo|lo saco|le entro|estoy) "
    rf"(?:sol[oa] |nomas |nada mas |solamente |unicamente |junto )?con ({_ITEM}"
    rf"(?:(?:,? y |, | mas ){_ITEM})*)\b"
)
# The owner's work done with relatives: "tejo hamacas en Tixkokob con mis 3 cuñadas", "tengo una
# carnicería con mi hermano", "hacemos pan con mis hijas". The speaker and them.
_MADE_WITH = re.compile(
    r"\b(?:tengo|hago|hacemos|tejo|tejemos|bordo|bordamos|cocino|preparo|horneo|vendo|produzco|"
    r"elaboro|cosecho|siembro|trabajo|atiendo|llevo)\b(?: (?!con\b|y\b|pero\b)[a-zñ0-9]+){0,6}? "
    rf"con ((?:mis?|sus?) (?:(?:{NUM}) )?{KIN})\b(?!(?: (?:y|,|mas))? (?:yo|mis?|{NUM})\b)"
)


# Words before a headcount that make it someone else's ("les vendo a 20 taqueros").
_NOT_OURS = set(
    "a al para les atendemos atiendo vendo vendemos surtimos de "
    # "ya somos 8, entraron 2 repartidores": the ones who just came, not the whole team.
    "entraron entro llegaron llego contrate contratamos metimos agarre otros otras".split()
)
# Nouns of a business or its staff before "de N trabajadores": the business's own headcount.
_OUR_OUTFIT = set(
    "empresa maquila maquiladora fabrica planta negocio taller despacho compania compañia "
    "distribuidora constructora agencia pyme changarro plantilla nomina equipo".split()
)


_EMPLOYED_AT = set("trabajo trabajamos chambeo laboro".split())


_APPROX_END = re.compile(rf"\b{APPROX}$")


def _denied_count(before: str) -> bool:
    """ "no son 9", "no somos 7": a figure the owner takes back ("no, son 6" is not)."""
    return bool(re.search(r"\b(?:no|ni) (?:(?:son|somos|eramos|tenemos|tengo) )?$", before))


def _crew_size(items: str) -> int:
    n = 0
    for item in re.findall(_ITEM, items):
        if item == "yo":
            n += 1
        elif m := _MY_KIN_COUNTED.fullmatch(item):
            n += int(to_number(m.group(2))) if m.group(2) else (2 if m.group(1) == "mis" else 1)
        elif m := re.match(rf"(?:mis? )?({NUM}) ", item):
            n += int(to_number(m.group(1)))
        else:
            n += 1  # "mi chalán"
    return n


# What a helper does for the business; a client "hace pedidos", a helper "hace el aseo".
_HELPS = (
    r"(?:(?:(?:me|nos|le|les) )?(?:ayuda|echa la mano|apoya|atiende|cuida|trabaja|cocina|limpia|"
    r"barre|lava|plancha|cose|despacha|reparte|cobra)n?\b|hacen? (?:el |la |los |las )?"
    r"(?:aseo|limpieza|quehacer|comida|mandados|entregas)\b)"
)
_HELPER = re.compile(
    rf"\b(?P<n>{NUM}) {PERSON} (?:(?:que|q) {_HELPS}|de (?:{STAFF}|planta|base|limpieza|aseo|"
    r"intendencia|mandados|apoyo|medio tiempo|tiempo completo)\b)"
    rf"|\b(?:me|nos) (?:ayuda|echa la mano|echa una mano|apoya)n?(?: [a-zñ]+){{0,3}}? "
    rf"(?P<n2>{NUM}) (?:{PERSON}|{WORKER})\b"
)


# An owner writing in English: "there are 4 of us", "we're 6 people", "a team of 5", "it's me and
# three employees", "I have 2 employees", "just me", "me and my wife".
_EN_NUM = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_EN_FIGURE = r"(\d+|" + "|".join(_EN_NUM) + ")"
_EN_STAFF = r"(?:employees|workers|people|staff|helpers|assistants|guys|girls|cooks|waiters)"
_EN_KIN = r"(?:wife|husband|partner|son|daughter|brother|sister|mom|mother|dad|father)"
_ENGLISH_TEAM: tuple[tuple[re.Pattern[str], int], ...] = (
    # (pattern, who else is counted: the speaker when they say "me and" or "I have")
    (
        re.compile(
            rf"\bthere (?:are|re|’re|'re) (?:about |around )?{_EN_FIGURE} (?:of us|people)\b"
        ),
        0,
    ),
    (
        re.compile(
            rf"\bwe(?: are|'re|’re| re) (?:about |around )?{_EN_FIGURE}"
            rf"(?= ?(?:$|[,.;:!)]|people|of us|in total|{_EN_STAFF}))"
        ),
        0,
    ),
    (re.compile(rf"\bteam of (?:about |around )?{_EN_FIGURE}\b"), 0),
    (re.compile(rf"\b(?:me|myself) (?:and|plus|\+) {_EN_FIGURE} {_EN_STAFF}\b"), 1),
    (re.compile(rf"\bi (?:have|employ) {_EN_FIGURE} {_EN_STAFF}\b"), 1),
    (re.compile(rf"\bwith {_EN_FIGURE} {_EN_STAFF}\b"), 0),
)
_EN_ALONE = re.compile(r"\b(?:just|only) me\b|\bby myself\b|\bon my own\b")
_EN_ME_AND_KIN = re.compile(rf"\bme and my {_EN_KIN}\b|\bmy {_EN_KIN} and i\b")


def _english_team(text: str) -> list[tuple[int, float]]:
    """(where, how many) for each headcount an owner writing in English gives."""
    found: list[tuple[int, float]] = []
    for rx, more in _ENGLISH_TEAM:
        for m in rx.finditer(text):
            figure = m.group(1)
            found.append((m.end(), float(_EN_NUM.get(figure) or int(figure)) + more))
    found += [(m.end(), 2.0) for m in _EN_ME_AND_KIN.finditer(text)]
    found += [(m.end(), 1.0) for m in _EN_ALONE.finditer(text)]
    return found


def team_size(text: str) -> int | None:
    found: list[tuple[int, float]] = _english_team(text)  # (where the figure was said, the figure)
    spans: list[tuple[int, int]] = []  # the phrases read: a helper named inside one is counted

    def add(m: re.Match[str], at: int, count: float) -> None:
        found.append((at, count))
        spans.append(m.span())

    for k, rx in enumerate(_EMPLOYEE_RX):
        for m in rx.finditer(text):
            # "alrededor de 25 empleados": the words of an approximation say nothing of whose.
            before = _APPROX_END.sub("", text[: m.start()]).split()
            if HIRING.intersection(before[-3:]) or _denied_count(text[: m.start()]):
                continue
            if someone_elses(text, m.start()):
                continue
            if _TRAINED.match(text, m.end()):
                continue  # "que 30 operadoras aprendan": the ones a wish is about
            count = to_number(m.group(1))
            if k == 1 and count == 1:
                count = 2  # "tengo una muchacha", "con una persona": one helper and the speaker
            if k == 0:  # "2 empleadas", "120 guardias": staff named by their work
                # "una maquila (de arneses) de 300 trabajadores" is its size; "uniformes de 20
                # meseros" is not.
                near = set(before[-5:-1])
                # "le vendo a una empresa de 80": a client's; "trabajo para una": the speaker's.
                client = SOLD_TO & near or ("para" in near and not _EMPLOYED_AT & set(before[-6:]))
                ours = before[-1:] == ["de"] and bool(_OUR_OUTFIT & near) and not client
                if _NOT_OURS.intersection(before[-1:]) and not ours:
                    continue
                count = with_owner(text, m.start(), count, before[-3:])
            add(m, m.start(), count)
    for m in _AND_ME.finditer(text):
        add(m, m.start(), to_number(m.group(1)) + 1)
    # Said in parts or per branch: the figure ends where the whole phrase does, so it wins over
    # the "5" or the "8 empleados" read inside it.
    for m in _PARTS.finditer(text):
        add(m, m.end(), to_number(m.group(1)) + to_number(m.group(2)))
    for m in _RANGE.finditer(text):
        add(m, m.end(), max(to_number(g) for g in m.groups() if g))
    for m in _PER_BRANCH.finditer(text):
        branches, each = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        add(m, m.end(), to_number(branches) * to_number(each))
    for m in _AND_MORE.finditer(text):  # at its end: over the "4 empleados" read inside it
        add(m, m.end(), to_number(m.group(1)) + to_number(m.group(2)))
    if not any(rx.search(text) for rx in _EMPLOYEE_RX[1:]):  # "somos N" already counts the speaker
        for m in [*_ME_AND.finditer(text), *_MINE_AND.finditer(text)]:
            if someone_elses(text, m.start()):
                continue
            if not HIRING.intersection(text[: m.start()].split()[-3:]):
                add(m, m.start(), to_number(next(g for g in m.groups() if g)) + 1)
    for m in _ONE_HELPER.finditer(text):  # over the "un ayudante" = 1 read inside it
        if not HIRING.intersection(text[: m.start()].split()[-3:]):
            add(m, m.end(), 2.0)
    refused = []
    for start, end, size in rosters(text):  # a whole list outranks the figures inside it
        if size is None:
            refused.append((start, end))
        else:
            found.append((end, size))
            spans.append((start, end))
    # Nor does any figure inside a list of people who are not the team.
    found = [(at, n) for at, n in found if not any(a <= at < b for a, b in refused)]
    for m in _WORK_WITH.finditer(text):
        add(m, m.end(), _crew_size(m.group(1)) + 1)
    if not found:
        for m in _MADE_WITH.finditer(text):
            if not someone_elses(text, m.start()):
                add(m, m.end(), _crew_size(m.group(1)) + 1)
    helpers = [
        (h.start(), int(to_number(h.group("n") or h.group("n2"))))
        for h in _HELPER.finditer(text)
        if not any(a < h.end() and h.start() < b for a, b in spans)
        and not HIRING.intersection(text[: h.start()].split()[-3:])
    ]
    if found:
        at, count = max(found)  # the last figure stated wins
        # "tengo 2 empleadas y una señora que hace el aseo": helpers told after it are more.
        return max(1, int(count) + sum(n for start, n in helpers if start >= at))
    base, said = _named_team(text)
    # "mi señor y yo, y nos echa la mano una muchacha": the team named, plus each helper.
    extra = sum(n for start, n in helpers if not (said and said[0] <= start < said[1]))
    if base is None:
        return 1 + extra if extra else None
    return base + extra


def _named_team(text: str) -> tuple[int | None, tuple[int, int] | None]:
    """The team named without a figure ("mi esposa y yo", "me ayuda mi hijo", "nomás yo"), and
    where it was said."""
    family = next(
        (m for m in _FAMILY_RX.finditer(text) if not _OWNED_BY_KIN.search(text[: m.start()])), None
    )
    if family:
        said = _MY_KIN_COUNTED_AT.findall(family.group(1) or family.group(2))
        size = 1 + sum(int(to_number(n)) if n else (2 if mi == "mis" else 1) for mi, n in said)
        return size, family.span()
    helps = next((h for h in _KIN_HELPS.finditer(text) if not _ONE_TASK.match(text, h.end())), None)
    if helps:
        kin = helps.group("kin") or helps.group("kin2") or helps.group("kin3")
        return 1 + _crew_size(kin), helps.span()
    if mates := _MATES_AND_ME.search(text):  # "mi chalán y yo", "mis 2 ayudantes y yo"
        mine, figure = mates.group(1), mates.group(2)
        return 1 + (int(to_number(figure)) if figure else 2 if mine == "mis" else 1), mates.span()
    solo = _SOLO_RX.search(text)
    if solo and _BY_MYSELF.search(text[: solo.start()]):
        return None, None  # "¿y si lo pido yo sola me cobran?": by herself, not alone at work
    return (1, solo.span()) if solo else (None, None)


# "lo pido yo sola", "la tramito yo solo": doing a procedure oneself, not working alone (unlike
# "el negocio lo atiendo yo sola").
_BY_MYSELF = re.compile(
    r"\b(?:lo|la|los|las) (?:puedo |podria )?(?!atiendo|trabajo|llevo|manejo|chambeo)"
    r"(?:pid\w*|ped\w*|tramit\w*|sac\w*|solicit\w*|registr\w*|inscrib\w*|hag\w*|hac\w*|"
    r"consig\w*|compr\w*|pag\w*|instal\w*|configur\w*) $"
)


# "mi chalán y yo", "mis dos ayudantes y yo": the speaker and the people who work with them.
_MATES_AND_ME = re.compile(rf"\b(mis?) (?:({NUM}) )?{WORKER} y yo\b")
# A size said with the official words ("somos una empresa mediana"), when no headcount is
# given. "Negocio pequeño" is left out: owners say it of a micro business.
_STATED_SIZE: tuple[tuple[Size, re.Pattern[str]], ...] = (
    ("micro", re.compile(r"\bmicro ?(?:empresa|negocio)s?\b")),
    (
        "mediana",
        re.compile(r"\bmediana empresa\b|\b(?:empresa|compa[nñ]ia|pyme|fabrica|planta) mediana\b"),
    ),
    (
        "grande",
        re.compile(r"\bgran(?:de)? (?:empresa|compa[nñ]ia)\b|\b(?:empresa|compa[nñ]ia) grande\b"),
    ),
)


def stated_size(text: str) -> Size | None:
    """micro/mediana/grande when the owner names the size instead of the headcount."""
    return next((size for size, rx in _STATED_SIZE if rx.search(text)), None)


# Official stratification by number of workers (DOF 30-jun-2009). The official formula also
# weighs annual sales (10 % workers + 90 % sales), but in chat we only learn the headcount.
_SIZE_LIMITS = {"comercio": (10, 30, 100), "industria": (10, 50, 250), "servicios": (10, 50, 100)}


def size_for(employees: int, activity: str | None) -> Size:
    """micro/pequeña/mediana/grande for a headcount; unknown activity uses the servicios limits."""
    micro, small, medium = _SIZE_LIMITS.get(activity or "servicios", _SIZE_LIMITS["servicios"])
    if employees <= micro:
        return "micro"
    return "pequeña" if employees <= small else "mediana" if employees <= medium else "grande"
