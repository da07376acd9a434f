"""The deterministic Spanish composer: short, warm, readable on a phone, with citations [n]."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from dataclasses import replace

from assistant.recommendation.recommend import (
    GOAL_NAMES,
    IDEAS,
    PATH,
    PROGRAMS,
    asked,
    new_client_goals,
)
from assistant.schemas import BusinessProfile, ProgramRec, Recommendations, Source, TrainingStep
from assistant.turn import Answer, Evidence, TurnContext
from assistant.understanding.fitting import lower_first
from assistant.understanding.language import detect_language, language_notice
from assistant.understanding.profile import SURE_ENOUGH
from assistant.understanding.text import fold, spanish_day

SIZE_ES = {
    "micro": "microempresa",
    "pequeña": "pequeña empresa",
    "mediana": "mediana empresa",
    "grande": "empresa grande",
}
ROLE_ES = {
    "owner": "dueño(a)",
    "employee": "empleado(a)",
    "it": "encargado(a) de sistemas",
    "developer": "desarrollador(a)",
}
GOAL_ES = {
    "sell_more": "vender más",
    "customer_service": "atender clientes",
    "save_time": "ahorrar tiempo",
    "inventory": "inventario",
    "marketing": "publicidad",
    "finance": "finanzas",
}


OFFICIAL_CHANNEL = (
    "Para confirmarlo, consulta el sitio oficial de la Secretaría de Economía "
    "(https://www.gob.mx/se) o llama a su línea de atención."
)
REFUSAL = "No tengo información confiable sobre eso en mis fuentes."


def _place(profile: BusinessProfile) -> str | None:
    """Where the business is: "Apizaco, Tlaxcala", or the state alone when no town is known or
    the town bears the state's name ("Aguascalientes")."""
    if not profile.state:
        return None
    if profile.city and profile.city != profile.state:
        return f"{profile.city}, {profile.state}"
    return profile.state


def describe_profile(profile: BusinessProfile, corrected: bool = False, full: bool = False) -> str:
    """One or two lines: 'Entiendo: tienes una fonda en Oaxaca…' plus the maturity reason."""
    parts = []
    if kind := business_kind(profile):
        parts.append(kind)
    if place := _place(profile):
        parts.append(f"en {place}")
    if profile.employees is not None:
        size = f" ({SIZE_ES[profile.size]})" if profile.size else ""
        parts.append(f"{profile.employees} persona{'s' if profile.employees != 1 else ''}{size}")
    if profile.goals:
        parts.append("quieres " + ", ".join(GOAL_ES.get(g, g) for g in profile.goals))
    if full and profile.weekly_hours is not None:
        parts.append(f"{profile.weekly_hours:g} h por semana para aprender")
    if full and profile.role:
        parts.append(f"eres {ROLE_ES[profile.role]}")
    lead = "Corregido. Ahora tengo:" if corrected else ("Tu perfil:" if full else "Entiendo:")
    text = f"{lead} {'; '.join(parts)}." if parts else lead
    if profile.maturity:
        reason = f" {profile.maturity_reason}" if profile.maturity_reason else ""
        text += f"\nNivel digital: {profile.maturity}/5.{reason}"
    return text


OUT_OF_DOMAIN = (
    "Eso queda fuera de lo que sé hacer. Yo te ayudo a usar la inteligencia artificial "
    "en tu negocio: ideas para tu giro, cursos gratuitos y apoyos de Plan México."
)


def _cited(text: str, n: int) -> str:
    return f"{text} [{n}]" if n else text


def _answer_lines(ctx: TurnContext) -> list[str]:
    if not ctx.is_question:
        return []
    answer = ctx.answer
    refusal = answer.refusal if answer is not None else None
    if answer is not None and answer.kind == "none":
        return []
    if not ctx.confident or not ctx.evidence:
        if ctx.changed and not ctx.explicit_question:
            # The user described the business: the recommendations are the answer.
            return []
        out = refusal.reason == "out_of_domain" if refusal is not None else not ctx.in_domain
        if out:
            return [OUT_OF_DOMAIN]
        if refusal is not None and refusal.refer_url:
            # Point to whoever handles it (the SAT for taxes, the IMPI for a trademark…).
            return [
                f"{REFUSAL} Para eso, la fuente oficial es {refusal.refer_name}: {refusal.refer_url}"
            ]
        if refusal is not None and refusal.refer_name:
            # One that has no single site (a municipality, a bank among many): by name.
            return [f"{REFUSAL} Consúltalo con {refusal.refer_name}."]
        return [f"{REFUSAL} {OFFICIAL_CHANNEL}"]
    if answer is not None and answer.kind == "catalog":
        return [_cited(e.text, e.n) for e in ctx.evidence]
    evidence = ctx.evidence
    if _path_lists_it(ctx) and (opening := sentence(evidence[0].text, 300)):
        # "¿Hay cursos gratis en español?" with the path shown: the path below lists the
        # courses for this business; the curated list would say them twice.
        # A course line added for the person ("Para tu hija, que sí lee inglés: …") is no
        # course of the path: it stays.
        evidence = [replace(evidence[0], text=opening), *_course_lines(ctx, evidence[1:])]
    lines = [" ".join(_cited(e.text, e.n) for e in evidence)]
    if answer is not None and answer.kind == "curated" and answer.verified_on:
        # The date once, for the whole answer; a caution past its review says it already.
        lines.append(answer.caution or f"{VERIFIED} {spanish_day(answer.verified_on)}.")
    return lines


