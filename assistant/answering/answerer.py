"""The answering stage: curated answers first, then catalog facts, then the user's sector's use
cases and extractive evidence, and only then an honest refusal that points to whoever handles it.

Follow-ups ("¿y cuánto cuesta?", "¿esos vienen en español?", "el segundo") resolve against the
topic of the last answer and the courses last shown, which the service keeps in memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answering.catalog import (
    CourseFacts,
    asked_facts,
    catalog_answer,
    catalog_overview,
    catalog_topic,
    course_line,
    named_as_course,
    path_duration,
    referenced_courses,
    title_of,
)
from assistant.answering.curated import (
    CIVIL_REGISTRY,
    ECONOMIA,
    MATCH,
    MUNICIPALITY,
    SOFT,
    STATE_ECONOMY,
    STATE_FINANCE,
    STATE_VEHICLES,
    CuratedAnswers,
    CuratedMatch,
    Referral,
    aspects_asked,
    codes_in,
    facets,
    for_state,
    institution_for,
    institutions_in,
    municipality,
    names_in,
    names_state_program,
    owner_words,
    referral_for,
    states,
)
from assistant.answering.evidence import answer_from, question_of
from assistant.answering.use_cases import best_use_case, fit_score
from assistant.knowledge.models import FaqEntry, SectorDef, UseCase
from assistant.knowledge.reader import Knowledge
from assistant.retrieval.hybrid import Filters, HybridRetriever
from assistant.schemas import BusinessProfile, SearchHit, Source, Topic
from assistant.turn import Answer, Evidence, Refusal, TurnInput, Understanding
from assistant.understanding.places import find_state
from assistant.understanding.reader import ABOUT_ME
from assistant.understanding.text import clip, fold, keyword_tokens, stopwords, words

# "¿y cómo lo tramito?", "¿y eso ya llegó a Oaxaca?": a question that leans on the last one.
_FOLLOW_UP = re.compile(r"^\W*y\b|\b(eso|esos|esas|ese|esa|ahi|alli|tambien|entonces)\b")
_HERE = re.compile(r"\b(aqui|aca|por aca|mi estado|mi ciudad|mi municipio|de aqui)\b")
_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()
FAQ_CANDIDATES = 40
SNIPPET = 220  # what a source shows of itself (and what the LLM composer reads of it)
# Follow-ups: weight of the question's words found in the text of an entry on the same subject.
FOLLOW_UP_IN_ANSWER = 0.3
# An earlier message was about a curated entry when its words match that entry this well.
LEXICAL_SUBJECT = 0.6
# Below this share of a follow-up's words said by the last entry, a follow-up naming another
# institution asks about that institution's business, not about the entry.
ELSEWHERE = 0.5
# What of a curated answer goes next to a diagnosis, when the owner's statement named its subject.
STATEMENT_GIST = 320
# Two curated answers in one reply ("¿cuánto cuesta y viene en español?"): how much of the
# first and of the second is shown, in whole sentences.
STACKED = (400, 280)
# "¿Me lo explicas más fácil?": the first sentences of the last answer, up to this many characters.
SIMPLER = 260
# The ideas that answer "¿qué puedo hacer yo?" fit this many characters (at least one idea).
IDEAS_ANSWER = 520
# What the owner tells next to a question adds a second entry only when it is nearly that
# entry's own question or paraphrase.
TOLD_LEXICAL = 0.8
# A follow-up that leans on the last curated answer stays on its subject with this score.
FOLLOW_MATCH = 0.45
# How much closer an entry on half of what is asked may be than one on all of it, and lose
# (in proportion to what it leaves out).
COVER_GAP = 0.12
# A follow-up whose words are all an entry's question (its lexical score) asks that entry.
VERBATIM = 0.8
# A follow-up that asks only for an aspect of the topic ("¿y q papeles ocupo?") is answered by
# the entry on the topic that shares most of its subject: weight of that share in the ranking.
ASPECT_NEAR = 0.3
# "¿Qué necesito?" asks who qualifies as much as which papers: an entry on either answers it.
_ASPECT_KIN = {"requirements": {"requirements", "who"}, "who": {"who", "requirements"}}
# "¿Y si soy RESICO?", "¿y si no tengo RFC?": the owner's own case, asked of the topic just
# answered (does it apply to me?), not a question about what the RESICO is.
_OWN_CASE = re.compile(
    r"^\W*y\s+si\s+(?:no\s+)?(?:soy|somos|estoy|estamos|tengo|tenemos|mi negocio es|es|fuera"
    r"|fueramos|estuviera|estuvieramos|tuviera|tuvieramos)\b"
)
# The facets an entry on the topic must be about to answer a follow-up that asks only for them
# ("¿y eso cuesta?": the topic's entry on its cost, or else the sentence that says it). Where
# and what are asked of any entry ("¿y dónde me registro?": how to apply, in the steps).
_ENTRY_FACETS = frozenset({"cost", "time", "requirements", "who", "language"})
# ...and needs this much of its words (lexical) when the aspect is not one entries are about.
ASPECT_WORDS = 0.3
# A support asked by kind ("¿me prestan pa una máquina?") takes the closest entry on that kind
# from this score on (far below MATCH: the kind of support, not the words, says it fits).
ON_TOPIC = 0.2
# Topics (folded) of the entries that serve a support asked by kind (understanding's
# support_asked), and the topic of the entries that answer it when none matches closely.
_SERVING = {
    "money": (
        "financiamiento",
        "credito",
        "deduccion inmediata",
        "estimulos fiscales",
        "activo fijo",
    ),
    "export": ("exportacion",),
}
_FALLBACK = {"money": "financiamiento", "export": "exportacion"}


def _serves(entry: FaqEntry, support: str | None) -> bool:
    topics = {fold(t) for t in entry.topics}
    return any(t in topics for t in _SERVING.get(support or "", ()))


def spanish_date(day: dt.date) -> str:
    return f"{day.day} de {_MONTHS[day.month - 1]} de {day.year}"


def leans_on_before(message: str) -> bool:
    """ "¿Y cómo lo tramito?", "¿y eso ya llegó?": a question that points back."""
    return bool(_FOLLOW_UP.search(fold(message)))


def is_short(message: str, words: int = 2) -> bool:
    return len(keyword_tokens(message)) <= words


# "No somos textiles, hacemos arneses": the owner talks about the business, nothing to refuse.
_ABOUT_ME = re.compile(
    r"\b(somos|soy|tengo|tenemos|vendemos|vendo|hacemos|hago|fabricamos|trabajo|trabajamos"
    r"|nosotros|mi negocio|mi hijo|mi hija|mi papa|mi mama|yo si|yo no)\b"
)
# "Usamos Excel y WhatsApp Business", "ya tenemos la denominación": what the owner already uses
# or has, told as a fact, asks for no explanation of it.
_USES = re.compile(r"\b(usamos|uso|utilizamos|utilizo|manejamos|manejo|ya tenemos|ya tengo)\b")
# "¿Se puede que la IA me traduzca…?", "¿de verdad sirve?": a question that a yes answers, and
# that the idea which shows how goes after.
_YES_NO = re.compile(
    r"^\W*(?:y\s+)?(?:se puede|puedo|podria|puede|pueden|me puede|nos puede|la ia (?:me |nos )?"
    r"(?:puede|podria|sirve|ayuda)|sirve|serviria|funciona|funcionaria|es posible|hay forma|hay manera"
    r"|me (?:ayuda|traduce|sirve)|nos (?:ayuda|sirve))\b"
    r"|\b(?:de verdad|en serio|neta|realmente) (?:sirve|funciona|ayuda)\b"
    r"|\b(?:sirve|funciona) (?:de verdad|en serio|o es)\b"
)
# "¿De verdad sirve o es puro cuento?", "¿neta funciona o es pura moda?": a doubt about AI
# itself, answered with an honest yes and its limits, then how to measure it.
_DOUBT = re.compile(
    r"\b(puro cuento|pura moda|puro rollo|pura mentira|de a mentis"
    r"|(?:de verdad|en serio|neta|realmente|si) (?:sirve|funciona|jala)"
    r"|(?:sirve|funciona|jala) (?:de verdad|en serio|o no))\b"
)
# What the doubt is about: AI itself ("eso de la IA"), not a course or a program.
_ABOUT_AI = re.compile(r"\b(ia|inteligencia artificial|eso|esto|esa|esta|la tecnologia)\b")
# "Todo lo llevo en una libreta": records on paper, which an idea for keeping records answers.
_ON_PAPER = re.compile(
    r"\b(libretas?|libretitas?|cuadernos?|cuadernitos?|hojas? sueltas|papel|papelitos|a mano"
    r"|en la cabeza|en la memoria|apunt\w+|anot\w+)\b"
)
_RECORD_WORDS = frozenset(
    keyword_tokens("registro registra bitacora control inventario lote lotes sheets formulario")
)
WORTH_IT = "empezar-vale-la-pena"  # the curated entry on measuring whether AI pays off
DOUBT_YES = "Sí, cuando la usas en una tarea concreta de tu negocio; no hace el trabajo sola."
# Words of a request for recommendations, not of a subject ("pásame la ruta de cursos").
_RECOMMEND_WORDS = frozenset(
    keyword_tokens(
        "recomiendas recomienda recomiendan recomendacion curso cursos ruta rutas idea ideas "
        "pasame dame empezar tomar tomo mejor primero siguiente nivel para mi mio pasas mandas "
        "das enseñas muestras compartes"
    )
)
# "¿Qué se te ocurre de IA pa mi florería?", "¿pa qué me sirve la IA en mi taller?": ideas for
# the owner's own business, which the sector's use cases answer.
_IDEA_WORDS = frozenset(
    keyword_tokens(
        "ocurre ocurren sugieres sugerencias propones propuestas ejemplos ejemplo usos uso "
        "sirve servir aplicar aplico usar uso utilizar hacer puedo podria ayudar ayuda"
    )
)
_MINE = re.compile(r"\b(?:mi|mis|nuestro|nuestra|nuestros|nuestras)\b")
# "¿También le serviría?", "¿para X sirve igual?": whether this serves another business.
_SERVES = re.compile(r"\b(sirve|serviria|servira|funciona|funcionaria|aplica|aplicaria|tambien)\b")
# "¿Cómo usan la IA las escuelas?", "¿para qué le sirve a un hotel?": how another business uses it.
_OTHERS_USE = re.compile(
    r"\b(?:como|para que|en que|pa que)\b(?:\s+\w+){0,3}?\s+(?:la\s+)?"
    r"(?:usan|usa|utilizan|utiliza|ocupan|ocupa|aprovechan|aprovecha|les? sirve|le sacan)\b"
)
# "¿Cuánto cuesta…?", "¿cuándo…?", "¿dónde…?" asked as a question: a fact, not a need.
_FACT_QUESTION = re.compile(
    r"\b(cuanto (?:\w+ ){0,3}(cuesta|cuestan|cobran|cobra|sale|salen|pago|pagar|paga|pagan|tarda"
    r"|tardan|dura|duran|queda|quedan|quita|quitan|descuenta|descuentan|retiene|es|son)"
    r"|que precio|cuando|donde|que requisitos|que documentos)\b"
)


# "…es gratis, ¿verdad?", "…ya me toca, ¿o no?": a tag that asks to confirm what was just said.
_CONFIRM_TAG = re.compile(
    r"[\s,]*¿?\s*(?:verdad|cierto|o no|no|correcto|neta|a poco|es asi|o me equivoco)"
    r"\s*\?+\s*$"
)


def confirmation_tag(message: str) -> tuple[str, bool]:
    """The message without its confirmation tag, and whether it had one: the tag says nothing of
    the subject (and "verdad", a word no entry uses, would outweigh the words that do)."""
    folded = fold(message)
    m = _CONFIRM_TAG.search(folded)
    if m is None or m.start() == 0:
        return message, False
    tail = len(folded) - m.start()  # the tag is at the end: cut as many characters there
    return message[: len(message) - tail].rstrip(" ,¿") + "?", True


# "No, te pregunto por mi papelería…", "no me refiero a eso…", "eso no, lo que quiero es…": the
# owner sets the last topic aside; the words that say so are not what is asked.
_SET_ASIDE = re.compile(
    r"^\W*(?:(?:no|nel|nop|nope)\b[\s,.!]*(?:eso\b[\s,.!]*)?(?:no\b[\s,.!]*)?"
    r"(?:(?:yo\s+)?te\s+(?:pregunto|preguntaba|pregunte|digo|decia)|(?:me\s+)?refiero|me\s+referia"
    r"|(?:yo\s+)?(?:hablo|hablaba)(?=\s+(?:de|del|sobre)\b)|es\s+eso|era\s+eso|quiero\s+eso"
    r"|pregunte\s+eso|te\s+pregunte\s+eso)"
    r"|eso\s+no\b|no\s+es\s+eso|no\s+era\s+eso)(?:\s+eso\b)?"
    r"(?:\s+(?:a|de|por|sobre|con)\s+eso\b)?(?:\s+(?:por|a|al|de|del|sobre|con)\b)?[\s,.;:!]*"
)
_WHAT_I_WANT = re.compile(
    r"^\W*(?:sino\s+(?:que\s+)?|mas\s+bien\s+)?(?:(?:yo\s+)?te\s+(?:pregunto|preguntaba)\s+"
    r"|lo\s+que\s+(?:yo\s+)?(?:quiero|quisiera|necesito|pregunto|te\s+pregunto|busco)"
    r"(?:\s+saber)?(?:\s+es)?(?:\s+saber)?\s+)?"
)


def topic_correction(message: str) -> tuple[str, bool]:
    """The message without the words that set the last topic aside, and whether it had them
    ("no, me refiero a mi florería, ¿qué hago yo?" -> "mi florería, ¿qué hago yo?")."""
    folded = fold(message)
    m = _SET_ASIDE.match(folded)
    if m is None:
        return message, False
    rest = folded[m.end() :]
    more = _WHAT_I_WANT.match(rest)
    cut = m.end() + (more.end() if more else 0)
    tail = len(folded) - cut  # folding keeps the length of what follows a cut like this one
    stripped = message[len(message) - tail :].strip(" ,.;:")
    if not keyword_tokens(stripped):
        return message, False
    # What the owner turns to is asked, with or without "?" ("lo que quiero es saber cómo…").
    return (stripped if "?" in stripped else stripped + "?"), True


# "cuanto sale shopify al mes": owners often leave out the "?"; a message that opens with the
# question word still asks.
_OPENS_ASKING = re.compile(
    r"^\W*(?:y\s+|oye\s+|oigan?\s+)?(?:cuanto|cuanta|cuando|donde|que precio)\b"
)
# Facets that ask for a figure, a date or a list of papers: what only the thing's owner states.
_FACT_FACETS = frozenset({"cost", "time", "requirements"})


def asks_fact(message: str) -> bool:
    folded = fold(message)
    asking = "?" in message or bool(_OPENS_ASKING.match(folded))  # not "no sé cuánto pan hornear"
    return asking and bool(_FACT_QUESTION.search(folded))


def asks_fact_of(message: str, explicit: bool) -> bool:
    """Whether a question asks a price, a fee, a date or the requirements of something: what a
    text about something else can't answer, however close its words."""
    return asks_fact(message) or (explicit and bool(facets(message) & _FACT_FACETS))


