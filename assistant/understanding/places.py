"""Mexican states and major cities, found in free Spanish text or from coordinates."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz.distance import Levenshtein

from assistant.understanding import profile_data as data
from assistant.understanding.text import K_FOR_QU, normalize, respell
from assistant.understanding.text import normalized_words as words

# Canonical name -> aliases. Abbreviations that are also everyday words (son, sin, ver, col,
# mor, camp, tab, nay, pue) are not here: they only count in addresses, see _ADDRESS_ABBR.
# "mexico" alone is deliberately absent: it usually means the country, not the state.
STATES: dict[str, str] = {
    "Aguascalientes": "aguascalientes|ags",
    "Baja California": "baja california|bc|baja california norte",
    "Baja California Sur": "baja california sur|bcs|baja sur",
    "Campeche": "campeche",
    "Chiapas": "chiapas|chis",
    "Chihuahua": "chihuahua|chih",
    "Ciudad de México": "ciudad de mexico|cdmx|cd de mexico|cd mx|cd mexico|df|distrito federal|mexico df|chilangolandia",
    "Coahuila": "coahuila|coahuila de zaragoza|coah",
    "Colima": "colima",
    "Durango": "durango|dgo",
    "Estado de México": "estado de mexico|edo de mexico|edo mex|edomex|edo mexico|estado mexico|edo de mex|estado de mex|mexiquense",
    "Guanajuato": "guanajuato|gto",
    "Guerrero": "guerrero|gro",
    "Hidalgo": "hidalgo|hgo",
    "Jalisco": "jalisco|jal",
    "Michoacán": "michoacan|michoacan de ocampo|mich",
    "Morelos": "morelos",
    "Nayarit": "nayarit",
    "Nuevo León": "nuevo leon|nl",
    "Oaxaca": "oaxaca|oax",
    "Puebla": "puebla",
    "Querétaro": "queretaro|qro",
    "Quintana Roo": "quintana roo|qroo|q roo",
    "San Luis Potosí": "san luis potosi|slp|potosi|san luis",
    "Sinaloa": "sinaloa",
    "Sonora": "sonora",
    "Tabasco": "tabasco",
    "Tamaulipas": "tamaulipas|tamps|tamp",
    "Tlaxcala": "tlaxcala|tlax",
    "Veracruz": "veracruz|veracruz de ignacio de la llave",
    "Yucatán": "yucatan|yuc",
    "Zacatecas": "zacatecas|zac",
}


class City(NamedTuple):
    name: str
    state: str
    lat: float
    lon: float
    aliases: tuple[str, ...]
    namesake: bool = False  # named like a bigger town elsewhere: that one wins the bare name
    wordlike: tuple[str, ...] = ()  # its names that are also everyday words or surnames


def _parse_cities() -> list[City]:
    cities = []
    for row in (data.CITY_ROWS + data.MORE_CITY_ROWS).split("\n"):
        if not row.strip():
            continue
        state, items = row.split(" = ")
        for item in items.split("; "):
            head, *marked = item.split(" +")
            name, lat, lon = head.rsplit(" ", 2)
            namesake = "^" in name[:2]
            name = name.lstrip("^!") if namesake or name.startswith("!") else name
            wordlike = [name] if "!" in head.split(" ")[0][:2] else []
            wordlike += [a[1:] for a in marked if a.startswith("!")]
            aliases = tuple(a.lstrip("!") for a in marked)
            cities.append(
                City(name, state, float(lat), float(lon), aliases, namesake, tuple(wordlike))
            )
    return sorted(cities, key=lambda c: c.namesake)  # stable: the bigger towns' names come first


CITIES = _parse_cities()


class Clause(NamedTuple):
    words: list[str]
    question: bool


def split_clauses(text: str) -> list[Clause]:
    """Normalized word lists per comma/sentence, flagging the ones inside a question."""
    t = respell(normalize(text))
    t = re.sub(r"\b([a-z])\.\s?(?=[a-z]\b)", r"\1", t)  # "n.l." -> "nl.", "d.f." -> "df."
    t = re.sub(r"\b([a-z]|edo|cd|gral|sta|sn)\.(?= [a-z])", r"\1", t)  # "edo. mex.", "q. roo"
    parts = re.split(r"([,.;:!?¿¡()\n])", t)
    clauses, in_question = [], False
    for i in range(0, len(parts), 2):
        sep_before = parts[i - 1] if i else ""
        sep_after = parts[i + 1] if i + 1 < len(parts) else ""
        if sep_before == "¿":
            in_question = True
        question = in_question or sep_after == "?"
        if sep_after == "?":
            in_question = False
        if tokens := words(parts[i]):
            clauses.append(Clause(tokens, question))
    return clauses


_SOUNDS_ALIKE = [set(g) for g in ("csz", "ckq", "bv", "yi", "gj", "jx", "sx", "nñ")]


def is_typo(typed: str, real: str) -> bool:
    """Whether `typed` looks like `real` typed with one slip (two in long words)."""
    # Slips are sound-alike letters, a silent h, swapped neighbours, or a missing or extra letter.
    # The last letter must stay: a changed ending is another word ("producto", "cocinar", "mezcla").
    if typed == real:
        return False
    if K_FOR_QU.sub("qu", typed) == real:  # "takeria", "kesos"
        return True
    # More letters apart than the slips allowed below: not a typo (most names of a bucket).
    if abs(len(typed) - len(real)) > (1 if len(typed) < 10 else 2):
        return False
    if any(
        typed[:k] + typed[k + 1] + typed[k] + typed[k + 2 :] == real for k in range(len(typed) - 2)
    ):
        return True
    ops = Levenshtein.editops(typed, real)
    if not 0 < len(ops) <= (1 if len(typed) < 10 else 2):
        return False
    for op in ops:
        if op.tag == "replace":
            ok = any({typed[op.src_pos], real[op.dest_pos]} <= group for group in _SOUNDS_ALIKE)
        elif op.tag == "delete":  # an extra letter in `typed`
            ok = typed[op.src_pos] == "h" or op.src_pos < len(typed) - 1
        else:  # a letter of `real` missing from `typed`
            ok = real[op.dest_pos] == "h" or op.dest_pos < len(real) - 1
        if not ok:
            return False
    return True


class Hit(NamedTuple):
    start: int
    end: int
    value: Any
    phrase: str
    fuzzy: bool


class PhraseIndex:
    """Longest-match lookup of normalized phrases in word tokens, tolerant to plurals and typos."""

    def __init__(
        self, entries: Iterable[tuple[str, Any]], blocklist: Iterable[str] = (), min_fuzzy: int = 5
    ):
        self._exact: dict[tuple[str, ...], Any] = {}
        for phrase, value in entries:
            if key := tuple(words(normalize(phrase))):
                self._exact.setdefault(key, value)  # first entry wins on duplicates
        self._vocab = {w for key in self._exact for w in key}
        self._maxn = max((len(k) for k in self._exact), default=1)
        self._blocklist = {normalize(w) for w in blocklist}
        self._min = min_fuzzy
        self._buckets: dict[tuple[int, str], list[tuple[str, ...]]] = defaultdict(list)
        for key in self._exact:
            if len(" ".join(key)) >= min_fuzzy:
                self._buckets[(len(key), key[0][0])].append(key)

    def knows(self, word: str) -> bool:
        """Whether `word` (normalized) is part of some phrase, as typed or as its plural."""
        return self._canon(word) in self._vocab

    def _canon(self, word: str) -> str:
        if word in self._blocklist:
            return word
        forms = self._forms(word)
        whole = [f for f in forms if (f,) in self._exact]
        part = [f for f in forms if f in self._vocab]
        return (whole or part or [word])[0]

    @staticmethod
    def _forms(word: str) -> list[str]:
        # The word as typed, then with "k" read as "qu" ("takerias" -> "taquerias" -> "taqueria");
        # a form that is a phrase by itself wins over one that is only part of a longer phrase.
        forms: list[str] = []
        for w in dict.fromkeys((word, K_FOR_QU.sub("qu", word))):
            forms.append(w)
            for suffix in ("s", "es"):  # plural or singular of a known word: "abarrote"
                if len(w) > 3 + len(suffix) and w.endswith(suffix):
                    forms.append(w[: -len(suffix)])
                if len(w) > 3:
                    forms.append(w + suffix)
        return forms

    def _typo_ok(self, word: str) -> bool:
        return len(word) >= self._min and word not in self._vocab and word not in self._blocklist

    def _fuzzy_at(self, toks: list[str], i: int) -> Hit | None:
        longest = min(self._maxn, len(toks) - i)
        typo_ok = [self._typo_ok(w) for w in toks[i : i + longest]]  # once, not once per name
        for n in range(longest, 0, -1):
            gram = toks[i : i + n]
            if not any(typo_ok[:n]):
                continue
            for key in self._buckets.get((n, gram[0][0]), ()):
                # Every differing word must look like a slip on its counterpart, never a real word.
                if all(
                    a == b or (ok and is_typo(a, b))
                    for a, b, ok in zip(gram, key, typo_ok, strict=False)
                ):
                    return Hit(i, i + n, self._exact[key], " ".join(key), True)
        return None

    def find(self, tokens: list[str], fuzzy: Callable[[int], bool] = lambda i: True) -> list[Hit]:
        """Non-overlapping hits, longest exact phrase first, then typo-tolerant if `fuzzy(i)`."""
        toks = [self._canon(w) for w in tokens]
        hits, i = [], 0
        while i < len(toks):
            hit = None
            for n in range(min(self._maxn, len(toks) - i), 0, -1):
                # A phrase's first word in the other number: "salones de belleza".
                heads = [toks[i]] if n == 1 else dict.fromkeys([toks[i], *self._forms(tokens[i])])
                keys = [(h, *toks[i + 1 : i + n]) for h in heads if h not in self._blocklist]
                keys.append(tuple(tokens[i : i + n]))  # as typed: "gastos medicos", "paginas web"
                key = next((k for k in keys if k in self._exact), None)
                if key is not None:
                    hit = Hit(i, i + n, self._exact[key], " ".join(key), False)
                    break
            if hit is None and fuzzy(i):
                hit = self._fuzzy_at(toks, i)
            if hit:
                hits.append(hit)
            i = hit.end if hit else i + 1
        return hits


# Everyday words one typo away from a place name.
_GEO_BLOCKLIST = "clima tabaco enseñada rosario chihuahuas chaleco calco temporal".split()
# A place name right after these is a street, a person, a dog breed or a thing ("un palenque").
_NOT_PLACE_BEFORE = set(
    "calle av avenida col colonia blvd bulevar boulevard calzada privada esquina esq fracc "
    "fraccionamiento barrio salsa perro perros perrito perrita cachorro cachorros raza jose maria "
    "vicente benito general gral don dona señor senor apellido un una unos unas mi mis "
    # People named like towns ("mi hijo Cuauhtémoc") and schools named after heroes ("la
    # primaria Benito Juárez").
    "hijo hija hijos hijas esposo esposa hermano hermana primo prima sobrino sobrina nieto nieta "
    "escuela primaria secundaria prepa preparatoria kinder hospital parque estadio".split()
)
# Words that make a place someone else's or a topic's, never the business's: "mi primo en
# Querétaro", "la región de AWS en Querétaro", "fui a un curso en Monterrey".
_ELSEWHERE = set(
    "vecino vecina vecinos primo prima primos amigo amiga amigos conocido conocida compadre comadre "
    "cunado cunada tio tia sobrino sobrina cliente clientes clienta clientas proveedor proveedores "
    "competencia vienen llegan viene llega "
    "region aws oficinas oficina sede fui fuimos viaje viajo viajamos curso cursos congreso "
    "conferencia vive viven mudo mudaron virgen basilica".split()
)
# "muebles de oficina", "limpieza de oficinas": after "de" the word names what is sold or
# served, not an office somewhere else; after "mi" it is the owner's own.
_KIND_OF = {"oficina", "oficinas"}


_MINE = {"mi", "mis", "nuestra", "nuestras", "nuestro", "nuestros"}


def _elsewhere(before: list[str]) -> bool:
    """Whether the words before a place make it someone else's or a topic's ("mi oficina en
    Tlaxcala" is the owner's own, and so is where "me fui a vivir")."""
    return any(
        w in _ELSEWHERE
        and not (w in _KIND_OF and i and before[i - 1] in {"de", *_MINE})
        and not (w in ("fui", "fuimos") and "vivir" in before[i + 1 :])
        for i, w in enumerate(before)
    )


_LOCATION_CUES = set(
    "estoy estamos soy somos vivo vivimos ubicado ubicada ubicados ubicadas radico radicamos esta "
    "estan queda tengo tenemos desde negocio local vivir mude mudamos".split()
)
# Words between "no"/"ni" and a place the user denies: "no en Puebla", "no es Puebla",
# "no estoy en Puebla", "ni de Tlaxcala", "no el de Sonora".
_DENIAL_GAP = set("es en de el la estoy estamos soy somos vivo vivimos esta queda era".split())
# A place right after these is being replaced: "en vez de Tijuana pon Rosarito", "quita Tijuana".
_REPLACED = re.compile(r"(?:\ben (?:vez|lugar) de|\benvez de|\b(?:cambia|quita)(?:le|lo)?)$")
# Town names that are also everyday words or surnames (marked "!" in the city rows): after an
# article or a possessive they name the thing ("somos 6 en el palenque familiar" is the mezcal
# distillery), and otherwise they need a preposition of place or their state next to them ("en
# Palenque", "Palenque, Chiapas"; not "refaccionaria Juárez").
_NOUN_TOWNS = {" ".join(words(normalize(n))) for c in CITIES for n in c.wordlike}
_ARTICLES = set(
    "el la los las del al un una unos unas mi mis tu tus su sus nuestro nuestra nuestros nuestras "
    "este esta ese esa aquel".split()
)
_PLACE_PREPOSITIONS = set("en de desde por in".split())  # "in": an owner writing in English
# A place used as a landmark is near the business, not where it is: "cerca de Torreón".
_LANDMARK = re.compile(r"\b(?:cerca de|junto a|a (?:un )?lado de|pegado a|rumbo a|saliendo de)$")
_ADDRESS_ABBR = {
    "Son": "Sonora",
    "Sin": "Sinaloa",
    "Ver": "Veracruz",
    "Col": "Colima",
    "Mor": "Morelos",
    "Camp": "Campeche",
    "Tab": "Tabasco",
    "Nay": "Nayarit",
    "Pue": "Puebla",
    "Méx": "Estado de México",
    "Mex": "Estado de México",
}
_WORD_ABBR = {normalize(k): v for k, v in _ADDRESS_ABBR.items()}
_ADDRESS_RE = re.compile(r",\s*(" + "|".join(_ADDRESS_ABBR) + r")\.?(?=\s|$|[,.;])")


def _geo_entries() -> list[tuple[str, tuple[str, str | None]]]:
    entries: list[tuple[str, tuple[str, str | None]]] = [
        (a, (s, None)) for s, al in STATES.items() for a in [s, *al.split("|")]
    ]
    state_aliases = {normalize(a) for a, _ in entries}
    for c in CITIES:
        names = [c.name, *c.aliases]
        if normalize(c.name) in state_aliases:
            names.append(f"ciudad de {c.name}")
        names += [f"cd {n[7:]}" for n in names if normalize(n).startswith("ciudad ")]
        names += [n.replace("ñ", "n") for n in names if "ñ" in n]
        entries += [(n, (c.state, c.name)) for n in names]
    # Owners' short forms: "Sn Luis", "Pto Vallarta", "Sta Catarina".
    for long, short in (("san ", "sn "), ("puerto ", "pto "), ("santa ", "sta ")):
        entries += [
            (short + normalize(n)[len(long) :], v)
            for n, v in entries
            if normalize(n).startswith(long)
        ]
    return entries


_GEO = PhraseIndex(_geo_entries(), blocklist=_GEO_BLOCKLIST)


def _twins() -> dict[str, list[tuple[str, str]]]:
    """Every (state, city) a phrase may name: "matamoros" is in Tamaulipas and in Coahuila."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for phrase, (state, city) in _geo_entries():
        key = " ".join(words(normalize(phrase)))
        if city and (state, city) not in out[key]:
            out[key].append((state, city))
    return dict(out)


_TWINS = _twins()

# Towns known by their first word, which is also an everyday word: a place only right after
# "en"/"desde" with no article ("un hostal en Playa" is Playa del Carmen; "en la playa" and "ropa
# de playa" are not).
_BARE_TOWNS = {"playa": ["playa", "del", "carmen"]}
# "le vendo a una empresa de Monterrey", "surtimos a los talleres de Puebla": the place belongs
# to whoever receives the goods, not to the owner.
_TO_SOMEONE = re.compile(
    r"\b(?:vend|surt|mand|envi|entreg|repart|distribu|export|provee|abastec)\w*(?: \w+)? (?:a|al|para)"
    r" (?:(?:un|una|unos|unas|el|la|los|las|otr[oa]s?) )?\w+"
)
# "le vendemos la leche a una quesería de…", "mandamos todo el mole a una tienda de…": the goods
# named first, the buyer right before the place.
_SOLD_TO_THERE = re.compile(
    r"\b(?:vend|surt|mand|envi|entreg|distribu|export|provee|abastec)\w*(?: \w+){2,3} (?:a|al)"
    r" (?:(?:un|una|unos|unas|el|la|los|las|otr[oa]s?) )?\w+ de$"
)
# "la mercancía la compramos en el centro", "me surto en la Merced": where the owner buys is the
# supplier's place, not the business's ("compro y vendo oro en…" trades there). So is where the
# stock comes from: "el pollo me llega de una granja de Puebla", "los armazones los traigo de la
# CDMX" ("traje" is left out: "trajes de baño").
_BUYS = (
    r"\b(?:compr|surt|abastec|consig|adquier|traig|trae|lleg(?:a|an)\b)\w*(?: (?!vend)\w+){0,3}?"
    r" (?:en|de)"
)
_BOUGHT_AT = re.compile(
    _BUYS + r"(?: (?:el|la|los|las))?"
    r"(?: (?:centro|mercado|central|tianguis|plaza)(?: de(?: la| el)?)?)?$"
)
# "…la compramos en el centro, en la CDMX": the clause ends where the owner buys; a place said
# right after it, alone, is that same place.
_BOUGHT_AT_END = re.compile(_BUYS + r"(?: \w+){1,4}$")
_SELLS = re.compile(r"\bvend")

# "maquilamos uniformes para tiendas de ropa de Guadalajara": made for someone of that place
# (not "fabricamos calzado para dama en León").
_MADE_FOR = re.compile(
    r"\b(?:maquil|fabric|produc|hac|elabor|cos)\w*(?: \w+){0,2} para (?:(?:el|la|los|las) )?\w+"
    r"(?: de \w+)? de$"
)

# "queremos vender en tiendas de Mérida": where the owner sells or wants to sell is a market; it
# says where the business is only when no other place does.
_MARKET = re.compile(
    r"\bvend\w*(?: \w+)? en (?:(?:las|los|unas|unos|otras|otros) )?\w+s(?: de \w+)? de$"
)


# A place the words before send something or someone to is a destination, a market or a route's
# end, not where the business is: "paquetes a Cancún", "pa Los Cabos", "llevamos grupos hasta
# Ixtapa". Where the owner moved to is theirs ("nos cambiamos a Mérida", "me vine a vivir a"), and
# so is a correction's new place ("cambia la ciudad a Tecate", "ponle a Tecate").
_TOWARD = {"a", "al", "hacia", "hasta"}
_TOWARD_OWN = {"para", "pa", "pal"}  # "apoyos para Sonora" names a topic, so profile reads only
_MOVED = re.compile(
    r"(?:mud|cambi|pon|corrig|correg|establec|instal|refer|refier)\w*|vine|vinimos|venimos|llegue|llegamos|"
    r"regrese|regresamos|volvi|volvimos|vivir"
)
# Words that may stand between places of one list: "a Cancún y Huatulco", "de Tlaxcala y de
# Oaxaca", "a Querétaro, a Celaya": a place listed with a skipped one is skipped too.
_LIST_GAP = set("y e o u a al de del la el los las hasta hacia pa para tambien".split())


def _toward(toks: list[str], start: int, own: bool) -> bool:
    """Whether the place at toks[start] is where something goes ("vendemos a Cancún")."""
    k = start - 1
    if k >= 0 and toks[k] in ("la", "el", "los", "las"):
        k -= 1  # "a la CDMX", "a los Cabos"
    if k < 0 or not (toks[k] in _TOWARD or (own and toks[k] in _TOWARD_OWN)):
        return False
    return not any(_MOVED.fullmatch(w) for w in toks[max(0, k - 4) : k])


def _expand_towns(toks: list[str]) -> list[str]:
    out: list[str] = []
    for i, w in enumerate(toks):
        bare = w in _BARE_TOWNS and i > 0 and toks[i - 1] in ("en", "desde")
        if bare and (i + 1 == len(toks) or toks[i + 1] not in ("de", "del")):
            out += _BARE_TOWNS[w]
        else:
            out.append(w)
    return out


def _denial(toks: list[str], i: int, first: bool) -> str | None:
    """Whether the place at toks[i] is denied: "yes", or "maybe" for a message opening with
    "no en Puebla", which is as often "no, en Puebla" typed without the comma."""
    if _REPLACED.search(" ".join(toks[max(0, i - 3) : i])):
        return "yes"  # "en vez de Tijuana…", "quítale Tijuana"
    for k in range(i - 1, max(-1, i - 5), -1):
        if toks[k] in ("no", "ni"):
            bare = first and k == 0 and toks[k] == "no" and set(toks[k + 1 : i]) <= {"en", "de"}
            return "maybe" if bare else "yes"
        if toks[k] not in _DENIAL_GAP:
            return None
    return None


def _names_a_thing(toks: list[str], hit: Hit) -> bool:
    """Whether a town named like an everyday noun is the noun here: "el palenque familiar",
    "tenemos palenque" (not "en Palenque", "Palenque, Chiapas")."""
    if hit.phrase not in _NOUN_TOWNS:
        return False
    if hit.fuzzy:
        return True  # a slip on a word ("de cadenas") is that word, not the town
    before = toks[hit.start - 1] if hit.start else ""
    if before in _ARTICLES:
        return True
    after = _GEO.find(toks[hit.end : hit.end + 4], lambda i: False)
    # "Palenque, Chiapas", "Nogales de Veracruz": the state right after.
    lead = 1 if toks[hit.end : hit.end + 1] == ["de"] else 0
    state_next = bool(after) and after[0].start == lead and after[0].value[1] is None
    abbr = _WORD_ABBR.get(toks[hit.end]) if hit.end < len(toks) else None
    state_next = state_next or any(s == abbr for s, _ in _TWINS.get(hit.phrase, []))
    alone = (hit.start, hit.end) == (0, len(toks))  # "Palenque." as the whole reply
    return not (before in _PLACE_PREPOSITIONS or state_next or alone)


_APPOSED = _LIST_GAP | {"en"}
# After a house number's words or a crossing, a hero's name is a street: "Hidalgo 215",
# "Juárez #12", "Morelos s/n"; "esquina con Madero", "entre Juárez y Morelos", "sobre Hidalgo".
# A number with words after it counts people or things ("en Puebla 2 tiendas"), not a house.
_HOUSE_NUMBER = re.compile(
    r"(?:(?:no|num|numero|n) )?\d+(?: ?[a-z])?(?:$| (?:casi|esquina|esq|entre|col|colonia|int|"
    r"interior|local|centro|frente|zona|barrio|fracc|cp)\b)|s n\b|sin numero\b"
)
_CROSSING = re.compile(
    r"\b(?:esquina|esq|cruce|cruzamiento|sobre|entre)(?: con| de)?$|\bentre(?: \w+){1,3} y$"
)


def _is_street(toks: list[str], hit: Hit) -> bool:
    """Whether a place name is a street here: a house number after it, a crossing before it."""
    if _CROSSING.search(" ".join(toks[max(0, hit.start - 4) : hit.start])):
        return True
    return bool(_HOUSE_NUMBER.match(" ".join(toks[hit.end : hit.end + 3])))


class Location(NamedTuple):
    state: str
    city: str | None
    explicit: bool  # the user said where they are ("estoy en…", "soy de…") or only named the place
    # The city was read from the state's own name ("en Colima" is the town of Colima): it never
    # replaces a town of that state already known.
    by_state_name: bool = False


# States whose capital bears their name: "tengo una panadería en Durango", "estoy en Colima",
# said of where the business is, name that town (not "el estado de Durango", nor "Veracruz",
# whose capital is Xalapa).
_CAPITAL_NAMESAKE = {
    state: next(c.name for c in CITIES if c.state == state and normalize(c.name).startswith(key))
    for state, key in (
        (s, normalize(s))
        for s in (
            "Aguascalientes Campeche Chihuahua Colima Durango Guanajuato Oaxaca Puebla "
            "Querétaro Tlaxcala Zacatecas"
        ).split()
        + ["San Luis Potosí"]
    )
}
_STATE_WORD = re.compile(r"\b(?:estado|edo|entidad)(?: de)?$")


class _Named(NamedTuple):
    """One place named in the text, with the phrase that named it."""

    place: Location
    phrase: str
    landmark: bool  # "cerca de Torreón": the state counts, the town is not the business's
    origin: bool = False  # "soy de Oaxaca": where the owner comes from
    lives: bool = False  # "vivo en Tijuana": where the owner is now
    town: bool = False  # a state's own name said as where one is: "en Colima", "desde Campeche"


# "soy de Oaxaca pero vivo en Tijuana": where they live now outranks where they come from.
_ORIGIN = re.compile(r"\b(?:soy|somos|originari[oa]s?|naci|nacimos|vengo|venimos) (?:de|en)$")
# A clause that ends on "en" and a name of one to three words ("…en Santa María Tonameca").
_ENDS_IN_UNKNOWN = re.compile(r"\ben(?: (?!el |la |los |las )\w+){1,3}$")
_LIVES = set(
    "vivo vivimos vivir mude mudamos estoy estamos radico radicamos ubicado ubicada ubicados".split()
)


def _in_state(named: list[_Named], state: str) -> str | None:
    """The town named last that lies in `state`: as named, or its namesake in that state
    ("Matamoros, Coahuila" is not Matamoros, Tamaulipas)."""
    for n in reversed(named):
        if n.place.city is None or n.landmark:
            continue
        if n.place.state == state:
            return n.place.city
        twin = next((c for s, c in _TWINS.get(n.phrase, []) if s == state), None)
        if twin:
            return twin
    return None


@lru_cache(maxsize=4096)  # a turn asks ~20 times of the same few texts (message, clauses, history)
def find_location(text: str, in_questions: bool = True, near: str | None = None) -> Location | None:
    """The last place named in `text` and not denied ("no en Puebla"), with its city if given.

    A state the owner names outranks a town of another state named in the same message, and
    picks the town of that name inside it ("Juárez, Nuevo León" is not Ciudad Juárez); `near`,
    the state already known, does the same for a town named alone ("en Matamoros" after
    "estoy en Coahuila").

    With `in_questions=False` a place inside a question counts only when the owner ties it to
    themselves ("¿hay apoyos para mi negocio en Oaxaca?"): "¿hay más apoyos en Jalisco?" asks.
    """
    clauses = split_clauses(text)
    short = sum(len(c.words) for c in clauses) <= 4
    found: list[_Named] = []
    maybe: list[_Named] = []  # "no en Puebla": kept only when no other place is named
    denied = False  # "no es en Puebla, es en Tlaxcala": the place kept is stated explicitly
    listed_after: int | None = None  # a skipped place ended the previous clause: its list goes on
    unknown_tail = False  # the previous clause ended on "en <a place we don't know>"
    for n, clause in enumerate(clauses):
        toks = _expand_towns(clause.words)
        # "…en Pluma Hidalgo, Oaxaca": a state alone after a place we don't know by name is that
        # town's state, not its capital.
        after_unknown = unknown_tail
        unknown_tail = False
        clause_start = len(found) + len(maybe)
        skipped_end = listed_after  # where the last place skipped as someone else's ended
        market_end: int | None = None  # where the last place named as a market ended
        listed_after = None

        def cue(i: int, toks: list[str] = toks) -> bool:
            # A clause that opens with "es en…" says where it is: "no no, es en Aguascalientes".
            return bool(_LOCATION_CUES.intersection(toks[max(0, i - 4) : i])) or (
                i == 2 and toks[:2] in (["es", "en"], ["era", "en"])
            )

        def fuzzy_ok(i: int, toks: list[str] = toks) -> bool:
            return short or cue(i) or (i > 0 and toks[i - 1] in ("en", "de", "desde"))

        for hit in _GEO.find(toks, fuzzy_ok):
            if hit.start and toks[hit.start - 1] in _NOT_PLACE_BEFORE:
                continue
            if _names_a_thing(toks, hit) or _is_street(toks, hit):
                continue
            listed = skipped_end is not None and set(toks[skipped_end : hit.start]) <= _LIST_GAP
            # "…, en la CDMX": a place alone in its clause, right after a skipped one.
            listed = listed or (
                skipped_end == 0 and hit.end == len(toks) and set(toks[: hit.start]) <= _APPOSED
            )
            window = " ".join(toks[max(0, hit.start - 7) : hit.start])
            far = " ".join(toks[max(0, hit.start - 10) : hit.start])
            if (
                listed
                or _elsewhere(toks[max(0, hit.start - 4) : hit.start])
                or _TO_SOMEONE.search(window)
                or _SOLD_TO_THERE.search(far)
                or (_BOUGHT_AT.search(far) and not _SELLS.search(far))
                or _MADE_FOR.search(" ".join(toks[max(0, hit.start - 8) : hit.start]))
                or (not clause.question and _toward(toks, hit.start, not in_questions))
            ):
                skipped_end = hit.end
                if hit.end == len(toks):
                    listed_after = 0
                continue
            state, city = hit.value
            if clause.question and not in_questions and not cue(hit.start):
                continue  # "¿hay más apoyos en Jalisco o en Nuevo León?" asks, it doesn't say
            place = Location(state, city, cue(hit.start) or (short and not clause.question))
            landmark = bool(_LANDMARK.search(" ".join(toks[max(0, hit.start - 4) : hit.start])))
            head = toks[max(0, hit.start - 4) : hit.start]
            origin = bool(_ORIGIN.search(" ".join(head[-2:])))
            town = (
                city is None
                and state in _CAPITAL_NAMESAKE
                and not _STATE_WORD.search(" ".join(head))
                and (
                    bool(head)
                    and head[-1] in _PLACE_PREPOSITIONS
                    or ((hit.start, hit.end) == (0, len(toks)) and not after_unknown)
                )
            )
            named = _Named(
                place, hit.phrase, landmark, origin, bool(_LIVES.intersection(head)), town
            )
            denial = _denial(toks, hit.start, n == 0)
            if denial == "yes":
                denied = True
                continue
            market = _MARKET.search(" ".join(toks[max(0, hit.start - 7) : hit.start])) or (
                market_end is not None and set(toks[market_end : hit.start]) <= _LIST_GAP
            )
            market_end = hit.end if market else None
            (maybe if denial or market else found).append(named)
            # "Tuxpan, Nay", "Nogales Ver": an abbreviation that is also a word ("ver", "son")
            # names the state right after a town that has a namesake there.
            after = _WORD_ABBR.get(toks[hit.end]) if hit.end < len(toks) else None
            if city and after and after != state:
                if any(s == after for s, _ in _TWINS.get(hit.phrase, [])):
                    named_state = _Named(Location(after, None, place.explicit), "", False)
                    (maybe if denial else found).append(named_state)
        line = " ".join(toks)
        if _BOUGHT_AT_END.search(line) and not _SELLS.search(line):
            listed_after = 0
        # A bare state inside that name ("Pluma Hidalgo") is part of it; a town we know is not.
        unknown_tail = bool(_ENDS_IN_UNKNOWN.search(line)) and not any(
            f.place.city for f in (found + maybe)[clause_start:]
        )
    found = found or maybe
    if not found:
        abbr = [_ADDRESS_ABBR[m.group(1)] for m in _ADDRESS_RE.finditer(text)]
        return Location(abbr[-1], None, True) if abbr else None
    # Where the owner is from yields to where they live or work: "soy de Puebla y me vine a
    # Tijuana, tengo una taquería" (a town said as theirs, not as their origin).
    lives = any(f.lives and f.place.city for f in found) or any(
        f.place.city and not f.origin and not f.landmark for f in found
    )
    where = [f for f in found if not f.landmark and not (f.origin and lives)]
    state = (where or found)[-1].place.state
    states = [
        f.place.state
        for f in found
        if f.place.city is None and not f.landmark and not (f.origin and lives)
    ]
    if states and state not in states:
        state = states[-1]  # a town of another state never overrides the state the owner named
    elif not states and near and state != near and _in_state(found, near):
        state = near  # the namesake in the state we know
    # "tengo un changarro en Guadalupe, Zacatecas": the town and the state are one statement.
    overruled = any(f.place.city and f.place.state != state for f in found if not f.landmark)
    city = _in_state(found, state)
    if city is None and re.search(r"\bcapital\b", normalize(text)):
        # "Querétaro capital", "en la capital de Oaxaca": the state's namesake city.
        key = normalize(state)
        city = next(
            (c.name for c in CITIES if c.state == state and normalize(c.name).startswith(key)),
            None,
        )
    explicit = denied or any(f.place.explicit for f in found if overruled or f.place.state == state)
    if city is None and any(f.town and f.place.state == state for f in where):
        return Location(state, _CAPITAL_NAMESAKE[state], explicit, by_state_name=True)
    return Location(state, city, explicit)


def is_place(phrase: str) -> bool:
    """Whether the whole phrase is exactly a state or city name."""
    toks = words(normalize(phrase))
    return any(
        not h.fuzzy and (h.start, h.end) == (0, len(toks)) for h in _GEO.find(toks, lambda i: False)
    )


def same_town(a: str, b: str) -> bool:
    """Whether two names are one town: its official and its everyday name ("Tlapa de Comonfort"
    and "Tlapa", "Tepatitlán de Morelos" and "Tepatitlán")."""

    def town(name: str) -> set[tuple[str, str]]:
        key = " ".join(words(normalize(name)))
        named = {(c.state, c.name) for c in CITIES if " ".join(words(normalize(c.name))) == key}
        return named or set(_TWINS.get(key, ()))  # a town's own name before its namesakes' aliases

    return bool(town(a) & town(b))


def find_state(text: str) -> tuple[str, str | None] | None:
    """(state, city or None) named in `text`, coping with missing accents and small typos."""
    loc = find_location(text)
    # A question's "en Oaxaca" names the state: the town read from its name is the profile's.
    return (loc.state, None if loc.by_state_name else loc.city) if loc else None


def state_from_coordinates(lat: float, lon: float, max_km: float = 150.0) -> str | None:
    """State of the nearest major city within `max_km`, e.g. for a WhatsApp location pin."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None

    def km(c: City) -> float:
        p1, p2 = math.radians(lat), math.radians(c.lat)
        dp, dl = p2 - p1, math.radians(c.lon - lon)
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6371.0 * math.asin(math.sqrt(h))

    nearest = min(CITIES, key=km)
    return nearest.state if km(nearest) <= max_km else None