VERIFIED = "Datos verificados el"


# A curated answer and the path shown with it name this many of the same courses: one list.
SAME_COURSES = 2


def _course_lines(ctx: TurnContext, evidence: list[Evidence]) -> list[Evidence]:
    """The lines cited by a course's page (not by the curated entry's sources)."""
    return [
        e for e in evidence if 0 < e.n <= len(ctx.sources) and ctx.sources[e.n - 1].kind == "course"
    ]


def _path_lists_it(ctx: TurnContext) -> bool:
    """Whether the path shown this turn lists, in the text, the courses the curated answer
    names (on the web the path is one line and the cards carry the courses: nothing twice)."""
    answer = ctx.answer
    if (
        ctx.channel == "web"
        or PATH not in ctx.blocks
        or answer is None
        or answer.kind != "curated"
        or not answer.topic
    ):
        return False
    path = {step.course_id for step in ctx.recommendations.training_path}
    return len(path & set(answer.topic.courses)) >= SAME_COURSES


# ---- the recommendation blocks, per channel ---------------------------------------------------
# The recommendation blocks as an owner reads them, per channel, within one screen.
#
# - Web: the text summarises and the cards carry the details (course titles, hours, links and
#   program summaries live in the cards, so the text never names them).
# - WhatsApp (and channels without cards): one message of at most 1,024 characters; the text
#   carries the details, compactly.
# - A block sent before and unchanged is only referred to ("La ruta que te di sigue igual").
# - No sentence is cut: what does not fit is left out whole, least useful detail first.

STALE_CAUTION = "Pudo cambiar desde entonces: confírmalo en la fuente antes de hacer un trámite."
WEB_MAX = 900
_NAMED = re.compile(r"[Tt]rata de (.+?), que mencionaste")
WHATSAPP_MAX = 1024


def limit_for(channel: str) -> int:
    return WHATSAPP_MAX if channel == "whatsapp" else WEB_MAX


def sentence(text: str, limit: int) -> str | None:
    """The first sentence of `text` when it fits `limit` whole, else None (never cut)."""
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0].strip()
    if not first or len(first) > limit:
        return None
    if first.count('"') % 2 or first.count("(") != first.count(")"):
        return None  # the period was inside a quote: that is no whole sentence
    return first if first.endswith((".", "!", "?")) else first + "."


def sentences(text: str, limit: int) -> str | None:
    """As many whole sentences from the start of `text` as fit `limit` (at least the first)."""
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    out = sentence(parts[0], limit) if parts else None
    for part in parts[1:] if out else ():
        more = sentence(part, limit - len(out or "") - 1)
        if not more:
            break
        out = f"{out} {more}"
    return out


# What a correction of the writer's role changed, said back to them.
_ROLE_FIXED = {
    "owner": "eres quien lleva el negocio",
    "employee": "no eres dueño(a), trabajas en el negocio",
    "it": "llevas los sistemas del negocio",
    "developer": "desarrollas software para el negocio",
}


# ---- what we understood, in the owner's words -------------------------------------------------


def team(profile: BusinessProfile, short: bool = False) -> str | None:
    """ "son 3 personas"; one person is the owner alone, said without a gender."""
    if profile.employees is None:
        return None
    if profile.employees == 1:
        return "no tienes empleados"
    return f"son {profile.employees}" + ("" if short else " personas")


def _sure(profile: BusinessProfile) -> bool:
    return profile.sector_confidence is None or profile.sector_confidence >= SURE_ENOUGH


_PARENS = re.compile(r"\s*\([^)]*\)")


def _sector_name(profile: BusinessProfile, inside_parens: bool = False) -> str:
    name = (profile.sector_name or profile.sector or "").lower()
    # Said inside the sentence's own parentheses, without the examples the name carries in its
    # own: "tu negocio (agroindustria (café, mezcal…))" nested them.
    return _PARENS.sub("", name).strip() if inside_parens else name


def owned(profile: BusinessProfile) -> str | None:
    """ "tienes una fondita", "trabajas en una farmacia": the business as the owner named it."""
    noun = profile.business_noun
    if not noun or not profile.sector:
        return None
    return f"trabajas en {noun}" if profile.role == "employee" else f"tienes {noun}"


def business_kind(profile: BusinessProfile) -> str | None:
    """The business in the profile summary: "una fondita (restaurantes, fondas y taquerías)"."""
    if not profile.sector:
        return None
    name = _sector_name(profile)
    if profile.sector == "general":
        return profile.business_noun or "un negocio que no está en mi lista"
    if not _sure(profile):
        noun = f"{profile.business_noun}; " if profile.business_noun else ""
        return f"{noun}lo más parecido: {name}"
    if profile.business_noun:
        return f"{profile.business_noun} ({_sector_name(profile, inside_parens=True)})"
    return f"un negocio de {name}"