# "Me pidieron las DC-3, ¿q es eso?": what "eso" points to is the name said before it.
_WHAT_IS_THAT = re.compile(
    r"\b(?:que|q|k) (?:es|son|significa|onda con) (?:eso|esto|esa|ese|esos|esas)\b(?! del?\b)"
    r"|\b(?:eso|esto|esa|ese|esos|esas) (?:que|q|k) (?:es|son|significa)\b"
)


def what_is_that(message: str) -> str | None:
    """ "Vino un inspector y me pidió las DC-3, ¿q es eso?" -> "qué es dc3": a question about
    what something is, put with a pronoun, asks about the name the message says (the inspector
    who came is how it came up). None when it says no name we know, or asks something else."""
    said = owner_words(message)
    if not _WHAT_IS_THAT.search(said):
        return None
    named = [w for w in words(said) if names_in(w)]
    return f"que es {' '.join(dict.fromkeys(named))}" if named else None


class Answerer:
    """Answers a direct question from what `knowledge/` and the index hold."""

    def __init__(self, knowledge: Knowledge, retriever: HybridRetriever) -> None:
        self.knowledge = knowledge
        self.retriever = retriever
        self.curated = CuratedAnswers(knowledge.faq)

    # ---- the stage --------------------------------------------------------------------------
    def answer(
        self, turn: TurnInput, understood: Understanding, today: dt.date | None = None
    ) -> Answer:
        """The answer to the turn's question; a refusal only when nothing answers it."""
        today = today or dt.date.today()
        message, confirm = confirmation_tag(turn.message)
        message, redirected = topic_correction(message)
        turn = replace(turn, message=message)
        if redirected:
            # "No, te pregunto por mi papelería": the last topic is what the owner set aside.
            turn = replace(turn, topic=None, history=(), last_courses=())
        found = self._answer(turn, understood, today)
        if confirm:
            # Only a verdict on what was asked: "No necesitas saber programar" is no answer to
            # "cuesta 100 dólares, ¿cierto?".
            asked = self.curated.tokens(message) - self.curated.generic - _QUESTION_STEMS
            return _lead_with(found, _VERDICT, lambda x: bool(asked & self.curated.tokens(x)))
        if "who" in facets(message):
            # "¿Califico?", "¿me toca?": who qualifies first, then how to apply and the rest.
            return _lead_with(found, _WHO)
        figure = facets(message) & {"cost", "time"}
        if figure and found.kind == "curated":
            # "¿Cuánto cuesta Canva Pro?": the sentence on its price first (even when it says
            # the price isn't confirmed), before what the tool does.
            return _lead_with(
                found, _ANY, lambda x: bool(facets(x) & figure) and not _LEANS_BACK.match(fold(x))
            )
        return found

    def _answer(self, turn: TurnInput, understood: Understanding, today: dt.date) -> Answer:
        message = turn.message
        query = question_of(message)
        if len(keyword_tokens(query)) < 2:
            query = message  # "…descripciones de las casas, ¿cómo le hago yo?"
        query = what_is_that(message) or query
        profile = understood.profile
        last = turn.topic
        said_before = [text for role, text in turn.history if role == "user"]
        leans = bool(said_before) and leans_on_before(message)
        follow = (last is not None or bool(said_before)) and (leans or is_short(message))
        # The last reply showed the training path (alone, or next to its ideas or an answer).
        shown_path = (
            last is not None and bool(last.courses) and tuple(last.courses) == turn.path_sent
        )
        after_refusal = last is not None and last.kind == "refusal"
        leaning = follow or leans_on_before(query) or is_short(query, 4)
        if after_refusal and last is not None and leaning and self._still_refused(query, last):
            # "¿Y cuánto tarda?" right after "¿dónde saco el acta de nacimiento?": an aspect of
            # what nobody here answers is still for whoever was named, never for an entry on
            # another subject that shares the aspect's words.
            ref = Referral(last.refer_name, last.refer_url)
            return Answer(
                confident=False,
                kind="refusal",
                refusal=Refusal(reason="no_source", refer_name=ref.name, refer_url=ref.url),
                topic=last,
            )
        if leans and (last is None or last.kind not in ("faq", "courses")) and not shown_path:
            # "¿y cuánto les pagan?" right after the owner named the program in a statement we
            # took as a description: the subject is what that message was about.
            last = self._subject_of(said_before[-1], profile.state) or last
        on_faq = follow and last is not None and last.kind == "faq" and bool(last.ids)

        # A need or a want told with the business ("queremos venderle al gobierno", "se me
        # juntan las citas"): answered only by what clearly fits it (a curated answer on what it
        # names, or the sector's idea), never by a refusal.
        statement = bool(understood.changed) and not understood.explicit_question

        # 1. The owner's own path ("¿cuánto dura mi ruta?"), then courses just shown, pointed
        # at: "¿esos vienen en español?", "¿y el segundo?".
        own_path = path_duration(
            message, self.knowledge.courses, turn.path_sent, profile.weekly_hours
        )
        if own_path is not None and not statement:
            return self._catalog(own_path, turn.path_sent)
        # The last reply was about courses (a path shown, a course's facts): a bare "¿ese viene
        # en español?" or "¿cuál es el más fácil?" is about them.
        on_courses = last is not None and (last.kind == "courses" or shown_path) and not statement
        talked = tuple(last.ids) if last is not None and last.kind == "courses" else ()
        courses = catalog_answer(
            message,
            self.knowledge.courses,
            turn.last_courses,
            current=talked,
            on_courses=on_courses,
        )
        if courses is None and follow and said_before:
            courses = self._course_named_before(message, said_before[-1])
        if statement or (courses is not None and self._for_another_office(message, courses)):
            courses = None
        if courses is not None and courses.pointed and not self._names_beyond(message, courses):
            return self._catalog(courses, turn.last_courses)
        simpler = self._said_simpler(message, turn.topic, today)
        if simpler is not None:
            return simpler
        # "La segunda idea", "¿cómo empiezo con eso?", "¿eso cuesta?" after ideas were given.
        # (The topic the last reply left, not a subject read from the owner's last message.)
        idea = (
            None
            if statement
            else self._idea_follow_up(message, turn.topic, profile.sector, turn.last_ideas)
        )
        if idea is not None:
            return idea

        asks_recommendations = understood.wants_recommendations and not (
            set(keyword_tokens(query)) - self.curated.generic - _RECOMMEND_WORDS
        )
        if asks_recommendations:
            # "¿Qué cursos me recomiendas?", "pásame la ruta": the recommendations shown are the
            # answer (a curated answer for programmers is not, for a fonda).
            return Answer(kind="none")
        ideas = self._ideas_for(
            message, profile.sector, profile.size, query, turn.sent.get("ideas", "")
        )
        if ideas is not None:
            return ideas
        if _OTHERS_USE.search(fold(message)):
            # "¿Cómo usan la IA las escuelas?": that business's ideas, not national statistics.
            other = self._other_business(message, profile.sector, asked=True)
            if other is not None:
                return other

        doubt = _DOUBT.search(fold(message)) and _ABOUT_AI.search(fold(message))
        if doubt and WORTH_IT in self.knowledge.faq:
            worth = self.knowledge.faq[WORTH_IT]
            found = self._from_curated([CuratedMatch(worth, 1.0, 1.0, 1.0)], today)
            lead = Evidence(text=DOUBT_YES, n=0)
            return replace(found, evidence=(lead, *found.evidence))

        # 2. Curated answers. A short follow-up is first looked for inside the text just given
        # ("¿tiene sede en Tijuana?", "¿y eso ya llegó a Oaxaca?"), unless another entry on the
        # same subject answers it ("¿y cuánto cuesta?" after "¿cómo lo tramito?").
        # A price, a fee, a date or the papers of a thing someone named ("¿cuánto cobra Clip
        # por cobro?", "¿qué piden pal crédito de Mujeres Emprendedoras?"): only an entry that
        # speaks of that thing, and of the very charge asked, answers it; the nearest entry
        # about another thing is no answer. Read on the question, not on what comes with it.
        fact_of = asks_fact_of(query, understood.explicit_question) and not statement
        named = institution_for(query) if fact_of else None

        def holds(eid: str) -> bool:
            return not fact_of or self.curated.holds_fact(eid, query, named)

        def fits(m: CuratedMatch) -> bool:
            return holds(m.entry.id)

        curated = self._curated(
            turn, last, query, profile.state, profile.sector, follow, leans,
            fits if fact_of else None,
        )  # fmt: skip
        institution = institution_for(message)
        told = understood.in_domain and "?" not in message and bool(ABOUT_ME.search(fold(message)))
        if statement and curated and curated[0].lexical < LEXICAL_SUBJECT:
            curated = []
        if told and _USES.search(fold(message)):
            curated = []  # "usamos WhatsApp Business": no explanation of what they already use
        if courses is not None and courses.named_by and curated:
            # "¿Cuántas horas es Elements of AI?": a course named by its title is answered by its
            # own facts, unless the curated answer speaks of that very course (its price entry).
            text = fold(" ".join([curated[0].entry.question, curated[0].entry.answer]))
            if not courses.named_by <= set(words(text)):
                return self._catalog(courses, turn.last_courses)
        topical = (
            None
            if statement or courses is not None
            else catalog_topic(query, self.knowledge.courses)
        )
        if topical is not None:
            # "¿Hay algún curso gratis de ciberseguridad?": the courses on that topic, unless the
            # curated answer speaks of it (its list of AI courses doesn't).
            curated_text = (
                curated[0].entry.question + " " + curated[0].entry.answer if curated else ""
            )
            if not topical.named_by <= set(keyword_tokens(curated_text)):
                return self._catalog(topical)
        if on_faq and last is not None and institution is not None:
            if self._turns_elsewhere(query, last, institution) and not (
                curated and self.curated.centred_on(curated[0].entry.id, institution)
            ):
                # "¿Y pa dar de alta a mis panaderos en el seguro social?" after how to take
                # in apprentices, whose text only mentions the IMSS: the IMSS's business, which
                # no entry is about.
                return self._refusal(message, None, False, profile)
        if on_faq and last is not None and is_short(message, 6):
            # "¿Y qué papeles piden?", "¿sale gratis?": only a facet of what was just answered;
            # the sentences of that answer that state it, before any sibling entry's text (not
            # for a fact of another thing: "¿y el az-104 cuánto cuesta?").
            stated = (
                self._facet_of_last(query, last, today, curated)
                if all(holds(i) for i in last.ids[:1])
                else None
            )
            if stated is not None:
                return stated
            inside = self._from_last_answer(query, last, today, least=1, only=holds)
            same_subject = set(self.curated.related(last.ids)) - set(last.ids)
            # The text just given holds every word asked ("¿y hay en Morelia o nomás en la
            # CDMX?"): that is the answer, whatever entry on the subject comes close; unless
            # the entry on the very facet asked comes ("¿y q me piden en el banco pa ese
            # crédito?" after Nafin lends through banks: the entry on a credit's requirements).
            on = facets(query) & _ENTRY_FACETS
            on_facet = bool(curated) and self._facet_entry(curated[0].entry, last.ids[0], on)
            whole = self._from_last_answer(query, last, today, whole=True, only=holds)
            if whole is not None and on_facet:
                # Unless the text just given states it too ("El examen dura 90 minutos").
                on_facet = not any(states(whole.evidence[0].text, f) for f in on)
            if whole is not None and not on_facet:
                return whole
            if (
                inside is not None
                and not (curated and curated[0].entry.id in same_subject)
                and not (curated and self._names_new_subject(curated[0], query, last.ids))
            ):
                return self._place_not_covered(message, inside) or inside
        support = understood.support if not statement else None
        if curated and support in _FALLBACK and not _serves(curated[0].entry, support):
            # "¿Pa exportar hay algún apoyo del Plan México?": an entry that only shares the
            # words (what the Plan México is) is no answer to a money ask.
            money = self._closest_on(query, _FALLBACK[support], profile, today)
            if money is not None:
                return self._place_not_covered(message, money) or money
        if curated:
            found = self._from_curated(curated, today)
            if statement:
                # Told with the business in a first message: the gist, next to the diagnosis.
                gist = tuple(replace(e, text=_gist(e.text, STATEMENT_GIST)) for e in found.evidence)
                found = replace(found, evidence=gist[:1])
            if on_faq and last is not None and [m.entry.id for m in curated] == last.ids[:1]:
                # The entry just given, again: the sentences that hold what is asked, not the
                # whole text the owner just read.
                found = self._from_last_answer(query, last, today, least=1) or found
            return self._place_not_covered(message, found) or found
        if on_faq and last is not None and not self.curated.subject(query):
            # "¿Y eso cuesta?", "¿y q papeles ocupo?" on a topic no entry answers as a whole:
            # the sentence of the topic's text that says it, else who has it; never a course
            # list, an idea or a passage about something else.
            # Unless it names another thing whose fact the topic doesn't hold ("¿y el az-104
            # cuánto cuesta?" after the AWS exam's price).
            held = not (named or codes_in(query)) or all(holds(i) for i in last.ids[:1])
            aspect = self._aspect_of(query, last, today) if held else None
            return aspect or self._refusal(message, last, follow, profile)
        if support in _FALLBACK:
            # "¿Hay apoyo pa comprar otra lavadora?": no entry names the machine, but what
            # exists for it is credit. The closest entry on financing answers, never courses.
            money = self._closest_on(query, _FALLBACK[support], profile, today)
            if money is not None:
                return self._place_not_covered(message, money) or money
        if on_faq and last is not None:
            again = self._from_last_answer(query, last, today, related=True, only=holds)
            if again is not None:
                return self._place_not_covered(message, again) or again

        # 3. A course the message names: "¿cuánto dura Elements of AI?", or the catalog as a
        # whole: "¿cuánto cuestan los cursos?".
        if courses is not None:
            return self._catalog(courses, turn.last_courses)
        overview = catalog_overview(message, self.knowledge.courses)
        if overview is not None:
            return self._catalog(overview)

        # 4. An idea for the user's own business, from their sector's use cases; not for a
        # question of fact ("¿cuánto cuesta el registro sanitario?") nor for a follow-up on a
        # curated topic, which an idea can't answer.
        # Nor for a question an institution answers ("¿cuánto pago de cuotas del IMSS?").
        # Or one passed on for someone else ("el patrón pregunta cuánto cuestan los aretes del
        # SINIIGA"): a figure of a named institution is asked, "?" or not.
        relayed = institution is not None and bool(_FACT_QUESTION.search(fold(message)))
        fact = (
            asks_fact(message)
            or relayed
            or (institution is not None and understood.explicit_question)
        )
        if not (on_faq and is_short(message, 4)) and not fact:
            said = self.curated.tokens(message) - self.curated.generic
            dense = self._dense(query, "use_case")  # one Chroma query, for both lookups below
            case = best_use_case(said, self.knowledge, profile.sector, dense, profile.size)
            # A goal told as a statement ("quiero vender más") gets the idea that serves it
            # from the recommendations; an idea that serves another goal is no answer to it.
            goal_only = statement and "goals" in understood.changed and len(said) <= 2
            goals = set(profile.goals) if goal_only else set()
            just = set(last.ids) if last is not None and last.kind == "use_case" else set()
            if case is not None and case[1].id in just:
                # The idea just given, again: another that fits too, rather than the same
                # text word for word (a line that points to it when nothing else fits).
                alike = best_use_case(
                    said, self.knowledge, profile.sector, dense, profile.size, skip=just
                )
                if alike is None:
                    return self._same_idea_again(case[0], case[1])
                case = alike
            if case is not None and (not goals or goals & set(case[1].goals)):
                return self._from_use_case(*case, yes=bool(_YES_NO.search(fold(message))))

        # A new goal gets its idea from the recommendations (the plan's focus); a correction
        # ("no somos transportistas") asks for no idea.
        correcting = understood.corrected or bool(re.match(r"\W*no\b", fold(message)))
        new_goal = "goals" in understood.changed
        if told and profile.sector and not fact and not new_goal and not correcting:
            # A wish or how they work, told about a business we know ("kiero llevar control
            # por vaca", "usamos autocad"): the next idea for it, never a shrug.
            another = self._another_idea(query, profile.sector, profile.size, turn, last)
            if another is not None:
                return another
        if statement:
            return Answer(kind="none")  # nothing fits it clearly: the recommendations answer
        if not understood.in_domain and not on_faq and institution is None:
            if "?" not in message and (understood.changed or _ABOUT_ME.search(fold(message))):
                return Answer(kind="none")  # the owner told us about the business
            return Answer(confident=False, kind="redirect", refusal=Refusal(reason="out_of_domain"))

        # "¿Y para salones de belleza también sirve?", "a mi cuñado con su panadería, ¿le
        # serviría?": another business named in a question gets that business's ideas.
        other = self._other_business(message, profile.sector)
        if other is not None:
            return other

        # 5. Extractive evidence, kept to the user's state when the question is about here. An
        # institution's fee, date or requirement ("¿cuánto cobra el IMSS por trabajador?") is
        # answered by a checked entry or by the institution, not by a passage about something
        # else that names it.
        checked_only = (institution is not None and asks_fact(message)) or named is not None
        hits: list[SearchHit] = [] if checked_only else list(self.retriever.search(query, k=8))
        # Curated entries were weighed above as whole answers; their text is not evidence.
        hits = [h for h in _same_place(hits, profile.state, message) if h.kind != "faq"]
        found = answer_from(query, hits[:5], True)
        if found.confident and found.evidence:
            first = hits[0] if hits else None
            topic = Topic(
                kind="evidence",
                ids=[first.doc_id] if first else [],
                label=first.title if first else "",
            )
            return Answer(
                sources=found.sources, evidence=found.evidence, kind="evidence", topic=topic
            )

        # "tengo un estudio…" describes; "cuanto sale shopify pa mi tienda" asks, "?" or not.
        asking = "?" in message or bool(_OPENS_ASKING.match(fold(message))) or relayed
        described = bool(understood.changed) and not asking
        if described or (not understood.explicit_question and not asking and not follow):
            # A statement, not a question, or a description the recommendations answer.
            return Answer(kind="none")

        # 6. Nothing answers: say so, and who does (the topic's institution on a follow-up).
        return self._refusal(message, last, follow, profile)

    def _refusal(
        self, message: str, last: Topic | None, follow: bool, profile: BusinessProfile
    ) -> Answer:
        """Nothing answers: say so, and who does (the topic's institution on a follow-up)."""
        fallback = None
        if last is not None and follow and last.refer_name:
            fallback = Referral(last.refer_name, last.refer_url)
        ref = self._referral(message, profile, fallback)
        topic = last
        if ref not in (fallback, ECONOMIA):
            # Who handles what this message asks: the topic a follow-up leans on.
            label = clip(message, 200)
            topic = Topic(kind="refusal", label=label, refer_name=ref.name, refer_url=ref.url)
        return Answer(
            confident=False,
            kind="refusal",
            refusal=Refusal(reason="no_source", refer_name=ref.name, refer_url=ref.url),
            topic=topic,
        )

    def _for_another_office(self, message: str, facts: CourseFacts) -> bool:
        """Whether a message named courses only by words they share with an office's business
        ("¿Qué registro me pide Senasica pa vender miel?" and the "Guía de registro del
        vendedor"): the office it names is not what those courses are about."""
        ref = institution_for(message)
        if ref is None or facts.pointed:
            return False
        text = " ".join(
            f"{c.title} {c.title_es} {c.provider} {c.summary} {' '.join(c.topics)}"
            for c in facts.courses
        )
        return ref.name not in institutions_in(text)

    def _turns_elsewhere(self, query: str, last: Topic, ref: Referral) -> bool:
        """Whether a follow-up turns to another institution's business: one the last entry is
        not about (it may mention it in passing) and whose words that entry mostly doesn't
        say ("¿y el IMSS lo cubre?" after the apprentices' answer stays on it)."""
        eid = last.ids[0]
        if _same_office(ref, last) or self.curated.centred_on(eid, ref):
            return False
        said = self.curated.subject(query)
        return bool(said) and self.curated.covers(said, [eid]) < ELSEWHERE

    def _still_refused(self, query: str, last: Topic) -> bool:
        """Whether a follow-up to a refusal only asks an aspect of what was refused ("¿y cuánto
        tarda?", "¿y dónde queda la oficina?"), not a new subject ("¿y ChatGPT cuánto cuesta?",
        "¿hay cursos gratis?") nor another institution's."""
        if institutions_in(query) - institutions_in(last.label) or names_state_program(query):
            return False
        new = self.curated.subject(query) - self.curated.tokens(last.label)
        if not new:
            return True
        if len(new) > 1 or names_in(query):
            return False
        ranked = self.curated.rank(query, {})
        return not ranked or ranked[0].lexical < MATCH

    def _aspect_of(self, query: str, last: Topic, today: dt.date) -> Answer | None:
        """The sentences of the topic's text that state the aspect a follow-up asks ("Tú no les
        pagas…" for "¿y eso cuesta?"); None when none does."""
        found = self.curated.stating(query, last.ids)
        if found is None:
            return None
        entry, sentences = found
        answer = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
        text = " ".join(_with_antecedent(sentences, entry.answer))  # "…en esos bancos"
        return replace(answer, evidence=(Evidence(text=text, n=1),))

    def _ideas_for(
        self, message: str, sector: str | None, size: str | None, query: str, sent: str = ""
    ) -> Answer | None:
        """ "¿Qué se te ocurre de IA pa mi florería?": a question about AI for the owner's own
        business and nothing else gets their sector's use cases, the closest first."""
        s = self.knowledge.sectors.get(sector or "")
        if s is None or "?" not in message:
            return None
        own = set(keyword_tokens(" ".join([s.id, s.name, *s.aliases])))
        said = set(self.curated.tokens(message))
        about_ai = set(keyword_tokens("ia inteligencia artificial negocio"))
        if not said & (own | about_ai):
            return None  # "¿qué hago?" alone is not about AI for the business
        if not said & (about_ai | _IDEA_WORDS | _RECOMMEND_WORDS) and not _MINE.search(
            fold(message)
        ):
            # A word of the sector alone, neither AI, ideas nor the owner's own business, asks
            # something else ("¿y cuál es el estado con más internet?" from an online shop).
            return None
        if said - self.curated.generic - _RECOMMEND_WORDS - _IDEA_WORDS - own:
            return None  # it asks about something in particular
        dense = self._dense(query, "use_case")
        # Only ideas that fit the business's size ("planta de 300": no workshop quotes); those
        # not shown yet come first: the ones already sent are in the chat above.
        seen = set(sent.split(","))
        ideas = self.knowledge.ideas.get((s.id, size), [])
        ranked = sorted(ideas, key=lambda uc: (uc.id in seen, -dense.get(uc.id, 0.0)))
        cases: list[UseCase] = []
        lines: list[str] = []
        for uc in ranked[:3]:
            line = f"{uc.title}: {uc.what_ai_does.split('. ')[0].rstrip('.')}."
            if lines and sum(len(x) + 1 for x in lines) + len(line) > IDEAS_ANSWER:
                break  # one screen: the rest are in the ideas already offered
            cases.append(uc)
            lines.append(line)
        sources = tuple(
            Source(
                n=i,
                title=f"{s.name}: {uc.title}",
                url=next((str(t.url) for t in uc.tools if t.url), None) or str(s.sources[0].url),
                kind="use_case",
                snippet=clip(line, SNIPPET),
            )
            for i, (uc, line) in enumerate(zip(cases, lines, strict=True), 1)
        )
        return Answer(
            sources=sources,
            evidence=tuple(Evidence(text=line, n=i) for i, line in enumerate(lines, 1)),
            kind="use_case",
            topic=Topic(
                kind="use_case",
                ids=[uc.id for uc in cases],
                courses=[c for uc in cases for c in uc.related_courses],
                label=cases[0].title if cases else "",
            ),
        )

    def _said_simpler(self, message: str, last: Topic | None, today: dt.date) -> Answer | None:
        """ "¿Me lo explicas más fácil?", "no le entendí": the last answer again, in its first
        plain sentences (what it is and the one thing to know), not a new subject."""
        folded = fold(message)
        if last is None or not last.ids or not _SIMPLER.search(folded):
            return None
        rest = _SIMPLER_WORDS.sub(" ", _SIMPLER.sub(" ", folded))
        if set(keyword_tokens(rest)) - self.curated.generic:
            return None  # "¿qué es el Plan México, en palabras sencillas?" asks a subject
        if last.kind == "faq" and last.ids[0] in self.knowledge.faq:
            entry = self.knowledge.faq[last.ids[0]]
            found = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
            gist = _gist(entry.answer, SIMPLER)
            if gist[1:2].islower():  # "Es un estímulo…" -> "en pocas palabras, es un estímulo…"
                gist = gist[:1].lower() + gist[1:]
            text = f"En pocas palabras, {gist}"
            return replace(found, evidence=(Evidence(text=text, n=1),))
        return None

    def _idea_follow_up(
        self,
        message: str,
        last: Topic | None,
        sector: str | None,
        earlier: Sequence[str] = (),
    ) -> Answer | None:
        """A follow-up on the ideas the last reply gave: one by its place ("la segunda idea",
        "la tercera, ¿cómo la hago?") or by what it is about ("¿y lo de WhatsApp cómo?"), or
        the idea just given ("¿cómo empiezo con eso?", "dame un ejemplo", "¿eso cuesta?"):
        the idea in full, its first step, or what its tools cost. None for anything else.
        `earlier`: the ideas listed some turns before, which a place or a name still points
        into ("y la primera idea, ¿cómo sería?" after the programs)."""
        s = self.knowledge.sectors.get(sector or "")
        folded = fold(message)
        if s is None or _NEW_TOPIC.search(folded):
            return None
        if last is None or not (last.ideas or last.kind == "use_case"):
            last = Topic(kind="faq", ideas=list(earlier))  # only a place or a name points back
        listed = list(last.ideas) or (list(last.ids) if last.kind == "use_case" else [])
        by_id = {uc.id: uc for uc in s.use_cases}
        by_id.update({uc.id: uc for ucs in self.knowledge.ideas.values() for uc in ucs})
        listed = [i for i in listed if i in by_id]
        if not listed:
            return None
        ordinal = _IDEA_PLACE.search(folded)
        asks = _IDEA_HOW.search(folded) or _IDEA_COST.search(folded)
        about = _IDEA_ABOUT.search(folded)
        if ordinal is None and not asks:
            return None
        rest = folded
        for rx in (_IDEA_PLACE, _IDEA_HOW, _IDEA_COST, _IDEA_FILLER):
            rest = rx.sub(" ", rest)
        said = set(keyword_tokens(rest)) - self.curated.generic - _QUESTION_STEMS
        if ordinal is not None:
            at = _PLACES[ordinal.group(1)]
            if at >= len(listed):
                return None
            uc = by_id[listed[at]]
        elif said:
            # "¿Y lo de WhatsApp cómo?": the one idea whose title holds what the owner named, and
            # nothing else named ("¿cuánto cuesta Shopify?" asks about Shopify, not an idea).
            if about is None:
                return None
            named = [i for i in listed if said <= set(keyword_tokens(_idea_text(by_id[i])))]
            titled = [i for i in named if said & set(keyword_tokens(by_id[i].title))] or named
            if not titled:
                return None
            uc = by_id[titled[0]]
        elif last.kind == "use_case":
            # "¿Eso cuesta?": the idea just given, else the first of those listed.
            uc = by_id[last.ids[0] if last.ids and last.ids[0] in by_id else listed[0]]
        else:
            return None  # a bare "¿y cuánto cuesta?" after an answer asks about that answer
        topic = Topic(
            kind="use_case",
            ids=[uc.id],
            courses=list(uc.related_courses),
            ideas=listed,
            label=uc.title,
        )
        if _IDEA_COST.search(folded) and not _IDEA_HOW.search(folded):
            tools = "; ".join(f"{t.name}: {t.cost}" for t in uc.tools)
            free = "Puedes empezar sin pagar. " if uc.cost_class == "gratis" else ""
            serve = "te sirve" if len(uc.tools) == 1 else "te sirven"
            text = f"{free}Para «{uc.title}» {serve} {tools}."
        elif _EXAMPLE.search(folded) and ordinal is None and list(last.ids[:1]) == [uc.id]:
            # The idea is already on screen: the example is its concrete first step.
            text = f"Un ejemplo con «{uc.title}»: {uc.first_step}"
        elif _IDEA_START.search(folded):
            names = [t.name for t in uc.tools[:3]]
            serve = "Te sirve" if len(names) == 1 else "Te sirven"
            text = f"Para empezar con «{uc.title}»: {uc.first_step} {serve}: {', '.join(names)}."
        else:
            what = " ".join(re.split(r"(?<=[.!?])\s+", uc.what_ai_does.strip())[:2])
            text = f"{uc.title}: {what} Primer paso: {uc.first_step}"
        return _use_case_answer(s, uc, _clip_sentences(text, 700), topic)

    def _other_business(
        self, message: str, sector: str | None, asked: bool = False
    ) -> Answer | None:
        """The ideas of another business the question names and asks whether this serves (or,
        `asked`, how that business uses AI)."""
        folded = fold(message)
        if "?" not in message or not (asked or _SERVES.search(folded)):
            return None
        said = keyword_tokens(message)
        for s in self.knowledge.sectors.values():
            if s.id in (sector, "general"):
                continue
            for alias in s.aliases:
                stems = keyword_tokens(alias)
                n = len(stems)
                if n and any(said[i : i + n] == stems for i in range(len(said) - n + 1)):
                    also = " también" if sector else ""  # next to the owner's own business
                    return self._sector_ideas(
                        s, f"Para {s.name[:1].lower()}{s.name[1:]}{also} sirve, por ejemplo"
                    )
        return None

    def _sector_ideas(self, s: SectorDef, lead: str) -> Answer:
        cases = s.use_cases[:2]
        text = f"{lead}: " + "; ".join(
            f"{uc.title.rstrip('.')} ({uc.what_ai_does.split('. ')[0].rstrip('.')})" for uc in cases
        )
        text = _clip_sentences(text + ".", 600)
        topic = Topic(kind="use_case", ids=[uc.id for uc in cases], label=cases[0].title)
        return _use_case_answer(s, cases[0], text, topic)

    def _another_idea(
        self, query: str, sector: str, size: str | None, turn: TurnInput, last: Topic | None
    ) -> Answer | None:
        """The business's idea for what the owner told, never the one just given: the one
        that holds most of their words, else (or for records kept on paper, the idea for
        keeping records) the closest in meaning among those not sent yet."""
        s = self.knowledge.sectors.get(sector)
        if s is None:
            return None
        just = set(last.ids) if last is not None and last.kind == "use_case" else set()
        ideas = [uc for uc in self.knowledge.ideas.get((s.id, size), []) if uc.id not in just]
        if not ideas:
            return None
        sent = set(filter(None, turn.sent.get("ideas", "").split(",")))
        dense = self._dense(query, "use_case")
        fresh = [uc for uc in ideas if uc.id not in sent] or ideas
        if _ON_PAPER.search(fold(turn.message)):
            # Records kept on paper: the idea for keeping them, even if it was listed before.
            keeping = [
                (len(_RECORD_WORDS & set(keyword_tokens(_idea_text(uc)))), uc) for uc in ideas
            ]
            fresh = [uc for n, uc in keeping if n >= 2 and n == max(k for k, _ in keeping)] or fresh
        said = self.curated.tokens(turn.message) - self.curated.generic
        scored = {uc.id: fit_score(said, uc, dense) for uc in ideas}
        named = [uc for uc in ideas if scored[uc.id][1] > 0]  # holds some of the owner's words
        pool = named if named and not _ON_PAPER.search(fold(turn.message)) else fresh
        uc = max(pool, key=lambda u: scored[u.id][0])
        return self._from_use_case(s, uc, scored[uc.id][0])

    def _same_idea_again(self, sector: SectorDef, uc: UseCase) -> Answer:
        """The idea just given answers this too: said so in a line, with what the owner has
        not read yet of it, instead of the same text again."""
        sentences = re.split(r"(?<=[.!?])\s+", uc.what_ai_does.strip())
        more = " ".join(sentences[1:3]) if len(sentences) > 1 else ""
        text = f"Para eso te sirve la misma idea que te acabo de dar, «{uc.title}»."
        text += f" {more}" if more else " Empieza por el primer paso que te di."
        topic = Topic(
            kind="use_case", ids=[uc.id], courses=list(uc.related_courses), label=uc.title
        )
        return _use_case_answer(sector, uc, _clip_sentences(text, 600), topic)

    def _from_use_case(
        self, sector: SectorDef, uc: UseCase, score: float, yes: bool = False
    ) -> Answer:
        what = uc.what_ai_does.split(". ")[0].rstrip(".")
        # "¿Se puede que me traduzca al francés?": the yes first, then the idea that shows how.
        lead = "Sí. " if yes else ""
        text = _clip_sentences(f"{lead}{uc.title}: {what}. Primer paso: {uc.first_step}", 600)
        topic = Topic(
            kind="use_case", ids=[uc.id], courses=list(uc.related_courses), label=uc.title
        )
        return _use_case_answer(sector, uc, text, topic)

    def _referral(
        self, message: str, profile: BusinessProfile, fallback: Referral | None = None
    ) -> Referral:
        """Who handles what we can't answer: the institution or company the question names
        (the municipality by name when the city is known), else the product asked about by
        its own site, else the topic's institution or Economía."""
        ref = institution_for(message)
        named = find_state(message)
        if ref is MUNICIPALITY:
            return municipality((named[1] if named else None) or profile.city)
        if ref in (STATE_VEHICLES, CIVIL_REGISTRY, STATE_FINANCE):
            return for_state(ref, named[0] if named else profile.state)
        if ref is None and names_state_program(message):
            return for_state(STATE_ECONOMY, named[0] if named else profile.state)
        if ref is None and (product := self._unknown_product(message)):
            return Referral(f"{product}, en su página oficial", "")
        return ref or fallback or ECONOMIA

    def _unknown_product(self, message: str) -> str | None:
        """ "¿Cuánto sale Shopify al mes?": the thing whose price is asked, when no entry ever
        names it (a word the entries use is a subject we know, not a product)."""
        m = _PRICE_OF.search(fold(message))
        if m is None:
            return None
        word = m.group(1)
        if word in stopwords() or set(keyword_tokens(word)) & self.curated.vocabulary:
            return None
        return word[:1].upper() + word[1:]

    def _place_not_covered(self, message: str, found: Answer) -> Answer | None:
        """ "¿En qué dirección está el centro de examen en Hermosillo?": a curated answer that
        never names the place asked about doesn't hold that detail; say so, and who has it."""
        if "place" not in facets(message) or found.topic is None:
            return None
        # The place the question names, not where the business is ("tengo un cyber en
        # Hermosillo y quiero la certificación, ¿dónde se presenta el examen?").
        named = find_state(question_of(message))
        entry = self.knowledge.faq.get(found.topic.ids[0]) if found.topic.ids else None
        if not named or entry is None or entry.states:
            return None
        state, city = named
        text = fold(" ".join(e.text for e in found.evidence))
        if fold(city or state) in text:
            return None
        ref = entry.refer_to
        # The entry's own institution has the detail (Pearson VUE lists its test centres).
        where = Referral(ref.name, str(ref.url)) if ref else referral_for(message)
        return Answer(
            confident=False,
            kind="refusal",
            refusal=Refusal(reason="no_source", refer_name=where.name, refer_url=where.url),
            topic=found.topic,
        )

    # ---- curated ----------------------------------------------------------------------------
    def path_answer(
        self, message: str, path: Sequence[str], weekly_hours: float | None
    ) -> Answer | None:
        """ "¿Cuánto dura la ruta?" asked as the path is given: how long that path takes."""
        facts = path_duration(message, self.knowledge.courses, path, weekly_hours)
        return self._catalog(facts, path) if facts is not None else None

    def _closest_on(
        self, query: str, topic: str, profile: BusinessProfile, today: dt.date
    ) -> Answer | None:
        """The curated entry on `topic` (a topic of the entries, folded) closest to a question
        that asks for that kind of support without naming an entry's words; None when even the
        closest is far (ON_TOPIC)."""
        ids = [
            eid for eid, e in self.knowledge.faq.items() if any(fold(t) == topic for t in e.topics)
        ]
        dense = self._dense(query, "faq")
        ranked = self.curated.rank(
            query, dense, state=profile.state, sector=profile.sector, within=ids
        )
        if not ranked or ranked[0].score < ON_TOPIC:
            return None
        # "¿Qué tasa me da BBVA?", "¿cuándo abre la convocatoria?": a figure or a date asked
        # that the closest entry does not give is no answer; the refusal says who has it.
        if (facets(query) & {"cost", "time"}) - self.curated.facets_of(ranked[0].entry.id):
            return None
        if not self.curated.holds_fact(ranked[0].entry.id, query, institution_for(query)):
            return None  # "¿qué tasa me da Banorte?": the entry on Nafin is not Banorte's rate
        return self._from_curated(ranked[:1], today)

    def _dense(self, query: str, kind: str) -> dict[str, float]:
        """Dense similarity per document id; the query vector is the turn's (memoised)."""
        return self.retriever.dense_by_document(query, FAQ_CANDIDATES, Filters(kind=kind))

    def _curated(
        self,
        turn: TurnInput,
        last: Topic | None,
        query: str,
        state: str | None,
        sector: str | None,
        follow: bool,
        leans: bool,
        fits: Callable[[CuratedMatch], bool] | None = None,
    ) -> list[CuratedMatch]:
        if len(keyword_tokens(query)) < 2 and query != what_is_that(turn.message):
            query = turn.message  # "…descripciones de las casas, ¿cómo le hago yo?"
        dense = self._dense(query, "faq")
        named = find_state(turn.message)
        named_states = [named[0]] if named else []
        extra: list[str] = []
        if state and not named_states and _HERE.search(fold(turn.message)):
            extra = keyword_tokens(state)  # "¿hay polo aquí?" asks about the user's state
        # The user's earlier messages, and this one: a name said while describing the business
        # ("estoy en RESICO, ¿lo puedo deducir?") is what the question is about.
        context = [text for role, text in turn.history if role == "user"] + [turn.message]
        # Said in this message but outside the question clause, a name is part of what is asked.
        extra += sorted(names_in(turn.message) - self.curated.tokens(query))
        if last is not None and last.kind == "faq":
            # What the last answer named is said too ("¿y cómo entro?" after SaberesMX).
            context += [self.knowledge.faq[i].answer for i in last.ids if i in self.knowledge.faq]

        def rank(
            within: list[str] | None,
            more: list[str],
            in_answer: float = 0.0,
            stay: Sequence[str] = (),
            near: float = 0.0,
        ) -> list[CuratedMatch]:
            return self.curated.rank(
                query, dense, state=state, named_states=named_states, sector=sector,
                within=within, extra_tokens=more, context=context, in_answer=in_answer,
                stay=stay, near=near,
            )  # fmt: skip

        ranked = rank(None, extra)
        own_ranking = ranked  # the message on its own, before the last topic's words
        on_subject = False
        if leans and last is not None and last.kind == "faq" and last.ids:
            # "¿y eso lo puedo deducir?": "eso" is what the last answer was about, whatever the
            # entry that answers it now; not when it speaks of less of what is asked ("¿y los
            # cursos cuestan?" names its own subject).
            about = rank(None, [*extra, *self.curated.subject_tokens(last.ids)])
            if about and (
                not ranked
                or (about[0].score > ranked[0].score and about[0].covered >= ranked[0].covered)
            ):
                ranked = about
        for_a_place = self._only_a_place(query)
        if follow and last is not None and last.kind == "faq" and last.ids:
            # "¿y cuánto cuesta?": the entries on the subject just discussed, with its words.
            # Asked only for an aspect ("¿y q papeles ocupo?"), the entry closest to that subject
            # answers, and no entry on another one: its words ("documentos") are any topic's.
            subject = self.curated.subject(query)
            aspect_only = not subject
            again = rank(
                self.curated.related(last.ids),
                [*extra, *self.curated.subject_tokens(last.ids)],
                in_answer=FOLLOW_UP_IN_ANSWER,
                stay=last.ids[:1],
                near=ASPECT_NEAR if aspect_only else 0.0,
            )
            # "¿Y q me piden en el banco pa ese crédito?" after "Nafin lends through banks": the
            # entry on the subject about the facet asked (its requirements) over the one just
            # given, which never speaks of it.
            # Asked of what that entry is asked about ("el crédito"), not of a neighbour ("¿y
            # cuánto dura el examen?" is not how long the certification lasts).
            on = facets(query) & _ENTRY_FACETS
            if on and again and not on & self.curated.claims_of(again[0].entry.id):
                facet = [
                    m for m in again[:3]
                    if self._facet_entry(m.entry, last.ids[0], on) and _accepted(m, True)
                    and (not subject or subject & self.curated.asked_with(m.entry.id))
                ]  # fmt: skip
                if facet:
                    again = [facet[0], *(m for m in again if m is not facet[0])]
            if aspect_only:
                # Still only an entry that holds the fact asked ("¿y el az-104 cuánto cuesta?"
                # names a code no entry prices: no other exam's price).
                on_aspect = self._on_aspect(query, again, last.ids)
                return [m for m in on_aspect if fits(m)] if fits is not None else on_aspect
            if _OWN_CASE.search(fold(query)):
                # The entry on the topic that speaks of the owner's case, or none: the answer
                # just given, when it does ("…deja fuera a las personas físicas del RESICO").
                given = self.curated.covers(subject, last.ids[:1]) == 1.0
                ranked = [
                    m
                    for m in again
                    if (m.entry.id in last.ids)
                    or (not given and self.curated.same_subject(m.entry.id, last.ids))
                ]
                on_subject = True

            # On the subject just discussed, an acceptable entry wins over a closer stranger,
            # and a follow-up that leans on it needs less to stay there; unless the follow-up
            # names a new subject ("¿y el curso ese da constancia?" after tips on mobile data).
            moved = bool(ranked and again) and self._names_new_subject(
                ranked[0], query, [again[0].entry.id]
            )
            # Or it is, word for word, the question of an entry on another subject ("¿y ya hay
            # ley de IA en México?" after the privacy notice: not the data law's fines).
            verbatim = own_ranking[0] if own_ranking and not _OWN_CASE.search(fold(query)) else None
            if (
                verbatim is not None
                and again
                and verbatim.lexical >= VERBATIM
                and verbatim.score > again[0].score
                and verbatim.entry.id != again[0].entry.id
            ):
                moved, ranked = True, own_ranking
            if (
                not on_subject
                and again
                and not moved
                and (
                    _accepted(again[0], leans)
                    or not ranked
                    or again[0].score >= ranked[0].score - 0.05
                    # "¿y del Edomex hay algo?": the same ask for a place; the closest entry on
                    # the subject holds it even without the place's name.
                    or (again[0].score >= FOLLOW_MATCH and for_a_place)
                )
            ):
                ranked = again
                on_subject = True
        placed = on_subject and for_a_place and ranked[0].score >= FOLLOW_MATCH
        if not ranked or not (_accepted(ranked[0], on_subject) or placed):
            return []
        others = ranked
        if fits is not None:
            # The closest that can answer the fact asked, if the closest of all would answer.
            ranked = [m for m in ranked if fits(m)]
            if not ranked or not _accepted(ranked[0], on_subject):
                return []
        if not on_subject and len(ranked) > 1:
            # "¿Dónde hay wifi gratis pa descargar los cursos?": the entry on everything asked
            # (public wifi) over a close one on half of it (free courses).
            first, second = ranked[0], ranked[1]
            # Not when the first speaks of a name said beside the question that the second
            # doesn't ("estoy en RESICO, ¿los cursos los puedo deducir?").
            beside = self.curated.covers(extra, [first.entry.id]) > self.curated.covers(
                extra, [second.entry.id]
            )
            if (
                second.covered >= 1.0 > first.covered
                and second.score >= first.score - 2 * COVER_GAP * (1 - first.covered)
                and _accepted(second)
                and not beside
            ):
                ranked = [second, first, *ranked[2:]]
        chosen = [ranked[0]]
        # "¿y cuánto cuesta y cuánto tarda?": a second entry for the other thing asked.
        asked = facets(query)
        if len(asked) > 1:
            # What the first entry's question asks, and what its opening sentence already says
            # ("Sí, varios y en español.").
            covered = set(self.curated.facets_of(ranked[0].entry.id))
            covered |= facets(_gist(ranked[0].entry.answer, 0))
            # The other thing asked needn't be the fact the first one holds ("¿cuánto cuesta y
            # viene en español?": the entry on its language says nothing of its price).
            for m in [m for m in others if m.entry.id != ranked[0].entry.id][:5]:
                more = set(self.curated.facets_of(m.entry.id)) & asked - covered
                if self.curated.redundant(ranked[0].entry.id, m.entry.id):
                    continue  # it says again what the first answer says
                if more and _accepted(m):
                    chosen.append(m)
                    break
        told = self._told_with(turn.message, query, dense, state, sector, chosen[0])
        return chosen if told is None or len(chosen) > 1 else [*chosen, told]

    def _told_with(
        self,
        message: str,
        query: str,
        dense: dict[str, float],
        state: str | None,
        sector: str | None,
        first: CuratedMatch,
    ) -> CuratedMatch | None:
        """ "¿Qué cursos gratis hay? Solo tengo celular": what the owner tells next to the
        question, when it is itself the whole of another entry's question (a close match on its
        own), is part of what a good answer covers."""
        rest = message.replace(query, " ") if query != message else ""
        if len(keyword_tokens(rest)) < 2:
            return None
        ranked = self.curated.rank(rest, dense, state=state, sector=sector)
        if not ranked or ranked[0].entry.id == first.entry.id:
            return None
        m = ranked[0]
        if m.lexical < TOLD_LEXICAL or not _accepted(m):
            return None
        return None if self.curated.redundant(first.entry.id, m.entry.id) else m

    def _on_aspect(
        self, query: str, again: list[CuratedMatch], ids: Sequence[str]
    ) -> list[CuratedMatch]:
        """The entries on the topic `ids` that answer a follow-up asking only for an aspect of it
        (`again`: the topic's entries ranked for it); none when a sentence of its text says it
        or nothing does (`_aspect_of`, else the referral)."""
        ranked = [m for m in again if self.curated.same_subject(m.entry.id, ids)]
        asked = {k for f in facets(query) & _ENTRY_FACETS for k in _ASPECT_KIN.get(f, {f})}
        if asked:
            # An entry on what is asked ("¿y q papeles?": the seal's documents), one per thing
            # asked ("¿y cuánto cuesta y cuánto tarda?"); not the one just given again, whose
            # sentence on it is enough.
            chosen: list[CuratedMatch] = []
            for m in ranked:
                on = asked & self.curated.facets_of(m.entry.id)
                if on and m.entry.id not in ids:
                    chosen.append(m)
                    asked -= on
                if not asked or len(chosen) == 2:
                    break
            return chosen
        # Otherwise an entry that holds the words asked ("¿y dónde me registro?": the steps),
        # not one that the topic's words or closeness alone bring up ("¿y en mi estado hay?").
        if not self.curated.tokens(query) - self.curated.generic and aspects_asked(query):
            return []
        ranked = [m for m in ranked if m.lexical >= ASPECT_WORDS and m.covered >= 0.5]
        return ranked[:1] if ranked and _accepted(ranked[0], True) else []

    def _names_new_subject(self, m: CuratedMatch, query: str, before: Sequence[str]) -> bool:
        """Whether a follow-up is about `m`'s subject rather than the entries `before`: `m`
        answers it on its own and speaks of more of the subject it names ("¿y hay cursos
        gratis?" after WhatsApp Business: the courses entry, not the sentence on the free app).
        Words that only ask for an aspect ("¿y q papeles ocupo?", "¿y cuánto dura?") name no
        subject: every topic has papers and a length."""
        named = self.curated.subject(query)
        if not named or m.entry.id in before or not _accepted(m):
            return False
        if self._only_a_place(query):
            return False  # "¿y del Edomex hay algo?": the same subject, asked for a place
        mine, theirs = self.curated.covers(named, [m.entry.id]), self.curated.covers(named, before)
        if mine != theirs:
            return mine > theirs
        # Both speak of the subject named ("¿y cuánto pagaría en RESICO?"): the one that speaks
        # of more of all that is asked (how much, not only what the RESICO is).
        return m.covered > self.curated.coverage(query, before)

    def _only_a_place(self, query: str) -> bool:
        """Whether the only thing a question names is a state or city ("¿y en Jalisco?")."""
        own = self.curated.tokens(query) - self.curated.generic - _QUESTION_STEMS
        places = {t for w in words(fold(query)) if find_state(w) for t in keyword_tokens(w)}
        return bool(own) and own <= places

    def _from_curated(self, matches: list[CuratedMatch], today: dt.date) -> Answer:
        sources: list[Source] = []
        evidence: list[Evidence] = []
        cautions: list[str] = []
        for m in matches:
            e = m.entry
            src = e.sources[0]
            n = len(sources) + 1
            sources.append(
                Source(
                    n=n,
                    title=src.title,
                    url=str(src.url),
                    kind="faq",
                    snippet=clip(" ".join(e.answer.split()), SNIPPET),
                    published=src.date.isoformat(),
                )
            )
            text = e.answer.strip()
            if len(matches) > 1:
                # Two answers in one reply: the gist of each, so the reply stays one screen.
                text = _gist(text, STACKED[min(n, len(STACKED)) - 1])
            evidence.append(Evidence(text=text, n=n))
            if e.review_by < today:  # past its review date: still shown, with a caution
                cautions.append(
                    f"Este dato se revisó el {spanish_date(e.verified_on)} y ya toca confirmarlo"
                    + (f" con {e.refer_to.name}." if e.refer_to else ".")
                )
        first: FaqEntry = matches[0].entry
        course_ids = [c for m in matches for c in m.entry.course_ids]
        return Answer(
            sources=tuple(sources),
            evidence=tuple(evidence),
            kind="curated",
            verified_on=first.verified_on,
            caution=cautions[0] if cautions else "",
            topic=Topic(
                kind="faq",
                ids=[m.entry.id for m in matches],
                courses=course_ids,
                label=first.question,
                refer_name=first.refer_to.name if first.refer_to else "",
                refer_url=str(first.refer_to.url) if first.refer_to else "",
            ),
        )

    def _subject_of(self, said: str, state: str | None) -> Topic | None:
        """The curated entry an earlier message was about, if one clearly was (a request for
        recommendations, "¿qué cursos me recomiendas?", is about none)."""
        if not set(keyword_tokens(said)) - self.curated.generic - _RECOMMEND_WORDS:
            return None
        ranked = self.curated.rank(said, {}, state=state)
        if not ranked or ranked[0].lexical < LEXICAL_SUBJECT:
            return None
        e = ranked[0].entry
        return Topic(kind="faq", ids=[e.id], courses=list(e.course_ids), label=e.question)

    def _from_last_answer(
        self,
        query: str,
        last: Topic,
        today: dt.date,
        related: bool = False,
        least: int = 0,
        whole: bool = False,
        only: Callable[[str], bool] | None = None,
    ) -> Answer | None:
        """The sentences of the last curated answer (or, with `related`, of the entries on the
        same subject) that hold at least half of the question's words (or `least` of them, or
        with `whole` all of them, in one sentence or two next to each other). A sentence of
        another entry holds most of the subject the question names, if it names one, by weight:
        "¿y pa vender en línea?" is not answered by the seal's "lo puedes pedir en línea", "¿y
        cuántos puntos necesito pa pasar?" is by "se aprueba con 700 de 1000 puntos"."""
        own = set(self.curated.tokens(query)) - self.curated.generic
        if not own:
            return None
        named = self.curated.subject(query)
        half = self.curated.weighed(named) / 2
        own -= _QUESTION_STEMS
        if not own or (whole and len(own) < 2):
            return None
        best: list[tuple[int, str, str]] = []
        ids = list(last.ids)
        if related:  # the entries on the same subject, not all that share a broad topic
            ids = [
                i for i in self.curated.related(last.ids) if self.curated.same_subject(i, last.ids)
            ]
        # A fact asked of another thing ("¿y el az-104?" after the AWS exam's price): only the
        # entries that hold it (`only`), not the sentence of the last answer that shares a word.
        ids = [i for i in ids if only is None or only(i)]
        for eid in ids:
            entry = self.knowledge.faq.get(eid)
            if entry is None:
                continue
            sentences = re.split(r"(?<=[.!?])\s+", entry.answer.strip())
            if whole:
                for a, b in zip(sentences, [*sentences[1:], ""], strict=True):
                    one = self.curated.tokens(a)
                    pair = " ".join([a, b]) if own <= one | self.curated.tokens(b) else ""
                    if own <= one or pair:
                        best.append((len(own), a if own <= one else pair, eid))
                        break
                continue
            for sentence in sentences:
                said = self.curated.tokens(sentence)
                hit = len(own & said)
                if related and named and self.curated.weighed(named & said) <= half:
                    continue  # a sibling's sentence holds too little of what is named
                if hit and (hit >= least if least else 2 * hit >= len(own)):
                    best.append((hit, sentence, eid))
        if not best:
            return None
        top = max(h for h, _, _ in best)
        first = next(eid for h, _, eid in best if h == top)
        chosen = [sent for h, sent, eid in best if h == top and eid == first][:2]
        entry = self.knowledge.faq[first]
        chosen = _with_antecedent(chosen, entry.answer)
        answer = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
        text = " ".join(chosen)
        return replace(answer, evidence=(Evidence(text=text, n=1),))

    def _facet_of_last(
        self, query: str, last: Topic, today: dt.date, curated: Sequence[CuratedMatch] = ()
    ) -> Answer | None:
        """The sentences of the last curated answer that state the facet a bare follow-up asks
        for (its requirements, cost, time or place), when it names nothing else and no entry on
        that facet of the same subject answers it (after how to get the Hecho en México seal,
        "¿y cuánto dura?" is the entry on its validity, not the line on the 10-day wait)."""
        asked = facets(query) & _STATED.keys()
        if not asked or not last.ids or last.ids[0] not in self.knowledge.faq:
            return None
        if curated and self._facet_entry(curated[0].entry, last.ids[0], asked):
            return None
        rest = owner_words(query)
        for rx in (*_FACET_WORDS, *(_STATED[f] for f in asked)):
            rest = rx.sub(" ", rest)
        if set(keyword_tokens(rest)) - self.curated.generic - _QUESTION_STEMS:
            return None  # it names a subject of its own ("¿y el chip qué papeles pide?")
        entry = self.knowledge.faq[last.ids[0]]
        sentences = re.split(r"(?<=[.!?])\s+", entry.answer.strip())
        stating = [x for x in sentences if any(_STATED[f].search(fold(x)) for f in asked)]
        if not stating:
            return None
        # The ones that also say the word asked with ("¿cuánto dura?": how long it is valid,
        # not how long the answer takes).
        said = self.curated.tokens(query)
        hits = [len(said & self.curated.tokens(x)) for x in stating]
        chosen = [x for x, h in zip(stating, hits, strict=True) if h == max(hits)][:2]
        answer = self._from_curated([CuratedMatch(entry, 1.0, 1.0, 1.0)], today)
        text = " ".join(_with_antecedent(chosen, entry.answer))
        return replace(answer, evidence=(Evidence(text=text, n=1),))

    def _course_named_before(self, message: str, said: str) -> CourseFacts | None:
        """ "¿Y de qué nivel es?" right after the owner asked about one course by name: that
        course's fact, asked with nothing else named (after any curated answer: the catalog
        knows less of an exam's languages than the entry on it)."""
        query = question_of(message)
        facts = asked_facts(query)
        if not facts or not is_short(query, 2):
            return None
        named, pointed = referenced_courses(said, self.knowledge.courses, ())
        if len(named) != 1 or pointed:
            return None
        facts = facts[:3]
        line = (course_line(named[0], facts),)
        return CourseFacts((named[0],), facts, line, named_by=named_as_course(said, named[0]))

    def _names_beyond(self, message: str, facts: CourseFacts) -> bool:
        """Whether the message names something the courses' records never mention ("¿esos
        dan la DC-3?"): a curated answer on that name says what the catalog can't."""
        said = names_in(message)
        if not said:
            return False
        text = " ".join(
            " ".join([c.title, c.title_es, c.provider, c.summary, *c.topics]) for c in facts.courses
        )
        return bool(said - self.curated.tokens(text))

    def _facet_entry(self, entry: FaqEntry, last_id: str, asked: frozenset[str]) -> bool:
        """Whether `entry` is the one on the facet `asked` of the subject of `last_id`: its own
        question asks that facet, the last entry's question and paraphrases never do, and both
        share the subject (two of their topics)."""
        before = self.knowledge.faq[last_id]
        if entry.id == last_id or not asked & self.curated.facets_of(entry.id):
            return False
        if asked & self.curated.claims_of(last_id):
            return False
        shared = {fold(t) for t in entry.topics} & {fold(t) for t in before.topics}
        return len(shared) >= 2

    # ---- catalog ----------------------------------------------------------------------------
    def _catalog(self, facts: CourseFacts, shown: Sequence[str] = ()) -> Answer:
        """One line per course (cited by its catalog page), after a summary line if any.

        An answer about courses of the list just shown keeps that list as what the next
        follow-up points at ("¿y el segundo?" after "¿el primero cuánto dura?")."""
        sources: list[Source] = []
        evidence: list[Evidence] = []
        by_title = {f"«{title_of(c)}»": c for c in facts.courses}
        for line in facts.lines:
            course = next((c for t, c in by_title.items() if line.startswith(t)), None)
            n = 0
            if course is not None:
                n = len(sources) + 1
                sources.append(
                    Source(
                        n=n,
                        title=course.title_es,
                        url=str(course.url),
                        kind="course",
                        snippet=clip(line, SNIPPET),
                    )
                )
            evidence.append(Evidence(text=line, n=n))
        ids = [c.id for c in facts.courses]
        listed = list(shown) if shown and set(ids) <= set(shown) else ids
        return Answer(
            sources=tuple(sources),
            evidence=tuple(evidence),
            kind="catalog",
            parts=tuple(facts.lines),
            topic=Topic(kind="courses", ids=ids, courses=listed),
        )


