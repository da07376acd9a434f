"""Mexican states and major cities, found in free Spanish text or from coordinates."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from rapidfuzz.distance import Levenshtein

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

# State = City lat lon [+alias ...]; ... Coordinates are approximate city centres.
_CITY_ROWS = """
Aguascalientes = Aguascalientes 21.88 -102.29
Baja California = Tijuana 32.53 -117.04 +tj; Mexicali 32.62 -115.45; Ensenada 31.87 -116.60; Tecate 32.57 -116.63; Rosarito 32.36 -117.05 +playas de rosarito; San Quintín 30.56 -115.94
Baja California Sur = La Paz 24.14 -110.31; Los Cabos 22.89 -109.92 +cabo san lucas +san jose del cabo; Loreto 26.01 -111.35; Guerrero Negro 27.96 -114.06; Ciudad Constitución 25.03 -111.66
Campeche = Campeche 19.85 -90.53; Ciudad del Carmen 18.65 -91.83; Escárcega 18.61 -90.74; Xpujil 18.51 -89.39 +calakmul
Chiapas = Tuxtla Gutiérrez 16.75 -93.12 +tuxtla; San Cristóbal de las Casas 16.74 -92.64 +san cristobal +sancris; Tapachula 14.90 -92.26; Comitán 16.25 -92.13; Palenque 17.51 -91.98
Chihuahua = Chihuahua 28.63 -106.07; Ciudad Juárez 31.69 -106.42 +juarez chihuahua; Hidalgo del Parral 26.93 -105.67 +parral; Ciudad Cuauhtémoc 28.41 -106.87; Nuevo Casas Grandes 30.42 -107.91 +casas grandes; Ojinaga 29.56 -104.41; Creel 27.75 -107.64
Ciudad de México = Iztapalapa 19.36 -99.06; Coyoacán 19.35 -99.16; Tlalpan 19.29 -99.17; Xochimilco 19.26 -99.10; Azcapotzalco 19.49 -99.18; Miguel Hidalgo 19.43 -99.20; Gustavo A. Madero 19.48 -99.11 +gustavo a madero +gam; Álvaro Obregón 19.36 -99.22; Tláhuac 19.28 -99.00
Coahuila = Saltillo 25.42 -101.00; Torreón 25.54 -103.41; Monclova 26.91 -101.42; Piedras Negras 28.70 -100.52; Ciudad Acuña 29.32 -100.93 +acuña
Colima = Colima 19.24 -103.72; Manzanillo 19.05 -104.32
Durango = Durango 24.02 -104.66; Gómez Palacio 25.57 -103.50; Santiago Papasquiaro 25.04 -105.42
Guanajuato = León 21.12 -101.68; Irapuato 20.67 -101.35; Celaya 20.52 -100.81; Salamanca 20.57 -101.19; Guanajuato 21.02 -101.26; San Miguel de Allende 20.91 -100.74 +san miguel allende; Silao 20.94 -101.43; Dolores Hidalgo 21.16 -100.93
Guerrero = Acapulco 16.85 -99.82; Chilpancingo 17.55 -99.50; Iguala 18.34 -99.54; Taxco 18.56 -99.60; Zihuatanejo 17.64 -101.55 +ixtapa +zihua
Hidalgo = Pachuca 20.10 -98.76 +pachuca de soto; Tulancingo 20.08 -98.36; Tula de Allende 20.05 -99.34 +tula; Huejutla 21.14 -98.42
Jalisco = Guadalajara 20.67 -103.35 +gdl +guanatos; Zapopan 20.72 -103.39; Tlaquepaque 20.64 -103.31 +san pedro tlaquepaque; Tonalá 20.62 -103.23; Tlajomulco 20.47 -103.44; Puerto Vallarta 20.65 -105.23 +vallarta; Lagos de Moreno 21.36 -101.93; Ciudad Guzmán 19.70 -103.46; Autlán 19.77 -104.37
Estado de México = Toluca 19.29 -99.66; Ecatepec 19.60 -99.05; Nezahualcóyotl 19.40 -99.01 +neza +ciudad neza +ciudad nezahualcoyotl; Naucalpan 19.48 -99.24; Tlalnepantla 19.54 -99.19; Chalco 19.26 -98.90; Texcoco 19.51 -98.88; Metepec 19.26 -99.60; Cuautitlán Izcalli 19.65 -99.25 +izcalli; Ixtapaluca 19.32 -98.88; Chimalhuacán 19.42 -98.95; Atizapán 19.56 -99.25 +atizapan de zaragoza; Tecámac 19.71 -98.97; Valle de Bravo 19.19 -100.13
Michoacán = Morelia 19.70 -101.19; Uruapan 19.42 -102.06; Zamora 19.98 -102.28; Lázaro Cárdenas 17.96 -102.20; Pátzcuaro 19.51 -101.61; Apatzingán 19.09 -102.35
Morelos = Cuernavaca 18.92 -99.23; Cuautla 18.81 -98.95; Jiutepec 18.88 -99.18
Nayarit = Tepic 21.50 -104.89; Bahía de Banderas 20.80 -105.25 +nuevo vallarta
Nuevo León = Monterrey 25.69 -100.32 +mty; San Pedro Garza García 25.66 -100.40; San Nicolás de los Garza 25.75 -100.29; Apodaca 25.78 -100.19; Santa Catarina 25.67 -100.46; General Escobedo 25.80 -100.33 +escobedo; Linares 24.86 -99.57
Oaxaca = Oaxaca de Juárez 17.06 -96.73 +ciudad de oaxaca; Juchitán 16.43 -95.02 +juchitan de zaragoza; Salina Cruz 16.17 -95.20; Tuxtepec 18.09 -96.12; Huatulco 15.77 -96.13 +bahias de huatulco; Puerto Escondido 15.86 -97.07; Tehuantepec 16.32 -95.24; Pinotepa Nacional 16.34 -98.05 +pinotepa; Huajuapan de León 17.80 -97.78 +huajuapan
Puebla = Puebla 19.04 -98.21; Tehuacán 18.46 -97.39; Cholula 19.06 -98.30; Atlixco 18.91 -98.44; Teziutlán 19.82 -97.36; San Martín Texmelucan 19.28 -98.43 +texmelucan
Querétaro = Querétaro 20.59 -100.39; San Juan del Río 20.39 -99.99
Quintana Roo = Cancún 21.16 -86.85; Playa del Carmen 20.63 -87.08; Chetumal 18.50 -88.30; Tulum 20.21 -87.47; Cozumel 20.51 -86.95; Bacalar 18.68 -88.39
San Luis Potosí = San Luis Potosí 22.16 -100.99; Ciudad Valles 21.99 -99.01; Matehuala 23.65 -100.64
Sinaloa = Culiacán 24.81 -107.39; Mazatlán 23.25 -106.41; Los Mochis 25.79 -108.99 +mochis; Topolobampo 25.60 -109.05; Guasave 25.57 -108.47
Sonora = Hermosillo 29.07 -110.96; Ciudad Obregón 27.49 -109.94 +obregon; Nogales 31.31 -110.94; Guaymas 27.92 -110.90; San Luis Río Colorado 32.46 -114.77; Navojoa 27.08 -109.44; Puerto Peñasco 31.32 -113.54; Caborca 30.72 -112.16
Tabasco = Villahermosa 17.99 -92.93; Comalcalco 18.26 -93.22; Tenosique 17.47 -91.42
Tamaulipas = Reynosa 26.09 -98.28; Matamoros 25.87 -97.50; Nuevo Laredo 27.48 -99.52; Tampico 22.25 -97.86; Ciudad Madero 22.27 -97.83; Altamira 22.39 -97.94; Ciudad Victoria 23.74 -99.15; Ciudad Mante 22.74 -98.97 +el mante; San Fernando 24.85 -98.15
Tlaxcala = Tlaxcala 19.32 -98.24; Apizaco 19.42 -98.14; Huamantla 19.31 -97.92
Veracruz = Veracruz 19.17 -96.13 +puerto de veracruz; Xalapa 19.54 -96.91 +jalapa; Coatzacoalcos 18.14 -94.46 +coatza; Córdoba 18.88 -96.93; Orizaba 18.85 -97.10; Poza Rica 20.53 -97.46; Boca del Río 19.10 -96.10; Minatitlán 17.99 -94.55; Tuxpan 20.96 -97.40; Papantla 20.45 -97.32; San Andrés Tuxtla 18.45 -95.21
Yucatán = Mérida 20.97 -89.62; Valladolid 20.69 -88.20; Tizimín 21.14 -88.15
Zacatecas = Zacatecas 22.77 -102.58; Fresnillo 23.17 -102.87
"""


class City(NamedTuple):
    name: str
    state: str
    lat: float
    lon: float
    aliases: tuple[str, ...]


def _parse_cities() -> list[City]:
    cities = []
    for row in _CITY_ROWS.strip().splitlines():
        state, items = row.split(" = ")
        for item in items.split("; "):
            head, *aliases = item.split(" +")
            name, lat, lon = head.rsplit(" ", 2)
            cities.append(City(name, state, float(lat), float(lon), tuple(aliases)))
    return cities


CITIES = _parse_cities()


def normalize(text: str) -> str:
    """Lowercase, strip accents (keeping ñ) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    # ñ is a letter, not an accented n: "uñas" must not become "unas" ("some").
    kept = re.sub(r"(?<!n)\u0303|[\u0300-\u0302\u0304-\u036f]", "", decomposed)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", kept)).strip()