def _likeness(profile: BusinessProfile) -> str | None:
    """The honest sentence about a guessed sector, said after what we understood."""
    if not profile.sector or _sure(profile):
        return None
    if profile.sector == "general":
        return "Ese giro no está en mi lista, así que te doy ideas que sirven a cualquier negocio."
    return f"Lo más parecido que tengo en mi lista es {_sector_name(profile)}."


def _join(bits: Sequence[str]) -> str:
    """ "a, b y c"; the comma that closes "Tuxtla Gutiérrez, Chiapas" stays before "y"."""
    if len(bits) == 1:
        return bits[0]
    head = ", ".join(bits[:-1])
    comma = "," if len(bits) == 2 and "," in bits[0] else ""
    return f"{head}{comma} y {bits[-1]}"


def what_changed(profile: BusinessProfile, changed: Collection[str]) -> str | None:
    """ "Corregido: tu negocio está en Nogales, Veracruz.": only the slots the owner
    corrected, so the reply says what changed instead of repeating the whole profile."""
    bits = []
    place = _place(profile) if {"state", "city"} & set(changed) else None
    if "sector" in changed and profile.sector:
        if named := owned(profile):
            bits.append(named + (f" en {place}" if place else ""))
            place = None
        elif not _sure(profile):
            bits.append(
                "tu giro no está en mi lista, así que te doy ideas que sirven a cualquier negocio"
                if profile.sector == "general"
                else f"lo más parecido a tu negocio es {_sector_name(profile)}"
            )
        elif profile.sector != "general":
            bits.append(f"tu negocio es de {_sector_name(profile)}")
    if place:
        bits.append(f"{'está' if bits else 'tu negocio está'} en {place}")
    if "employees" in changed and (people := team(profile)):
        bits.append(people)
    if "role" in changed and profile.role:
        bits.append(_ROLE_FIXED[profile.role])
    if "weekly_hours" in changed and profile.weekly_hours is not None:
        bits.append(f"tienes {profile.weekly_hours:g} horas a la semana para aprender")
    if "goals" in changed and profile.goals:
        bits.append("quieres " + " y ".join(GOAL_NAMES.get(g, g) for g in profile.goals[:2]))
    if not bits:
        return None
    return f"Corregido: {_join(bits)}."


def understood(profile: BusinessProfile, corrected: bool = False) -> str:
    """What we understood of the business, in the owner's own words: "Entiendo que tienes una
    fondita en Tuxtla Gutiérrez, Chiapas, y son 3 personas." Their noun when they named the
    business, else the sector's name; a guessed sector is said as a guess, after."""
    place = _place(profile)
    if named := owned(profile):
        first = named + (f" en {place}" if place else "")
    elif place:
        sure = _sure(profile) and profile.sector not in (None, "general")
        kind = f" de {_sector_name(profile, inside_parens=True)}" if sure else ""
        first = f"tu negocio{kind} está en {place}"
    elif _sure(profile) and profile.sector not in (None, "general"):
        first = f"tu negocio es de {_sector_name(profile)}"
    else:
        first = "tienes un negocio"
    bits = [first]
    if people := team(profile):
        bits.append(people)
    if profile.goals:
        bits.append("quieres " + " y ".join(GOAL_NAMES.get(g, g) for g in profile.goals[:2]))
    lead = "Corregido: ahora entiendo que" if corrected else "Entiendo que"
    text = f"{lead} {_join(bits)}."
    return f"{text} {likeness}" if (likeness := _likeness(profile)) else text


def next_question(questions: Sequence[str], history: Sequence[tuple[str, str]]) -> str | None:
    """The one question of a reply, and not the one the owner just left unanswered: asking
    again is nagging (its reply buttons go with it)."""
    last = next((text for role, text in reversed(history) if role == "assistant"), "")
    return questions[0] if questions and questions[0] not in last else None


# "Usamos autocad, sketchup y revit": the tools the owner names, as their makers write them.
_USES = re.compile(
    r"\b(?P<verb>usamos|uso|utilizamos|utilizo|manejamos|manejo|trabajamos con|trabajo con)\s+"
    r"(?P<what>[^.;:!?¿]+)",
    re.IGNORECASE,
)
_TOOL_CASE = {
    "autocad": "AutoCAD",
    "sketchup": "SketchUp",
    "whatsapp": "WhatsApp",
    "tiktok": "TikTok",
    "chatgpt": "ChatGPT",
    "sap": "SAP",
    "contpaq": "CONTPAQi",
    "contpaqi": "CONTPAQi",
    "aspel": "Aspel",
    "photoshop": "Photoshop",
    "illustrator": "Illustrator",
    "corel": "Corel",
}


# Words of a phrase, not of a name ("uso el celular", "usamos mucho whatsapp").
_PLAIN = frozenset(
    "el la los las un una unos unas mi mis su sus nuestro nuestra nuestros mucho muy poco puro "
    "pura solo nomas tambien ya lo le les de del en con para pa que q todo todos diario".split()
)


