"""Reads the owner's sector from a message: the sector aliases of knowledge/sectors.yaml, place
words with their complement, denials, and the description matched by meaning."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.knowledge.models import Sector
from assistant.understanding import profile_data as data
from assistant.understanding.people import FAMILY, OUTSIDER_RX, SELF_RX
from assistant.understanding.places import Clause, Hit, PhraseIndex, is_place, split_clauses
from assistant.understanding.role import FOR_SOMEONE, ROLE_RX
from assistant.understanding.sector_cues import (
    CONTENT,
    NAMED_BARE,
    PERSON_IS,
    STATEMENT,
    complement_words,
    counted,
    from_english,
    owns,
    place_head,
    qualifier_words,
    says_own,
    serves_others,
)
from assistant.understanding.sectors import LEXICAL_RATIO
from assistant.understanding.text import UNDERSTAND_CHARS, clip_chars, normalize, normalized_words


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
# A statement that says what the business is or does (not "somos 12", "es en Puebla").
_DESCRIBES = re.compile(
    r"\b(?:es|somos|tenemos|tengo) (?:una?|mi|nuestr[oa])\b|"
    r"\b(?:es|somos) (?!como|unos|unas|casi|mas|menos|todos|nada|solo)[a-z]{4,}|"
    r"\b(?:hacemos|hago|vendemos|vendo|fabricamos|fabrico|damos|doy|ofrecemos|ofrezco|"
    r"me dedico|nos dedicamos|producimos|produzco|elaboramos|elaboro)\b"
)

# The owner's verb for a rental trade, read as the trade's name ("rentamos sillas", "alquilo
# trajes" -> "renta de …").
_RENTS = frozenset("rento rentamos rentan alquilo alquilamos alquilan".split())
_FIRST_PERSON = set(
    "tengo tenemos somos soy mi mis nuestro nuestra vendo vendemos hago hacemos atiendo".split()
)
_DIMINUTIVE = re.compile(r"(?:c?it)([oa])(s?)$")


# A relative or friend who has, opened or runs a business: "mi hermano tiene una pizzería", "mi
# papá acaba de poner unos abarrotes", "mi carnal abrió un taller".
_KIN_HAS = re.compile(
    rf"\b(?:mis?|sus?|el|la) (?:{FAMILY}|carnal(?:a|es|as)?|compa|cuate)(?: [a-zñ]+){{0,3}}? "
    r"(?:tiene|tienen|puso|pusieron|poner|abrio|abrieron|abrir|maneja|manejan|lleva|llevan|"
    r"atiende|atienden)\b"
)


class SectorReader:
    """Reads the sector one message names, and chooses it over the one the profile holds.

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
        for w in from_english(tokens):
            if w == "pa":  # "sonido pa fiestas", "comida pa eventos"
                out.append("para")
                continue
            if w in _RENTS:
                # "rentamos sillas y mesas" names the trade "renta de sillas" (the verb stays:
                # it says the business is the writer's).
                out += [w, "renta", "de"]
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
            head = place_head(w)
            if head is None or any(h.start < i < h.end or h.start == i < h.end - 1 for h in hits):
                continue  # not a place word, or part of a longer name ("tienda de abarrotes")
            words, end = complement_words(toks, i + 1)
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

    def read(self, clauses: list[Clause], short: bool, known: bool = False) -> SectorRead:
        """What the rules read about the sector in these clauses.

        `known`: the owner already told us their business, so a relative's ("mi hermano tiene una
        taquería, ¿a él le sirve?") is another one, as a neighbour's always is.
        """
        best = None
        own = False  # some business word is said as the writer's own
        denied: dict[str, tuple[int, int]] = {}  # sector -> where it was last denied
        statement: list[str] = []
        more: list[str] = []  # clauses that go on after a statement
        stating = False  # the previous clause described the owner's business
        prev: list[str] = []  # the end of the previous clause, for lists split by commas
        # "mi hermana tiene una estética…, yo tengo una cafetería": when the writer names a
        # business of their own in the message, a relative's is another one, as once it is known.
        known = known or any(
            says_own(self._words(c.words)) and not _KIN_HAS.search(" ".join(c.words))
            for c in clauses
            if not c.question
        )
        for ci, clause in enumerate(clauses):
            toks = self._words(clause.words)
            line = " ".join(toks)
            outsider = OUTSIDER_RX.search(line) or (known and _KIN_HAS.search(line))
            # "soy programador", "soy el de sistemas" say the user's job, not the business's.
            job = any(ROLE_RX[r].search(line) for r in ("developer", "it", "it_helper"))
            says = STATEMENT.search(line) or NAMED_BARE.match(line)
            if not clause.question and says and not outsider and not job:
                statement.append(" ".join(clause.words))
                stating = True
                own = own or says_own(toks)  # "tengo 20 hectáreas de tomate" (read by meaning)
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
                m = OUTSIDER_RX.search(head) or (_KIN_HAS.search(head) if known else None)
                outside = m and not SELF_RX.search(head[m.end() :])
                outside = outside and not FOR_SOMEONE.search(head)  # "le ayudo a mi tío en su…"
                if outside and not owned:
                    continue
                # A name that carries its own verb says it too ("vendo seguros", "hago páginas
                # web"); a lone verb alias ("fabricamos") does not.
                words_in = hit.phrase.split()
                cue = bool(
                    data.BUSINESS_CUES.intersection([*before, *words_in[: len(words_in) - 1]])
                )
                # "la dueña es doctora": a person's trade, not the business's giro.
                cue = cue and not PERSON_IS.search(" ".join(before))
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
                    if w in data.SKIP_CUES and not (w == "como" and counted(before[-3:][k + 1 :]))
                }
                if not owned and skip:
                    continue
                # A developer's or IT person's client is the business they ask about.
                if not owned and not job and serves_others([*prev, *toks[: hit.start]]):
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
                elif cue and weak and place_head(hit.phrase):
                    generic = (hit.end, hit.value)
                own = own or owned or owns(before)
                rank = (cue, not weak, complement, -ci, -hit.start)
                if best is None or rank > best[0]:
                    explicit = cue or (short and not clause.question)
                    qualifier = qualifier_words(toks, hit.end) if weak else ""
                    head = hit.phrase if weak else ""
                    best = (rank, hit.value, explicit, weak, (ci, hit.start), qualifier, head)
            prev = toks[-4:] if not clause.question else []
        text = ", ".join(statement)
        if statement and not CONTENT.search(text):
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

    def _by_meaning(self, read: SectorRead) -> tuple[str, float] | None:
        """The sector the owner's own words are closest to, or `general` when none is close."""
        if self.meaning is None or not read.statement or not CONTENT.search(read.statement):
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

    def choose(
        self, read: SectorRead, current: str | None, fixing: bool
    ) -> tuple[SectorRead, tuple[str, float] | None]:
        """The read as it stands next to the `current` sector, and the sector it sets with its
        confidence (1.0 when the owner's words name it), or None to keep the current one."""
        if (
            read.sector == ONLINE_SECTOR
            and current not in (None, ONLINE_SECTOR)
            and current not in read.denied
        ):
            # "vendo por facebook" after "tengo una panadería": a channel of the business we
            # know (a maturity signal), not another business.
            read = SectorRead(denied=read.denied, statement=read.statement)
        chosen: tuple[str, float] | None = None
        if read.sector and not read.weak:
            if read.sector != current and (current is None or read.explicit):
                chosen = (read.sector, 1.0)
        else:
            # No specific word named the business: its description, by meaning, when the owner
            # just told us about it and we had no sector, a denied one, or a correction.
            # A correction reopens the sector only when it says what the business is or does
            # ("mas bien es imprenta", not "mas bien somos 12").
            restated = fixing and bool(_DESCRIBES.search(read.statement))
            open_slot = current is None or current in read.denied or restated
            if read.weak and read.sector != current:
                # "tengo una tienda de regalos" names a business; a bare "mi taller" or "mi
                # tienda" is how any owner calls theirs and never replaces a known trade.
                named = bool(read.qualifier) or current == "general"
                open_slot = open_slot or (read.explicit and named)
            guess = self._by_meaning(read) if open_slot else None
            if guess and guess[0] == "general" and read.sector and not self._qualified(read):
                guess = (read.sector, 0.5)  # a generic word is still better than nothing
            if guess and (guess[0] != current or current in read.denied):
                chosen = guess
            elif read.sector and open_slot and read.sector != current:
                if not self._qualified(read):
                    chosen = (read.sector, 0.5)
        return read, chosen
