"""Words around a business word that say whose it is and what it is: the owner's own, a client's, a
place word's complement ("tienda de regalos"), an English owner's words."""

from __future__ import annotations

import re

from assistant.understanding import profile_data as data
from assistant.understanding.people import KIN, OTHERS
from assistant.understanding.places import is_place

# A person's trade said of them ("la dueña es doctora", "mi esposo es contador"): no cue that
# the business is that trade (it still is when nothing else names the business).
PERSON_IS = re.compile(rf"\b{OTHERS} (?:es|era)$")
# A clause where the owner says what their business is or does.
STATEMENT = re.compile(
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
NAMED_BARE = re.compile(
    r"^(?:(?:no|pues|bueno|mas bien|en realidad|sino)\s)?es (?!mas\b|muy\b|parte\b|hora\b|mejor\b|"
    r"dificil\b|facil\b|casi\b|como\b|lo\b|la\b|el\b|los\b|las\b|que\b|para\b)[a-zñ]{4,} de\b"
)
# Content left once the cue, numbers, places and time words are gone: worth matching by meaning.
CONTENT = re.compile(
    r"\b(?!(?:tengo|tenemos|somos|soy|una?|unos|unas|el|la|los|las|de|del|en|y|como|mas|menos|"
    r"horas?|horitas?|semana|dia|dias|años|anos|personas?|empleados?|gente|yo|mi|mis|que|es|"
    r"muy|poco|nada|solo|sola|aqui|ahi|pues|bueno|si|no|ya|tiempo|negocio|chamba)\b)[a-z]{4,}\b"
)


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


def serves_others(context: list[str]) -> bool:
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
_KIN_WORD = re.compile(KIN)


def owns(before: list[str]) -> bool:
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


def says_own(toks: list[str]) -> bool:
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


def qualifier_words(toks: list[str], end: int) -> str:
    """Content words after a generic business word and "de": "tienda de regalos", "taller de
    bicis" ("muebles rústicos" only describes them)."""
    return " ".join(complement_words(toks, end)[0])


def complement_words(toks: list[str], end: int) -> tuple[list[str], int]:
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


def counted(words: list[str]) -> bool:
    """Whether `words` open with a number ("12", "doce"; not "una", which may be an article)."""
    return bool(words) and (words[0][:1].isdigit() or words[0] in (*data.UNITS[1:], *data.TENS))


def place_head(word: str) -> str | None:
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


def from_english(tokens: list[str]) -> list[str]:
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