def tools_told(message: str) -> str | None:
    """ "usamos autocad, sketchup y revit, todos…" -> "AutoCAD, SketchUp y Revit": names only
    (one or two words each), never a whole clause echoed back."""
    m = _USES.search(message)
    if not m:
        return None
    what = re.split(
        r",\s*(?:y\s+)?(?:todos|todas|pero|aunque|porque|pa|para|y\s+\w+mos)\b", m["what"]
    )
    items = [i.strip() for i in re.split(r",|\s+y\s+|\s+e\s+", what[0]) if i.strip()]
    words = {w.lower() for i in items for w in i.split()}
    if not items or len(items) > 5 or any(len(i.split()) > 2 for i in items) or words & _PLAIN:
        return None
    names = [
        " ".join(_TOOL_CASE.get(w.lower(), w[:1].upper() + w[1:]) for w in i.split()) for i in items
    ]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} y {names[-1]}"


# Money asked for: the goal `finance` of such a message is getting credit, not bookkeeping.
_CREDIT = re.compile(
    r"\b(?:credit\w*|prestamo\w*|financ\w*|fondeo|prest(?:a|an|en|ar|ara|aran|ame|arme|arnos))\b"
)
# Someone the owner speaks for: staff or family ("mis supervisoras", "pa los guardias", "mi hija").
_OTHERS = re.compile(
    r"\b(?:mis?|tus?|los|las|nuestr[oa]s?|a|al|pa|para)\s+(?:\w+\s+)?"
    r"(?:emplead[oa]s?|trabajador(?:es|as?)?|supervisor(?:es|as?)?|guardias?|personal|gente"
    r"|muchach[oa]s|chav[oa]s|meser[oa]s|vendedor(?:es|as?)|cajer[oa]s|ayudantes?|chalanes"
    r"|colaborador(?:es|as?)|encargad[oa]s?|operador(?:es|as?)|choferes|cociner[oa]s"
    r"|estilistas|tecnicos|hij[oa]s?|espos[oa]|sobrin[oa]s?|herman[oa]s?|soci[oa]s?)\b"
)
_COURSE_WORDS = re.compile(r"\b(?:cursos?|ruta|capacita\w*|aprend\w*|certifica\w*)\b")


def goal_name(goal: str, message: str = "") -> str:
    """How a goal reads to the owner; `finance` told with a credit word is getting credit."""
    if goal == "finance" and _CREDIT.search(fold(message)):
        return "conseguir financiamiento"
    return GOAL_NAMES.get(goal, goal)


def names_others(message: str) -> bool:
    """Whether the message speaks of someone else: staff or family ("mi hijo sí lee inglés")."""
    return bool(_OTHERS.search(fold(message)))


def courses_for_others(message: str) -> bool:
    """ "¿Hay cursos pa mis supervisoras?": courses for someone else, whose study hours are
    not the owner's to tell."""
    text = fold(message)
    return bool(_COURSE_WORDS.search(text)) and names_others(text)


def noted(
    profile: BusinessProfile,
    changed: set[str],
    message: str = "",
    answered: str = "",
    goals_before: Collection[str] = (),
) -> str | None:
    """A short note for a detail added after the first reply ("Anotado: son 6 personas.",
    "Anotado: usan AutoCAD y Revit.").

    `answered` is the answer this reply gives: then the reply is that answer, and a goal read
    from the question is not announced (the owner reads it as the bot talking to itself), nor a
    language the answer already speaks of or that belongs to someone else ("mi hijo sí lee
    inglés"). Otherwise only the goals new this turn are named."""
    bits = []
    told = _USES.search(message)
    use = "usan" if told and told["verb"].split()[0].lower().endswith("mos") else "usas"
    if tools := tools_told(message):
        bits.append(f"ya {use} {tools}")
    elif "signals" in changed and profile.maturity_reason and told:
        # "usamos excel pa expedientes y whatsapp business": what the maturity line names.
        uses = profile.maturity_reason.split(",")[0].split(":")[0].rstrip(".")
        if uses.startswith("Usas "):
            bits.append(f"ya {use} " + uses.removeprefix("Usas "))
    if "employees" in changed and (people := team(profile, short=True)):
        bits.append(people)
    if changed & {"state", "city"} and profile.state:
        place = profile.city if profile.city and profile.city != profile.state else profile.state
        if "state" in changed and place != profile.state:
            place = f"{place}, {profile.state}"  # "Nogales" alone is two towns
        bits.append(f"estás en {place}")
    new_goals = [g for g in profile.goals if g not in goals_before]
    if "goals" in changed and new_goals and not answered:
        bits.append("quieres " + " y ".join(goal_name(g, message) for g in new_goals[:2]))
    said_language = re.search(r"\b(?:espanol|ingles)\b", fold(answered))
    if (
        "reads_english" in changed
        and profile.reads_english is not None
        and not (answered and (said_language or names_others(message)))
    ):
        bits.append(
            "lees inglés, así que también te puedo sugerir cursos en inglés"
            if profile.reads_english
            else "te recomendaré solo cursos en español"
        )
    if not bits:
        return None
    return f"Anotado: {_join(bits)}."