# "¿Cuánto cuesta Shopify?", "cuánto me cobra clip": the thing right after the price verb.
_PRICE_OF = re.compile(
    r"\bcuanto (?:me |nos |te |le |les )?(?:cuesta|cuestan|sale|salen|cobra|cobran) "
    r"(?:el |la |los |las |un |una )?(?:plan |app |aplicacion |servicio )?(?:de |del )?"
    r"([a-z][a-z0-9.-]{2,})"
)
_QUESTION_STEMS = frozenset(keyword_tokens("cuanto cuanta cuantos cuantas donde cuando como quien"))


def _same_office(ref: Referral, topic: Topic) -> bool:
    """Whether `ref` is who handles `topic` ("la Secretaría Anticorrupción…" and the entry's
    "Secretaría Anticorrupción…"; the same site)."""
    if ref.url and topic.refer_url and ref.url.rstrip("/") == topic.refer_url.rstrip("/"):
        return True
    mine, theirs = fold(ref.name), fold(topic.refer_name)
    return bool(theirs) and (theirs in mine or mine in theirs)


def _accepted(m: CuratedMatch, follow_up: bool = False) -> bool:
    """A curated match good enough to answer with; a follow-up on the subject just discussed
    ("¿y quién me la da?") needs less, as long as the entry speaks of what it asks (the
    subject's own words, added to a follow-up, say nothing of that)."""
    if follow_up and m.score >= FOLLOW_MATCH and m.lexical >= 0.3 and m.covered >= 0.5:
        return True
    return m.score >= MATCH or (m.score >= SOFT and (m.dense >= 0.885 or m.lexical >= 0.6))


