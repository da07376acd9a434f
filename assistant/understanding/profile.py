"""Builds the business profile from chat turns: sector, size, place, digital maturity, goals, time."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, cast

from assistant.knowledge.models import Sector
from assistant.schemas import BusinessProfile, Size
from assistant.understanding import profile_data as data
from assistant.understanding.places import (
    Clause,
    Hit,
    PhraseIndex,
    find_location,
    is_place,
    split_clauses,
)
from assistant.understanding.sectors import LEXICAL_RATIO
from assistant.understanding.text import (
    UNDERSTAND_CHARS,
    clip_chars,
    normalize,
    normalized_words,
    respell,
)

# A role read from text; "it_helper" is someone who looks after the computers.
RoleRead = Literal["owner", "employee", "it", "developer", "it_helper"]


def _table(block: str) -> list[list[str]]:
    return [line.split(" | ") for line in block.strip().splitlines()]


def _patterns(block: str) -> dict[str, re.Pattern[str]]:
    return {key: re.compile(rx) for key, rx in _table(block)}


_UNITS, _TENS = data.UNITS, data.TENS
_NUMS = {w: i for i, w in enumerate(_UNITS, 1)} | {w: 10 * i for i, w in enumerate(_TENS, 3)}
_NUMS |= {"un": 1, "una": 1, "veintiun": 21, "veintiuna": 21, "cien": 100}
NUM = (
    r"(?:una |media )docena|"  # "somos una docena", "media docena contando a mi mamá"
    rf"\d+(?:[.,]\d+)?|(?:{'|'.join(_TENS)}) y (?:{'|'.join(_UNITS[:9])}|una|un)|un par de|"
    + "|".join(sorted(_NUMS, key=len, reverse=True))
)


def _num(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", s):  # "1,200" is a headcount, "1,5" is hours
        return float(re.sub(r"\D", "", s))
    if s[0].isdigit():
        return float(s.replace(",", "."))
    if s.endswith("docena"):
        return 6.0 if s.startswith("media") else 12.0
    return 2.0 if s == "un par de" else float(sum(_NUMS[w] for w in s.split(" y ")))


_APPROX = (
    r"(?:(?:como|unos|unas|alrededor de|aproximadamente|casi|mas o menos|cerca de|mas de) ){0,2}"
)
# People who work in a business, named by what they do: after a number they are its staff
# ("120 guardias", "12 costureras"). Professions that are as often clients ("doctores",
# "abogados") are only staff inside a "somos/tengo" phrase (see _WORKER). A trade whose feminine
# form names its machine counts only in the masculine ("mi soldadora", "la ordeñadora" are
# machines); "somos 3 soldadoras" still counts through "somos".
_STAFF = (
    r"(?:emplead[oa]s?|trabajador(?:es|as?)?|colaborador(?:es|as?)?|ayudantes?|chalan(?:es)?|"
    r"meser[oa]s?|cociner[oa]s?|vendedor(?:es|as?)?|operari[oa]s?|auxiliar(?:es)?|personal|"
    r"guardias?|vigilantes?|guardaespaldas|choferes|chofer|operador(?:es|as?)?|tecnic[oa]s?|"
    r"costurer[oa]s?|obrer[oa]s?|albañiles|albaniles|repartidor(?:es|as?)?|jornaler[oa]s?|"
    r"estilistas?|cajer[oa]s?|despachador(?:es|as?)?|intendentes?|panader[oa]s?|taquer[oa]s?|"
    r"mecanicos?|soldador(?:es)?|carpinter[oa]s?|herrer[oa]s?|pintor(?:es|as?)?|"
    r"bordador(?:as?|es)|tejedor(?:as?|es)|artesan[oa]s?|ordeñador(?:es)?|vaquer[oa]s?|"
    r"instructor(?:es|as?)?|recepcionistas?|secretari[oa]s?|enfermer[oa]s?|"
    r"barber[oa]s?|tatuador(?:es|as?)?|maestr[oa]s?|cuidador(?:es|as?)?|niñeras?|nineras?|"
    r"cargador(?:es)?|cortador(?:es)?|lavador(?:es)?|empacador(?:es)?|estibador(?:es)?|"
    r"pescador(?:es)?|veladores|velador|supervisor(?:es|as?)?|educador(?:as?|es)|"
    r"promotor(?:es|as?)?|asesor(?:es|as?)?|gerentes?|encargad[oa]s?|dibujantes?|"
    r"practicantes?|becari[oa]s?|aprendiz|aprendices|peon(?:es)?|profesor(?:es|as?)?|"
    r"docentes?|terapeutas?|conserjes?|afanador(?:as?|es)|administrativ[oa]s?|"
    r"cobrador(?:es|as?)?|entrenador(?:es|as?)?|optometristas?)"
)
# "tenemos 35 elementos": a security firm's guards.
_HELP = r"(?:chav[oa]s?|muchach[oa]s?|personas?|gente|chamac[oa]s?|elementos)"
_EMPLOYEE_RX = [
    re.compile(rf"\b({NUM}) {_STAFF}\b"),
    re.compile(
        rf"\b(?:tengo|tenemos|somos|son|trabajan|con) {_APPROX}({NUM}) {_HELP}\b(?! al| por| cada)"
    ),
    re.compile(
        rf"\bsomos {_APPROX}(?!(?:una?|uno)\b(?! docena))({NUM})\b(?! (?:años|anos|meses|dias|veces)\b)"
    ),
    re.compile(rf"\bequipo de {_APPROX}({NUM})\b"),
    # "…en Guadalajara, 7 personas.": a headcount said on its own, everyone included.
    re.compile(
        rf"(?:^|[,.;:(]) ?{_APPROX}({NUM}) (?:(?:personas|gente)"
        r"(?= ?(?:$|[,.;:)!]|en total|trabajando|en el (?:equipo|taller|negocio|local)\b"
        r"|(?:de|en) (?!la\b|el\b|los\b|las\b|todo)[a-z]+ ?(?:$|[,.;:)!])))"
        r"|(?:personas |gente )?en total\b)"
    ),
    re.compile(rf"(?:^|[,.;:(]) ?en total (?:somos |son )?{_APPROX}({NUM})(?= ?(?:$|[,.;:)!]))"),
    re.compile(rf"\bsomos (?:una )?familia de {_APPROX}({NUM})\b"),
    # "somos una cooperativa de 12 socios": the members are the ones who work.
    re.compile(
        rf"\b(?:cooperativa|sociedad|grupo|asociacion) de {_APPROX}({NUM}) "
        r"(?:socios|socias|miembros|integrantes|productores|productoras|mujeres|personas)\b"
    ),
    # "cooperativa de café en Cuetzalan, 20 socias": said later in the same message.
    re.compile(
        rf"\b(?:cooperativa|ejido|sociedad cooperativa)\b.*?[,.;:] ?{_APPROX}({NUM}) "
        r"(?:socios|socias|miembros|integrantes|productores|productoras|ejidatarios)\b"
    ),
    # "no, son 6 con el nuevo", "ya son 14": a new figure for the whole team.
    re.compile(
        rf"(?:^|[,.;:]|\b(?:ya|ahora|perdon|mejor|nomas|solo)) ?son {_APPROX}({NUM})"
        r"(?= ?(?:$|[,.;!]|con (?:el|la|los|las|mi|mis)\b|contando|en total|trabajando))"
    ),
    # "trabajamos 5", "trabajamos como 8": the ones working, the speaker included.
    re.compile(
        rf"\btrabajamos {_APPROX}({NUM})\b"
        r"(?! (?:años|anos|meses|dias|horas|veces|de|a|al|por|x)\b)"
    ),
]
_HIRING = set(
    "busco buscando necesito contratar ocupo quiero requiero faltan falta buscamos necesitamos "
    "ocupamos queremos quisiera quisieramos capacitar entrenar inscribir".split()
)
# "que 30 operadoras aprendan", "20 de ellos se capaciten": the ones a wish is about, a part of
# the team, not its size.
_TRAINED = re.compile(r" (?:(?:se|le|les) )?(?:aprend|sep|tom|estudi|capacit|entren|certifiqu)\w*")
_KIN = (
    r"(?:esposa|esposo|pareja|mujer|marido|señora|senora|señor|senor|viej[oa]|herman[oa]s?|hij[oa]s?|mama|"
    r"papas?|madre|padres?|soci[oa]s?|suegr[oa]s?|cuñad[oa]s?|cunad[oa]s?|prim[oa]s?|ti[oa]s?|novi[oa]|"
    r"sobrin[oa]s?|amig[oa]s?|compadre|comadre|nuera|yerno|niet[oa]s?|ahijad[oa]s?)"
)
_KIN_ONE = rf"(?:con )?mis? (?:(?:{NUM}) )?{_KIN}"
# People whose business is not the owner's: "mi vecino tiene una panadería", "mi primo en
# Querétaro". Close family ("el negocio de mi mamá") is left out: owners help in it.
_OUTSIDER = (
    r"(?:vecin[oa]s?|prim[oa]s?|amig[oa]s?|conocid[oa]s?|compadres?|comadres?|cuñad[oa]s?|"
    r"cunad[oa]s?|ti[oa]s?|sobrin[oa]s?|clientes?|clientas?|competencia|competidor(?:es|a)?|"
    r"proveedor(?:es|a)?|compañer[oa]s?|companer[oa]s?|colegas?|señor|senor|señora|senora|alguien)"
)
_OUTSIDER_RX = re.compile(
    rf"\b(?:mis?|sus?|tus?|el|la|los|las|un|una|otr[oa]s?) {_OUTSIDER}\b|\balguien\b"
)
_SELF_RX = re.compile(
    r"\b(?:yo|tengo|tenemos|somos|soy|mi negocio|nuestro negocio|vendo|vendemos)\b"
)
# Someone who writes for a business that is another person's: the boss's, a relative's. Their
# words describe that business (it is the profile's), but they are not its owner. Clients are
# not among them: "les ayudo a mis clientes con sus impuestos" is the owner's own trade.
_OTHERS = (
    rf"(?:{_KIN}|vecin[oa]s?|conocid[oa]s?|jef[ea]|jefit[oa]|patr[oó]n|patrona|dueñ[oa]|"
    r"duen[oa]|abuelit[oa]s?|abuel[oa]s?|papi|mami)"
)
_FAMILY = rf"(?:{_KIN}|jef[ea]|jefit[oa]|patr[oó]n|patrona|abuelit[oa]s?|abuel[oa]s?|papi|mami)"
_FOR_SOMEONE = re.compile(
    # "escribo por mi papá", "le mando mensaje de parte de mi abuelito"
    r"\b(?:escribo|pregunto|mando (?:el |este |un )?mensaje|hablo|consulto|vengo) "
    r"(?:por|de parte de|en nombre de) (?:mi|mis|el|la)\b"
    # "le ayudo a mi tío en su refaccionaria", "trabajo con mi compadre en su taller"
    r"|\b(?:ayudo|apoyo|echo (?:la|una) mano|trabajo|chambeo) (?:a|con|para) (?:mi|mis) "
    rf"{_OTHERS} (?:con|en) (?:su|sus)\b"
    # "atiendo la panadería de mi suegra", "trabajo en el taller de mi tío", "somos 4 en la
    # fonda de mi tía"
    r"|\b(?:atiendo|atendemos|trabajo en|trabajamos en|ayudo en|ayudamos en|chambeo en|"
    r"somos [a-z0-9]+ en|manejo|manejamos|llevo|llevamos|administro|administramos|"
    r"me encargo de|me hago cargo de) (?:la|el|los|las) [a-zñ]+"
    rf"(?: [a-zñ]+)? de (?:mi|mis) {_OTHERS}\b"
    # "mi mamá tiene una estética y yo le llevo el face", "mi tío tiene una ferretería y me pidió
    # que preguntara", "es la tienda de mi mamá, yo la atiendo"
    rf"|\bmis? {_FAMILY} tienen? (?:un|una|su|sus)\b.* (?:yo (?:le|les|lo|la) [a-zñ]+|"
    r"me (?:pidio|pidieron|encargo|encargaron|mando|mandaron)\b)"
    rf"|\bes (?:la|el) [a-zñ]+ de (?:mi|mis) {_OTHERS}\b.* yo (?:la|lo|le) [a-zñ]+"
    # "el taller es de mi papá", "la tiendita es de mi suegra" (not "la compu es de mi hijo", nor
    # "es de mi esposo y mío")
    r"|\b(?:el|la|los|las) (?!celular|cel|compu|computadora|telefono|carro|camioneta|idea|cuenta)"
    r"[a-zñ]+(?: [a-zñ]+){0,4} (?<!\bno )(?:es|son) de (?:mi|mis) "
    rf"{_OTHERS}\b(?! y (?:mio|mia)\b)(?! y yo ?(?:$|[,.;!?]))"
    # "le ayudo a mi mamá", "les echo la mano a mis suegros"
    rf"|\b(?:le|les) (?:ayudo|apoyo|echo (?:la|una) mano) a (?:mi|mis) {_OTHERS}\b"
    # "soy el hijo del dueño", "soy la sobrina de la dueña"
    r"|\bsoy (?:el |la )?(?:hij[oa]|sobrin[oa]|niet[oa]|espos[oa]|yerno|nuera) "
    r"de(?:l| la) (?:dueñ[oa]|duen[oa]|patr[oó]n|patrona)\b"
)
# A person's trade said of them ("la dueña es doctora", "mi esposo es contador"): no cue that
# the business is that trade (it still is when nothing else names the business).
_PERSON_IS = re.compile(rf"\b{_OTHERS} (?:es|era)$")
# A clause where the owner says what their business is or does.
_STATEMENT = re.compile(
    r"\b(?:tengo|tenemos|somos|soy|vendo|vendemos|hago|hacemos|fabrico|fabricamos|produzco|"
    r"producimos|me dedico|nos dedicamos|trabajo en|trabajo de|trabajo como|atiendo|atendemos|"
    r"rento|rentamos|doy|damos|ofrezco|ofrecemos|elaboro|elaboramos|preparo|preparamos|reparo|"
    r"reparamos|cultivo|cultivamos|siembro|sembramos|criamos|crio|empaco|empacamos|horneamos|"
    r"cosemos|maquilamos|distribuimos|distribuyo|organizo|organizamos|cuido|cuidamos|arreglo|"
    r"arreglamos|instalo|instalamos|compongo|componemos|horneo|tejo|tejemos|bordo|bordamos|pinto|"
    r"pintamos|limpio|limpiamos|lavo|lavamos|construyo|construimos|diseño|diseno|diseñamos|"
    r"disenamos|reparto|repartimos|junto|juntamos|compro|compramos|surtimos|surto|abastecemos|"
    r"es una?|mi negocio|nuestro negocio|mi changarro|"
    r"mi empresa|nuestra empresa|mi local|mi tienda|mi taller|mi puesto)\b"
)
# A clause that names the business with a bare "es" ("no, es estudio de tatuajes", "es taller
# de motos"): a statement too, as "es un estudio…" is.
_NAMED_BARE = re.compile(
    r"^(?:(?:no|pues|bueno|mas bien|en realidad|sino)\s)?es (?!mas\b|muy\b|parte\b|hora\b|mejor\b|"
    r"dificil\b|facil\b|casi\b|como\b|lo\b|la\b|el\b|los\b|las\b|que\b|para\b)[a-zñ]{4,} de\b"
)
# Content left once the cue, numbers, places and time words are gone: worth matching by meaning.
_CONTENT = re.compile(
    r"\b(?!(?:tengo|tenemos|somos|soy|una?|unos|unas|el|la|los|las|de|del|en|y|como|mas|menos|"
    r"horas?|horitas?|semana|dia|dias|años|anos|personas?|empleados?|gente|yo|mi|mis|que|es|"
    r"muy|poco|nada|solo|sola|aqui|ahi|pues|bueno|si|no|ya|tiempo|negocio|chamba)\b)[a-z]{4,}\b"
)
_KIN_RX = re.compile(rf"\b(?:mis?|sus?) {_KIN}\b|\b{_OUTSIDER}\b")
# English ability is read from the structure of a clause, not from listed phrasings: a word for
# English near a negation or scarcity word is "no", near an ability or affirmative word "yes".
_ENGLISH = {"ingles", "inglés", "english"}
_LANGUAGE = {"idioma", "idiomas"}  # "el idioma", "los idiomas": English for an owner who asks
_SCARCE = {
    "no", "ni", "nada", "cero", "poco", "poquito", "poquitito", "casi", "apenas", "nel", "nop",
    "nope", "medio", "nadie", "sin", "tampoco", "dificulta", "dificil", "batallo", "basico",
    "masco", "mal", "pierdo", "perdido", "perdida", "dificultad", "trabajos", "chiste",
}  # fmt: skip
_ABLE = {
    "si", "leo", "lee", "leemos", "leen", "entiendo", "entiende", "entendemos", "hablo", "habla",
    "hablamos", "manejo", "maneja", "manejamos", "domino", "domina", "dominamos", "defiendo",
    "defendemos", "escribo", "bilingue", "bilingüe", "estudie", "fluido", "perfecto", "tecnico",
    "sabe", "sabemos", "tambien", "ok", "okey", "oki", "bien", "yes", "good", "fine", "intermedio",
    "avanzado", "nativo", "fluent", "sobres", "simon", "traductor", "traductora", "maestro",
    "maestra", "profesor", "profesora", "doy", "damos", "enseño", "enseno",
}  # fmt: skip
# What a statement about English is about: reading (what the courses need) outweighs speaking
# or writing ("no lo hablo pero lo leo bien" reads it; "lo hablo pero escribo mal" too).
_READS = {"leo", "lee", "leemos", "leen", "entiendo", "entiende", "entendemos", "comprendo"}
_SPEAKS = {"hablo", "habla", "hablamos", "hablan", "escribo", "escribe", "escribimos"}
# "no tengo problema con el inglés", "sin bronca": a negation that says yes.
_NO_PROBLEM = re.compile(
    r"\b(?:no (?:tengo|hay|es|me da)|sin|ningun) (?:ningun |ninguna |mayor )?(?:problemas?|broncas?|"
    r"pedo|lio)\b"
)
# A preference for Spanish only: "puro español", "todo en español porfa", "prefiero español".
_ONLY_SPANISH = re.compile(
    r"\b(?:nomas|nada mas|solo|solamente|puro|pura|todo|toda|mejor|prefiero|preferible) "
    r"(?:en |el )?espa(?:n|ñ)ol\b|\bespa(?:n|ñ)ol (?:porfa|por favor|plis|please)\b"
)
# Someone translates for the owner: the owner does not read it ("mi hija me traduce", "con el
# traductor de google le entiendo"); "soy traductor" is another thing.
_TRANSLATED = re.compile(
    r"\b(?:me|nos) (?:lo |la |los |las )?traduce[n]?\b|\b(?:con|uso|usando|ocupo|con ayuda del?) "
    r"(?:el |un )?traductor\b|\b(?:me|nos) ayuda[n]? con el (?:ingles|idioma)\b"
)
# "mi esposa es la que sabe inglés": only she does, so the owner does not.
_ONLY_THEY = re.compile(
    r"\b(?:es|son) (?:el|la|los|las) (?:que|unic[oa]s? que) (?:sabe|saben|habla|hablan|lee|leen|"
    r"entiende|entienden|le sabe|le saben)\b"
)
# Years in an English-speaking country: "estudié en EU", "viví 10 años del otro lado".
_LIVED_THERE = re.compile(
    r"\b(?:estudie|vivi|trabaje|creci|naci|radique|estuve) (?:[a-z0-9ñ]+ ){0,4}?"
    r"(?:en (?:eu|eua|usa|us|estados unidos|el gabacho|gringolandia|canada|inglaterra|londres|"
    r"texas|california|chicago|nueva york)|del otro lado|en el otro lado)\b"
)
# "lo leo", "le entiendo": a pronoun for English said just before ("no hablo inglés pero lo leo").
_PRONOUN = re.compile(
    r"\b(?:lo|la|le) (?=(?:leo|lee|leemos|entiendo|entiende|entendemos|hablo|habla|hablamos|"
    r"escribo|escribe|manejo|maneja|domino|masco|pelo|hago)\b)"
)
_SEGMENT = re.compile(r"\b(?:pero|aunque|sino|mientras)\b")
_ME = re.compile(
    r"(?:^|\b(?:y|pero|aunque|mientras que) )yo (si|no|tambien|tampoco|nada|poco|poquito)\b"
)
_WINDOW = 4
_ME_SAYS = {"si": True, "no": False, "tampoco": False, "nada": False, "poco": False}
_ME_SAYS["poquito"] = False  # "también" says what the other did
# "me cuesta", "se me hace difícil"; "sé inglés", "el inglés se me da": said by the verb's shape.
_HARD = re.compile(r"\b(?:me|nos) cuesta\b|\bse (?:me|nos) (?:hace|complica|atora)\b")
_KNOW = re.compile(
    r"\b(?:se|sé) (?:el |bien |algo de |bastante |hablar |leer )?(?:ingles|inglés|english)\b"
    r"|\bse (?:me|nos) da\b|\ble hago al (?:ingles|english)\b"
)


def _english_topic(toks: list[str]) -> list[int]:
    """Where the words say English: "inglés", "english", "el idioma", "los idiomas"."""
    return [
        i
        for i, w in enumerate(toks)
        if w in _ENGLISH
        or w == "idiomas"
        or (w == "idioma" and i > 0 and toks[i - 1] in ("el", "otro"))
    ]


def _english_said(segment: str) -> bool | None:
    """What one stretch of a clause (split at "pero", "aunque") says of English, if anything."""
    yes_phrase = bool(_NO_PROBLEM.search(segment))
    toks = _NO_PROBLEM.sub(" ", segment).split()
    if not (topic := _english_topic(toks)):
        if "bilingue" in toks or "bilingüe" in toks:
            return not ({"no", "ni"} & set(toks))
        if _LIVED_THERE.search(segment):
            return True
        return False if _ONLY_SPANISH.search(segment) else None
    near: set[str] = set()
    for i in topic:
        window = toks[max(0, i - _WINDOW) : i + _WINDOW + 1]
        near |= set(window)
    if _KNOW.search(segment):
        return not ({"no", "ni", "nada"} & near)
    if near & _SCARCE or _HARD.search(segment):
        return False
    if yes_phrase or near & _ABLE:
        return True
    return False if _ONLY_SPANISH.search(segment) else None


def _modality(segment: str) -> str:
    """Whether the stretch is about reading or understanding English ("read") or not ("other")."""
    toks = set(segment.split())
    return "read" if toks & _READS and not toks & _SPEAKS else "other"


def _reads_english(clauses: list[Clause]) -> bool | None:
    """What the user says of their own English ("no leo inglés", "mi papá no, pero yo sí").

    Someone else's English ("mi hijo sí habla inglés") is not the owner's, unless followed by
    "yo también", "yo no"; a question ("¿los cursos están en inglés?") says nothing. Reading
    outweighs speaking: "no lo hablo pero lo leo" reads English.
    """
    said_by: dict[str, bool] = {}  # modality -> what the owner last said of it
    other: bool | None = None  # what was last said of someone else's English
    mine: bool | None = None  # "yo no," before someone else's English is told
    mentioned = False  # English was named earlier in the message: "lo leo" is about it
    asked_bare = False  # "¿inglés?" on its own, answered in the next clause
    for clause in clauses:
        line = " ".join(clause.words)
        if clause.question:
            mentioned = mentioned or bool(_english_topic(line.split()))
            asked_bare = len(clause.words) <= 3 and bool(_english_topic(line.split()))
            continue
        if asked_bare and not _english_topic(line.split()):
            line = "ingles " + line  # "¿inglés? ni de chiste": the answer is about English
        asked_bare = False
        for segment in _SEGMENT.split(line):
            segment = segment.strip()
            if mentioned and not _english_topic(segment.split()):
                segment = _PRONOUN.sub("ingles ", segment)  # "lo leo bien" -> "ingles leo bien"
            mentioned = mentioned or bool(_english_topic(segment.split()))
            if _TRANSLATED.search(segment):
                said_by["read"] = False  # someone translates for them
                continue
            said = _english_said(segment)
            me = _ME.search(segment)
            if said is not None and _KIN_RX.search(segment) and not segment.startswith("yo "):
                other = said  # "mi hija lee inglés", maybe "y yo también" in the same breath
                if me:
                    said_by[_modality(segment)] = _ME_SAYS.get(me.group(1), other)
                elif said and _ONLY_THEY.search(segment):
                    said_by["other"] = False
                elif mine is not None:
                    said_by["other"] = mine  # "yo no, pero mi hijo sí lee inglés"
            elif said is not None:
                said_by[_modality(segment)] = said
            elif me and other is not None and len(segment.split()) <= 4:
                said_by["other"] = _ME_SAYS.get(me.group(1), other)  # "mi hijo sí, yo no"
            elif me and len(segment.split()) <= 3 and me.group(1) in _ME_SAYS:
                mine = _ME_SAYS[me.group(1)]
    return said_by.get("read", said_by.get("other"))


# "mi esposa y yo" is a team; "es de mi mamá, yo le ayudo" says whose the business is.
_FAMILY_RX = re.compile(
    rf"(?<!\bde )\b((?:{_KIN_ONE}(?:, | y ))+)yo\b|\byo (?:y|con) ((?:{_KIN_ONE},? ?(?:y )?)+)"
)
# "era de mi papá y mi tío, yo la heredé": the kin before the speaker are who owned it, not
# the team (the lookbehind in _FAMILY_RX covers the first of them only).
_OWNED_BY_KIN = re.compile(rf"\bde (?:{_KIN_ONE}(?:, | y ))+$")
_SOLO_RX = re.compile(
    r"\b(?:trabajo|estoy|atiendo|chambeo|lo atiendo|la atiendo) sol(?:it)?[oa]\b(?! (?:con|los|las|el|la|por|"
    r"de|medio|unas?|un|entre|en (?:las|la|el)|lunes|martes|miercoles|jueves|viernes|sabados?|"
    r"domingos?|fines?|mañanas|tardes|noches|\d))"
    r"|\b(?:yo sol(?:it)?[oa]|sol[oa] yo|(?:nada mas|nadamas|nomas|unicamente|solamente|solo)"
    r"(?: somos| estoy)? yo)\b"
    r"(?=\s*(?:$|[,.;!?]|y\b|atiendo|trabajo|llevo|hago|lo\b|la\b|le\b|en (?:el|la|mi)\b|sin\b))"
    r"|\b(?:no tengo|no tenemos|sin|ningun|ni un) (?:emplead|trabajador|ayudante|personal)"
)


# People an owner works with, named by their trade ("somos 2 veterinarios y una recepcionista").
_WORKER = (
    rf"(?:{_STAFF}|{_HELP}|asistentes?|veterinari[oa]s?|contador(?:es|as?)?|coach(?:es)?|dentistas?|"
    r"doctor(?:es|as?)?|abogad[oa]s?|ingenier[oa]s?|arquitect[oa]s?|diseñador(?:es|as?)?|"
    r"disenador(?:es|as?)?|programador(?:es|as?)?|compas?|cuates?|carnal(?:es)?|"
    r"compañer[oa]s?|companer[oa]s?|socios?|socias?)"
)
_ONE = rf"(?:{NUM})"
# "somos 4 mecánicos y yo": the speaker is one more.
# Any plural after "somos N" names the people: "somos 4 cuidadoras y yo".
_AND_ME = re.compile(rf"\bsomos {_APPROX}({NUM}) (?:{_WORKER}|[a-zñ]{{3,}}s) (?:y|mas|\+) yo\b")
# A headcount said in parts: "somos 5 de planta y 3 eventuales", "somos 30 guardias y 2 en la
# oficina", "tengo 6 fijos y 2 de medio tiempo". Both parts work in the business.
_KIND = (
    r"(?:eventuales|temporales|de planta|fijos|fijas|de base|de medio tiempo|medio tiempo|"
    r"por honorarios|por obra|practicantes|becarios|de fin de semana|por dia|"
    r"en (?:la |el )?(?:oficina|cocina|bodega|taller|mostrador|caja|reparto|campo|planta|obra|"
    r"administracion|ventas|produccion))"
)
_PARTS = re.compile(
    rf"\b(?:somos|tengo|tenemos|trabajamos) {_APPROX}({NUM})(?: (?:{_WORKER}|[a-zñ]{{3,}}s))?"
    rf"(?: {_KIND})? "
    rf"(?:y|mas|\+) (?:otr[oa]s )?({NUM}) (?:{_WORKER} )?{_KIND}"
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
    rf"\b({NUM}) {_BRANCH}\b(?: [a-zñ]+){{0,4}}? (?:con|de|y) ({NUM})(?: {_WORKER})? {_EACH}\b"
    rf"|\b({NUM}) {_BRANCH}\b,?(?: [a-zñ]+){{0,4}}?,? (?:y )?(?:en )?cada (?:una|uno) "
    rf"(?:hay |tiene |tienen |con |trabajan )?({NUM})\b"
)
# "somos 2 veterinarios y una recepcionista", "tengo 3 empleados y un chalán".
_AND_MORE = re.compile(
    rf"\b(?:somos|tengo|tenemos) {_APPROX}({NUM}) {_WORKER} (?:y|mas|\+) ({_ONE}) {_WORKER}\b"
)
# "yo y 2 cajeras", "trabajo con 2 asistentes", "nomás yo y un chalán": the speaker plus them.
_ME_AND = re.compile(
    rf"\b(?:yo (?:y|con)|trabajo con|trabajamos|me ayuda[n]?) {_APPROX}({_ONE}) {_WORKER}\b"
    rf"|\byo (?:y|con) {_APPROX}({_ONE}) [a-zñ]{{3,}}s\b"  # "somos yo y dos baristas"
    # "un taller con 3 ayudantes"; a club's members don't work, and "también tenemos consultorio
    # con una doctora" is one person of a part of the business, not its team.
    rf"|\bcon {_APPROX}(?!una?\b)({_ONE}) {_WORKER}\b(?<!socios)(?<!socias)"
)
# "tengo mi consultorio en Puebla y una asistente": the owner plus them.
# "un box con 60 socios": members of a gym or a club are not workers.
_MINE_AND = re.compile(
    rf"\btengo\b.{{0,60}}?\b(?:y|con) ({_ONE}) {_WORKER}\b(?<!socios)(?<!socias)"
)
# "tengo una asistente", "tengo un chalán": one helper and the speaker.
_ONE_HELPER = re.compile(rf"\btengo (?:un|una) (?:{_WORKER})\b(?! (?:de|en|por|para)\b)")
# "mi hijo me ayuda", "me ayuda mi esposa": the speaker and one relative.
# "trabajo con mi hermana", "la atiendo con mis hijos": the same, said by the owner's work.
_KIN_HELPS = re.compile(
    rf"\b(?P<kin>mis? (?:(?:{NUM}) )?{_KIN}) me ayuda"
    rf"|\bme ayuda(?:n)? (?P<kin2>mis? (?:(?:{NUM}) )?{_KIN})\b"
    rf"|\b(?:trabajo|chambeo|(?:lo|la) (?:atiendo|llevo|trabajo)) (?:junto )?con (?P<kin3>mis? {_KIN})\b"
)


# The people someone works with: "mi hermana", "mis 3 hermanos", "2 empleadas", "mi chalán".
_ITEM = rf"(?:yo|mis? (?:(?:{NUM}) )?{_KIN}|(?:mis? )?(?:{NUM}) {_WORKER}|mi {_WORKER})"
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
    rf"con ((?:mis?|sus?) (?:(?:{NUM}) )?{_KIN})\b(?!(?: (?:y|,|mas))? (?:yo|mis?|{NUM})\b)"
)
# Words before a headcount that make it the whole team, the speaker included ("somos 9
# costureras", "ya son 14"), or someone else's ("les vendo a 20 taqueros").
_WHOLE_TEAM = set("somos son tenemos trabajamos eramos seremos estamos hay".split())
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
_SOLD_TO = set("a al les le".split())
_SOLD_TO_OR_FOR = _SOLD_TO | {"para"}  # "para 3 taqueros" is who the work is for
_WORKING_TEAM = _WHOLE_TEAM | {"trabajan", "atiende", "atienden"}
_EMPLOYED_AT = set("trabajo trabajamos chambeo laboro".split())
_SPEAKS_AS_OWNER = re.compile(r"\b(?:tengo|soy|yo|mi (?:negocio|local|tienda|taller|empresa))\b")
_NOT_OWNER = re.compile(r"\b(?:trabajo (?:en|para)|soy emplead[oa]|mi (?:jefe|jefa|patron))\b")
# A micro business's owner works next to the few people they name ("tengo 2 empleadas" are
# three people); a payroll of ten or more is given as the headcount.
_OWNER_WORKS_BELOW = 10


_APPROX_END = re.compile(rf"\b{_APPROX}$")


def _someone_elses(text: str, at: int) -> bool:
    """A figure said of another person's business: "mi compadre tiene una ferretería con 12
    empleados", "mi primo tiene otra granja con 10 trabajadores"."""
    clause = re.split(r"[,.;:!?]", text[:at])[-1]
    return bool(_OUTSIDER_RX.search(clause)) and not _SELF_RX.search(clause)