def idea_lines(
    recs: Recommendations, channel: str, more: bool, steps: int, count: int, answered: str = ""
) -> list[str]:
    """The ideas; the first `steps` of them with their first step, when it fits whole. An idea
    the answer above already explains (its title is in `answered`) is not listed again."""
    cases = [uc for uc in recs.use_cases if not (answered and uc.title in answered)][:count]
    if not cases:
        return []
    lead = "Otras ideas para tu negocio:" if more else "Ideas para tu negocio:"
    lines = [_bold(lead, channel)]
    for i, uc in enumerate(cases):
        step = sentence(uc.first_step, 200) if i < steps else None
        lines.append(f"• {uc.title}" + (f". {step}" if step else "."))
    return lines


def focus_line(ctx: TurnContext) -> str | None:
    """The one idea for a goal the owner just stated, in one sentence with what the AI does and
    how to start ("Para que tus clientes regresen te sirve «…»: … Empieza así: …"), instead of
    resending the list of ideas. An idea an earlier reply already gave is pointed back to, with
    what the owner has not read of it yet, not said again."""
    uc = next((u for u in ctx.recalled.use_cases if u.id == ctx.focus), None)
    if uc is None:
        return None
    goal = goal_name(ctx.focus_goal, ctx.message) if ctx.focus_goal in GOAL_NAMES else None
    title = _bold(uc.title, ctx.channel) if ctx.channel == "whatsapp" else f"«{uc.title}»"
    said_before = "\n".join(text for role, text in ctx.history if role == "assistant")
    if uc.title in said_before:
        lead = f"Para {goal} te sirve" if goal else "Te sirve"
        text = f"{lead} lo que te dije de {title}."
        unread = [
            s
            for s in re.split(r"(?<=[.!?])\s+", f"{uc.summary} {uc.first_step}".strip())
            if s and s not in said_before
        ]
        if more := sentences(" ".join(unread), 250):
            text += f" {more}"
        return text
    text = f"Para {goal} te sirve {title}" if goal else f"Te sirve {title}"
    how = sentences(uc.summary, 200)
    text += f": {lower_first(how.rstrip('.'))}." if how else "."
    if step := sentence(uc.first_step, 250):
        text += f" Empieza así: {lower_first(step)}"
    return text


def _bold(text: str, channel: str) -> str:
    return f"*{text}*" if channel == "whatsapp" else text


def _pace(recs: Recommendations) -> str:
    """The total and the weeks, only when every course says how long it takes: a sum that
    leaves out courses of unknown length is no total."""
    if not recs.total_hours or recs.unknown_duration:
        return ""
    if recs.weeks:
        weeks = "una semana" if recs.weeks == 1 else f"unas {recs.weeks} semanas"
        return f"{recs.total_hours:g} h en total, {weeks} a tu ritmo"
    return f"{recs.total_hours:g} h en total"


def _languages(steps: Sequence[TrainingStep]) -> str:
    english = sum(1 for s in steps if "es" not in s.languages)
    if not english:
        return "en español"
    if english == len(steps):
        return "en inglés"
    return f"({len(steps) - english} en español y {english} en inglés)"


def _free(cost: str) -> bool:
    return cost.lower().startswith(("gratis", "gratuito"))


def path_lines(
    recs: Recommendations, channel: str, links: bool, weekly: float | None = None
) -> list[str]:
    steps = recs.training_path
    if not steps:
        return []
    n = len(steps)
    count = "1 curso" if n == 1 else f"{n} cursos"
    if all(_free(s.cost) for s in steps):
        count += " gratis"  # on the web the cards carry each price: the text says it once
    pace = _pace(recs) or (f"a {hours:g} h por semana" if (hours := weekly) else "")
    head = f"Tu ruta: {count} {_languages(steps)}" + (f", {pace}" if pace else "")
    named = list(dict.fromkeys(m for s in steps for m in _NAMED.findall(s.why)))
    if named:
        head += f"; incluye {' y '.join(named[:2])}, que mencionaste"
    if channel == "web":
        # The cards below carry titles, hours, level and links: a title in the text too would
        # show it twice (issue 11: the text summarises, the cards carry the details).
        return [f"{head}. Empieza por el primero; abajo tienes cada curso con su enlace."]
    lines = [_bold(head + ":", channel)]
    for i, s in enumerate(steps, 1):
        cost = "gratis" if _free(s.cost) else None
        length = f"{s.duration_hours:g} h" if s.duration_hours else None
        detail = ", ".join(x for x in (length, cost) if x)
        lines.append(
            f"{i}. {s.title}" + (f" ({detail})" if detail else "") + (f" {s.url}" if links else "")
        )
    if recs.unknown_duration:
        # Said once for the whole list, not after every course.
        lines.append(
            "(No tengo confirmada su duración.)"
            if n == 1
            else "(No tengo confirmada la duración de estos cursos.)"
            if recs.unknown_duration == n
            else "(Los que no dicen horas no tienen duración confirmada.)"
        )
    return lines


