"""Curated answers (`knowledge/faq/`): the user's question matched against each entry's question
and the paraphrases owners use, by meaning (the index's dense score) and by words (IDF-weighted
overlap with the closest phrase), read the way owners write (`owner_words`); and the institution
that handles a subject (`referral_for`), to point a refusal there."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.sentences import sentences
from assistant.knowledge.models import FaqEntry
from assistant.understanding.text import fold, keyword_tokens, respell, stopwords, words

# Calibrated on the dev conversations and the entries' own paraphrases (see docs/benchmarks.md):
# a curated answer needs a combined score of MATCH; unrelated questions (trademark fees, the
# weather, a business description) stay below it.
MATCH = 0.6
# Between SOFT and MATCH, a match needs either close meaning or close words.
SOFT = 0.55
# Dense similarities of multilingual-e5 sit in a narrow band; this maps it to 0..1.
DENSE_FLOOR, DENSE_SPAN = 0.78, 0.14
LEXICAL_WEIGHT = 0.6
# A second entry is added when it answers another part of the question just as well.
SECOND = 0.62
# A second entry whose answer shares this much of its words with the first one's (over the
# shorter of the two) says nearly the same: stacking both only makes the reply long.
REDUNDANT = 0.5
# Weight of "the message contains the whole phrase" next to Dice.
CONTAINED = 0.8
# A two-word phrase a message contains counts whole only when it is at least this share of what
# the message says (by weight).
NAME_SHARE = 0.5
ENTITY_MISSING = 0.15
ENTITY_IN_CONTEXT = 0.15
# An entry whose question is about the exam the message names, over a general one on exams.
EXAM_MATCH = 0.1
QUESTION_WORD_WEIGHT = 5.0
FACET_MISMATCH = 0.2
# A general description ("¿qué es…?") often holds the detail asked; it loses less.
WHAT_MISMATCH = 0.1
# An entry about the facet asked ("¿se paga?" -> the entry on its cost) over its neighbours.
FACET_MATCH = 0.05
# A follow-up whose words are in the answer just given stays on it unless another entry clearly
# answers it better ("¿y hasta cuánto te prestan?" after Fondeso's credits).
STAY = 0.1
# A stem this short that no entry uses is a filler or a verb form ("vi", "tel"), not a subject.
SHORT_UNKNOWN = 3
# A word of the owner's case said beside the question steers the match when at most this many
# entries are asked with it ("importados": the entry on imported materials).
RARE_DF = 2
# An entry shares enough of a topic's subject to answer for it (the seal's cost entry for the
# seal's documents, not every entry on procedures): the share of their topics in common.
SAME_SUBJECT = 0.3
# "¿Hasta cuánto te prestan?" asks for a number: an answer without one doesn't hold it.
NO_NUMBER = 0.1
# "¿ya me toca el 25 % extra?": an entry that never says a number the question names is about
# something else (the ordinary deduction, not the extra 25 %).
NUMBER_MISSING = 0.1
_STATE_LEVEL = frozenset(keyword_tokens("estatal"))
# Charges a question may name: an entry that never says the one asked is about another charge.
_CHARGES = frozenset(
    keyword_tokens(
        "comision comisiones tasa tasas multa multas cuota cuotas tarifa tarifas recargo recargos"
    )
)
# A price asked ("¿cuál es el precio…?", "¿cuánto cuesta…?", "¿es gratis?"), not a tax rate
# or a share ("¿qué porcentaje de ISR se paga?").
_PRICE = re.compile(r"\b(precios?|cuesta|cuestan|costos?|cobra|cobran|gratis|gratuit[oa]s?)\b")
# "¿Cuánto cobra…?": a fee asked, which only a text that speaks of charging holds.
# ("¿es gratis o cobran?" only asks whether it costs.)
_CHARGED = re.compile(r"\bcuanto (?:me |nos |te |le |les )?(?:cobra|cobran)\b")
_CHARGE_WORDS = frozenset(keyword_tokens("cobra cobran cobro cobre comision tarifa cuota"))
# Where a clause of an entry's text ends: a sentence's end, or a semicolon.
_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+")
# An amount: a percentage or a sum of money ("3.5 %", "$299", "100 dolares").
_FIGURE = re.compile(r"\d\s*%|\$\s*\d|\d\s*(mil |millones )?(pesos|dolares|usd|mxn)\b")
# Exam and product codes ("az-104", "AI-900", "clf-c02"), compared without the hyphen.
_CODE = re.compile(r"\b[a-z]{2,4}-?\d{2,4}\b")


def codes_in(text: str) -> set[str]:
    """The exam or product codes a text names ("az-104" -> "az104")."""
    return {c.replace("-", "") for c in _CODE.findall(fold(text))}


# The certification exams a text names, by name, code or nickname: a question about one is not
# answered by an entry about another ("el AI Practitioner" is not the Cloud Practitioner).
_GENAI = r"(?:generative ai|gen ?ai|ia generativa)"
_EXAM_NAMES = (
    ("aws-cloud-practitioner", r"\bcloud practitioner\b|\bclf ?-?c0\d\b"),
    ("aws-ai-practitioner", r"\bai practitioner\b|\baif ?-?c0\d\b"),
    (
        "aws-genai-developer",
        rf"\b{_GENAI}\W+(?:\w+\W+)?(?:developer|desarrollador)"
        rf"|\b(?:developers?|desarrollador\w*)\W+(?:\w+\W+){{0,2}}{_GENAI}\b|\baip ?-?c0\d\b",
    ),
    ("google-genai-leader", rf"\b{_GENAI} leader\b"),
    ("google-ai-essentials", r"\bai essentials\b"),
)
_EXAM_PATTERNS = tuple((name, re.compile(rx)) for name, rx in _EXAM_NAMES)
# Exam codes: "az-104", "pl300"; with a space only for Microsoft's prefixes ("ai 900"), as
# "de 100" is no code.
_EXAM_CODE = re.compile(r"\b(?:([a-z]{2,4})-|(ai|az|dp|pl|sc|ms|md|mb|ab) ?)(\d{3})\b")


def exams_in(text: str) -> frozenset[str]:
    """The certification exams `text` names ("ai 900" -> "ai900", "AI Practitioner" ->
    "aws-ai-practitioner")."""
    folded = fold(text)
    out = {name for name, rx in _EXAM_PATTERNS if rx.search(folded)}
    out |= {(a or b) + n for a, b, n in _EXAM_CODE.findall(folded)}
    return frozenset(out)


_RECOMMEND = re.compile(
    r"\b(?:recomiend\w*|recomendarias|sugieres|sugieren|me conviene|nos conviene|cual (?:me|nos) sirve)\b"
)
_HOW_MUCH = re.compile(r"\b(cuanto|cuanta|cuantos|cuantas|monto|porcentaje)\b")


# Question words are stop words for search, but they tell "¿cuánto cuesta?" from "¿dónde?".
_QUESTION_WORDS = frozenset("donde cuando cuanto cuanta cuantos cuantas como quien cual".split())

# How owners write the names and words the entries use: WhatsApp spellings, names split or
# joined ("saberes mx", "dc 3", "chat gpt"), and everyday slang for the words of the knowledge
# ("cuánto sale", "lana", "descontar de impuestos", "hacienda"). Applied to the entries and the
# message alike, on folded text, before the words are stemmed.
_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b(?:{pattern})\b"), word)
    for pattern, word in (
        (r"dc[\s-]?3", "dc3"),
        (r"saberes[\s.]?mx", "saberesmx"),
        (r"llave[\s.]?mx", "llavemx"),
        (r"e[\s.-]?firma|firma electronica", "efirma"),
        (r"chat[\s.]?g[pt]t|chatgtp|chatgp", "chatgpt"),
        (r"whats?|wats?|wasap|whatsap|guasap|wsp|wpp|whatsapp?", "whatsapp"),
        (r"face|feis|fb|facebuk", "facebook"),
        (r"insta|ig", "instagram"),
        (r"mercadolibre|meli", "mercado libre"),
        (r"meta[\s.]?ai|circul(?:o|ito) azul", "metaai"),
        (r"q|k|ke", "que"),
        (r"pa|pal", "para"),
        # Materials brought from abroad are imported ("la piel la traigo de Italia", "las telas
        # vienen de fuera", "la compro en China"): before "en otros países", which is exporting.
        (
            r"(?:traigo|traemos|trae|compro|compramos|pido|pedimos|importo|importamos|vienen|viene"
            r"|llegan|llega|mandamos traer|mando traer|son|es) (?:de|desde|en) (?:afuera|fuera"
            r"|otros? pais(?:es)?|el extranjero|china|estados unidos|usa|el gabacho|italia|espana"
            r"|alemania|japon|corea|india|brasil|colombia|peru|chile|argentina|canada|taiwan"
            r"|vietnam|turquia|francia|europa|asia)",
            "importados",
        ),
        # Selling abroad is exporting ("¿pa vender en otros países?").
        (
            r"(?:a|al|en|para|pa|hacia) (?:otros paises|otro pais|(?:el )?extranjero|fuera del pais)",
            "exportar",
        ),
        (r"xq|porq|pq", "porque"),
        # "¿Tengo que ir a algún lado?": where it is done.
        (
            r"(?:ir|vaya|voy|vamos|acudir|presentarme) a (?:algun|alguna|otro|otra|que) "
            r"(?:lado|lugar|parte|oficina)",
            "donde",
        ),
        (r"(?<=cuanto )(?:sale|salen|sala)|(?<=cuanto me )(?:sale|salen)", "cuesta"),
        (r"cuesta (?:el varo|la lana)", "cuesta"),
        (
            r"(?:sale|salen|saldria|sera)(?= (?:muy |bien |mas )?(?:car[oa]s?|barat[oa]s?)\b)",
            "cuesta",
        ),
        (r"lana|varo|billete|feria(?= para| pa)", "dinero"),
        (r"de (?:a )?gratis|gratiz|grátis", "gratis"),
        (
            r"descontar|descuento de impuestos|meter(?:lo)? como gasto|meterlo a gastos"
            r"|deduzco|deduzca|deduzcan|deduce|deducen|deducirl[oa]s?|deduccion(?:es)?",
            "deducir",
        ),
        (r"hacienda", "sat"),
        (r"compu|lap|laptop", "computadora"),
        (r"cel|celu|telefono celular", "celular"),
        (r"chamba", "trabajo"),
        (r"pacientes|alumnos|huespedes|comensales|compradores", "clientes"),
        (r"de (?:mi|tu|su) (?:bolsa|bolsillo)", "pagar"),
        (r"prestamos?|prestan|presta|prestar|prestarme|presten", "credito"),
        # Without a connection is one idea ("¿sirve sin internet?"); "sin" alone is a stop word.
        (
            r"sin (?:internet|señal|senal|conexion|datos|saldo|wifi|red|megas)|offline"
            r"|fuera de linea|desconectad[oa]",
            "offline",
        ),
        # A business's machines are the entries' "equipo" (credit for it, its deduction).
        (
            r"maquinas?|maquinaria|hornos?|lavadoras?|secadoras?|refrigeradores?|refris?"
            r"|congeladores?|camionetas?|estufas?|freidoras?|prensas?|tortilladoras?|molinos?"
            r"|tornos?|compresores?|batidoras?|vitrinas?|mobiliario",
            "equipo",
        ),
        (
            r"chalanes|chalan|chavos|chavas|muchachos|muchachas|ayudantes|mi gente|mi personal"
            r"|(?:la|el|las|los) de (?:recepcion|caja|ventas|mostrador|limpieza|cocina|oficina)"
            r"|recepcionistas?|recamareras?|meser[oa]s?|cajer[oa]s?|vendedor[ae]s?|dependientes?"
            r"|secretarias?|cociner[oa]s?|trabajador[ae]s|operari[oa]s|operador[ae]s|obrer[oa]s"
            r"|supervisor[ae]s|colaborador[ae]s",
            "empleados",
        ),
        (r"papeles|papeleo", "documentos"),
        # "¿Nafin da algo aparte de préstamos?"
        (r"aparte de|a parte de|fuera de|mas alla de", "ademas de"),
        # "¿Si lo pido yo sola, sin gestor?": by oneself, as the answers say it ("tú mismo"),
        # and the middleman who charges for a free procedure.
        (r"(?:yo|nosotros) (?:sol[oa]s?|mism[oa]s?)|por mi cuenta|por mi mism[oa]", "tu mismo"),
        (r"gestor(?:es|ia|ias)?|coyotes?|tramitador(?:es)?", "intermediario"),
        (r"intereses", "interes"),
        (r"promos?|promociones|promocion", "promociones"),
        # "¿De qué edad?" asks how many years old: answers say "de 18 a 29 años".
        (r"edad(?:es)?", "anos"),
        # "¿Ya me toca solito?", "¿se aplica en automático?": whether it is automatic.
        (r"solit[oa]|en automatico|automaticamente", "automatico"),
        # "¿Califico?" asks what "¿quién puede?" asks.
        (r"califico|califica|califican|calificamos|soy elegible|somos elegibles", "quien puede"),
        (r"sedes?|campus|planteles?|sucursal(?:es)?", "sede"),
        (r"certificados?|diplomas?|constancias?|microcredencial(?:es)?|papelitos?", "constancia"),
        (r"meterme|meto|ingresar|acceder|accedo", "entrar"),
        (
            r"inscribirme|apuntarme|registrarme|anotarme|inscribirnos|apuntarnos|registrarnos"
            r"|(?:me|nos) (?:apunto|apuntamos|inscribo|inscribimos|anoto|anotamos)"
            r"|(?:darme|darnos|darlo|darla|dar|doy|damos|dan|da) de alta",
            "registro",
        ),
        # "¿Q papeles ocupo?": in Mexico "ocupar" is "necesitar" (not "me ocupo de").
        (r"ocup(?:o|as|a|amos|an)(?! de\b)", "necesito"),
    )
)


# Cached: a turn reads the same question and entry texts through it dozens of times (every
# candidate entry, every use case), and ~40 regex substitutions each cost more than the turn's
# own retrieval did.
@lru_cache(maxsize=4096)
def owner_words(text: str) -> str:
    """Folded text with owners' spellings and slang turned into the words the entries use
    ("aki" and "kiero" through the normaliser's own k-for-qu respelling)."""
    out = respell(fold(text))
    for rx, word in _SPELLINGS:
        out = rx.sub(word, out)
    return out


# Words every owner's question has: they must not make a curated answer match on their own.
_GENERIC = frozenset(
    keyword_tokens(
        "recomiendas recomienda recomendación idea ideas ia inteligencia artificial negocio negocios "
        "mío mía aquí bien buena bueno ahorita"
    )
)
# Words of how a question is put ("¿cada cuánto?"), not of what it is about: a text holding
# them is no answer to it.
_FILLERS = frozenset(keyword_tokens("cada vez veces algo alguna alguno mas menos"))
# Names an entry may be about: an entry whose question names one the message doesn't is about
# something else ("¿el certificado de Google cuesta?" vs. "¿cuánto cuestan los cursos?"), and a
# message that names one is about it ("¿los cursos gratis dan DC-3?" is about the DC-3).
_ENTITIES = frozenset(
    keyword_tokens(
        owner_words(
            "google aws amazon microsoft nafin bancomext cfe chatgpt gemini canva copilot whatsapp "
            "mercado libre saberesmx resico dc-3 llave mx compranet bedrock workspace meta ai skill "
            "builder educate santander slim fondeso imss impi cofepris infonavit sat"
        )
    )
)


# What a question asks about: a curated answer about another facet of the same thing ("¿cuánto
# tarda?" for "¿cuánto cuesta?", "¿qué es?" for "¿se paga?") is the wrong answer, however close
# the words. Read on the owner's words (see `owner_words`).
_FACETS = {
    name: re.compile(pattern)
    for name, pattern in {
        # "¿Te cobran?" asks a price; "cobrar con tarjeta" (charging one's own customers) does not.
        "cost": r"\b(cuesta|cuestan|costo|costos|precio|precios"
        r"|(?:cobran|cobra|cobrar)(?! (?:con|a (?:mis|los|la|mi|tus|sus)|en efectivo|por transferencia))|gratis"
        r"|gratuit[oa]s?|hay que pagar|tengo que pagar|se paga|se pagan|tarifas?|comision"
        r"|tasas? de interes|que tasa|intereses|interes|sin interes)\b",
        "time": r"\b(dura|duran|duracion|tarda|tardan|tiempo|horas|semanas|dias|cuando|vigencia"
        r"|caduca|vence|renovar\w*|renueva)\b",
        "place": r"\b(donde|sede|sedes|direccion)\b",
        "language": r"\b(espanol|ingles|idioma|idiomas)\b",
        # "¿Me conviene sacar el sello?", "¿vale la pena?", "¿sirve de algo?": what it gives and
        # who it is for, not its price ("¿qué curso me conviene?" asks for a recommendation).
        "what": r"\b(que es|que son|que significa|para que sirve|para que me sirve"
        r"|(?:para|pa|de) que (?:me |nos |le )?(?:sirve|serviria|funciona)|sirve de algo"
        r"|vale la pena|valdria la pena|que (?:gano|ganamos|ganaria|beneficios?|ventajas?)"
        r"|(?:me|nos|le) (?:co[nm][vb]iene|co[nm][vb]endria) (?:sacar|tramitar|obtener|tener|pedir"
        r"|entrar|meter\w*|registrar\w*|inscribir\w*|dar\w* de alta|solicitar|usar|el|la|los|las"
        r"|ese|esa|eso))\b",
        # Whether the owner qualifies: "¿califico?", "¿me toca?", "¿aplica para mi negocio?".
        "who": r"\b(califico|calificar|califica|califican|calificamos|(?:me|nos|le|les) tocan?"
        r"|elegibles?|quien(?:es)? (?:puede|pueden|califica)|para quien(?:es)? es|pueden? llevar"
        r"|(?:puedo|podemos|puede) (?:entrar|participar|tener|obtener|usar (?:el|la|los|las))"
        r"|puede mi negocio|requisitos?|tengo derecho|(?:me|nos|le) aplica|aplica(?:n)? (?:para|a)"
        r" (?:mi|nosotros|mis|un|una)|es para (?:mi|nosotros|negocios)"
        # "¿Me pueden dar el sello?", "¿me lo dan?", "¿y si fuera persona física también aplica?"
        r"|(?:me|nos|le|les) (?:pueden|puede|podrian|podria|van a|quieren) (?:dar|otorgar)"
        r"|(?:me|nos|le|les) (?:lo|la|los|las) (?:dan|darian|pueden dar|otorgan)"
        r"|(?:tambien|igual|si|aun asi) (?:me |nos |le )?aplica(?:n|ria|rian)?)\b",
        "requirements": r"\b(requisitos?|documentos|que (?:me )?(?:piden|pide|van a pedir|necesito)"
        r"|que necesito|que datos)\b",
    }.items()
}


# How an answer states each aspect asked: the sentence of the topic's text that holds it, for a
# follow-up no entry on the topic answers as a whole ("¿y eso cuesta?" after Jóvenes
# Construyendo el Futuro: "Tú no les pagas: el gobierno les da el apoyo mensual…"). "when" and
# "issuer" are finer than the question facets: "¿cuándo empieza?" asks for a date, not for how
# long it lasts; "¿quién lo da?" for the institution behind it.
_STATED = {
    name: re.compile(pattern)
    for name, pattern in {
        "cost": r"\b(gratis|gratuit[oa]s?|sin costo|costo|cuesta|cuestan|precio|pagas|pagar|paga"
        r"|pagan|cobra|cobran|comision|dolares)\b",
        "time": r"\b(?:\d+|una?|dos|tres|cuatro|cinco|seis|diez|doce|quince|treinta) (?:minutos?"
        r"|horas?|dias?|semanas?|mes(?:es)?|anos?)\b|\bdias habiles\b|\btodo el ano\b",
        "when": r"\b20\d\d\b|\btodo el ano\b",
        "place": r"\ben linea\b|\b[a-z0-9-]+\.(?:gob\.mx|com|mx|org)\b|\ben persona\b|\boficinas?\b"
        r"|\bsucursal(?:es)?\b|\bcentros? de examen\b|\bdesde tu casa\b",
        "requirements": r"\b(piden|pide|necesitas|requisitos?|documentos?|ine|curp|identificacion"
        r"|constancia|comprobante|acta|e\.?firma|factura|cfdi|llavemx|rfc)\b",
        "who": r"\b(pueden|califican?|es para|no es para|deja fuera|dejan fuera)\b",
        "content": r"\b(ofrece|ofrecen|trayectos?|temas?|ensena\w*|aprend\w*|cursos? (?:de|en|sobre)"
        r"|rutas? (?:de|en|sobre))\b",
    }.items()
}
# "¿Y q se estudia ahí?", "¿de qué trata?": what is taught or covered.
_CONTENT = re.compile(
    r"\bque (?:se )?(?:estudia|estudian|estudio|ensena|ensenan|aprende|aprenden|aprendo|ve|ven|veo"
    r"|temas|materias|carreras|cursos (?:tiene|tienen|hay|dan|ofrece|ofrecen))\b"
    r"|\bde que (?:se )?trata\b"
)
_ADDRESS = re.compile(r"\S+\.(?:gob\.mx|com|mx|org)\S*")
_WHEN = re.compile(r"\b(cuando|fecha|empiez\w*|empieza|arranc\w*|abren?|inicia\w*)\b")
_WHERE = re.compile(
    r"\b(mi estado|estatal|mi ciudad|mi municipio|aqui|aca|cerca|oficinas?|pagina|sitio|link|liga"
    r"|enlace|como le hago|pasos?)\b"
    # "¿Y cómo lo tramito?", "¿dónde me inscribo?": how to apply is where and through whom.
    r"|\b(?:como|donde) (?:lo |la |los |las |me |nos |le )?(?:tramit\w*|registr\w*|inscrib\w*"
    r"|solicit\w*|pid[oe]|consig\w*|sac[oa]|obteng\w*|apunt[oa]|entr[oa])\b"
)
_ISSUER = re.compile(
    r"\bquien(?:es)? (?:lo |la |los |las )?(?:da|dan|otorga|otorgan|emite|expide|entrega)\b"
)


def aspects_asked(text: str) -> frozenset[str]:
    """What a follow-up asks of the topic, in the terms `states` reads answers with: the question
    facets, a date ("when") rather than a length, and the institution behind it ("issuer")."""
    said = owner_words(text)
    asked = set(facets(text))
    if "time" in asked and _WHEN.search(said):
        asked = (asked - {"time"}) | {"when"}
    elif _WHEN.search(said):
        asked.add("when")
    if _WHERE.search(said):
        asked.add("place")
    if _ISSUER.search(said):
        asked = (asked - {"who"}) | {"issuer"}
    if _CONTENT.search(said):
        asked.add("content")
    return frozenset(asked)


def beside_aspects(text: str, asked: Iterable[str]) -> str:
    """The owner's words of `text` besides those that ask for the aspects `asked` or say them
    ("¿y cuándo abren el registro?" -> "el registro"): what the sentence that answers should
    also hold."""
    said = owner_words(text)
    for rx in (*_FACETS.values(), _WHEN, _WHERE, _ISSUER, _CONTENT):
        said = rx.sub(" ", said)
    for aspect in asked:
        if aspect in _STATED:
            said = _STATED[aspect].sub(" ", said)
    return said


def states(sentence: str, aspect: str, issuer: Iterable[str] = ()) -> bool:
    """Whether `sentence` (of an answer) states `aspect`; `issuer`: the words of the name of
    who handles the topic."""
    said = owner_words(sentence)
    if aspect == "issuer":
        # Named in words: "hechoenmexico.economia.gob.mx" is where, not who.
        named = _ADDRESS.sub(" ", said)
        return bool(set(issuer) & set(keyword_tokens(named)))
    rx = _STATED.get(aspect)
    return bool(rx and rx.search(said))


def facets(text: str) -> frozenset[str]:
    """The facets a question asks about ("cost", "time", "place", "language", "what", "who",
    "requirements")."""
    said = owner_words(text)
    return frozenset(name for name, rx in _FACETS.items() if rx.search(said))


# Words that ask for an aspect of whatever was just talked about, not for a subject of their own:
# how to get it (register, apply, ask for it, what it takes), who gives it, when it starts,
# where (the owner's own state, an office, a page) and whether it is dear. With the facets above, a follow-up made only
# of them ("¿y q papeles ocupo?", "¿y dónde doy de alta mi negocio?", "¿y en mi estado hay?") is
# about the topic just answered; one that names something else ("¿y pa vender en línea?") may
# leave it. Read on the owner's words.
_ASPECT = re.compile(
    r"\b(?:registro|registr\w*|inscrib\w*|tramit\w*|solicit\w*|pid[eo]n?|pedir\w*|sac(?:o|a|ar)\w*"
    r"|consig\w*|conseguir\w*|obten\w*|entr(?:o|a|ar|amos)|aplic(?:o|a|an|ar|amos)|necesit\w*"
    r"|llev(?:o|a|ar)|dan?|dar|doy|otorg\w*|emit\w*|expid\w*|empiez\w*|empezar|arranc\w*|abren?"
    r"|inici\w*|termin(?:a|an|o|ar)|lleg\w*|sale|salen|resultados?|mi estado|estatal|mi ciudad|ahi|alli"
    r"|mi municipio|aqui|aca|cerca|oficinas?|pagina|sitio|link|liga|enlace|pasos?|hago|hacerle"
    r"|car[oa]s?|barat[oa]s?)\b"
)


def aspects_removed(text: str) -> str:
    """The owner's words of `text` without those that ask for a facet or an aspect: what is left
    names the subject, if anything does."""
    said = owner_words(text)
    for rx in (*_FACETS.values(), _ASPECT, _CONTENT):
        said = rx.sub(" ", said)
    return said


def names_in(text: str) -> frozenset[str]:
    """The names an entry may be about ("resico", "imss") that `text` says."""
    return match_tokens(text) & _ENTITIES


def match_tokens(text: str) -> frozenset[str]:
    """Search tokens plus the question words that tell questions apart."""
    said = owner_words(text)
    return frozenset(keyword_tokens(said)) | (_QUESTION_WORDS & set(words(said)))


@dataclass(frozen=True)
class CuratedMatch:
    entry: FaqEntry
    score: float
    lexical: float
    dense: float
    # Share of the message's own content words the entry mentions (1.0 when it has none).
    covered: float = 1.0


@dataclass(frozen=True)
class _Phrase:
    """One way an entry's question is put, as `lexical` reads it: its tokens without the
    generic words, those without the question words (`content`), and their weights."""

    tokens: frozenset[str]
    weight: float
    content: frozenset[str]
    content_weight: float
    what: bool  # asks what something is


def _phrase(index: CuratedAnswers, phrase: frozenset[str], what: bool) -> _Phrase:
    tokens = phrase - _GENERIC
    content = tokens - _QUESTION_WORDS
    return _Phrase(
        tokens,
        sum(index.weight(t) for t in tokens),
        content,
        sum(index.weight(t) for t in content),
        what,
    )


@dataclass(frozen=True)
class _Query:
    """The message's tokens without the generic words, and their weights."""

    tokens: frozenset[str]
    weight: float
    content_weight: float  # without the question words


def _query(index: CuratedAnswers, tokens: frozenset[str]) -> _Query:
    content = tokens - _QUESTION_WORDS
    return _Query(
        tokens, sum(index.weight(t) for t in tokens), sum(index.weight(t) for t in content)
    )


def _dense01(dense: float | None) -> float:
    if dense is None:
        return 0.0
    return max(0.0, min(1.0, (dense - DENSE_FLOOR) / DENSE_SPAN))


class CuratedAnswers:
    """Index of the curated entries for matching; built once per knowledge load."""

    def __init__(self, entries: Mapping[str, FaqEntry]) -> None:
        self.entries = dict(entries)
        self._phrases: dict[str, list[frozenset[str]]] = {}
        df: dict[str, int] = {}
        # Whether each phrase asks what something is: its words alone are only the name.
        self._asks_what: dict[str, list[bool]] = {}
        for eid, e in self.entries.items():
            said = [p for p in (e.question, *e.paraphrases) if match_tokens(p)]
            self._phrases[eid] = [match_tokens(p) for p in said]
            self._asks_what[eid] = ["what" in facets(p) for p in said]
            for tok in set().union(*self._phrases[eid]) if self._phrases[eid] else set():
                df[tok] = df.get(tok, 0) + 1
        n = max(1, len(self.entries))
        self._df = df
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        # A word no entry uses is as telling as the rarest one: it is what we can't answer.
        self._unknown = math.log(1 + n)
        self.known = frozenset(df)  # every word some entry's question or paraphrase uses
        # Words that say nothing of the subject, as stems too ("cuantos" -> "cuant").
        self.generic = (
            _GENERIC | _QUESTION_WORDS | frozenset(keyword_tokens(" ".join(_QUESTION_WORDS)))
        )
        self._facets = {eid: facets(e.question) for eid, e in self.entries.items()}
        # Every facet the entry's question or paraphrases ask ("chip gratis cfe requisitos"):
        # an entry is no wrong answer for a facet its own paraphrases ask about.
        self._claims = {
            eid: frozenset().union(*(facets(p) for p in (e.question, *e.paraphrases)))
            for eid, e in self.entries.items()
        }
        self._topics = {
            eid: frozenset(fold(t) for t in e.topics) for eid, e in self.entries.items()
        }
        self._answer_tokens = {
            eid: frozenset(keyword_tokens(owner_words(e.answer))) for eid, e in self.entries.items()
        }
        self._entities = {
            eid: match_tokens(e.question) & _ENTITIES for eid, e in self.entries.items()
        }
        self._numbers = {eid: bool(re.search(r"\d", e.answer)) for eid, e in self.entries.items()}
        # Each entry's whole text, folded and without hyphens, to find the codes it names.
        self._text = {
            eid: fold(" ".join([e.question, *e.paraphrases, e.answer])).replace("-", "")
            for eid, e in self.entries.items()
        }
        # The exams an entry's question is about, and every exam it names anywhere: a question
        # naming an exam is not answered by an entry about other exams only.
        self._exam_of = {eid: exams_in(e.question) for eid, e in self.entries.items()}
        self._exams_said = {
            eid: exams_in(" ".join([e.question, *e.paraphrases, e.answer]))
            for eid, e in self.entries.items()
        }
        # ...in clauses ("; " ends one too), to find a company's figure said next to its name.
        self._clauses = {eid: tuple(_CLAUSE_END.split(text)) for eid, text in self._text.items()}
        # Whether an entry says anything of what things cost (a price, "gratis", a fee).
        self._costs = {
            eid: "cost" in facets(" ".join([e.question, e.answer]))
            for eid, e in self.entries.items()
        }
        # The institutions whose subject each entry speaks of (the IMPI's trademarks, the SAT's
        # taxes): a question for one is not answered by an entry on another's.
        self._institutions = {
            eid: institutions_in(" ".join([e.question, *e.paraphrases, e.answer]))
            for eid, e in self.entries.items()
        }
        # The institutions an entry is about: those its question or paraphrases name.
        self._centred = {
            eid: institutions_in(" ".join([e.question, *e.paraphrases]))
            for eid, e in self.entries.items()
        }
        # Every word of an entry's question and paraphrases.
        self._asked_with = {eid: frozenset().union(*self._phrases[eid]) for eid in self.entries}
        # Everything an entry says, to tell whether it mentions a name the message asks about.
        self._mentions = {
            eid: frozenset().union(*self._phrases[eid], self._answer_tokens[eid])
            for eid in self.entries
        }
        # The entries' own words (unstemmed), to read a misspelt word as the word it means.
        vocab: set[str] = set()
        for e in self.entries.values():
            for text in (e.question, *e.paraphrases, e.answer):
                vocab.update(
                    w for w in words(owner_words(text)) if len(w) >= 4 and w not in stopwords()
                )
        self._vocab_set = frozenset(vocab)
        # By first letter and length: a misspelling is looked for only among the words it can be
        # (same first letter, a letter or two longer or shorter), not the whole vocabulary.
        self._vocab_by: dict[tuple[str, int], list[str]] = {}
        for v in sorted(vocab):
            self._vocab_by.setdefault((v[0], len(v)), []).append(v)
        self._said = frozenset(self.known | frozenset().union(*self._answer_tokens.values()))
        # Each phrase without the generic words, with its weights, as `lexical` reads it; the
        # same sets built the same way, so every sum adds in the same order as before.
        self._lexical: dict[str, list[_Phrase]] = {
            eid: [
                _phrase(self, phrase, what)
                for phrase, what in zip(ph, self._asks_what[eid], strict=True)
            ]
            for eid, ph in self._phrases.items()
        }
        # One turn reads its message's tokens several times (the ranking, the follow-up's
        # ranking, the ideas, the coverage): worked out once. Small: a turn's few texts.
        self.tokens = lru_cache(maxsize=64)(self._tokens)  # type: ignore[method-assign]

    def tokens(self, text: str) -> frozenset[str]:
        """The message's match tokens, with a word the entries never use read as the entries'
        word it misspells; memoised per instance (see __init__)."""
        return self._tokens(text)

    def _tokens(self, text: str) -> frozenset[str]:
        """The message's match tokens, with a word the entries never use read as the entries'
        word it misspells ("certificasion", "gratiz") or shrinks ("circulito", "horitas")."""
        said = owner_words(text)
        out = set(match_tokens(said))
        for w in set(words(said)):
            if len(w) < 5 or w in stopwords():
                continue
            stem = keyword_tokens(w)
            if not stem or stem[0] in self._said:
                continue
            fixed = self._respelt(w)
            if fixed is not None:
                out.discard(stem[0])
                out.update(keyword_tokens(fixed))
        return frozenset(out)

    def _respelt(self, word: str) -> str | None:
        """The entries' word that `word` misspells or shrinks, if exactly one is that close."""
        for base in _undiminished(word):
            if base in self._vocab_set:
                return base
        limit = 1 if len(word) < 9 else 2
        close = [
            (_distance(v, word), v)
            for n in range(len(word) - limit, len(word) + limit + 1)
            for v in self._vocab_by.get((word[0], n), ())
        ]
        best = min((d for d, _ in close), default=limit + 1)
        found = {v for d, v in close if d == best <= limit}
        # Several words at that distance are fine when they are one word ("certificacion",
        # "certificaciones"), or when only one is a word owners ask with; else it is a guess.
        for pool in (found, {v for v in found if keyword_tokens(v)[0] in self.known}):
            if len({keyword_tokens(v)[0] for v in pool}) == 1:
                return min(pool)
        return None

    def coverage(self, query: str, ids: Sequence[str]) -> float:
        """Share of the message's own words (its subject, not how it is asked) that the entries
        `ids` speak of, in their phrases or their answers; 1.0 when it says none."""
        return self.covers(self.tokens(query) - _GENERIC - _QUESTION_WORDS - _FILLERS, ids)

    def subject(self, query: str) -> frozenset[str]:
        """The words of `query` that name what it is about, without those that only ask for a
        facet or an aspect of it ("¿y q papeles ocupo?" names nothing; "¿y pa vender en línea?"
        names selling online). Empty for a follow-up about the topic just answered."""
        own = self.tokens(aspects_removed(query)) - self.generic - _FILLERS
        # "vi", "tel": short words no entry uses are fillers and verb forms, not a subject.
        return frozenset(t for t in own if t in self.known or len(t) > SHORT_UNKNOWN)

    def covers(self, said: Iterable[str], ids: Sequence[str]) -> float:
        """Share of the words `said` that the entries `ids` speak of (1.0 when there are none)."""
        said = frozenset(said)
        if not said:
            return 1.0
        spoken = frozenset().union(*(self._mentions[i] for i in ids if i in self._mentions))
        return len(said & spoken) / len(said)

    def closeness(self, eid: str, ids: Sequence[str]) -> float:
        """How much of its subject an entry shares with the entries `ids` (their topics in
        common over all of them): the seal's documents are closer to the seal's cost than the
        bank credit's are."""
        mine = self._topics.get(eid, frozenset())
        theirs = frozenset().union(*(self._topics.get(i, frozenset()) for i in ids))
        if not mine or not theirs:
            return 0.0
        return len(mine & theirs) / len(mine | theirs)

    def same_subject(self, eid: str, ids: Sequence[str]) -> bool:
        """Whether entry `eid` is on the subject of the entries `ids`: one of them, sharing
        enough of their topics, or about a name their answer spoke of ("¿y cómo entro?" after a
        list of courses that names SaberesMX: the entry on SaberesMX)."""
        if eid in ids or self.closeness(eid, ids) >= SAME_SUBJECT:
            return True
        entry = self.entries.get(eid)
        given = [self.entries[i] for i in ids if i in self.entries]
        if entry is None or not given:
            return False
        theirs = frozenset().union(*(self._topics[e.id] for e in given))
        # Names are the capitalised topics ("SaberesMX", "Crece tu Mipyme"), not "capacitación".
        names = {fold(t) for t in entry.topics if t[:1].isupper()} - theirs
        said = fold(" ".join(e.answer for e in given))
        return any(re.search(rf"\b{re.escape(n)}\b", said) for n in names)

    def on_subject(self, ids: Sequence[str]) -> list[str]:
        """The entries `ids` and those on their subject, the closest first."""
        near = [i for i in self.related(ids) if i not in ids and self.same_subject(i, ids)]
        return [*ids, *sorted(near, key=lambda i: -self.closeness(i, ids))]

    def stating(self, query: str, ids: Sequence[str]) -> tuple[FaqEntry, list[str]] | None:
        """The sentences of the entries `ids` (else of the closest on their subject) that state
        what a follow-up asks of the topic ("Tú no les pagas…" for "¿y eso cuesta?"), with their
        entry; None when none does. No list of papers: how you apply, which is what is asked of
        you ("Registra tu negocio como centro de trabajo en …gob.mx")."""
        asked = aspects_asked(query)
        found = self._stating(query, asked, ids) if asked else None
        if found is None and "requirements" in asked:
            found = self._stating(query, frozenset({"place"}), ids)
        return found

    def _stating(
        self, query: str, asked: frozenset[str], ids: Sequence[str]
    ) -> tuple[FaqEntry, list[str]] | None:
        own = self.tokens(beside_aspects(query, asked)) - self.generic
        best: tuple[int, FaqEntry, list[str]] | None = None
        for eid in self.on_subject(ids):
            entry = self.entries.get(eid)
            if entry is None:
                continue
            # Who handles it, without the words of the topic itself ("Secretaría de Economía:
            # Hecho en México" -> the Secretaría, not every sentence that says "México").
            issuer = set(keyword_tokens(entry.refer_to.name)) if entry.refer_to else set()
            issuer = (issuer - set(keyword_tokens(" ".join(entry.topics)))) or issuer
            parts = sentences(entry.answer)
            said = [x for x in parts if any(states(x, a, issuer) for a in asked)]
            if not said:
                continue
            # The sentence that also holds the other words asked ("¿cuándo abren el registro?":
            # the one on registering); the answer just given first when it is as good.
            hits = [len(own & self.tokens(x)) for x in said]
            top = max(hits)
            if best is None or top > best[0]:
                best = (top, entry, [x for x, h in zip(said, hits, strict=True) if h == top][:2])
        return (best[1], best[2]) if best else None

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every stem the entries' questions, paraphrases and answers use."""
        return self._said

    def speaks_of(self, eid: str, ref: Referral) -> bool:
        """Whether entry `eid` speaks of the subject of institution or company `ref`."""
        return ref.name in self._institutions.get(eid, frozenset())

    def centred_on(self, eid: str, ref: Referral) -> bool:
        """Whether entry `eid` is about institution `ref` (its question or paraphrases name it),
        not just mentions it."""
        return ref.name in self._centred.get(eid, frozenset())

    def holds_fact(self, eid: str, question: str, named: Referral | None = None) -> bool:
        """Whether entry `eid` can answer `question` as a question of fact: it speaks of the
        institution or company `named`, of what things cost when a cost is asked, and of the
        very charge the question names ("¿cuánto cobra Mercado Libre de comisión?": an entry
        on its AI tools that never says "comisión" doesn't hold it)."""
        if named is not None and not self.speaks_of(eid, named):
            return False
        # A price asked with another thing ("¿cuánto dura y es gratis?"): an entry on the other
        # answers its part, and a second entry the price.
        other = facets(question) & self._facets.get(eid, frozenset()) - {"cost"}
        if _PRICE.search(owner_words(question)) and not (self._costs.get(eid) or other):
            return False
        said = self._mentions.get(eid, frozenset())
        if not self.tokens(question) & _CHARGES <= said:
            return False
        if _CHARGED.search(owner_words(question)) and not _CHARGE_WORDS & said:
            return False  # "¿cuánto cobra?" asks a fee: "su costo depende" is no fee
        if named is not None and _CHARGED.search(owner_words(question)):
            # One company among many ("¿cuánto cobra BBVA?"): only a figure said with its name
            # answers; an entry that lists it among a program's partners doesn't.
            company = company_of(named)
            if company and not any(
                company in s and _FIGURE.search(s) for s in self._clauses.get(eid, ())
            ):
                return False
        # An exam or product code asked ("¿y el az-104?") that the entry never says.
        text = self._text.get(eid, "")
        return all(code in text for code in codes_in(question))

    def about_other_exam(self, eid: str, exams: Iterable[str]) -> bool:
        """Whether entry `eid` is about an exam and names none of `exams` (those asked)."""
        return bool(self._exam_of.get(eid)) and not set(exams) & self._exams_said.get(eid, set())

    def asked_with(self, eid: str) -> frozenset[str]:
        """Every word of entry `eid`'s question and paraphrases."""
        return self._asked_with.get(eid, frozenset())

    def facets_of(self, eid: str) -> frozenset[str]:
        return self._facets.get(eid, frozenset())

    def claims_of(self, eid: str) -> frozenset[str]:
        """The facets the entry's question or any of its paraphrases ask."""
        return self._claims.get(eid, frozenset())

    def redundant(self, first: str, second: str) -> bool:
        """Whether `second`'s answer says nearly what `first`'s does ("¿hay cursos gratis?" and
        "¿vienen en español?" both list the same Spanish courses)."""
        a, b = self._answer_tokens.get(first), self._answer_tokens.get(second)
        if not a or not b:
            return False
        return len(a & b) / min(len(a), len(b)) >= REDUNDANT

    def case_beside(self, message: str, query: str, first: str) -> list[str]:
        """The owner's own case, told beside the question ("la piel la traigo de Italia, ¿puedo
        poner Hecho en México?"): the words of the rest of the message that few entries are
        asked with (at most `RARE_DF`) and that one entry on the subject of `first` (the entry
        closest to the question) is asked with: they steer the match to that entry. A word two
        entries on the subject share ("multar": the data law's fines and the AI's) steers none."""
        rest = self.tokens(message) - self.tokens(query) - self.generic
        near = self.related([first])
        return sorted(
            t
            for t in rest
            if self._df.get(t, 0) <= RARE_DF and sum(t in self._asked_with[i] for i in near) == 1
        )

    def related(self, ids: Sequence[str]) -> list[str]:
        """Entries on the same subject as `ids` (a shared topic), the entries themselves first."""
        topics = {t for i in ids if i in self.entries for t in self.entries[i].topics[:1]}
        out = [i for i in ids if i in self.entries]
        out += [eid for eid, e in self.entries.items() if eid not in out and topics & set(e.topics)]
        return out

    def subject_tokens(self, ids: Sequence[str]) -> list[str]:
        """The words of what the last answer was about ("Hecho en México")."""
        topics = [
            self.entries[i].topics[0] for i in ids if i in self.entries and self.entries[i].topics
        ]
        return keyword_tokens(" ".join(topics[:1]))

    def weighed(self, tokens: Iterable[str]) -> float:
        """How much `tokens` say, by the rarity of each among the entries."""
        return sum(self.weight(t) for t in tokens)

    def weight(self, token: str) -> float:
        if token in _QUESTION_WORDS:
            return QUESTION_WORD_WEIGHT
        if token not in self._idf and len(token) <= SHORT_UNKNOWN:
            return 1.0  # "vi", "tel": fillers and verb forms, not a subject we lack
        return self._idf.get(token, self._unknown)

    def lexical(self, query: Iterable[str], eid: str, asks_what: bool = True) -> float:
        """IDF-weighted overlap between the query and the entry's closest phrase: Dice, or how much
        of the phrase the message contains (a long message that includes the whole question).
        `asks_what`: whether the message asks what something is ("¿qué es…?")."""
        q = frozenset(query) - _GENERIC
        if not q:
            return 0.0
        return self._lexical_of(_query(self, q), eid, asks_what)

    def _lexical_of(self, query: _Query, eid: str, asks_what: bool) -> float:
        """`lexical` for a query whose weights are worked out (once for all the entries)."""
        q, wq = query.tokens, query.weight
        best = 0.0
        for phrase in self._lexical.get(eid, []):
            shared = q & phrase.tokens
            if not shared or shared <= _QUESTION_WORDS:
                continue  # "¿cómo le hago?" alone matches nothing
            common = sum(self.weight(t) for t in shared)
            best = max(best, 2 * common / (wq + phrase.weight))
            # Containment only for a substantial phrase: "cuánto cuesta" is in every
            # other question.
            content = shared - _QUESTION_WORDS
            whole = content == phrase.content
            if len(content) >= 3 or (whole and len(content) >= 2):
                inside = sum(self.weight(t) for t in content)
                contained = inside / phrase.content_weight
                if len(content) <= 3 and phrase.what and not asks_what:
                    # "¿Qué es el Plan México?" without its "qué es" is a name: a message
                    # that names it in passing and asks something else ("¿pa exportar hay
                    # apoyo del plan méxico?") holds the question only as much as the name
                    # is all it says.
                    contained *= min(1.0, inside / (NAME_SHARE * query.content_weight))
                best = max(best, CONTAINED * contained)
        return best

    def rank(
        self,
        query: str,
        dense: Mapping[str, float],
        *,
        state: str | None = None,
        named_states: Iterable[str] = (),
        sector: str | None = None,
        within: Iterable[str] | None = None,
        extra_tokens: Iterable[str] = (),
        context: Iterable[str] = (),
        in_answer: float = 0.0,
        stay: Iterable[str] = (),
        near: float = 0.0,
        exams: Iterable[str] = (),
    ) -> list[CuratedMatch]:
        """Entries by combined score, best first.

        `dense`: entry id -> dense similarity of the query to the entry's indexed text.
        `named_states`: states the message itself names; they win over the profile's `state`.
        `within`: restrict to these ids (a follow-up stays on the topic just discussed).
        `context`: the user's earlier messages; an entry about a name said there ("RESICO")
        is not penalised for the question not repeating it.
        `in_answer`: weight of the share of the question's words found in an entry's answer
        (follow-ups: "¿tiene sede en Tijuana?" is answered inside the text just given).
        `stay`: the entries just given, which a follow-up keeps unless another answers better.
        `near`: weight of how much of its subject an entry shares with `stay` (a follow-up
        that asks only for an aspect of the topic: its closest entry on that aspect).
        `exams`: exams the message names beside the query ("el AI practitioner, ¿viene en
        español?"); an entry about other exams only is left out.
        """
        said_before = match_tokens(" ".join(context)) & _ENTITIES
        own_tokens = self.tokens(query)
        tokens = set(own_tokens) | set(extra_tokens)
        asked = facets(query)
        own = own_tokens - _GENERIC - _QUESTION_WORDS - _FILLERS
        # A name the message asks about ("¿dan DC-3?"): entries that never mention it are
        # about something else.
        asked_names = own_tokens & _ENTITIES
        # Only in a question: "somos 20" in a description is no number asked about.
        asked_numbers = {t for t in own if t.isdigit()} if "?" in query else set()
        staying = set(stay)
        how_much = bool(_HOW_MUCH.search(owner_words(query))) and "cost" not in asked
        recommend = bool(_RECOMMEND.search(owner_words(query))) and "what" not in asked
        institution = institution_for(query)
        named = set(named_states)
        # The state the message names is where it asks about: an entry whose answer speaks of it
        # ("¿ya llegó a Campeche lo de Visa?", its answer lists the states) has what is asked.
        # "¿Hay créditos en el Edomex?" asks what "¿hay crédito estatal en mi estado?" asks: the
        # state level, for the entries asked about it (elsewhere the word would only dilute).
        state_level = _STATE_LEVEL if named else frozenset()
        ids = list(within) if within is not None else list(self.entries)
        exams = exams_in(query) | frozenset(exams)
        if exams:
            # "¿Cuánto cuesta el AI Practitioner?": no entry about another exam answers it.
            ids = [i for i in ids if not self.about_other_exam(i, exams)]
        # The message's weights, once per state level added (none, or "estatal").
        weighed: dict[frozenset[str], _Query | None] = {}
        out = []
        for eid in ids:
            e = self.entries.get(eid)
            if e is None:
                continue
            # A place the answer speaks of but no phrase names is matched by that answer.
            level = state_level & self._asked_with[eid]
            if level not in weighed:
                said = frozenset(tokens | level) - _GENERIC
                weighed[level] = _query(self, said) if said else None
            asking = weighed[level]
            lex = self._lexical_of(asking, eid, "what" in asked) if asking else 0.0
            d = dense.get(eid)
            score = LEXICAL_WEIGHT * lex + (1 - LEXICAL_WEIGHT) * _dense01(d)
            score += _place_bonus(e, state, named) + _sector_bonus(e, sector)
            if in_answer and own:
                score += in_answer * len(own & self._answer_tokens[eid]) / len(own)
            if recommend and self._facets[eid] == {"what"}:
                # "¿Qué curso de IA generativa me recomiendas?" asks for one, not what it is.
                score -= WHAT_MISMATCH
            if asked and self._facets[eid]:
                if asked & self._facets[eid]:
                    score += FACET_MATCH
                elif not asked & self._claims[eid]:
                    # A description often holds the detail asked, but not whether you qualify.
                    light = self._facets[eid] == {"what"} and "who" not in asked
                    score -= WHAT_MISMATCH if light else FACET_MISMATCH
            names = self._entities[eid]
            if names and not names & tokens:
                score += ENTITY_IN_CONTEXT if names & said_before else -ENTITY_MISSING
            elif asked_names and not asked_names & self._mentions[eid]:
                score -= ENTITY_MISSING
            if eid in staying and own & self._answer_tokens[eid]:
                score += STAY
            if near and staying:
                score += near * self.closeness(eid, list(staying))
            if exams & self._exam_of[eid]:
                score += EXAM_MATCH  # the entry about the very exam asked, over a general one
            if asked_numbers and not asked_numbers & self._mentions[eid]:
                score -= NUMBER_MISSING
            if how_much and not self._numbers[eid]:
                score -= NO_NUMBER
            if institution is not None and institution.name not in self._institutions[eid]:
                score -= ENTITY_MISSING
            covered = len(own & self._mentions[eid]) / len(own) if own else 1.0
            out.append(CuratedMatch(e, round(score, 4), round(lex, 4), d or 0.0, covered))
        out.sort(key=lambda m: -m.score)
        return out


def _undiminished(word: str) -> list[str]:
    """ "circulito" -> circulo, "horitas" -> horas, "cafecito" -> cafe: the word a diminutive
    shrinks, as candidates."""
    m = re.fullmatch(r"(\w+?)(c?)it([oa])(s?)", word)
    if not m:
        return []
    stem, c, vowel, plural = m.groups()
    return [f"{stem}{vowel}{plural}", f"{stem}{c}{vowel}{plural}", f"{stem}{plural}", stem]


def _distance(a: str, b: str) -> int:
    """Edit distance with transpositions (optimal string alignment)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _place_bonus(e: FaqEntry, state: str | None, named: set[str]) -> float:
    """Entries for a state: the state the message names first, else the user's own."""
    if not e.states:
        return 0.0
    if named:
        return 0.12 if named & set(e.states) else -0.3
    if state:
        return 0.12 if state in e.states else -0.2
    return -0.05


def _sector_bonus(e: FaqEntry, sector: str | None) -> float:
    if not e.sectors:
        return 0.0
    return 0.06 if sector in e.sectors else -0.15


# ---- who handles what we can't answer -----------------------------------------------------
# The refusal points there, not always to Economía; and a question for one institution (a
# trademark for the IMPI, fees for the IMSS) is not answered by an entry about another's subject.
# These rules live here, not in a module of their own, because matching reads them every turn.


@dataclass(frozen=True)
class Referral:
    name: str
    url: str


ECONOMIA = Referral("la Secretaría de Economía", "https://www.gob.mx/se")
AWS_EXAMS = Referral(
    "la página oficial de certificación de AWS (AWS Training and Certification)",
    "https://aws.amazon.com/certification/",
)

MICROSOFT_LEARN = Referral("Microsoft Learn", "https://learn.microsoft.com/credentials/")
# A business's premises are licensed by the municipality (alcohol, operating licence, land use,
# civil protection): no federal office has those fees or steps.
MUNICIPALITY = Referral(
    "el ayuntamiento de tu municipio (su ventanilla de licencias o de apertura de negocios)", ""
)


# Companies among many, named in the referral as the owner wrote them ("¿qué tasa me da
# Banorte?" -> "Banorte directamente"); the placeholder is their name.
BANK = Referral("{} directamente: cada banco o financiera fija sus tasas y requisitos", "")
CARD_TERMINAL = Referral("{} en su página de tarifas: cada terminal cobra distinto", "")
# Delivery, ride, lodging and selling platforms: only they publish (and change) their cuts.
PLATFORM = Referral("{} directamente (su centro de ayuda o su página de tarifas)", "")
# Another vendor's software or exam ("la licencia de AutoCAD", "el examen CCNA"): the vendor.
SOFTWARE = Referral("{}, en su página oficial de precios", "")
VENDOR_EXAM = Referral("{}, en la página oficial de sus certificaciones", "")
_COMPANIES = (BANK, CARD_TERMINAL, PLATFORM, SOFTWARE, VENDOR_EXAM)
_SPELLED = {
    "bbva": "BBVA",
    "hsbc": "HSBC",
    "banbajio": "BanBajío",
    "bancoppel": "BanCoppel",
    "didi": "DiDi",
    "didi food": "DiDi Food",
    "booking": "Booking.com",
    "tiktok": "TikTok",
    "tiktok shop": "TikTok Shop",
    "inmuebles24": "Inmuebles24",
    "airbnb": "Airbnb",
    "konfio": "Konfío",
    "paypal": "PayPal",
    "totalplay": "Totalplay",
    "autocad": "Autodesk",
    "revit": "Autodesk",
    "ccna": "Cisco",
    "photoshop": "Adobe",
    "lightroom": "Adobe",
    "illustrator": "Adobe",
    "premiere": "Adobe",
    "comptia": "CompTIA",
    "sap": "SAP",
    "hubspot": "HubSpot",
}
# Offices of the state government (driving licences, plates, civil records): named with the
# state when it is known ("el Gobierno del Estado de Hidalgo").
STATE_VEHICLES = Referral(
    "la Secretaría de Movilidad (o de Finanzas) del gobierno del estado, que expide licencias"
    " de manejo y placas",
    "",
)
CIVIL_REGISTRY = Referral("el Registro Civil de tu estado", "")
STATE_FINANCE = Referral(
    "la Secretaría de Finanzas (o de Hacienda) del gobierno del estado, que cobra ese impuesto",
    "",
)
# Civil protection inspects the premises (exits, extinguishers, the internal program): the
# municipality's unit, or the state's.
CIVIL_PROTECTION = Referral(
    "la Unidad Municipal de Protección Civil de tu ayuntamiento (o la Coordinación Estatal de"
    " Protección Civil)",
    "",
)
# Permits to move, bury or cremate a body: the state's health office; the death certificate,
# the Registro Civil.
HEALTH_REMAINS = Referral(
    "la Secretaría de Salud de tu estado (su área de regulación sanitaria), que da el permiso"
    " para trasladar, inhumar o cremar; el acta de defunción la expide el Registro Civil",
    "",
)
STATE_ECONOMY = Referral(
    "la Secretaría de Desarrollo Económico (o de Economía) del gobierno del estado", ""
)


def municipality(city: str | None) -> Referral:
    """The municipality's referral, by name when the city is known."""
    if not city:
        return MUNICIPALITY
    return Referral(
        f"el Ayuntamiento de {city} (su ventanilla municipal de licencias o de apertura de negocios)",
        "",
    )


def civil_protection(city: str | None) -> Referral:
    """The civil protection unit's referral, with the town hall's name when the city is known."""
    if not city:
        return CIVIL_PROTECTION
    return Referral(
        f"la Unidad Municipal de Protección Civil del Ayuntamiento de {city} (o la Coordinación"
        " Estatal de Protección Civil)",
        "",
    )


def state_government(state: str) -> str:
    """ "Gobierno del Estado de Hidalgo"; the capital and the Estado de México by their names."""
    if state == "Ciudad de México":
        return "Gobierno de la Ciudad de México"
    if state == "Estado de México":
        return "Gobierno del Estado de México"
    return f"Gobierno del Estado de {state}"


def for_state(ref: Referral, state: str | None) -> Referral:
    """A state office's referral, with the state's name when it is known."""
    if not state:
        return ref
    gov = state_government(state)
    if ref is STATE_VEHICLES:
        name = f"la Secretaría de Movilidad (o de Finanzas) del {gov}"
        return Referral(name + ", que expide licencias de manejo y placas", ref.url)
    if ref is CIVIL_REGISTRY:
        # "de Hidalgo", but "del Estado de México" and "de la Ciudad de México"
        named = state in ("Estado de México", "Ciudad de México")
        where = state_government(state).removeprefix("Gobierno ") if named else f"de {state}"
        return Referral(f"el Registro Civil {where}", ref.url)
    if ref is STATE_FINANCE:
        name = f"la Secretaría de Finanzas (o de Hacienda) del {gov}, que cobra ese impuesto"
        return Referral(name, ref.url)
    if ref is STATE_ECONOMY:
        name = f"la Secretaría de Desarrollo Económico (o de Economía) del {gov}"
        return Referral(name, ref.url)
    if ref is HEALTH_REMAINS:
        name = f"la Secretaría de Salud del {gov} (su área de regulación sanitaria)"
        rest = ref.name.split(")", 1)[1]
        return Referral(name + rest, ref.url)
    return ref


# Folded keyword pattern -> institution; the first that matches the question wins, so the
# specific ones (a trademark, a sanitary permit) come before the broad ones (taxes, credit).
# The companies whose fees only they publish (a marketplace, a card terminal, a bank) come
# first: "¿qué tasa me da Banorte pa un crédito?" is for Banorte, not for Nafin.
# Owner words -> who handles it -> its site. A pattern here also keeps an entry on another
# subject from answering a fact of this one, so it names the subject, not a loose word.
_RULES: tuple[tuple[re.Pattern[str], Referral], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (
            r"\b(mercado ?libre|meli)\b",
            Referral(
                "Mercado Libre (sus tarifas para vendedores)", "https://www.mercadolibre.com.mx/"
            ),
        ),
        (
            r"\b(clip|mercado ?pago|spin|getnet|global payments|zettle|sumup|billpocket|netpay"
            r"|paypal|stripe|conekta)\b",
            CARD_TERMINAL,
        ),
        (
            r"\b(bbva|banorte|santander|banamex|citibanamex|hsbc|scotiabank|banco azteca"
            r"|bancoppel|banregio|inbursa|banbajio|afirme|konfio|credijusto|covalto|kapital"
            r"|stori|klar|compartamos|bancomer|banco del bienestar)\b",
            BANK,
        ),
        (
            r"\b(uber(?: eats)?|didi(?: food)?|rappi|booking|airbnb|tiktok(?: shop)?|shopify"
            r"|inmuebles24|vivanuncios|telmex|telcel|totalplay|izzi|megacable|bait)\b",
            PLATFORM,
        ),
        # "¿Qué me pide Protección Civil pal salón?": its own office, named (before the town
        # hall's licences, which a "permiso de protección civil" also reads as).
        (r"\bproteccion civil\b|\bprograma interno\b", CIVIL_PROTECTION),
        (
            r"\blicencias?\b(\W+\w+){0,4}?\W+(funcionamiento|alcohol\w*|cerveza\w*|vinos?"
            r"|licor\w*|bebidas|giro|municipal\w*|construccion)\b|\buso de suelo\b"
            r"|\b(ayuntamiento|presidencia municipal)\b|\bpredial\b"
            r"|\bpermisos?\b(\W+\w+){0,3}?\W+(municipal\w*|municipio)\b|\bvia publica\b"
            r"|\banuncios? (luminos|espectacular)|\bpuestos? (ambulante|semifijo|en la feria)"
            r"|\btarjetas? (de salud|sanitaria)\b|\bbomberos\b",
            MUNICIPALITY,
        ),
        # The federal driver's licence and federal trucking permits are the SICT's, not the
        # state's.
        (
            r"\blicencias? federal\w*|\b(sct|sict)\b|\bautotransporte federal\b",
            Referral(
                "la SICT (Secretaría de Infraestructura, Comunicaciones y Transportes)",
                "https://www.gob.mx/sict",
            ),
        ),
        (
            r"\blicencias? (de |para |pa )?(manejo|manejar|conducir|chofer|motociclista"
            r"|automovilista)\b|\bplacas\b(\W+\w+){0,3}?\W+(carros?|autos?|coches?|motos?"
            r"|camionetas?|vehicul\w*|particular|taxis?|camion\w*|remolques?)\b|\bemplacar\b"
            r"|\bcontrol vehicular\b"
            r"|\btarjeta de circulacion\b|\bverificacion vehicular\b|\bsecretaria de movilidad\b",
            STATE_VEHICLES,
        ),
        # Private security firms are licensed by the state's security office, or by the
        # federal one (SSPC) when they work in more than one state.
        (
            r"\b(ssc|sspc|seguridad ciudadana)\b|\b(permisos?|registros?|autorizacion\w*"
            r"|licencias?)\b(\W+\w+){0,6}?\W+seguridad privada\b",
            Referral(
                "la Secretaría de Seguridad Ciudadana (o de Seguridad Pública) de tu estado, o la"
                " SSPC federal si das servicio en varios estados",
                "https://www.gob.mx/sspc",
            ),
        ),
        (
            r"\bregistro civil\b|\bactas? (de )?(nacimiento|matrimonio|defuncion|divorcio)\b",
            CIVIL_REGISTRY,
        ),
        # Moving, burying or cremating a body ("el permiso pa trasladar a un difunto a otro
        # estado"): the state's health office; a funeral home's other words ("avisar a las
        # familias de los difuntos") ask for no permit.
        (
            r"\b(traslad\w*|permisos?|licencias?|inhum\w*|exhum\w*|cremar|cremacion"
            r"|embalsam\w*|sepult\w*)\b(\W+\w+){0,4}?\W+(difunt\w*|cadaver\w*|finad\w*"
            r"|restos (humanos|mortales))\b|\b(traslad\w*|inhum\w*|exhum\w*|cremar|cremacion"
            r"|embalsam\w*|sepult\w*)\b(\W+\w+){0,3}?\W+cuerpos?\b"
            r"|\brestos (humanos|mortales)\b|\bcadaver\w*",
            HEALTH_REMAINS,
        ),
        (
            r"\b(secretaria del? bienestar|sembrando vida|creditos? a la palabra"
            r"|mujeres emprendedoras|tandas? (para el|del) bienestar)\b",
            Referral("la Secretaría de Bienestar", "https://www.gob.mx/bienestar"),
        ),
        # Program names of years past (the Fondo Nacional Emprendedor and the INADEM that ran
        # it): Economía says what replaced them.
        (r"\b(fondo (nacional )?emprendedor|inadem)\b", ECONOMIA),
        # Microsoft's exam codes ("az-900", "pl-300") say whose exam it is without the word.
        (r"\b(az|ai|pl|dp|sc|ms|md|mb)-?\d{3}\b", MICROSOFT_LEARN),
        (
            r"\b(marcas?|patentes?|impi|propiedad industrial|denominaci\w+ de origen"
            r"|trademarks?|brand names?|my brand)\b"
            r"|\bregistr\w*\b(\W+\w+){0,2}?\W+(logo|logotipo)\b",
            Referral(
                "el IMPI (Instituto Mexicano de la Propiedad Industrial)", "https://www.gob.mx/impi"
            ),
        ),
        (
            r"\b(profeco|procuraduria (federal )?del consumidor|contratos? de adhesion)\b",
            Referral(
                "la Profeco (Procuraduría Federal del Consumidor)", "https://www.gob.mx/profeco"
            ),
        ),
        # Farm and food-safety health (plants, animals, honey, export certificates) is the
        # SENASICA's, before the COFEPRIS's sanitary permits and Bancomext's exports.
        # Selling food to the United States: its FDA registers the facility.
        (
            r"\b(fda|food and drug)\b",
            Referral(
                "la FDA (Food and Drug Administration) de Estados Unidos", "https://www.fda.gov"
            ),
        ),
        (
            r"\b(conapesca|permisos? de pesca|concesion\w* de pesca|pesca comercial|acuacultura)\b",
            Referral(
                "la Conapesca (Comisión Nacional de Acuacultura y Pesca)",
                "https://www.gob.mx/conapesca",
            ),
        ),
        (
            r"\b(senasica|fitosanitari\w*|zoosanitari\w*|sanidad (animal|vegetal)|inocuidad"
            r"|tif)\b",
            Referral(
                "el SENASICA (Servicio Nacional de Sanidad, Inocuidad y Calidad Agroalimentaria)",
                "https://www.gob.mx/senasica",
            ),
        ),
        (
            r"\bsiniiga\b|\baret(es?|ar|eo)\b(\W+\w+){0,4}?\W+(ganado|becerr\w*|vacas?|reses"
            r"|bovin\w*|borreg\w*|chivos?|cabras?|cerdos?)\b|\bguias? de transito\b|\bupp\b",
            Referral(
                "tu asociación ganadera local, que tramita los aretes del SINIIGA de la SADER",
                "https://www.gob.mx/agricultura",
            ),
        ),
        (
            r"\b(cofepris|registro sanitario|permiso sanitario|sanitari|salubridad"
            r"|aviso de funcionamiento|licencia sanitaria)",
            Referral(
                "la COFEPRIS (Comisión Federal para la Protección contra Riesgos Sanitarios)",
                "https://www.gob.mx/cofepris",
            ),
        ),
        (r"\binfonavit\b", Referral("el Infonavit", "https://www.infonavit.org.mx")),
        (
            r"\b(fonacot|infonacot)\b",
            Referral("el Instituto Fonacot", "https://www.fonacot.gob.mx"),
        ),
        # What an employer owes by law (aguinaldo, vacations, severance): the Profedet advises
        # for free, before the IMSS's fees ("el aguinaldo y el imss").
        (
            r"\b(aguinaldo|finiquito|prima vacacional|profedet|ley federal del trabajo"
            r"|reparto de utilidades|ptu|indemnizacion|despid\w*|despedir|vacaciones de ley)\b"
            r"|\bdias de vacaciones\b(\W+\w+){0,3}?\W+derecho\b",
            Referral(
                "la Profedet (Procuraduría Federal de la Defensa del Trabajo, de la STPS), que"
                " asesora gratis",
                "https://www.gob.mx/profedet",
            ),
        ),
        # The official validity of a private school's studies (RVOE) is the SEP's or the
        # state's education office.
        (
            r"\b(rvoe|validez oficial|reconocimiento de validez|incorporad\w* a la sep"
            r"|cedula profesional)\b",
            Referral(
                "la SEP o la Secretaría de Educación de tu estado, que otorgan el RVOE (validez"
                " oficial de estudios)",
                "https://www.gob.mx/sep",
            ),
        ),
        (
            r"\b(imss|seguro social|cuotas? obrero|registro patronal|alta patronal)",
            Referral("el IMSS", "https://www.imss.gob.mx"),
        ),
        (
            r"\b(jovenes construyendo|jcf|aprendic|becari)",
            Referral(
                "Jóvenes Construyendo el Futuro (STPS)",
                "https://jovenesconstruyendoelfuturo.stps.gob.mx",
            ),
        ),
        (
            r"\b(dc-?3|stps|capacitador|repse)",
            Referral(
                "la Secretaría del Trabajo y Previsión Social (STPS)", "https://www.gob.mx/stps"
            ),
        ),
        (
            r"\b(examen|certificacion|certificarme|repruebo|reprobar|pearson|ccna|comptia)",
            AWS_EXAMS,
        ),
        (
            r"\b(autodesk|autocad|revit|adobe|photoshop|lightroom|illustrator|premiere|oracle"
            r"|salesforce|hubspot)\b",
            SOFTWARE,
        ),
        (
            r"\b(notari[ao]s?|notarial\w*|escritur\w*|poder notarial)\b",
            Referral(
                "una notaría pública (el Colegio de Notarios de tu estado publica sus datos)", ""
            ),
        ),
        (
            r"\b(aduanas?|aduanal|anam|pedimentos?|aranceles?|importar|importo|importamos"
            r"|importacion\w*)\b",
            Referral(
                "la ANAM (Agencia Nacional de Aduanas de México) o un agente aduanal",
                "https://www.anam.gob.mx",
            ),
        ),
        (
            r"\b(conagua|comision nacional del agua|aguas nacionales|pozos?|derechos de agua"
            r"|concesion de agua)\b",
            Referral("la Conagua (Comisión Nacional del Agua)", "https://www.gob.mx/conagua"),
        ),
        (
            r"\b(sectur|secretaria de turismo|registro nacional de turismo|rnt)\b",
            Referral("la Secretaría de Turismo (Sectur)", "https://www.gob.mx/sectur"),
        ),
        # Payroll and lodging taxes are the state's, not the SAT's.
        (
            r"\bimpuestos? (sobre|a|al|de) (la |las )?(nomina|remuneraciones|hospedaje)\b"
            r"|\bisn\b",
            STATE_FINANCE,
        ),
        (
            r"\b(semarnat|profepa|manifestacion de impacto ambiental|impacto ambiental"
            r"|licencia ambiental)\b",
            Referral(
                "la Semarnat (Secretaría de Medio Ambiente y Recursos Naturales)",
                "https://www.gob.mx/semarnat",
            ),
        ),
        (
            r"\b(sat|isr|iva|cfdi|rfc|resico)\b|\b(impuesto|factura|deduc|declaracion|fiscal"
            r"|recargo)",
            Referral("el SAT", "https://www.sat.gob.mx"),
        ),
        (r"\b(bancomext|exporta)", Referral("Bancomext", "https://www.bancomext.com")),
        # Programs for farms and ranches are not in knowledge/: whoever runs them.
        (
            r"\b(apoyos?|programas?|subsidios?)\b(\W+\w+){0,5}\W+"
            r"(campo|agricol\w*|agropecuari\w*|ganader\w*|ganado|pal campo)\b",
            Referral(
                "la Secretaría de Agricultura y Desarrollo Rural (SADER)",
                "https://www.gob.mx/agricultura",
            ),
        ),
        (
            r"\b(credito|prestamo|financiamiento|nafin|banco|tasa de interes|garantia)",
            Referral("Nafin o tu banco", "https://www.nafin.com"),
        ),
        (
            r"\b(datos personales|privacidad|inai)",
            Referral(
                "la Secretaría Anticorrupción y Buen Gobierno", "https://www.gob.mx/buengobierno"
            ),
        ),
        # The electricity bill is the CFE's, not its internet company's.
        (
            r"\b(recibo|tarifa|cobro|pago|consumo|medidor) de (la )?luz\b|\bkilowatt\w*|\bkwh\b"
            r"|\belectricidad\b|\benergia electrica\b|\bcfe\b(\W+\w+){0,6}?\W+(luz|tarifa)\b",
            Referral("la CFE (Comisión Federal de Electricidad)", "https://www.cfe.mx"),
        ),
        (
            r"\b(internet|cfe|chip|señal|senal)",
            Referral("CFE Telecomunicaciones e Internet para Todos", "https://www.cfe.mx/internet"),
        ),
        (r"\b(saberes|microcredencial)", Referral("SaberesMX (SEP)", "https://saberes.gob.mx/")),
    )
)
_NON_AWS_EXAM = (
    (re.compile(r"\b(microsoft|azure|ai-?90)"), MICROSOFT_LEARN),
    (
        re.compile(r"\b(google|gemini)"),
        Referral("Google Cloud", "https://cloud.google.com/learn/certification"),
    ),
    (
        re.compile(
            r"\b(autodesk|autocad|revit|adobe|cisco|ccna|oracle|comptia|salesforce|hubspot|sap"
            r"|apple|ibm)\b"
        ),
        VENDOR_EXAM,
    ),
)
# Programs of a state government, which knowledge/ doesn't list ("el gobierno de Chiapas da
# apoyo pa artesanas"): only the referral reads this, not the matching of entries.
_STATE_PROGRAM = re.compile(
    r"\bgobierno (del estado|estatal)\b|\b(apoyos?|programas?|convocatorias?|becas?)\b"
    r"(\W+\w+){0,4}?\W+(estatal\w*|del estado)\b|\bgobierno de (?!mexico\b)\w+"
)


