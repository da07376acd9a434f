"""Ideas for the owner's business (the sector's use cases): the ideas asked for, a follow-up on one
of them ("la segunda", "¿eso cuesta?"), another business's ideas, and the next idea to tell."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from assistant.answering.grounded import SNIPPET, GroundedAnswers
from assistant.answering.questions import _QUESTION_STEMS, _RECOMMEND_WORDS
from assistant.answering.sentences import clip_sentences, sentences
from assistant.answering.use_cases import fit_score
from assistant.knowledge.models import SectorDef, UseCase
from assistant.schemas import Source, Topic
from assistant.turn import Answer, Evidence, TurnInput
from assistant.understanding.fitting import fit_language, fit_step, idea_sentence, lower_first
from assistant.understanding.text import clip, fold, keyword_tokens

# The ideas that answer "¿qué puedo hacer yo?" fit this many characters (at least one idea).
IDEAS_ANSWER = 520
# "¿Cuánto costaría todo eso?" after a diagnosis: the price of this many of the ideas listed.
IDEAS_PRICED = 3
TOOLS_PRICED = 2  # the main tools of each: the whole list of all three is a wall of text
# "Todo lo llevo en una libreta": records on paper, which an idea for keeping records answers.
_ON_PAPER = re.compile(
    r"\b(libretas?|libretitas?|cuadernos?|cuadernitos?|hojas? sueltas|papel|papelitos|a mano"
    r"|en la cabeza|en la memoria|apunt\w+|anot\w+)\b"
)
_RECORD_WORDS = frozenset(
    keyword_tokens("registro registra bitacora control inventario lote lotes sheets formulario")
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
# Follow-ups on the ideas just given (folded text): one by its place, how to do it or start
# it ("x donde le empiezo": "x" is how owners write "por"), and what it costs.
_PLACES = {"primera": 0, "segunda": 1, "tercera": 2, "cuarta": 3, "quinta": 4, "ultima": -1}
_PLACES.update({"primero": 0, "primerito": 0, "segundo": 1, "tercero": 2, "cuarto": 3, "quinto": 4})
_PLACES["ultimo"] = -1
# "La tercera", "esa primera idea", followed by what is asked of it ("la tercera, ¿cómo la
# hago?"), never by another noun ("¿cuánto cuesta la primera consulta?").
_IDEA_PLACE = re.compile(
    r"\b(?:la|esa)\s+(primera|segunda|tercera|cuarta|quinta|ultima)(?:\s+idea)?\b"
    r"(?=\s*(?:$|[,.;:?!¿]|(?:me|la|lo|como|esta|suena|se|cuanto|cuesta|que|es|dame|porfa"
    r"|explicame|de|del|pa|para|por)\b))"
)
# "¿Cómo hago lo primero que me dijiste?", "lo segundo q me puso", "lo primerito", "eso primero
# q me dijiste", "¿y el segundo que me dijiste?" (the point, el consejo): what was said
# in that place, pointed at with a neuter "lo" or a masculine "el"; an idea only when the
# message points back to what was said or asks how to do it ("lo primero que quiero saber es…"
# points nowhere, and "¿y el segundo?" alone is a course of a list shown).
_SAID_PLACE = re.compile(
    r"\b(?:lo|eso|el|ese)\s+(primero|primerito|segundo|tercero|cuarto|quinto|ultimo)\b"
    r"(?!\s+(?:que|q|k)\s+(?:quiero|quisiera|necesito|debo|tengo|hay|hago|tendria))"
)
_POINTS_BACK = re.compile(
    r"\b(?:me|nos)\s+(?:dijiste|dijo|dijeron|diste|dio|pusiste|puso|sugeriste|sugirio"
    r"|recomendaste|recomendo|mencionaste|menciono|mandaste|mando|escribiste|escribio)\b"
)
_IDEA_START = re.compile(
    r"\b(?:como|(?:por|x) donde) (?:le )?(?:empiezo|empezamos|arranco|inicio|comienzo)\b"
    r"|\bprimer paso\b"
)
_IDEA_HOW = re.compile(
    r"\b(?:como|(?:por|x) donde) (?:le |lo |la )?(?:empiezo|empezamos|arranco|inicio|comienzo|hago"
    r"|hacemos|seria|funciona|se hace|es)\b|\bprimer paso\b|\b(?:un |dame un |algun )?ejemplos?\b"
    r"|\bexplicame\b|\bcomo\W*$"
)
_EXAMPLE = re.compile(r"\bejemplos?\b")
# Any tense of what it costs ("¿cuánto nos costaría?", "¿cuánto me va a costar?", "¿en cuánto
# me saldría?"), not only the present.
_IDEA_COST = re.compile(
    r"\b(?:cuanto )?(?:me |nos )?(?:cuesta|cuestan|costo|costaria|costarian|costara|costaran"
    r"|cobran|sale caro|se paga|hay que pagar)\b"
    r"|\b(?:va|van) a costar\b|\bcuanto (?:me |nos )?(?:sale|salen|saldria|saldrian|saldra)\b"
    r"|\bes gratis\b|\bgratis\b"
)
# "Lo de WhatsApp", "la del menú": an idea called by what it is about.
_IDEA_ABOUT = re.compile(r"\b(?:lo|la|el|eso|esa|esto|idea) del?\b")
# What else such a follow-up says without naming anything: "y", "eso", "lo de", "me gusta"…
_IDEA_FILLER = re.compile(
    # "Eso q me dices", "lo que nos propones": pointing at what was said, no subject of its own.
    r"\b(?:que|q|k) (?:me |nos )?(?:dices|dice|dicen|comentas|comentan|mencionas|mencionan"
    r"|propones|proponen|sugieres|sugieren)\b"
    r"|\b(?:y|o|ok|oye|oiga|oigan|eso|esa|esta|esto|la|lo|el|de|del|con|idea|ideas|me gusta|me gusto"
    r"|me late|dame|quiero|va|pues|entonces|a mi|mi|seria|cuanto|que|si|sale|todo|todas?"
    r"|todos)\b"
)
# "y otra cosa…", "cambiando de tema…": the owner leaves the last topic.
_NEW_TOPIC = re.compile(
    r"\b(?:otra cosa|otra pregunta|otra duda|cambiando de tema|otro tema|aparte de eso)\b"
)


def everything_said(turn: TurnInput | None) -> str:
    """All the owner wrote in the conversation, this message included."""
    if turn is None:
        return ""
    return " ".join([*(text for role, text in turn.history if role == "user"), turn.message])


def _tools_cost(uc: UseCase, most: int | None = None) -> str:
    """ "Para «Citas y recordatorios» te sirve WhatsApp Business: gratis." (its first `most`
    tools, all when None)."""
    shown = uc.tools[:most] if most else uc.tools
    tools = "; ".join(f"{t.name}: {t.cost}" for t in shown)
    serve = "te sirve" if len(shown) == 1 else "te sirven"
    return f"Para «{uc.title}» {serve} {tools}."


def _idea_text(uc: UseCase) -> str:
    return f"{uc.title} {uc.what_ai_does} {uc.first_step}"


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


class IdeaAnswers(GroundedAnswers):
    """Answers from the sectors' use cases."""

    @cached_property
    def _ideas_by_sector(self) -> dict[str, dict[str, UseCase]]:
        """Per sector, the ideas a follow-up may point to (see `_ideas_by_id`), filled as
        sectors are asked: the knowledge an answerer reads never changes."""
        return {}

    def _ideas_by_id(self, s: SectorDef) -> dict[str, UseCase]:
        """The sector's own use cases and every idea indexed for a sector and size (an id in
        both is the indexed one), by id."""
        by_id = self._ideas_by_sector.get(s.id)
        if by_id is None:
            by_id = {uc.id: uc for uc in s.use_cases}
            by_id.update({uc.id: uc for ucs in self.knowledge.ideas.values() for uc in ucs})
            self._ideas_by_sector[s.id] = by_id
        return by_id

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

    def _idea_follow_up(
        self,
        message: str,
        last: Topic | None,
        sector: str | None,
        earlier: Sequence[str] = (),
        owner: str = "",
    ) -> Answer | None:
        """A follow-up on the ideas the last reply gave: one by its place ("la segunda idea",
        "la tercera, ¿cómo la hago?") or by what it is about ("¿y lo de WhatsApp cómo?"), or
        the idea just given ("¿cómo empiezo con eso?", "dame un ejemplo", "¿eso cuesta?"):
        the idea in full, its first step, or what its tools cost. None for anything else.
        `earlier`: the ideas listed some turns before, which a place or a name still points
        into ("y la primera idea, ¿cómo sería?" after the programs). `owner`: all the owner
        wrote, whose product, document or language the first step takes."""
        s = self.knowledge.sectors.get(sector or "")
        folded = fold(message)
        if s is None or _NEW_TOPIC.search(folded):
            return None
        if last is None or not (last.ideas or last.kind == "use_case"):
            last = Topic(kind="faq", ideas=list(earlier))  # only a place or a name points back
        listed = list(last.ideas) or (list(last.ids) if last.kind == "use_case" else [])
        by_id = self._ideas_by_id(s)
        listed = [i for i in listed if i in by_id]
        if not listed:
            return None
        asks = _IDEA_HOW.search(folded) or _IDEA_COST.search(folded)
        ordinal = _IDEA_PLACE.search(folded)
        if ordinal is None and (asks or _POINTS_BACK.search(folded)):
            ordinal = _SAID_PLACE.search(folded)
        about = _IDEA_ABOUT.search(folded)
        if ordinal is None and not asks:
            return None
        rest = folded
        for rx in (_IDEA_PLACE, _SAID_PLACE, _POINTS_BACK, _IDEA_HOW, _IDEA_COST, _IDEA_FILLER):
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
            if not titled and _IDEA_HOW.search(folded):
                # "¿Cómo hago eso de saber qué sí se vende?": no idea holds every word; the one
                # that holds most of them (and its problem too), the closest in meaning of those.
                held = {
                    i: len(said & set(keyword_tokens(f"{_idea_text(by_id[i])} {by_id[i].problem}")))
                    for i in listed
                }
                most = max(held.values())
                if most and 2 * most >= len(said):
                    dense = self._dense(message, "use_case")
                    tied = [i for i in listed if held[i] == most]
                    titled = sorted(tied, key=lambda i: -dense.get(i, 0.0))[:1]
            if not titled:
                return None
            uc = by_id[titled[0]]
        elif last.kind == "use_case":
            # "¿Eso cuesta?": the idea just given, else the first of those listed.
            given = bool(last.ids) and last.ids[0] in by_id
            if not given and _IDEA_COST.search(folded) and not _IDEA_HOW.search(folded):
                # "Y de eso q me dices, ¿cuánto nos costaría?" right after the ideas were only
                # listed: what each of them costs, not the first one alone.
                return self._ideas_cost(s, [by_id[i] for i in listed[:IDEAS_PRICED]], listed)
            uc = by_id[last.ids[0] if given else listed[0]]
        else:
            return None  # a bare "¿y cuánto cuesta?" after an answer asks about that answer
        topic = Topic(
            kind="use_case",
            ids=[uc.id],
            courses=list(uc.related_courses),
            ideas=listed,
            label=uc.title,
        )
        step = fit_step(uc, f"{owner} {message}", message)
        if _IDEA_COST.search(folded) and not _IDEA_HOW.search(folded):
            free = "Puedes empezar sin pagar. " if uc.cost_class == "gratis" else ""
            text = f"{free}{_tools_cost(uc)}"
        elif _EXAMPLE.search(folded) and ordinal is None and list(last.ids[:1]) == [uc.id]:
            # The idea is already on screen: the example is its concrete first step.
            text = f"Un ejemplo con «{uc.title}»: {lower_first(step)}"
        elif _IDEA_START.search(folded):
            names = [t.name for t in uc.tools[:3]]
            serve = "Te sirve" if len(names) == 1 else "Te sirven"
            text = (
                f"Para empezar con «{uc.title}»: {lower_first(step)} {serve}: {', '.join(names)}."
            )
        else:
            what = fit_language(" ".join(sentences(uc.what_ai_does)[:2]), message)
            text = idea_sentence(uc.title, what, step, lead="")
        return _use_case_answer(s, uc, clip_sentences(text, 700), topic)

    def _ideas_cost(self, sector: SectorDef, ideas: list[UseCase], listed: list[str]) -> Answer:
        """What the tools of the ideas just listed cost, idea by idea, led by whether all of
        them can start without paying."""
        lines = [_tools_cost(uc, TOOLS_PRICED) for uc in ideas]
        if all(uc.cost_class == "gratis" for uc in ideas):
            lead = "Puedes empezar sin pagar nada."
        elif any(uc.cost_class == "gratis" for uc in ideas):
            lead = "Algunas las puedes empezar sin pagar."
        else:
            lead = "Esto cuesta cada una:"
        text = clip_sentences(" ".join([lead, *lines]), 700)
        topic = Topic(
            kind="use_case",
            ideas=listed,
            courses=[c for uc in ideas for c in uc.related_courses],
            label=ideas[0].title,
        )
        return _use_case_answer(sector, ideas[0], text, topic)

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
        text = clip_sentences(text + ".", 600)
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
        return self._from_use_case(s, uc, scored[uc.id][0], turn=turn)

    def _same_idea_again(self, sector: SectorDef, uc: UseCase) -> Answer:
        """The idea just given answers this too: said so in a line, with what the owner has
        not read yet of it, instead of the same text again."""
        parts = sentences(uc.what_ai_does)
        more = " ".join(parts[1:3]) if len(parts) > 1 else ""
        text = f"Para eso te sirve la misma idea que te acabo de dar, «{uc.title}»."
        text += f" {more}" if more else " Empieza por el primer paso que te di."
        topic = Topic(
            kind="use_case", ids=[uc.id], courses=list(uc.related_courses), label=uc.title
        )
        return _use_case_answer(sector, uc, clip_sentences(text, 600), topic)

    def _from_use_case(
        self,
        sector: SectorDef,
        uc: UseCase,
        score: float,
        yes: bool = False,
        turn: TurnInput | None = None,
    ) -> Answer:
        """The idea in one sentence, its first step with what the owner named (`turn`)."""
        message = turn.message if turn is not None else ""
        what = fit_language(uc.what_ai_does.split(". ")[0].rstrip("."), message)
        step = fit_step(uc, everything_said(turn), message) if turn is not None else uc.first_step
        # "¿Se puede que me traduzca al francés?": the yes first, then the idea that shows how.
        lead = "Sí, para eso te sirve" if yes else "Para eso te sirve"
        text = clip_sentences(idea_sentence(uc.title, what, step, lead), 600)
        topic = Topic(
            kind="use_case", ids=[uc.id], courses=list(uc.related_courses), label=uc.title
        )
        return _use_case_answer(sector, uc, text, topic)