def _cite(program: ProgramRec, sources: Sequence[Source]) -> str:
    n = next((s.n for s in sources if s.url == program.url), None)
    return f" [{n}]" if n else ""


def _count(n: int, one: str, many: str) -> str:
    return one if n == 1 else f"{n} {many}"


def program_lines(
    recs: Recommendations,
    profile: BusinessProfile,
    channel: str,
    sources: Sequence[Source],
    alone: bool = False,
    dated: bool = False,
    cited: Collection[str] | None = None,
) -> list[str]:
    """The programs block. Free courses are no money: they are named as a way to train
    ("para capacitarte gratis"), apart from the supports that give credit or a tax break. On
    the web the cards carry the details; when the block is the whole reply (`alone`), the text
    names them too, so it never says only "te dejo abajo 2 apoyos". A reply says a date once:
    `dated` when the answer above already did. Below an answer (`cited`: the links the answer
    cites, maybe none) the programs it cited are not pointed to again, and the others are
    named, not counted (`None`: no answer above)."""
    programs = recs.programs
    if not programs:
        return []
    if cited is not None and channel == "web":
        rest = [p for p in programs if p.url not in cited]
        if not rest:
            return []
        cites = "".join(_cite(p, sources) for p in rest).replace("] [", "][")
        titles = [f"«{_short_title(p.title)}»" for p in rest]
        listed = f"{', '.join(titles[:-1])} y {titles[-1]}" if len(titles) > 1 else titles[0]
        fichas = "la ficha" if len(rest) == 1 else "las fichas"
        text = f"Abajo tienes también {fichas} de {listed}{cites}."
        if any(p.stale for p in rest):
            aged = "Esa ficha lleva" if len(rest) == 1 else "Alguna lleva"
            text += f" {aged} tiempo sin revisarse: confírmalo en su fuente."
        return [text]
    supports = [p for p in programs if p.kind != "training"]
    training = [p for p in programs if p.kind == "training"]
    stale = [p for p in programs if p.stale]
    if channel == "web":
        parts = []
        if supports:
            parts.append(_count(len(supports), "1 apoyo que te aplica", "apoyos que te aplican"))
        if training:
            parts.append(
                _count(
                    len(training),
                    "1 opción para capacitarte gratis",
                    "opciones para capacitarte gratis",
                )
            )
        cites = "".join(_cite(p, sources) for p in programs).replace("] [", "][")
        names = ""
        if alone:
            names = ": " + "; ".join(_short_title(p.title) for p in [*supports, *training])
        text = f"Te dejo abajo {' y '.join(parts)}{names}{cites}."
        if stale:
            text += " Alguno lleva tiempo sin revisarse: confírmalo en su fuente."
        return [text]
    lines: list[str] = []
    for heading, group in (
        ("Apoyos que te aplican:", supports),
        ("Para capacitarte gratis:", training),
    ):
        if not group:
            continue
        lines.append(_bold(heading, channel))
        for p in group:
            lines.append(f"• {p.title}{_cite(p, sources)}")
    if stale and dated:
        lines.append(f"Alguno lleva tiempo sin revisarse. {STALE_CAUTION}")
    elif stale:
        # One date for the block, the oldest: not one after every program.
        oldest = min(dt.date.fromisoformat(p.valid_as_of) for p in stale)
        which = "Datos" if len(stale) == len(programs) else "Algunos datos"
        lines.append(f"{which} verificados el {spanish_day(oldest)}. {STALE_CAUTION}")
    return lines


def _short_title(title: str) -> str:
    """ "Financiamiento para Mipymes en el Plan México: acuerdo con…" -> its name only."""
    return _PARENS.sub("", title.split(":")[0]).strip().strip('"')


def reference(block: str, recalled: Recommendations, more: bool) -> str:
    """One line that points to a block already sent, instead of sending it again."""
    if block == PATH:
        # Only a path not asked for is referred to (one asked for again is sent again).
        steps = recalled.training_path
        start = f"empieza por «{steps[0].title}»" if steps else "puedes empezar por el primero"
        return f"Tu ruta de cursos sigue igual; {start}."
    if block == PROGRAMS:
        return "Los apoyos que te mostré siguen siendo los que te aplican."
    if more:
        return "Ya te di todas las ideas que tengo para tu tipo de negocio."
    titles = "; ".join(uc.title for uc in recalled.use_cases[:3])
    return f"Las ideas que te di siguen siendo las mejores para tu negocio: {titles}."