def words(text: str) -> list[str]:
    """Word tokens of already-normalized text."""
    return re.findall(r"[a-zñ0-9]+", text)


class Clause(NamedTuple):
    words: list[str]
    question: bool


def split_clauses(text: str) -> list[Clause]:
    """Normalized word lists per comma/sentence, flagging the ones inside a question."""
    t = normalize(text)
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

    def _canon(self, word: str) -> str:
        if word in self._vocab or word in self._blocklist:
            return word
        for suffix in ("s", "es"):  # plural or singular of a known word: "taquerias", "abarrote"
            stem = word[: -len(suffix)]
            if len(stem) > 3 and word.endswith(suffix) and stem in self._vocab:
                return stem
            if len(word) > 3 and word + suffix in self._vocab:
                return word + suffix
        return word

    def _typo_ok(self, word: str) -> bool:
        return len(word) >= self._min and word not in self._vocab and word not in self._blocklist

    def _fuzzy_at(self, toks: list[str], i: int) -> Hit | None:
        for n in range(min(self._maxn, len(toks) - i), 0, -1):
            gram = toks[i : i + n]
            if not any(self._typo_ok(w) for w in gram):
                continue
            for key in self._buckets.get((n, gram[0][0]), ()):
                # Every differing word must look like a slip on its counterpart, never a real word.
                if all(
                    a == b or (self._typo_ok(a) and is_typo(a, b))
                    for a, b in zip(gram, key, strict=True)
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
                key = tuple(toks[i : i + n])
                if key in self._exact:
                    hit = Hit(i, i + n, self._exact[key], " ".join(key), False)
                    break
            if hit is None and fuzzy(i):
                hit = self._fuzzy_at(toks, i)
            if hit:
                hits.append(hit)
            i = hit.end if hit else i + 1
        return hits


# Everyday words one typo away from a place name.
_GEO_BLOCKLIST = "clima tabaco enseñada rosario chihuahuas chaleco calco".split()
# A place name right after these is a street, a person, a dog breed or a thing ("un palenque").
_NOT_PLACE_BEFORE = set(
    "calle av avenida col colonia blvd bulevar boulevard calzada privada esquina esq fracc "
    "fraccionamiento barrio salsa perro perros perrito perrita cachorro cachorros raza jose maria "
    "vicente benito general gral don dona señor senor apellido un una unos unas mi mis".split()
)
_LOCATION_CUES = set(
    "estoy estamos soy somos vivo vivimos ubicado ubicada ubicados ubicadas radico radicamos esta "
    "estan queda tengo tenemos desde negocio local".split()
)
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
_ADDRESS_RE = re.compile(r",\s*(" + "|".join(_ADDRESS_ABBR) + r")\.?(?=\s|$|[,.;])")


def _geo_entries() -> list[tuple[str, tuple[str, str | None]]]:
    entries = [(a, (s, None)) for s, al in STATES.items() for a in [s, *al.split("|")]]
    state_aliases = {normalize(a) for a, _ in entries}
    for c in CITIES:
        names = [c.name, *c.aliases]
        if normalize(c.name) in state_aliases:
            names.append(f"ciudad de {c.name}")
        names += [f"cd {n[7:]}" for n in names if normalize(n).startswith("ciudad ")]
        names += [n.replace("ñ", "n") for n in names if "ñ" in n]
        entries += [(n, (c.state, c.name)) for n in names]
    return entries


_GEO = PhraseIndex(_geo_entries(), blocklist=_GEO_BLOCKLIST)


class Location(NamedTuple):
    state: str
    city: str | None
    explicit: bool  # the user said where they are ("estoy en…", "soy de…") or only named the place


def find_location(text: str) -> Location | None:
    """The last place named in `text`, with its city when one was given."""
    clauses = split_clauses(text)
    short = sum(len(c.words) for c in clauses) <= 4
    found: list[Location] = []
    for clause in clauses:
        toks = clause.words

        def cue(i: int, toks: list[str] = toks) -> bool:
            return bool(_LOCATION_CUES.intersection(toks[max(0, i - 4) : i]))

        def fuzzy_ok(i: int, toks: list[str] = toks) -> bool:
            return short or cue(i) or (i > 0 and toks[i - 1] in ("en", "de", "desde"))

        for hit in _GEO.find(toks, fuzzy_ok):
            if hit.start and toks[hit.start - 1] in _NOT_PLACE_BEFORE:
                continue
            found.append(Location(*hit.value, cue(hit.start) or (short and not clause.question)))
    if not found:
        abbr = [_ADDRESS_ABBR[m.group(1)] for m in _ADDRESS_RE.finditer(text)]
        return Location(abbr[-1], None, True) if abbr else None
    last = found[-1]
    same = [f for f in found if f.state == last.state]
    city = last.city or next((f.city for f in reversed(same) if f.city), None)
    return Location(last.state, city, any(f.explicit for f in same))


def is_place(phrase: str) -> bool:
    """Whether the whole phrase is exactly a state or city name."""
    toks = words(normalize(phrase))
    return any(
        not h.fuzzy and (h.start, h.end) == (0, len(toks)) for h in _GEO.find(toks, lambda i: False)
    )


def find_state(text: str) -> tuple[str, str | None] | None:
    """(state, city or None) named in `text`, coping with missing accents and small typos."""
    loc = find_location(text)
    return (loc.state, loc.city) if loc else None


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