def _same_place(hits: Sequence[SearchHit], state: str | None, message: str) -> list[SearchHit]:
    """Drop passages about another state unless the message names it."""
    named = find_state(message)
    keep = named[0] if named else state
    if not keep:
        return list(hits)
    out = []
    for h in hits:
        states = h.metadata.get("states") or ""
        if states and f"|{keep}|" not in states:
            continue
        out.append(h)
    return out


_ANY = re.compile("")  # any sentence: what it is about decides
# "Mientras, puedes empezar gratis…", "Además, …": a sentence that leans on the one before it
# can't open a reply.
_LEANS_BACK = re.compile(
    r"^\W*(?:mientras|ademas|tambien|pero|aparte|eso|esto|por eso|asi que|ojo|aun asi|en cambio"
    r"|sin embargo|luego|despues|entonces|igual|tampoco)\b"
    r"|^\W*(?:\w+\W+){1,3}?tambien\b"  # "En la región también se reportan…"
)
# A sentence that confirms or corrects ("No es automático: …", "Sí, …", "Depende.").
_VERDICT = re.compile(r"^(?:sí|si|no|nada|depende)\b", re.IGNORECASE)
# A sentence that says who qualifies ("Pueden participar empresas…", "Califican los productos…").
_WHO = re.compile(
    r"^(?:sí|si|no|solo|también)?,?\s*(?:lo |la |los )?(?:pueden?|califica|califican|aplica|puedes)\b"
    r"|\bpueden (?:participar|entrar|pedirlo|pedirla|obtenerlo|obtenerla|usarlo|usarla|recibir)\b",
    re.IGNORECASE,
)


