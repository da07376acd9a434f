"""Whether the owner reads English, from the structure of what they say about it."""

from __future__ import annotations

import re

from assistant.understanding.people import KIN, OUTSIDER
from assistant.understanding.places import Clause

# Someone else named: "mi hija lee inglés", "mi socio sí le sabe".
_KIN_RX = re.compile(rf"\b(?:mis?|sus?) {KIN}\b|\b{OUTSIDER}\b")
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


# A negated verb whose object is English, however many words the owner puts between: "no le sé
# mucho al inglés", "no le entiendo muy bien al inglés", "no lo leo tan bien el inglés".
_NOT_VERB = re.compile(
    r"\b(?:no|ni|nunca) (?:le |lo |la |me )?(?:se|sé|leo|entiendo|hablo|manejo|domino|masco|pelo|"
    r"hago|agarro|capto|escribo)(?: (?:mucho|muy|bien|tan|tanto|nada|casi|gran|cosa|este|"
    r"todavia|aun|realmente|la|verdad))* (?:al |el |en |de |del )?(?:ingles|inglés|english)\b"
)


def _english_said(segment: str) -> bool | None:
    """What one stretch of a clause (split at "pero", "aunque") says of English, if anything."""
    if _NOT_VERB.search(segment):
        return False
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


def reads_english(clauses: list[Clause]) -> bool | None:
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