def names_state_program(question: str) -> bool:
    """ "¿Cuándo abre la convocatoria del gobierno de Chiapas?": a state government's program."""
    return bool(_STATE_PROGRAM.search(fold(question)))


def institution_for(question: str) -> Referral | None:
    """The institution whose subject `question` names (the IMSS for its fees, the IMPI for a
    trademark), or None when it names none."""
    folded = fold(question)
    for rx, ref in _RULES:
        if m := rx.search(folded):
            if ref is AWS_EXAMS:
                for other_rx, other in _NON_AWS_EXAM:
                    if o := other_rx.search(folded):
                        return _named(other, o.group(0))
            return _named(ref, m.group(0))
    return None


def company_of(ref: Referral) -> str:
    """The company a one-of-many referral names, folded ("bbva"); "" for an institution."""
    for template in _COMPANIES:
        head, _, tail = template.name.partition("{}")
        if ref.name.startswith(head) and ref.name.endswith(tail) and ref.name != template.name:
            return fold(ref.name[len(head) : len(ref.name) - len(tail)]).replace("-", "")
    return ""


def _named(ref: Referral, said: str) -> Referral:
    """`ref` with the company's name as said, when it stands for one of many (a bank)."""
    if "{}" not in ref.name:
        return ref
    name = _SPELLED.get(said) or " ".join(w.capitalize() for w in said.split())
    return Referral(ref.name.format(name), ref.url)


def lenders_in(text: str) -> frozenset[str]:
    """The banks, lenders and card acquirers `text` names, folded ("bbva", "getnet")."""
    folded = fold(text)
    return frozenset(
        m.group(0)
        for rx, ref in _RULES
        if ref in (BANK, CARD_TERMINAL)
        for m in rx.finditer(folded)
    )


def institutions_in(text: str) -> frozenset[str]:
    """Every institution whose subject `text` speaks of (by name)."""
    folded = fold(text)
    found = {_named(ref, m.group(0)).name for rx, ref in _RULES for m in rx.finditer(folded)}
    if AWS_EXAMS.name in found:
        found |= {
            _named(other, o.group(0)).name
            for rx, other in _NON_AWS_EXAM
            if (o := rx.search(folded))
        }
    return frozenset(found)


def referral_for(question: str, fallback: Referral | None = None) -> Referral:
    """The institution that handles what `question` asks; `fallback` (the topic's) or Economía."""
    return institution_for(question) or fallback or ECONOMIA