def fit(variants: Sequence[Callable[[], str]], limit: int) -> str:
    """The first variant, from most to least detailed, that fits `limit`."""
    text = ""
    for variant in variants:
        text = variant()
        if len(text) <= limit:
            return text
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` when even its shortest variant is over (a long answer stacked on
    the blocks): whole paragraphs from the start, then whole lines or sentences of the first
    one that does not fit; the closing question stays. Never cuts a sentence."""
    paragraphs = text.split("\n\n")
    closing = paragraphs.pop() if len(paragraphs) > 1 and paragraphs[-1].endswith("?") else ""
    room = limit - (len(closing) + 2 if closing else 0)
    kept: list[str] = []
    for paragraph in paragraphs:
        left = room - len("\n\n".join(kept)) - (2 if kept else 0)
        if len(paragraph) <= left:
            kept.append(paragraph)
            continue
        lines: list[str] = []
        for line in paragraph.split("\n"):
            part = line if len(line) <= left - len("\n".join(lines)) - 1 else None
            part = part or sentences(line, left - len("\n".join(lines)) - (1 if lines else 0))
            if not part:
                break
            lines.append(part)
            if part != line:
                break
        if lines:
            kept.append("\n".join(lines))
        break
    out = "\n\n".join([*kept, closing] if closing else kept)
    return out if kept else (sentences(text, limit) or text)


def write_turn(ctx: TurnContext, answer: list[str]) -> str:
    """The regular turn: understood, the answer, the blocks shown, references, one question;
    fitted to the channel's limit by leaving out whole details, least useful first."""
    limit = limit_for(ctx.channel)
    recs = ctx.recommendations
    # What we understood in full when the business is new or changed; later details get a
    # short note, so no reply repeats the last one's opening.
    changed = set(ctx.changed)
    head: list[str] = []
    note_only = False
    answered = "\n".join(answer)
    focus = focus_line(ctx) if ctx.focus else None
    if focus and ctx.recalled.use_cases:
        title = next((u.title for u in ctx.recalled.use_cases if u.id == ctx.focus), "")
        if title and title in answered:
            focus = None  # the answer already is that idea
    if focus:
        changed.discard("goals")  # the focus line says the goal
    # The links the answer above cites (None: no answer above).
    cited = (
        {ctx.sources[e.n - 1].url for e in ctx.evidence if 0 < e.n <= len(ctx.sources)}
        if answer
        else None
    )
    shown_ids = {uc.id for uc in recs.use_cases}
    earlier = set(filter(None, ctx.sent.get(IDEAS, "").split(","))) - shown_ids
    # "Entiendo que…" in full only with the first ideas; later turns get a short note.
    first_ideas = IDEAS in ctx.blocks and changed and not earlier and not ctx.more_ideas
    full = "sector" in changed or ctx.corrected or bool(first_ideas)
    if ctx.profile.sector and ctx.corrected and (fix := what_changed(ctx.profile, changed)):
        head = [fix]
    elif ctx.profile.sector and full:
        head = [understood(ctx.profile, ctx.corrected)]
    elif ctx.profile.sector and (
        note := noted(ctx.profile, changed, ctx.message, answered, ctx.goals_before)
    ):
        head = [note]
        note_only = True
    question = [q] if (q := next_question(list(ctx.questions), ctx.history)) else []
    references = [reference(b, ctx.recalled, ctx.more_ideas) for b in ctx.unchanged]

    # A question asked is answered first, in the opening sentences; what we understood of the
    # business comes after ("tengo 3 farmacias, ¿ya lo deduzco, verdad?" -> "No: …"). A short
    # note ("Anotado: son 6") never goes before an answer.
    first_answer = answer and (ctx.explicit_question or note_only)
    opening = [answer, head] if first_answer else [head, answer]

    def text(steps: int, ideas: int, links: bool, programs: bool) -> str:
        blocks = [*opening, [focus] if focus else []]
        if IDEAS in ctx.blocks and ideas:
            blocks.append(idea_lines(recs, ctx.channel, ctx.more_ideas, steps, ideas, answered))
        if PATH in ctx.blocks:
            blocks.append(path_lines(recs, ctx.channel, links, ctx.profile.weekly_hours))
        if PROGRAMS in ctx.blocks and programs:
            alone = not answer and IDEAS not in ctx.blocks and PATH not in ctx.blocks
            dated = any(line.startswith(VERIFIED) for line in answer)
            blocks.append(
                program_lines(recs, ctx.profile, ctx.channel, ctx.sources, alone, dated, cited)
            )
        blocks += [references, question]
        return "\n\n".join("\n".join(b) for b in blocks if b)

    if answer and IDEAS in ctx.blocks:
        # The answer is the reply; the other ideas are only named (two at most).
        variants = [lambda: text(0, 2, True, True), lambda: text(0, 2, False, True)]
        variants += [lambda: text(0, 2, False, False), lambda: text(0, 0, False, False)]
        return fit(variants, limit)
    variants = [
        lambda: text(3, 3, True, True),
        lambda: text(2, 3, True, True),
        lambda: text(1, 3, True, True),
        lambda: text(0, 3, True, True),
        lambda: text(0, 2, True, True),
        lambda: text(0, 2, False, True),
        lambda: text(0, 2, False, False),
        lambda: text(0, 1, False, False),
        lambda: text(0, 0, False, False),
    ]
    return fit(variants, limit)


def answered_by_blocks(message: str, answer: Answer | None, explicit_question: bool) -> bool:
    """Whether the blocks this turn shows are the whole answer: the owner asked for the path,
    the programs or ideas ("Ver mi ruta de cursos", "¿qué apoyos hay para nosotros?"), and the
    answerer only found passages that share those words (another sector's route, national
    statistics). An idea that answers the question, or a curated answer to a question asked
    as such, still goes first."""
    if not asked(message):
        return False
    kind = answer.kind if answer is not None else "none"
    # Facts of the courses shown ("¿cuánto dura mi ruta?") answer what the block only lists.
    if kind in ("use_case", "catalog") or (kind == "curated" and explicit_question):
        return False
    return True


def compose(ctx: TurnContext) -> str:
    """The whole answer for a regular turn (questions and diagnosis): what was understood, the
    answer, the recommendation blocks of the turn and one question, within the channel's limit
    (see `write_turn`)."""
    answer = _answer_lines(ctx)
    if (ctx.blocks or ctx.unchanged) and ctx.refused and not ctx.explicit_question:
        answer = []  # "Ver mi ruta de cursos": the blocks asked for are the answer
    if ctx.focus and not ctx.confident and new_client_goals(ctx.message) and focus_line(ctx):
        answer = []  # "¿y pa que me conozca más gente?": the idea for that wish is the answer
    kinds = {ctx.sources[e.n - 1].kind for e in ctx.evidence if 0 < e.n <= len(ctx.sources)}
    shown = [uc.title for uc in ctx.recommendations.use_cases] if IDEAS in ctx.blocks else []
    if answer and kinds == {"use_case"} and any(t in "\n".join(answer) for t in shown):
        answer = []  # the idea is in the list below, with its first step: not said twice
    text = write_turn(ctx, answer)
    if text:
        return text
    if ctx.profile.sector:
        # Nothing new to say (a correction that changed nothing): never ask for the business
        # again, offer the next steps.
        return "¿En qué más te ayudo? Puedo darte más ideas, tu ruta de cursos o los apoyos que te aplican."
    return "Cuéntame un poco de tu negocio: ¿a qué se dedica y en qué estado está?"


def greeting(ctx: TurnContext) -> str:
    return (
        "¡Hola! Soy Mipyme IA. Te ayudo a aprovechar la inteligencia artificial en tu negocio: "
        "ideas para tu giro, cursos gratuitos en orden y los apoyos de Plan México que te aplican.\n\n"
        + (" ".join(ctx.questions[:2]) or "¿En qué te ayudo?")
    )


def thanks(ctx: TurnContext) -> str:
    return "¡Con gusto! Si quieres, pregúntame por un curso, un apoyo o una idea para tu negocio."


def profile_answer(ctx: TurnContext) -> str:
    if (
        not any(ctx.profile.model_dump(exclude={"signals", "goals"}).values())
        and not ctx.profile.goals
    ):
        return "Todavía no sé nada de tu negocio. Cuéntame a qué se dedica y en qué estado está."
    return describe_profile(ctx.profile, full=True) + (
        "\n\nSi algo está mal, corrígeme (por ejemplo: «no, estoy en Puebla»). "
        "Para borrar todo escribe «borra mis datos»."
    )


def forget_answer(ctx: TurnContext) -> str:
    return "Listo: borré tu perfil y tu historial. Si vuelves a escribir, empezamos de cero."


def handoff_answer(ctx: TurnContext) -> str:
    return f"Claro. Para hablar con una persona: {ctx.handoff_contact}"


def language_answer(ctx: TurnContext) -> str:
    return language_notice(detect_language(ctx.message))


def injection_answer(ctx: TurnContext) -> str:
    text = (
        "No puedo cambiar mis reglas ni compartir mis instrucciones internas. Lo que sí puedo es "
        "ayudarte con tu negocio: ideas de inteligencia artificial para tu giro, cursos gratuitos "
        "y apoyos de Plan México."
    )
    return text + ("\n\n" + " ".join(ctx.questions[:2]) if ctx.questions else "")


_WRITERS: dict[str, Callable[[TurnContext], str]] = {
    "greeting": greeting,
    "thanks": thanks,
    "profile": profile_answer,
    "forget": forget_answer,
    "handoff": handoff_answer,
    "injection": injection_answer,
    "language": language_answer,
}


def write(ctx: TurnContext) -> str:
    """The whole offline answer of a turn, by intent."""
    return _WRITERS.get(ctx.intent, compose)(ctx)


def chunks(text: str, size: int = 48) -> list[str]:
    """Split an offline answer into word-aligned deltas so every channel streams alike."""
    out, buf = [], ""
    for word in re.split(r"(?<=\s)", text):
        buf += word
        if len(buf) >= size:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


class OfflineComposer:
    """The `Composer` that needs no model: the same text for `write`, `stream` and `finalize`."""

    async def stream(self, ctx: TurnContext) -> AsyncIterator[str]:
        for piece in chunks(write(ctx)):
            yield piece

    def finalize(self, ctx: TurnContext, text: str) -> str:
        return write(ctx)