def _lead_with(
    found: Answer, lead: re.Pattern[str], about: Callable[[str], bool] = lambda _: True
) -> Answer:
    """The answer opening with the sentence `lead` finds ("No es automático: …" for "¿…es
    automático, verdad?"; "Pueden participar empresas…" for "¿califico?") and that is `about`
    what was asked, when the text holds one further down; the rest follows in its order."""
    if found.kind not in ("curated", "evidence") or not found.evidence:
        return found
    first = found.evidence[0]
    sentences = re.split(r"(?<=[.!?])\s+", first.text.strip())
    if _VERDICT.match(sentences[0]) or (lead.search(sentences[0]) and about(sentences[0])):
        return found  # it already opens with its verdict, who qualifies or the figure asked
    verdict = next((i for i, x in enumerate(sentences) if lead.search(x) and about(x)), None)
    if verdict is None:
        return found
    moved = [sentences[verdict], *sentences[:verdict], *sentences[verdict + 1 :]]
    return replace(found, evidence=(replace(first, text=" ".join(moved)), *found.evidence[1:]))


# How an answer states each facet a bare follow-up may ask for ("Piden INE o CURP…", "Es
# gratis…", "…en un máximo de 10 días hábiles", "…en sus módulos"), read on folded text.
_STATED = {
    "requirements": re.compile(
        r"\b(piden|pide|requisitos?|necesitas|documentos|identificacion|ine|curp|comprobante"
        r"|acta constitutiva|constancia de situacion fiscal|rfc)\b"
    ),
    "cost": re.compile(
        r"\b(gratis|gratuit[oa]s?|sin costo|pesos|dolares|usd|cuesta|cuestan|costo|cobra|pagas)\b"
    ),
    "time": re.compile(
        r"\b((?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce) (?:dias"
        r"|semanas|meses|horas|anos)|plazo|vigencia|dura|durante|tarda)\b"
    ),
    "place": re.compile(r"\b(en linea|modulos?|oficinas?|sucursal\w*|sitio|pagina|\w+\.gob\.mx)\b"),
}
# The verbs a bare follow-up asks a facet with ("¿qué piden?", "¿cuánto sale?").
_FACET_WORDS = tuple(
    re.compile(rf"\b(?:{p})\b")
    for p in (
        r"piden|pide|necesito|necesitan|ocupo|llevo|llevar|cuesta|cuestan|sale|salen|cuanto|cobran"
        r"|tarda|dura",
        r"hay que|tengo que|se necesita|donde|cuando|o que|o cuanto|o no",
    )
)

