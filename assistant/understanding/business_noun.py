"""The owner's own name for their business ("tengo un tallercito de herrería" -> "un tallercito
de herrería"), so a reply can say "tienes un tallercito de herrería en Tlapa" instead of naming
a category of our list.

Read only where the owner names the business as theirs ("tengo", "tenemos", "mi", "somos una",
"trabajo en una") or as where they work ("soy encargada de una", "trabajo de cajera en una",
"le ayudo a mi tía en su"), and only when the words fit what we understood: with a sector read from the
owner's words, the phrase must hold one of its aliases or a premises word ("taller", "local",
"negocio"); with a guess by meaning, only a premises word or a trade noun ("-ería") will do, so
"tengo una duda" never names a business. Accents the owner left out are put back from the
sectors' own words ("tortilleria" -> "tortillería") and a few common ones; the words stay theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from assistant.understanding.text import canonical, fold

# The owner names the business as theirs (or as their workplace): the noun phrase follows.
_OWN = {
    "tengo",
    "tenemos",
    "manejo",
    "manejamos",
    "llevo",
    "llevamos",
    "atiendo",
    "atendemos",
    "abri",
    "abrimos",
    "puse",
    "pusimos",
    "somos",
    "soy",
    "tenia",  # "tenía una fonda y ahora…" is rare; harmless when the sector agrees
}
_POSSESSIVE = {
    "mi": "",
    "mis": "",
    "nuestro": "un",
    "nuestra": "una",
    "nuestros": "",
    "nuestras": "",
}
_WORK = {"trabajo", "trabajamos", "laboro", "chambeo", "chambeamos"}
# "soy dueña de una fonda", "somos dueños de 2 farmacias".
_OWNER = {"dueno", "duena", "duenos", "duenas", "propietario", "propietaria"}
# A role at someone's business is a claim to work there: "soy (la) encargada de una clínica
# dental", "trabajo de cajera en una farmacia", "somos meseros en un restaurante".
_ROLES = set(
    "encargado encargada gerente administrador administradora cajero cajera empleado empleada "
    "vendedor vendedora ayudante mesero mesera cocinero cocinera recepcionista asistente "
    "auxiliar dependiente dependienta despachador despachadora supervisor supervisora jefe jefa "
    "responsable socio socia trabajador trabajadora chalan chalana".split()
)
_ROLES |= {w + ("es" if w[-1] not in "aeo" else "s") for w in _ROLES}  # "somos meseros"
# Helping in a relative's business is working in it: "le ayudo a mi tía en su fonda", "le
# echo la mano a mi papá en la carnicería".
_HELP = {"ayudo", "ayudamos", "apoyo", "apoyamos", "mano"}
_CLITICS = {"le", "les", "la", "lo", "los", "las", "yo", "nosotros"}
_DEFINITE = {"la": "", "el": "", "los": "", "las": "", "su": "", "sus": ""}
_ARTICLES = {"un", "una", "unos", "unas"}
_NUMBERS = {
    "dos": "2",
    "tres": "3",
    "cuatro": "4",
    "cinco": "5",
    "seis": "6",
    "siete": "7",
    "ocho": "8",
    "nueve": "9",
    "diez": "10",
}
# Words that end a business's name: places, people, time, verbs of what it does.
_STOP = set(
    "en con para pa por a al y e o u que q donde desde cerca enfrente frente junto aqui aca alla "
    "ahi pero porque como cuando hace ya somos soy tengo tenemos vendo vendemos hago hacemos "
    "trabajo trabajamos atiendo atendemos es son esta estamos fue era entre sin hasta afuera "
    "adentro dentro fuera atras arriba abajo sobre segun bien muy mas tambien solo nomas nada "
    "mucho poco todo todos toda todas desde le lo la los las se me mi mis su sus tu tus el "
    "llamado llamada ubicado ubicada".split()
)
# Sizes and family said after the noun: not part of its name ("una fonda familiar" keeps it).
_TAIL = set("de del y e la el los las".split())
# How owners call any business place; a phrase headed by one is a business whatever the trade.
PREMISES = set(
    "taller tallercito tienda tiendita local localito negocio negocito changarro puesto puestito "
    "despacho agencia clinica consultorio maquila maquiladora fabrica fabriquita planta bodega "
    "estudio empresa empresita rancho granja academia escuela salon centro distribuidora "
    "comercializadora oficina cocina restaurante restaurant cafeteria club spa".split()
)
_MAX_WORDS = 5
# Sales channels: "mi tienda de facebook" names where they sell, not the business.
_CHANNELS = set(
    "facebook face fb instagram insta tiktok whatsapp whats internet linea online amazon "
    "mercadolibre marketplace shopify web virtual".split()
)
_SIZES = set("pequena pequeno chica chico chiquita chiquito humilde gran nueva nuevo".split())
# Accents owners leave out, on words of business names that no sector alias carries.
_COMMON = (
    "mecánico mecánica eléctrico eléctrica eléctricos eléctricas económica económico pequeña "
    "pequeño fábrica fabriquita clínica estética estéticas cafetería dulcería panadería "
    "pastelería frutería tortillería carnicería pollería ferretería tlapalería papelería "
    "lavandería tintorería zapatería florería joyería óptica paletería nevería herrería "
    "hojalatería rústico rústicos rústica rústicas "
    "carpintería tapicería cerrajería vidriería mueblería peluquería barbería taquería "
    "marisquería pizzería cocinería juguetería mercería refaccionaria veterinaria "
    "artesanías teléfonos plásticos químicos cómputo técnico técnica médico médica público "
    "orgánico orgánica típica típico mexicana mexicano"
).split()


# Words that are another word without the accent.
_PAIRS = set("papa mama esta este como que donde mas solo si tu mi el se te de aun".split())


def _gender_article(noun: str, plural: bool) -> str:
    """ "una" for "fonda", "un" for "taller": by the ending, the way Spanish mostly works."""
    word = fold(noun).rstrip("s") if plural else fold(noun)
    feminine = word.endswith(("a", "ion", "dad", "triz", "umbre")) and word not in {"dia", "mapa"}
    if plural:
        return "unas" if feminine else "unos"
    return "una" if feminine else "un"


def _undiminish(word: str) -> list[str]:
    """ "fondita" -> ["fondita", "fonda"], "tallercito" -> [..., "taller"]."""
    out = [word]
    if m := re.search(r"(?:c?it)([oa])(s?)$", word):
        out += [word[: m.start()] + m.group(1) + m.group(2), word[: m.start()] + m.group(2)]
    return out


class BusinessNouns:
    """Reads the owner's own name for their business out of a message."""

    def __init__(self, sectors: Iterable[Any]) -> None:
        self.aliases: dict[str, list[tuple[str, ...]]] = {}
        spelled: dict[str, set[str]] = {}
        for s in sectors:
            phrases = [a.lstrip("~") for a in s.aliases]
            self.aliases[s.id] = [tuple(fold(a).split()) for a in phrases if a.strip()]
            for w in re.findall(r"[^\W\d_]+", " ".join([*phrases, s.name]).lower()):
                spelled.setdefault(fold(w), set()).add(w)
        for w in _COMMON:
            spelled.setdefault(fold(w), set()).add(w)
        # Where one accented spelling is known (aliases also list owners' unaccented ones);
        # words that are other words without their accent ("papa", "esta") stay as written.
        self.accents = {}
        for k, v in spelled.items():
            accented = [w for w in v if w != k]
            if len(accented) == 1 and k not in _PAIRS:
                self.accents[k] = accented[0]

    def read(self, message: str, sector: str | None, guessed: bool = False) -> str | None:
        """The business as the owner named it, with its article ("una fondita", "2
        refaccionarias", "un taller de herrería"), or None when no clear noun fits `sector`."""
        if not sector:
            return None
        tokens = re.findall(r"[^\W_]+|[^\w\s]", canonical(message).lower())
        folded = [fold(t) for t in tokens]
        for i in range(len(folded)):
            start, article = self._opening(folded, i)
            if start is None:
                continue
            phrase = self._phrase(tokens, folded, start)
            if not phrase:
                continue
            words = [fold(p) for p in phrase]
            if not self._fits(words, sector, guessed):
                continue
            plural = words[0].endswith("s") and words[0] not in ("abarrotes",)
            if article == "" and not plural:
                article = _gender_article(words[0], False)
            elif article == "" and plural:
                article = ""  # "mis tiendas": no count said, none invented
            if article in ("un", "una") and plural:
                continue  # "una de las tiendas": not a name
            text = " ".join(self._spell(p) for p in phrase)
            return f"{article} {text}".strip() if article else text
        return None

    def _opening(self, folded: list[str], i: int) -> tuple[int | None, str]:
        """Where the noun starts after an owning word at `i`, and the article to say it with."""
        w = folded[i]
        nxt = folded[i + 1] if i + 1 < len(folded) else ""
        if w in _ROLES or w in _HELP:
            return self._worked_in(folded, i)
        if w in _POSSESSIVE and i + 1 < len(folded):
            # "mi fonda", "nuestra estética"; "mis 2 tiendas" carries its count.
            if nxt.isdigit() or nxt in _NUMBERS:
                return i + 2, _NUMBERS.get(nxt, nxt)
            return i + 1, _POSSESSIVE[w]
        if (w in _WORK and nxt == "en") or (w in _OWNER and nxt == "de"):
            i += 1  # "trabajo en una farmacia", "soy dueña de una fonda"
            nxt = folded[i + 1] if i + 1 < len(folded) else ""
            w = "tengo" if w in _OWNER else w
        elif w not in _OWN:
            return None, ""
        if nxt in _ARTICLES:
            return i + 2, nxt
        if nxt.isdigit() or nxt in _NUMBERS:
            return i + 2, _NUMBERS.get(nxt, nxt)
        if w in ("somos", "soy") or w in _WORK:
            return None, ""  # "somos 4", "soy dentista": no business named
        if nxt in _POSSESSIVE:
            return self._opening(folded, i + 1)  # "tengo mi taller"
        return i + 1, ""  # "tenemos purificadora de agua": checked against the sector below

    def _worked_in(self, folded: list[str], i: int) -> tuple[int | None, str]:
        """After a role said by the writer ("soy encargada", "trabajo de cajero", "somos las
        meseras"), its business: "de"/"en" and an article. After help ("le ayudo a mi tía"),
        the place it is given in: "en su fonda", "en la carnicería" (a few words on, within
        the clause)."""
        if folded[i] in _ROLES:
            before = folded[max(0, i - 3) : i]
            claimed = {"soy", "somos", "trabajo", "trabajamos", "chambeo", "laboro"} & set(before)
            if not claimed or i + 2 >= len(folded) or folded[i + 1] not in ("de", "en", "del"):
                return None, ""
            if folded[i + 1] == "del":
                return i + 2, ""
            k = i + 2
        else:
            if folded[i] == "mano" and (i < 2 or folded[i - 2 : i] != ["echo", "la"]):
                return None, ""
            if folded[i].startswith("apoy") and (i == 0 or folded[i - 1] not in _CLITICS):
                return None, ""  # "quiero apoyo en la tienda" is a noun, not help given
            at = next((j for j in range(i + 1, min(len(folded), i + 7)) if folded[j] == "en"), -1)
            if at < 0 or any(not re.fullmatch(r"[a-zñ]+", t) for t in folded[i + 1 : at]):
                return None, ""
            k = at + 1
        art = folded[k] if k < len(folded) else ""
        if art in _ARTICLES:
            return k + 1, art
        if art in _DEFINITE:
            return k + 1, ""
        return None, ""

    def _phrase(self, tokens: list[str], folded: list[str], start: int) -> list[str]:
        out: list[str] = []
        for k in range(start, min(len(tokens), start + _MAX_WORDS + 2)):
            w = folded[k]
            if not re.fullmatch(r"[a-zñ]+", w) or w in _STOP:
                break
            if w == "de" and k + 1 < len(folded) and folded[k + 1] in ("mi", "mis", "su", "sus"):
                break  # "la tienda de mi mamá": whose it is, not its name
            out.append(tokens[k])
        while out and fold(out[-1]) in _TAIL:
            out.pop()
        return out if 0 < len(out) <= _MAX_WORDS else []

    def _fits(self, words: list[str], sector: str, guessed: bool) -> bool:
        """Whether the phrase names the business we understood (see the module's doc)."""
        if set(words) & _CHANNELS or words in (["negocio"], ["empresa"]):
            return False  # "mi tienda de facebook" is where they sell; "mi negocio" says nothing
        if words[0] in _SIZES and len(words) > 1:
            words = words[1:]  # "una pequeña fonda"
        forms = [_undiminish(w) for w in words]
        if any(f.rstrip("s") in PREMISES or f in PREMISES for f in forms[0]):
            return True
        if guessed:
            return any(f.rstrip("s").endswith("eria") for f in forms[0])
        # The name starts with the business word ("mi cuñado tiene una panadería" names none).
        return any(
            len(alias) <= len(words)
            and all(a in forms[j] or a + "s" == words[j] for j, a in enumerate(alias))
            for alias in self.aliases.get(sector, [])
        )

    def _spell(self, word: str) -> str:
        if word != fold(word):
            return word  # the owner wrote the accent
        return self.accents.get(word, word)