def _denied_count(before: str) -> bool:
    """ "no son 9", "no somos 7": a figure the owner takes back ("no, son 6" is not)."""
    return bool(re.search(r"\b(?:no|ni) (?:(?:son|somos|eramos|tenemos|tengo) )?$", before))


def _crew_size(items: str) -> int:
    n = 0
    for item in re.findall(_ITEM, items):
        if item == "yo":
            n += 1
        elif m := re.fullmatch(rf"(mis?) (?:({NUM}) )?{_KIN}", item):
            n += int(_num(m.group(2))) if m.group(2) else (2 if m.group(1) == "mis" else 1)
        elif m := re.match(rf"(?:mis? )?({NUM}) ", item):
            n += int(_num(m.group(1)))
        else:
            n += 1  # "mi chalán"
    return n


def _with_owner(text: str, start: int, count: float, governed: list[str]) -> float:
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


# Helpers said as people, not by a trade: "un chavo de ayudante", "una muchacha de planta", "una
# señora que hace el aseo", "nos echa la mano una muchacha". Each is one more in the team.
_PERSON = (
    rf"(?:{_HELP}|señor(?:a|es|as)?|senor(?:a|es|as)?|chic[oa]s?|joven|jovenes|morr[oa]s?|"
    r"morrit[oa]s?|chamaquit[oa]s?|muchachit[oa]s?|chavit[oa]s?)"
)
# What a helper does for the business; a client "hace pedidos", a helper "hace el aseo".
_HELPS = (
    r"(?:(?:(?:me|nos|le|les) )?(?:ayuda|echa la mano|apoya|atiende|cuida|trabaja|cocina|limpia|"
    r"barre|lava|plancha|cose|despacha|reparte|cobra)n?\b|hacen? (?:el |la |los |las )?"
    r"(?:aseo|limpieza|quehacer|comida|mandados|entregas)\b)"
)
_HELPER = re.compile(
    rf"\b(?P<n>{NUM}) {_PERSON} (?:(?:que|q) {_HELPS}|de (?:{_STAFF}|planta|base|limpieza|aseo|"
    r"intendencia|mandados|apoyo|medio tiempo|tiempo completo)\b)"
    rf"|\b(?:me|nos) (?:ayuda|echa la mano|echa una mano|apoya)n?(?: [a-zñ]+){{0,3}}? "
    rf"(?P<n2>{NUM}) (?:{_PERSON}|{_WORKER})\b"
)


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
_MEMBER_NOUN = rf"(?:{_WORKER}|{_PERSON}|{_KIN}|{_ROLE}|{_TRADE})"
_MEMBER = re.compile(
    r"\b(?P<me>yo)\b(?! (?:no|tampoco|ni)\b)"  # "mi socia habla inglés, yo no"
    r"|\b(?P<pron>ella|el)\b(?= ?(?:$|[,.;:!?)]|(?:y|mas|en|que|q)\b))"
    rf"|\b(?:(?P<det>mis?|sus?|nuestr[oa]s?|el|la|los|las|otr[oa]s?) )?(?:(?P<n>{NUM}) )?"
    rf"(?P<noun>{_MEMBER_NOUN})\b"
    rf"|\b(?P<part>{NUM}) (?:de (?:la familia|oficina|planta|base)\b|{_KIND})"
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
        return int(_num(m.group("n") or m.group("part")))
    if m.group("noun"):
        plural = m.group("det") in _PLURAL_DET or (
            m.group("det") is None and m.group("noun").endswith("s")
        )
        return 2 if plural and not m.group("noun").endswith("espaldas") else 1
    return 1


def _rosters(text: str) -> list[tuple[int, int, int | None]]:
    """Each list of people: (start, end, how many work, the speaker included when they are one
    of them or say they work with them; None for a list of people who are not the team)."""
    members = [
        m
        for m in _MEMBER.finditer(text)
        if not m.group("noun") or m.group("det") or m.group("n")  # "gente" alone is no one
    ]

    def joins(a: re.Match[str], b: re.Match[str]) -> bool:
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
            (not any(m["me"] for m in group) and _someone_elses(text, start))
            or _HIRING.intersection(lead[-3:])
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
                size = int(_with_owner(text, start, size, lead[-3:]))
        found.append((start, end, size))
    return found


def _employees(text: str) -> int | None:
    found: list[tuple[int, float]] = []  # (where the figure was said, the figure)
    spans: list[tuple[int, int]] = []  # the phrases read: a helper named inside one is counted

    def add(m: re.Match[str], at: int, count: float) -> None:
        found.append((at, count))
        spans.append(m.span())

    for k, rx in enumerate(_EMPLOYEE_RX):
        for m in rx.finditer(text):
            # "alrededor de 25 empleados": the words of an approximation say nothing of whose.
            before = _APPROX_END.sub("", text[: m.start()]).split()
            if _HIRING.intersection(before[-3:]) or _denied_count(text[: m.start()]):
                continue
            if _someone_elses(text, m.start()):
                continue
            if _TRAINED.match(text, m.end()):
                continue  # "que 30 operadoras aprendan": the ones a wish is about
            count = _num(m.group(1))
            if k == 1 and count == 1:
                count = 2  # "tengo una muchacha", "con una persona": one helper and the speaker
            if k == 0:  # "2 empleadas", "120 guardias": staff named by their work
                # "una maquila (de arneses) de 300 trabajadores" is its size; "uniformes de 20
                # meseros" is not.
                near = set(before[-5:-1])
                # "le vendo a una empresa de 80": a client's; "trabajo para una": the speaker's.
                client = _SOLD_TO & near or ("para" in near and not _EMPLOYED_AT & set(before[-6:]))
                ours = before[-1:] == ["de"] and bool(_OUR_OUTFIT & near) and not client
                if _NOT_OURS.intersection(before[-1:]) and not ours:
                    continue
                count = _with_owner(text, m.start(), count, before[-3:])
            add(m, m.start(), count)
    for m in _AND_ME.finditer(text):
        add(m, m.start(), _num(m.group(1)) + 1)
    # Said in parts or per branch: the figure ends where the whole phrase does, so it wins over
    # the "5" or the "8 empleados" read inside it.
    for m in _PARTS.finditer(text):
        add(m, m.end(), _num(m.group(1)) + _num(m.group(2)))
    for m in _RANGE.finditer(text):
        add(m, m.end(), max(_num(g) for g in m.groups() if g))
    for m in _PER_BRANCH.finditer(text):
        branches, each = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        add(m, m.end(), _num(branches) * _num(each))
    for m in _AND_MORE.finditer(text):  # at its end: over the "4 empleados" read inside it
        add(m, m.end(), _num(m.group(1)) + _num(m.group(2)))
    if not any(rx.search(text) for rx in _EMPLOYEE_RX[1:]):  # "somos N" already counts the speaker
        for m in [*_ME_AND.finditer(text), *_MINE_AND.finditer(text)]:
            if _someone_elses(text, m.start()):
                continue
            if not _HIRING.intersection(text[: m.start()].split()[-3:]):
                add(m, m.start(), _num(next(g for g in m.groups() if g)) + 1)
    for m in _ONE_HELPER.finditer(text):  # over the "un ayudante" = 1 read inside it
        if not _HIRING.intersection(text[: m.start()].split()[-3:]):
            add(m, m.end(), 2.0)
    refused = []
    for start, end, size in _rosters(text):  # a whole list outranks the figures inside it
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
            if not _someone_elses(text, m.start()):
                add(m, m.end(), _crew_size(m.group(1)) + 1)
    helpers = [
        (h.start(), int(_num(h.group("n") or h.group("n2"))))
        for h in _HELPER.finditer(text)
        if not any(a < h.end() and h.start() < b for a, b in spans)
        and not _HIRING.intersection(text[: h.start()].split()[-3:])
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


# A new headcount said in short, as a correction of the one we hold: "cámbialo a 8", "ponle 18",
# "eran 5 no 4", "mejor pon 6". Read only when the message names no team and corrects, or opens
# with the new figure and speaks of people ("bueno 9, ya entró una mesera"; a "1." that opens a
# numbered list is no figure).
_OPENER = (
    rf"^\W*(?:(?:bueno|ok|okey|va|ah|ay|oye|pues|este|perdon|corrijo),? )*({NUM})"
    r"(?= ?(?:,|$|ya\b|con\b|contando\b))"
)
_OPENS_WITH_FIGURE = re.compile(_OPENER)
_RECOUNT = re.compile(
    rf"\b(?:cambia(?:lo|la|le)? (?:a|por)|ponle|pon|mejor|eran|fueron|eramos) (?:que )?"
    rf"(?:somos |son )?{_APPROX}({NUM})\b(?! ?(?:%|h?oras?|h?oritas?|hrs?|h|minutos?|mins?|años|"
    r"anos|meses|dias|semanas|pesos|mil|a la|al|por|x)\b)"
    rf"|\b({NUM}),? no (?:son |somos |eran |eramos )?(?:{NUM})\b|{_OPENER}"
)
_TAKEN_BACK = re.compile(rf"\bno (?:son |somos |eran |eramos )?({NUM})\b")
# Words about people: the short figure is the team, not the hours ("ponle 18, faltaron los
# choferes", "cámbialo a 8, ya entraron dos").
_ABOUT_PEOPLE = re.compile(
    rf"\b(?:{_WORKER}|{_KIN}|somos|eramos|contando|contrat\w*|entr(?:o|aron)|salio|salieron|"
    r"emplead[oa]s?|personal|plantilla)\b"
)


def _recount(
    text: str, profile: BusinessProfile, asked: Collection[str]
) -> tuple[Literal["employees", "weekly_hours"], int] | None:
    """A figure corrected in short, and the slot it corrects: the one whose old value it takes
    back ("eran 5 no 4"), the team when people are named or no hours are held or asked for."""
    m = _RECOUNT.search(text)
    if m is None or profile.employees is None:
        return None
    figure = _num(m.group(1) or m.group(2) or m.group(3))
    if not figure.is_integer() or figure < 1:
        return None
    if m.group(3) and not _ABOUT_PEOPLE.search(text):
        return None  # "bueno 3, gracias": no word of the team
    if back := _TAKEN_BACK.search(text):  # "eran 5 no 4": which slot held the 4
        old = _num(back.group(1))
        if old == profile.employees:
            return "employees", int(figure)
        if profile.weekly_hours is not None and old == profile.weekly_hours:
            return "weekly_hours", int(figure)
    if _ABOUT_PEOPLE.search(text):
        return "employees", int(figure)
    # A bare figure right after "¿cuántas horas…?" answers it; with no hours held, there is
    # nothing else to correct.
    if profile.weekly_hours is None and "weekly_hours" not in asked:
        return "employees", int(figure)
    return None


def _named_team(text: str) -> tuple[int | None, tuple[int, int] | None]:
    """The team named without a figure ("mi esposa y yo", "me ayuda mi hijo", "nomás yo"), and
    where it was said."""
    family = next(
        (m for m in _FAMILY_RX.finditer(text) if not _OWNED_BY_KIN.search(text[: m.start()])), None
    )
    if family:
        said = re.findall(rf"\b(mis?) (?:({NUM}) )?{_KIN}", family.group(1) or family.group(2))
        size = 1 + sum(int(_num(n)) if n else (2 if mi == "mis" else 1) for mi, n in said)
        return size, family.span()
    if helps := _KIN_HELPS.search(text):
        kin = helps.group("kin") or helps.group("kin2") or helps.group("kin3")
        return 1 + _crew_size(kin), helps.span()
    if mates := _MATES_AND_ME.search(text):  # "mi chalán y yo", "mis 2 ayudantes y yo"
        mine, figure = mates.group(1), mates.group(2)
        return 1 + (int(_num(figure)) if figure else 2 if mine == "mis" else 1), mates.span()
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
_MATES_AND_ME = re.compile(rf"\b(mis?) (?:({NUM}) )?{_WORKER} y yo\b")
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


# "WA" in the signal patterns is any spelling of WhatsApp.
_W = r"(?:whats?app|whatsap|whats|wasap|guasap|wats?ap|watsap|wsp)"
_SIGNALS = {
    row[0]: (int(row[1]), row[2], re.compile(row[3].replace("WA", _W)))
    for row in _table(data.SIGNALS)
}

_SIGNAL_ORDER = {name: i for i, name in enumerate(_SIGNALS)}


def _join(items: list[str], last: str = "y") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def maturity(signals: Iterable[str]) -> tuple[int | None, str | None]:
    """Digital maturity 1-5 and a one-line Spanish reason, from the accumulated signals."""
    sig = {s for s in signals if s in _SIGNALS}
    if not sig:
        return None, None
    level = 5 if {"website", "online_sales", "uses_ai"} <= sig else max(_SIGNALS[s][0] for s in sig)
    hidden = {"smartphone"} if sig & {"whatsapp", "whatsapp_business"} else set()
    hidden |= {"whatsapp", "no_computer"} if "whatsapp_business" in sig else {"no_computer"}
    # Ties go by the table's order, not the set's: string hashes change from one process to the
    # next, and the same owner must read the same reason on the web and on WhatsApp.
    have = sorted(sig - hidden, key=lambda s: (-_SIGNALS[s][0], _SIGNAL_ORDER[s]))[:3]
    if not have:
        return level, data.NO_COMPUTER_REASON
    uses = "Usas " + _join([_SIGNALS[s][1] for s in sorted(have, key=lambda s: _SIGNALS[s][0])])
    if level == 5:
        return level, f"{uses}: ya tienes una base digital sólida."
    todo = [t for s, t in data.NEXT[level] if s not in sig and not (s == "erp" and "crm" in sig)]
    return level, f"{uses}, pero todavía no {_join(todo, 'ni')}." if todo else f"{uses}."


def _pain(things: str, wrong: str, gap: int = 4) -> str:
    """A thing and what goes wrong with it, either way round and at most `gap` words apart
    within one clause: "falla el refri", "el jitomate se me pudre" (data.PAINS)."""
    between = rf"(?: \w+){{0,{gap}}}? "
    return rf"\b(?:{things}){between}(?:{wrong})\b|\b(?:{wrong}){between}(?:{things})\b"


_PAINS: dict[str, list[str]] = {}
for _goal, _things, _wrong in _table(data.PAINS):
    _PAINS.setdefault(_goal, []).append(_pain(_things, _wrong))
_GOAL_RX = {
    goal: re.compile("|".join([rx, *_PAINS.get(goal, [])])) for goal, rx in _table(data.GOALS)
}
_RX = _patterns(data.PATTERNS)
_HOURS_RX = re.compile(  # "2 horitas", "3 hrs", "media horita", "hora y media", "2 oras"
    rf"\b(?:(?P<a>{NUM})\s*(?:(?:o|a|-)\s*(?:{NUM})\s*)?"
    r"(?P<u>h?or(?:a|ita)s?|hrs?|h|minutos?|minutitos?|mins?)\b"
    r"(?P<half> y media)?|(?P<m>media) h?or(?:a|ita)\b|(?P<hm>h?or(?:a|ita) y media)\b)"
)
# A number with no unit, right before a period: "unas 2 a la semana", "1 al dia".
_PERIOD = re.compile(
    r"(?:a la|por|x|cada|en la|la) semana\b|semanal|(?:al|por|x|cada) dia\b|diari[oa]"
)
_BARE_RX = re.compile(rf"\b(?P<a>{NUM})(?:\s*(?:o|a|-)\s*(?:{NUM}))?\b")
_HOURS_WORD = re.compile(  # the message is about time to learn
    r"\b(?:h?oras?|h?oritas?|hrs?|tiempo|dedic\w*|aprend\w*|estudi\w*|capacit\w*|libres?)\b"
)
_DAYS = re.compile(rf"\b({NUM}) dias (?:a la|por|x|cada|de la|en la) semana\b")


def _bare_hours(text: str, asked: bool) -> list[re.Match[str]]:
    """Unitless amounts read as hours: "unas 2 a la semana" in a short reply or after "¿horas?"."""
    if not (asked or len(text.split()) <= 8 or _HOURS_WORD.search(text)):
        return []
    end = _RX["sentence_end"]
    found = []
    for m in _BARE_RX.finditer(text):
        # Commas don't end the reply: "no, mejor 2, con 5 no me da la vida" is 2.
        before = re.findall(r"\w+", end.split(text[: m.start()])[-1].split(",")[-1])
        after = re.findall(r"\w+", end.split(text[m.end() :])[0].split(",")[0])
        periodic = bool(_PERIOD.match(" ".join(after)))
        # Without a period ("2", "unas 3 nomas") the number is hours only as the asked-for reply.
        alone = asked and set(after) <= data.HOURS_FILLER
        if set(before) <= data.HOURS_FILLER and (periodic or alone):
            found.append(m)
    return found


def _weekly_hours(text: str, short: bool, asked: bool = False) -> float | None:
    end = _RX["sentence_end"]
    matches = list(_HOURS_RX.finditer(text))
    for m in [*matches, *([] if matches else _bare_hours(text, asked))]:
        if data.WORK_CUES.intersection(text[: m.start()].split()[-4:]):
            continue
        bare = m.re is _BARE_RX
        if bare:
            amount = _num(m["a"])
        else:
            amount = 0.5 if m["m"] else 1.5 if m["hm"] else _num(m["a"]) + (0.5 if m["half"] else 0)
            amount = amount / 60 if (m["u"] or "").startswith("min") else amount
        sentence = end.split(text[: m.start()])[-1] + " " + end.split(text[m.end() :])[0]
        said = {
            k
            for k in ("per_day", "weekdays", "weekend", "per_week", "per_month")
            if _RX[k].search(sentence)
        }
        if "per_month" in said:
            weekly = amount / 4.3
        elif days := _DAYS.search(sentence):
            weekly = amount * _num(days.group(1))
        elif "per_day" in said:
            # A daily amount "on weekends" counts twice; on weekdays five times.
            weekly = amount * (5 if "weekdays" in said else 2 if "weekend" in said else 7)
        elif said:
            # "los fines de semana 2 horas" reads as 2 h in total: under-promising keeps plans doable.
            weekly = amount
        elif asked or (not bare and (short or data.AVAILABLE.intersection(sentence.split()))):
            weekly = amount
        else:
            continue
        # An unprompted bare number above 20 h is more likely sales or clients than study time.
        if 0 < weekly <= (20 if bare and not asked else 60):
            return round(weekly, 1)
    return 1.0 if _RX["no_time"].search(text) else None


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


def _goal_text(clauses: list[Clause]) -> str:
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
        said = len(part.split()) >= 4 and _said_trouble(part) and _CONTENT.search(part)
        own = said or bool(_goals(part))  # "…y aparte nadie me conoce": a rule reads it
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


def _wishes(clauses: list[Clause]) -> list[Wish]:
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
            if not (said or _STRAIN.search(piece)) or _goals(piece):
                continue  # no wish, or one a rule already read
            if len(piece.split()) <= 3 and i + 1 < len(clauses) and not clauses[i + 1].question:
                piece = f"{piece}, {' '.join(clauses[i + 1].words)}"
            out[piece] = out.get(piece, False) or said
    return [Wish(text, said) for text, said in out.items()]


def _goals(text: str) -> list[str]:
    """Goals the rules name in `text`, in GOALS order.

    A refusal counts in its own clause only ("no quiero publicidad, quiero vender más"), and the
    longer reading wins: in "que no me devuelvan pedidos" the returns (quality) hold the word
    "pedidos", which alone would be orders to attend (customer service).
    """
    rejected = _RX["goal_rejected"]
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


_ROLE_RX = _patterns(data.ROLES)


def _role(text: str, owns_sector: bool, known: bool = False) -> RoleRead | None:
    """The writer's role said in `text`; "tengo una fonda" (`owns_sector`) makes an owner only
    when nothing says otherwise and no role is `known` yet."""
    not_owner = False  # "no soy el dueño": whoever writes works there
    for role, rx in _ROLE_RX.items():
        for m in rx.finditer(text):
            if not re.search(r"\bno\s*$", text[: m.start()]):
                return cast(RoleRead, role)
            # "no tengo negocio todavía" or "el local no es mío" deny nothing of the sort
            not_owner = not_owner or (role == "owner" and m.group().startswith("soy"))
    if _FOR_SOMEONE.search(text) or not_owner:
        return "employee"  # "escribo por mi papá": helping is not owning
    return "owner" if owns_sector and not known else None


_CORRECTABLE = {
    "sector",
    "employees",
    "state",
    "city",
    "weekly_hours",
    "role",
    "signals",
    "goals",
    "reads_english",
}


def is_profile_request(text: str) -> bool:
    """The user asks what we know about them ("mi perfil", "¿qué sabes de mí?")."""
    return bool(_RX["profile_request"].search(respell(normalize(text))))


@dataclass(frozen=True)
class ProfileUpdate:
    """A new profile plus what changed and whether the user corrected an earlier answer."""

    profile: BusinessProfile
    changed: list[str]
    corrected: bool
    # How the sector was read when it changed: the owner's words, by meaning, or denied.
    sector_how: str | None = None


@dataclass(frozen=True)
class SectorRead:
    """What the rules read about the sector in one message."""

    sector: str | None = None
    explicit: bool = False  # said as the owner's own business ("tengo una fonda")
    weak: bool = False  # only a generic word or a sales channel ("~tienda", "~mercado libre")
    denied: frozenset[str] = frozenset()  # "no somos textiles", "no fabricamos"
    statement: str = ""  # the owner's words about their business, for matching by meaning
    qualifier: str = ""  # words after a generic business word ("tienda de regalos")
    head: str = ""  # that generic word ("tienda")
    own: bool = False  # the writer names it as theirs: "tengo taller…", "mi fonda", "hacemos pan"


# Selling only through online channels, with no shop, workshop or own production: the business is
# online retail ("vendo accesorios en Mercado Libre y Amazon"). Selling online next to a shop or
# a trade is only a maturity signal ("hago rebozos y los vendo en mi tienda de Facebook").
_ONLINE_ONLY = re.compile(
    r"(?<!\bno )(?<!\bni )\bvend(?:o|emos|e|ia)\b(?: [a-z]+){0,6} (?:en|por) (?:mercado libre|amazon|internet|linea|"
    r"shopify|marketplace|tienda en linea|tienda online)\b"
)
_OFFLINE = re.compile(
    r"\b(?:tiendas?|tiendita|local(?:es)?|taller(?:es)?|puestos?|mostrador|sucursal\w*|fabricas?|"
    r"tostadora|tostamos|empacadora|empacamos|planta|rancho|huerta|hago|hacemos|fabrico|"
    r"fabricamos|produzco|producimos|elaboro|elaboramos|cosecho|sembramos|preparo|preparamos)\b"
    r"(?! (?:en linea|online|virtual|de facebook|de instagram|en internet))"
)
ONLINE_SECTOR = "comercio-en-linea"
# Words before a business named as someone the owner serves or supplies: "repartimos a las
# tienditas", "control de plagas en casas y restaurantes", "surtimos taquerías".
_TO_CLIENT = {"a", "al", "para"}
_SUPPLIES = set(
    "surtimos surto surte abastecemos proveemos proveedor proveedores proveedora".split()
)
_ARTICLE = set("un una unos unas el la los las mi mis nuestro nuestra su sus este esta".split())
# "al mayoreo", "a domicilio", "para llevar": how they sell, not to whom.
_MANNER = set(
    "mayoreo menudeo domicilio mano medida credito plazos granel pedido pedidos kilo gusto diario "
    "contado detalle tiempo precio distancia llevar".split()
)
_INFINITIVE = re.compile(r"[a-z]{2,}(?:ar|er|ir)$")
# "me dedico a la costura", "trabajo para una fábrica": the business is where they work.
_WORK_FOR = set("dedico dedicamos dedica dedicas trabajo trabajamos chambeo chambeamos".split())
# Words after a generic business word that don't say which business it is ("una tienda chica").
_PLAIN = set(
    "chica chico chiquita chiquito grande pequena pequeno pequeña pequeño nueva nuevo propia propio familiar "
    "bonita mediana mediano casero casera caseros caseras artesanal artesanales tradicional "
    "tradicionales fresco fresca frescos frescas organico organica natural naturales".split()
)
# A statement that says what the business is or does (not "somos 12", "es en Puebla").
_DESCRIBES = re.compile(
    r"\b(?:es|somos|tenemos|tengo) (?:una?|mi|nuestr[oa])\b|"
    r"\b(?:es|somos) (?!como|unos|unas|casi|mas|menos|todos|nada|solo)[a-z]{4,}|"
    r"\b(?:hacemos|hago|vendemos|vendo|fabricamos|fabrico|damos|doy|ofrecemos|ofrezco|"
    r"me dedico|nos dedicamos|producimos|produzco|elaboramos|elaboro)\b"
)


def _serves_others(context: list[str]) -> bool:
    """Whether the words just before a business name make it a client, not the owner's own."""
    for k in range(len(context) - 1, max(-1, len(context) - 6), -1):
        w = context[k]
        if w in _SUPPLIES or data.SERVICE_VERBS.fullmatch(w):
            return True  # "surtimos taquerías", "fumigar casas, restaurantes y bodegas"
        nxt = context[k + 1] if k + 1 < len(context) else ""
        if w in _TO_CLIENT:
            # "voy a abrir una fonda", "vendemos al mayoreo": a verb or a manner follows.
            if nxt in _MANNER or (_INFINITIVE.match(nxt) and nxt not in _ARTICLE):
                continue
            return not (k and context[k - 1] in _WORK_FOR)
        if w == "en" and nxt.endswith("s") and nxt not in _ARTICLE:
            return True  # "en casas, restaurantes y hoteles": a list of places served
        if w in data.BUSINESS_CUES:
            return False
    return False


# First-person words that make the business named a few words later the writer's own ("tengo
# taller de herrería", "tenemos 8 hectáreas de aguacate", "hacemos pan", "abrí una cafetería").
_OWN_CUES = set(
    "tengo tenemos abri abrimos puse pusimos somos hago hacemos vendo vendemos fabrico fabricamos "
    "produzco producimos cultivo cultivamos siembro sembramos crio criamos elaboro elaboramos "
    "preparo preparamos horneo horneamos rento rentamos ofrezco ofrecemos reparo reparamos "
    "arreglo arreglamos compongo componemos instalo instalamos tejo tejemos bordo bordamos coso "
    "cosemos maquilo maquilamos empaco empacamos distribuyo distribuimos construyo construimos "
    "diseño diseno diseñamos disenamos pongo ponemos".split()
)
# Words between such a cue and the business word that make it a topic, a client, a relative's or
# a plan ("tengo una duda sobre panaderías", "vendemos a restaurantes", "tengo a mi tía en su
# fonda", "tengo pensado abrir una cafetería").
_NOT_OWN = set(
    "sobre para pa acerca como duda dudas pregunta preguntas curso cursos info informacion idea "
    "ideas ganas interes a al cliente clientes amigo amiga amigos amigas su sus pensado planeado "
    "planes proyecto intencion abrir poner montar iniciar empezar".split()
)
_KIN_WORD = re.compile(_KIN)


def _owns(before: list[str]) -> bool:
    """Whether the words just before a business word say it is the writer's own."""
    for w in reversed(before):
        if w in _OWN_CUES:
            return True
        if w in _NOT_OWN or _KIN_WORD.fullmatch(w):
            return False
    return False


# What follows "tengo"/"tenemos" when it is not a business: "tengo que", "tengo 3 hijos",
# "tengo pensado abrir…".
_NOT_OWNED_THINGS = _NOT_OWN | set(
    "que hijos hijas años anos horas tiempo dinero problemas problema miedo dias meses muchas "
    "muchos".split()
)
_FILLER = set("un una unos unas mi mis nuestro nuestra nuestros nuestras como mas de".split())


def _says_own(toks: list[str]) -> bool:
    """Whether a statement names something as the writer's own: a cue followed, past articles and
    numbers, by a thing that is not a topic, a relative or an obligation ("tenemos 8 has de
    aguacate", not "tengo una duda" nor "tengo que ir"). A bare "somos" ("somos de Oaxaca",
    "somos 3") says nothing of it: only "somos una…" does."""
    for i, w in enumerate(toks):
        if w not in _OWN_CUES or (w == "somos" and toks[i + 1 : i + 2] not in (["un"], ["una"])):
            continue
        rest = [t for t in toks[i + 1 : i + 5] if t not in _FILLER and not t.isdigit()]
        if rest and rest[0] not in _NOT_OWNED_THINGS and not _KIN_WORD.fullmatch(rest[0]):
            return True
    return False


def _qualifier(toks: list[str], end: int) -> str:
    """Content words after a generic business word and "de": "tienda de regalos", "taller de
    bicis" ("muebles rústicos" only describes them)."""
    return " ".join(_complement(toks, end)[0])


def _complement(toks: list[str], end: int) -> tuple[list[str], int]:
    """The content words after a place word and "de" or "para" (past plain adjectives: "bodega
    pequeña de vino"), and where they end; nothing when no "de" follows."""
    out: list[str] = []
    while end < len(toks) and toks[end] in _PLAIN:
        end += 1
    if toks[end : end + 1] not in (["de"], ["del"], ["para"]):
        return [], end
    last = end
    for i in range(end, min(len(toks), end + 5)):
        w = toks[i]
        if w in ("de", "del", "para", "la", "el", "los", "las") or (w in ("y", "e") and out):
            continue  # "de perritos y gatos": a list goes on
        if len(w) < 4 or not w.isalpha() or w in _PLAIN or is_place(w):
            break
        out.append(w)
        last = i + 1
        if len(out) == 2:
            break
    return out, last


def _counted(words: list[str]) -> bool:
    """Whether `words` open with a number ("12", "doce"; not "una", which may be an article)."""
    return bool(words) and (words[0][:1].isdigit() or words[0] in (*data.UNITS[1:], *data.TENS))


def _place_head(word: str) -> str | None:
    """The place word ("tienda", "consultorio") a token is, in the singular, or None."""
    for form in (word, word[:-1], word[:-2]):
        if form in data.PLACE_HEADS and (form == word or word.endswith("s")):
            return form
    return None


_IN_SPANISH = {tuple(k.split()): v.split() for k, v in data.ENGLISH_TRADES.items()}
# With its article ("i own a" -> "tengo un"): a bare "a" would read as Spanish "a" (to a client).
_IN_SPANISH |= {
    (*k, article): [*v, "un"]
    for k, v in list(_IN_SPANISH.items())
    if v[0] in data.BUSINESS_CUES and len(k) > 1
    for article in ("a", "an")
}
_IN_SPANISH_LONGEST = max(len(k) for k in _IN_SPANISH)


def _from_english(tokens: list[str]) -> list[str]:
    """`tokens` with the English words for an owner and a business in Spanish ("we have a shoe
    store" -> "tenemos un zapateria"), longest phrase first; Spanish passes through. Only when a
    business is among them: "I manage a machine shop" stays as written, for the reading by
    meaning (an owner's verb alone would make it a statement with no business we know)."""
    out: list[str] = []
    named = False
    i = 0
    while i < len(tokens):
        for n in range(min(_IN_SPANISH_LONGEST, len(tokens) - i), 0, -1):
            spanish = _IN_SPANISH.get(tuple(tokens[i : i + n]))
            if spanish:
                named = named or spanish[0] not in data.BUSINESS_CUES
                out += spanish
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out if named else tokens


_FIRST_PERSON = set(
    "tengo tenemos somos soy mi mis nuestro nuestra vendo vendemos hago hacemos atiendo".split()
)
_DIMINUTIVE = re.compile(r"(?:c?it)([oa])(s?)$")


class ProfileExtractor:
    """Reads one user message at a time and returns the updated business profile.

    Sectors come only from knowledge/sectors.yaml: their aliases here, their descriptions in
    `meaning` (the bundled embedder), used when no alias names the business.
    """

    def __init__(self, sectors: Iterable[Sector] = (), meaning: Any = None):
        self.sectors: dict[str, Sector] = {s.id: s for s in sectors}
        entries = [(a, s.id) for s in self.sectors.values() for a in (*s.aliases, s.name)]
        self._index = PhraseIndex(entries, blocklist=data.SECTOR_BLOCKLIST, min_fuzzy=6)
        # "~tienda", "~mercado libre": generic words and sales channels lose to a specific one.
        self._weak = {
            " ".join(normalized_words(normalize(a[1:])))
            for s in self.sectors.values()
            for a in s.aliases
            if a.startswith("~")
        }
        self.meaning = meaning

    def names_a_business(self, message: str) -> bool:
        """Whether `message` names a kind of business we know, even in a question or as someone
        else's ("¿y para salones de belleza?", "mi cuñado tiene una panadería")."""
        return any(
            self._index.find(self._words(c.words))
            for c in split_clauses(clip_chars(message, UNDERSTAND_CHARS))
        )

    def _words(self, tokens: list[str]) -> list[str]:
        """Tokens with diminutives undone where that names a sector ("fondita" -> "fonda"), and
        "pa" read as "para", and an English owner's words in Spanish ("bakery" -> "panaderia")."""
        out = []
        for w in _from_english(tokens):
            if w == "pa":  # "sonido pa fiestas", "comida pa eventos"
                out.append("para")
                continue
            base = w
            if len(w) > 5 and not self._index.knows(w):
                cands = []
                if m := _DIMINUTIVE.search(w):  # "fondita" -> "fonda", "tallercito" -> "taller"
                    cands += [w[: m.start()] + m.group(1) + m.group(2), w[: m.start()] + m.group(2)]
                # The other gender of a trade: "tostadora" -> "tostador", "tortillero" -> "-era".
                stem = w.rstrip("s")
                if stem.endswith("ora"):
                    cands.append(stem[:-1])
                elif stem.endswith(("era", "ero")):
                    cands.append(stem[:-1] + ("o" if stem.endswith("a") else "a"))
                base = next((c for c in cands if self._index.knows(c)), w)
            out.append(base)
        return out

    def _with_trades(self, toks: list[str], hits: list[Hit]) -> list[Hit]:
        """A clause's business words, each place word read with its complement as one business:
        "consultorio de perros y gatos" is a vet, "tiendita de ropa" a clothes shop, "rancho de
        chivas" a goat farm. A selling place never turns into the factory of what it sells:
        "distribuidora de productos de limpieza" stays a shop (its complement is dropped)."""
        out = list(hits)
        for i, w in enumerate(toks):
            head = _place_head(w)
            if head is None or any(h.start < i < h.end or h.start == i < h.end - 1 for h in hits):
                continue  # not a place word, or part of a longer name ("tienda de abarrotes")
            words, end = _complement(toks, i + 1)
            if not words:
                continue
            start = next((k for k in range(i + 1, end) if toks[k] == words[0]), end)
            comp = next((h for h in hits if h.start == start), None)
            selling = head in data.SELLING_HEADS
            if comp is not None:
                trade: str | None = comp.value
                end = comp.end
                if selling and trade in data.MAKERS:
                    # "tiendita de ropa" sells clothes: "venta de ropa" may name the shop.
                    sold = self._index.find(["venta", "de", *toks[comp.start : comp.end]])
                    whole = [(h.start, h.end) for h in sold] == [(0, 2 + comp.end - comp.start)]
                    trade = sold[0].value if whole else None
                    if trade is None:
                        out.remove(comp)
            else:
                # "bodega pequeña de vino": the place and its complement may be a name of their own.
                trade = self._named(head, words) or self._lexical_trade(" ".join(words), selling)
                if trade and self.meaning and self.meaning.near_miss(trade, " ".join(toks[i:end])):
                    continue  # "agencia de seguridad" only sounds like an agency of that sector
            if trade is None or (head in data.MAKING_HEADS and self._sells(trade)):
                continue
            own = next((h for h in out if h.start == i), None)
            out = [h for h in out if not (own is h or comp is h)]
            out.append(Hit(i, end, trade, " ".join(toks[i:end]), False))
        return sorted(out, key=lambda h: h.start)

    def _sells(self, sector: str) -> bool:
        """Whether a sector is a shop's (its activity is commerce)."""
        return sector in self.sectors and self.sectors[sector].activity == "comercio"

    def _named(self, head: str, words: list[str]) -> str | None:
        """The sector a place word and the first words of its complement name together."""
        for n in range(len(words), 0, -1):
            found = self._index.find([head, "de", *words[:n]], lambda k: False)
            if [(h.start, h.end) for h in found] == [(0, n + 2)]:
                return str(found[0].value)
        return None

    def _lexical_trade(self, words: str, selling: bool) -> str | None:
        """The sector whose own words a place word's complement uses ("perros" a vet's, "chivas"
        a goat farm's), when one leads clearly; among equals, a selling place takes the one
        that sells ("distribuidores de pollo" is a poultry shop, not a farm or a restaurant)."""
        lexicon = getattr(self.meaning, "lexicon", None)
        if lexicon is None:
            return None
        ranked = [r for r in lexicon.scores(words) if r[0] != "general" and r[1] > 0]
        if not ranked:
            return None
        best = ranked[0][1]
        tied = [sid for sid, v, _ in ranked if v >= best - 1e-9]
        rest = [v for _, v, _ in ranked if v < best - 1e-9]
        if len(tied) > 1 and selling:
            tied = [sid for sid in tied if self._sells(sid)]
        if len(tied) != 1 or (rest and best < LEXICAL_RATIO * rest[0]):
            return None
        return str(tied[0])

    def _sector(self, clauses: list[Clause], short: bool) -> SectorRead:
        best = None
        own = False  # some business word is said as the writer's own
        denied: dict[str, tuple[int, int]] = {}  # sector -> where it was last denied
        statement: list[str] = []
        more: list[str] = []  # clauses that go on after a statement
        stating = False  # the previous clause described the owner's business
        prev: list[str] = []  # the end of the previous clause, for lists split by commas
        for ci, clause in enumerate(clauses):
            toks = self._words(clause.words)
            line = " ".join(toks)
            outsider = _OUTSIDER_RX.search(line)
            # "soy programador", "soy el de sistemas" say the user's job, not the business's.
            job = any(_ROLE_RX[r].search(line) for r in ("developer", "it", "it_helper"))
            says = _STATEMENT.search(line) or _NAMED_BARE.match(line)
            if not clause.question and says and not outsider and not job:
                statement.append(" ".join(clause.words))
                stating = True
                own = own or _says_own(toks)  # "tengo 20 hectáreas de tomate" (read by meaning)
            elif stating and not clause.question and not outsider and not job:
                more.append(" ".join(clause.words))
            else:
                stating = False
            last_end = -2  # where the clause's previous business word ended
            generic: tuple[int, str] | None = None  # end and sector of "tengo un rancho"
            for hit in self._with_trades(toks, self._index.find(toks)):
                # "doy clases de zumba", "escuela de taekwondo": the trade after "de" says more.
                complement = hit.start == last_end + 1 and toks[last_end] in ("de", "del")
                last_end = hit.end
                before = toks[max(0, hit.start - 4) : hit.start]
                if set(before[-3:]) & {"no", "ni", "nel"} and "solo" not in before[-1:]:
                    denied[hit.value] = (ci, hit.start)  # "no somos textiles", "no es restaurante"
                    continue
                owned = bool(before) and before[-1] in {"mi", "nuestra", "nuestro"}
                # Someone else's business: "mi vecino tiene una panadería" (not "atiendo a mis
                # clientas en mi estética").
                head = " ".join(toks[: hit.start])
                outside = (m := _OUTSIDER_RX.search(head)) and not _SELF_RX.search(head[m.end() :])
                outside = outside and not _FOR_SOMEONE.search(head)  # "le ayudo a mi tío en su…"
                if outside and not owned:
                    continue
                # A name that carries its own verb says it too ("vendo seguros", "hago páginas
                # web"); a lone verb alias ("fabricamos") does not.
                words_in = hit.phrase.split()
                cue = bool(
                    data.BUSINESS_CUES.intersection([*before, *words_in[: len(words_in) - 1]])
                )
                # "la dueña es doctora": a person's trade, not the business's giro.
                cue = cue and not _PERSON_IS.search(" ".join(before))
                # A message that opens by naming the business ("buenas, carpintería en Uruapan,
                # hacemos cocinas…") names it as surely as "tengo una…": later trade words
                # ("cocinas", "mis hijos") are what it makes or who works there.
                # Not a bare place word ("agencia", "taller": its complement says) nor a lone verb
                # ("fabricamos uniformes" said of a known business), and only when more follows.
                cue = cue or (
                    hit.start == 0
                    and ci < len(clauses) - 1
                    and hit.phrase not in self._weak
                    and not hit.phrase.split()[0].endswith("mos")
                    and not clause.question
                    and all(len(c.words) <= 3 for c in clauses[:ci])
                )
                # "como una fonda" compares; "como 12 hectáreas" only rounds a number.
                skip = {
                    w
                    for k, w in enumerate(before[-3:])
                    if w in data.SKIP_CUES and not (w == "como" and _counted(before[-3:][k + 1 :]))
                }
                if not owned and skip:
                    continue
                # A developer's or IT person's client is the business they ask about.
                if not owned and not job and _serves_others([*prev, *toks[: hit.start]]):
                    continue  # a client or a place served: "repartimos a las tienditas"
                # In questions only the owner's own business counts ("¿…o es para fábricas?" is
                # not a statement); "vivo en Palenque" is a town.
                if clause.question and not (owned or _FIRST_PERSON.intersection(before)):
                    continue
                if not cue and is_place(hit.phrase):
                    continue
                weak = hit.phrase in self._weak
                if generic is not None and hit.value != generic[1] and hit.start - generic[0] <= 4:
                    # "tengo un rancho con 80 vacas": the word right after the generic one says
                    # which business the owner's "tengo" names.
                    cue, weak = True, False
                elif cue and weak and _place_head(hit.phrase):
                    generic = (hit.end, hit.value)
                own = own or owned or _owns(before)
                rank = (cue, not weak, complement, -ci, -hit.start)
                if best is None or rank > best[0]:
                    explicit = cue or (short and not clause.question)
                    qualifier = _qualifier(toks, hit.end) if weak else ""
                    head = hit.phrase if weak else ""
                    best = (rank, hit.value, explicit, weak, (ci, hit.start), qualifier, head)
            prev = toks[-4:] if not clause.question else []
        text = ", ".join(statement)
        if statement and not _CONTENT.search(text):
            text = ", ".join(statement + more)  # "soy dj, amenizo bodas…": the rest says what
        whole = " ".join(" ".join(c.words) for c in clauses if not c.question)
        if (
            ONLINE_SECTOR in self.sectors
            and _ONLINE_ONLY.search(whole)
            and not _OFFLINE.search(whole)
        ):
            # Not explicit: a known business that also sells online keeps its sector.
            return SectorRead(ONLINE_SECTOR, False, False, frozenset(denied), text)
        if best is None:
            return SectorRead(denied=frozenset(denied), statement=text, own=own)
        _, sector, explicit, weak, at, qualifier, head = best
        if sector in denied and (weak or denied[sector] > at):
            return SectorRead(denied=frozenset(denied), statement=text)
        # "no somos fonda, es cocina económica": said again after the denial, it stands.
        gone = frozenset(s for s in denied if s != sector)
        return SectorRead(sector, explicit, weak, gone, text, qualifier, head, own)

    def _by_meaning(self, read: SectorRead, current: str | None) -> tuple[str, float] | None:
        """The sector the owner's own words are closest to, or `general` when none is close."""
        if self.meaning is None or not read.statement or not _CONTENT.search(read.statement):
            return None
        guess = self.meaning.nearest(read.statement, exclude=sorted(read.denied))
        if guess is not None and guess.sector in self.sectors:
            return guess.sector, guess.confidence
        return ("general", 0.0) if "general" in self.sectors else None

    def _qualified(self, read: SectorRead) -> bool:
        """Whether the words after a generic business word name another business: "tienda de
        regalos" is not a corner shop, "tienda de abarrotes" or "productor de maíz" still are."""
        lexicon = getattr(self.meaning, "lexicon", None)
        if not read.qualifier or read.sector is None or lexicon is None:
            return False
        if self.meaning.near_miss(read.sector, read.statement or read.qualifier):
            return True  # "agencia de seguridad privada": it only sounds like the sector
        if lexicon.covers(read.sector, read.qualifier) and (
            lexicon.knows(read.qualifier) or read.head not in data.PREMISES
        ):
            return False
        if lexicon.elsewhere(read.sector, read.qualifier):
            return True  # "tienda de regalos": words of other businesses
        if read.head in data.PREMISES:
            # "taller de velas": words the place's usual sector doesn't know name another trade.
            # The statement's meaning can't tell: its place word pulls it to that sector.
            return True
        # Still the nearest by meaning ("productor de tomate" is farming): not another business.
        text = read.statement or read.qualifier
        ranked = [s for s, _ in self.meaning.scores(self.meaning.embed(text)) if s != "general"]
        return not ranked or ranked[0] != read.sector

    def _signals(self, clauses: list[Clause], current: list[str], fixing: bool) -> list[str]:
        signals = list(current)
        for clause in (c for c in clauses if not c.question):
            line = " ".join(clause.words)
            for sig, (_, _, rx) in _SIGNALS.items():
                for m in rx.finditer(line):
                    before = re.split(r"\b(?:pero|aunque|sino|y)\b", line[: m.start()])[-1]
                    if sig == "no_computer" or not data.NOT_USED.intersection(before.split()[-4:]):
                        signals += [] if sig in signals else [sig]
                    elif sig in signals and (fixing or "ya no" in line):
                        signals.remove(sig)
        return signals

    def update(
        self, profile: BusinessProfile, message: str, asked: Collection[str] = ()
    ) -> ProfileUpdate:
        """Profile after `message`; a new value replaces an old one only when stated explicitly.

        `asked` names the slots the assistant just asked about (see BusinessProfile.missing):
        after "¿cuántas horas…?" a bare "2" or "unas 3" is read as weekly hours.
        """
        message = clip_chars(message, UNDERSTAND_CHARS)  # fuzzy place matching grows with it
        text = respell(normalize(message))
        clauses = split_clauses(message)
        short = sum(len(c.words) for c in clauses) <= 5
        fixing = bool(_RX["correction"].search(text))
        new = profile.model_copy(deep=True)

        read = self._sector(clauses, short)
        if (
            read.sector == ONLINE_SECTOR
            and new.sector not in (None, ONLINE_SECTOR)
            and new.sector not in read.denied
        ):
            # "vendo por facebook" after "tengo una panadería": a channel of the business we
            # know (a maturity signal), not another business.
            read = SectorRead(denied=read.denied, statement=read.statement)
        chosen: tuple[str, float] | None = None
        if read.sector and not read.weak:
            if read.sector != new.sector and (new.sector is None or read.explicit):
                chosen = (read.sector, 1.0)
        else:
            # No specific word named the business: its description, by meaning, when the owner
            # just told us about it and we had no sector, a denied one, or a correction.
            # A correction reopens the sector only when it says what the business is or does
            # ("mas bien es imprenta", not "mas bien somos 12").
            restated = fixing and bool(_DESCRIBES.search(read.statement))
            open_slot = new.sector is None or new.sector in read.denied or restated
            if read.weak and read.sector != new.sector:
                # "tengo una tienda de regalos" names a business; a bare "mi taller" or "mi
                # tienda" is how any owner calls theirs and never replaces a known trade.
                named = bool(read.qualifier) or new.sector == "general"
                open_slot = open_slot or (read.explicit and named)
            guess = self._by_meaning(read, new.sector) if open_slot else None
            if guess and guess[0] == "general" and read.sector and not self._qualified(read):
                guess = (read.sector, 0.5)  # a generic word is still better than nothing
            if guess and (guess[0] != new.sector or new.sector in read.denied):
                chosen = guess
            elif read.sector and open_slot and read.sector != new.sector:
                if not self._qualified(read):
                    chosen = (read.sector, 0.5)
        how = None
        if chosen is None and new.sector in read.denied:
            new.sector = new.sector_name = new.activity = None
            new.sector_confidence = None
            how = "negado por el dueño"
        if chosen is not None:
            how = (
                "dicho por el dueño"
                if chosen[1] == 1.0
                else "ninguno se parece: ruta general"
                if chosen[0] == "general"
                else f"lo más parecido (confianza {chosen[1]:.2f})"
            )
            s = self.sectors[chosen[0]]
            new.sector, new.sector_name, new.activity = s.id, s.name, s.activity
            new.sector_confidence = chosen[1]
        recount = None  # a figure corrected in short: "ponle 18", "eran 5 no 4"
        if (employees := _employees(text)) is not None:
            new.employees = employees
        elif (fixing or _OPENS_WITH_FIGURE.match(text)) and (
            recount := _recount(text, profile, asked)
        ) is not None:
            if recount[0] == "employees":
                new.employees = recount[1]
        if new.employees is not None:
            new.size = size_for(new.employees, new.activity)
        elif size := stated_size(text):
            new.size = size

        loc = find_location(message, in_questions=False, near=new.state)
        if loc and (new.state is None or loc.explicit or fixing):
            keep_city = loc.city is None and loc.state == new.state
            new.state, new.city = loc.state, new.city if keep_city else loc.city

        signals = self._signals(clauses, new.signals, fixing)
        if signals != new.signals or (signals and new.maturity is None):
            new.signals = signals
            new.maturity, new.maturity_reason = maturity(signals)

        goals = _goals(_goal_text(clauses))
        goals_by_meaning = getattr(self.meaning, "goals", None)
        if goals_by_meaning is not None and (wishes := _wishes(clauses)):
            # Each wish or complaint no rule read, by meaning, in one batch; only then ("se me
            # acaba todo, y nadie sabe que existimos": a rule, then meaning).
            found = goals_by_meaning([w.text for w in wishes], [w.said for w in wishes])
            goals += [g for g in dict.fromkeys(found) if g and g not in goals]
        if goals:
            replace = fixing and "tambien" not in text
            new.goals = goals if replace else new.goals + [g for g in goals if g not in new.goals]

        if (reads := _reads_english(clauses)) is not None:
            new.reads_english = reads
        # "no, mejor 2": a correction of the hours given before reads a bare number as hours.
        hours_asked = "weekly_hours" in asked or (
            fixing and profile.weekly_hours is not None and recount is None
        )
        if (hours := _weekly_hours(text, short, hours_asked)) is not None:
            new.weekly_hours = hours
        elif recount and recount[0] == "weekly_hours":
            new.weekly_hours = recount[1]
        owns = read.own and (read.sector is not None or chosen is not None)
        role = _role(text, owns, known=new.role is not None)
        if role is not None and (role != "it_helper" or new.role != "owner"):
            new.role = "it" if role == "it_helper" else role  # an owner may look after the compu

        changed = [f for f in type(new).model_fields if getattr(new, f) != getattr(profile, f)]
        fixed = [f for f in changed if f in _CORRECTABLE and _replaced(getattr(profile, f), new, f)]
        if "city" in changed and profile.state is not None:
            fixed.append("city")  # "no es Tlaxcala, es Apizaco": the town now says where
        return ProfileUpdate(new, changed, corrected=fixing and bool(fixed), sector_how=how)


def _replaced(old: Any, new: BusinessProfile, slot: str) -> bool:
    """Whether a slot lost what it held: a new value over an old one, or a tool or goal taken
    back. One more tool or goal ("no sé nada de compu, solo cel") adds, it corrects nothing."""
    if old in (None, []):
        return False
    if isinstance(old, list):
        return bool(set(old) - set(getattr(new, slot) or []))
    return True


# Below this, the sector was guessed by meaning: the answer says so instead of asserting it.
SURE_ENOUGH = 0.8


def sector_phrase(profile: BusinessProfile) -> str | None:
    """How an answer names the owner's sector, honest about a guess.

    "tu negocio es del giro restaurantes", "lo más parecido a tu negocio es el giro …", or, for
    the neutral path, that the business is not on our list.
    """
    if not (profile.sector_name or profile.sector):
        return None
    name = (profile.sector_name or profile.sector or "").lower()
    confidence = profile.sector_confidence
    if profile.sector == "general" and confidence is not None and confidence < SURE_ENOUGH:
        return "tu giro no está en mi lista, así que te doy ideas que sirven a cualquier negocio"
    if confidence is not None and confidence < SURE_ENOUGH:
        return f"lo más parecido a tu negocio es el giro {name}"
    return f"tu negocio es del giro {name}"