# "Pregunta en esos bancos", "ahí mismo": a sentence that points back to the one before it.
_POINTS_BACK = re.compile(r"\b(?:es[oa]s?|ese|ahi|alli|ahi mismo)\b")


def _with_antecedent(chosen: list[str], answer: str) -> list[str]:
    """The sentences picked from an answer, with the one just before the first of them when
    that one points back to it ("…pregunta en esos bancos" needs the sentence naming them)."""
    if not chosen or not _POINTS_BACK.search(fold(chosen[0])):
        return chosen
    sentences = re.split(r"(?<=[.!?])\s+", answer.strip())
    at = next((i for i, x in enumerate(sentences) if chosen[0] in x), 0)
    if at == 0 or sentences[at - 1] in chosen:
        return chosen
    return [sentences[at - 1], *chosen]


# Follow-ups on the ideas just given (folded text): one by its place, how to do it or start
# it, and what it costs.
_PLACES = {"primera": 0, "segunda": 1, "tercera": 2, "cuarta": 3, "quinta": 4, "ultima": -1}
# "La tercera", "esa primera idea", followed by what is asked of it ("la tercera, ¿cómo la
# hago?"), never by another noun ("¿cuánto cuesta la primera consulta?").
_IDEA_PLACE = re.compile(
    r"\b(?:la|esa)\s+(primera|segunda|tercera|cuarta|quinta|ultima)(?:\s+idea)?\b"
    r"(?=\s*(?:$|[,.;:?!¿]|(?:me|la|lo|como|esta|suena|se|cuanto|cuesta|que|es|dame|porfa"
    r"|explicame|de|del|pa|para|por)\b))"
)
_IDEA_START = re.compile(
    r"\b(?:como|por donde) (?:le )?(?:empiezo|empezamos|arranco|inicio|comienzo)\b"
    r"|\bprimer paso\b"
)
_IDEA_HOW = re.compile(
    r"\b(?:como|por donde) (?:le |lo |la )?(?:empiezo|empezamos|arranco|inicio|comienzo|hago"
    r"|hacemos|seria|funciona|se hace|es)\b|\bprimer paso\b|\b(?:un |dame un |algun )?ejemplos?\b"
    r"|\bexplicame\b|\bcomo\W*$"
)
_EXAMPLE = re.compile(r"\bejemplos?\b")
_IDEA_COST = re.compile(
    r"\b(?:cuanto )?(?:me |nos )?(?:cuesta|cuestan|costo|cobran|sale caro|se paga|hay que pagar)\b"
    r"|\bes gratis\b|\bgratis\b"
)
# "Lo de WhatsApp", "la del menú": an idea called by what it is about.
_IDEA_ABOUT = re.compile(r"\b(?:lo|la|el|eso|esa|esto|idea) del?\b")
# What else such a follow-up says without naming anything: "y", "eso", "lo de", "me gusta"…
_IDEA_FILLER = re.compile(
    r"\b(?:y|o|ok|oye|eso|esa|esta|esto|la|lo|el|de|del|con|idea|ideas|me gusta|me gusto"
    r"|me late|dame|quiero|va|pues|entonces|a mi|mi|seria|cuanto|que|si|sale)\b"
)
# "¿Me lo explicas más fácil?", "no le entendí": the last answer, said plainly.
_SIMPLER = re.compile(
    r"\b(?:mas (?:facil|facilito|sencillo|simple|claro|despacio)|en palabras sencillas"
    r"|en cristiano|no (?:le |te )?entendi|no (?:le |te )?entiendo|con manzanitas|de nuevo"
    r"|otra vez)\b"
)
_SIMPLER_WORDS = re.compile(
    r"\b(?:me|lo|la|eso|esto|explicas|explicarias|explica|explicame|explicamelo|puedes|podrias"
    r"|por favor|porfa|pf|y|oye|no|le|dime|decir|dices|repites|repite|mejor|un poco|poquito|es que)\b"
)
# "y otra cosa…", "cambiando de tema…": the owner leaves the last topic.
_NEW_TOPIC = re.compile(
    r"\b(?:otra cosa|otra pregunta|otra duda|cambiando de tema|otro tema|aparte de eso)\b"
)


def _idea_text(uc: UseCase) -> str:
    return f"{uc.title} {uc.what_ai_does} {uc.first_step}"


def _gist(text: str, limit: int) -> str:
    """The first whole sentences of `text` up to `limit` characters (at least the first one)."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    out = sentences[0]
    for sentence in sentences[1:]:
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}"
    return out


def _clip_sentences(text: str, limit: int) -> str:
    """Whole sentences up to `limit` characters; never a cut mid-sentence."""
    if len(text) <= limit:
        return text
    out = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out or text[:limit].rsplit(" ", 1)[0] + "…"


def _use_case_answer(sector: SectorDef, uc: UseCase, text: str, topic: Topic) -> Answer:
    """An idea (or a sector's ideas, led by `uc`) as the answer, cited to its tool or sector."""
    url = next((str(t.url) for t in uc.tools if t.url), None) or str(sector.sources[0].url)
    source = Source(
        n=1,
        title=f"{sector.name}: {uc.title}",
        url=url,
        kind="use_case",
        snippet=clip(text, SNIPPET),
    )
    return Answer(
        sources=(source,), evidence=(Evidence(text=text, n=1),), kind="use_case", topic=topic
    )
