"""The understanding stage: one message and the session's profile in, an `Understanding` out.

Owns the intent rules (they survive typos and missing accents) and the short questions that
complete a diagnosis, with quick replies that fit WhatsApp's buttons.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence

from assistant.knowledge.models import Sector
from assistant.schemas import BusinessProfile
from assistant.turn import Intent, TurnInput, Understanding
from assistant.understanding.language import detect_language
from assistant.understanding.profile import SAID_BY_OWNER, ProfileExtractor, ProfileUpdate
from assistant.understanding.profile_llm import LLMProfileExtractor
from assistant.understanding.sectors import SectorMeaning
from assistant.understanding.text import fold, stopwords, words

log = logging.getLogger(__name__)

_HELLO = (
    r"(hola+|holi|ola|buen[oa]s?|buen dia|dias|tardes|noches|que tal|hey|saludos|que onda|buenas)"
)
_GREETING = re.compile(rf"^\s*{_HELLO}(\s*[,!.¡]*\s*{_HELLO})*[\s!.,?¡¿]*$")
# A thank-you is a short message that thanks and says nothing else: "ta bueno, gracias", "ok
# grax", "thanks bro", "Perfecto, muchas gracias por la orientación", "gracias joven, dios le
# bendiga", "ok gracias, lo leo con calma". Every word must be one of a closing (thanks, who is
# thanked, a blessing, "I'll read it later"); one word more ("gracias, y el curso de excel")
# makes it a question. A list of whole phrases could not keep up with how owners close a chat.
_THANKS_CUE = re.compile(
    r"\b(?:gracias|gracia|grax|graxias|grasias|thanks|thank you|thx|ty|agradezco|agradecid[oa]s?"
    r"|se agradece|muy amable|bendiciones|bendiga)\b"
)
_CLOSING_WORDS = frozenset(
    """
    gracias gracia grax graxias grasias thanks thank you thx ty agradezco agradecido agradecida
    se agradece muy amable muchas muchisimas mil tantas bendiciones dios bendiga bendice que
    ah ahh oh ok oki okey okay va sale orale perfecto listo excelente bien bueno buenisimo
    ta esta entendido ya super genial chido padre sip si claro vale de acuerdo nice cool great
    pues ps pos y e a al la el los las lo le les te me nos mi tu su sus de del por para pa con
    info informacion orientacion ayuda apoyo datos respuesta explicacion tiempo todo nuevo
    sirvio sirve sirven bastante mucho muchisimo harto leo reviso checo voy vamos a revisar
    checar leer ver calma luego despues rato ahorita manana aviso escribo hablamos vemos pronto
    so much very util utiles buenisima buena onda
    platicar platico comentar comento consultar consulto pensar pienso socio socios socia esposa
    esposo familia contador contadora
    hasta cuidese cuidate saludos igualmente buen buena buenas dia tarde noche dias tardes
    noches compa compita amigo amiga joven jefe jefa mano carnal hermano hermana bro seno
    senorita muchacho muchacha lic licenciado licenciada doc inge maestro maestra
    """.split()
)


def _is_thanks(text: str) -> bool:
    """Whether folded `text` only thanks and closes the chat (see _THANKS_CUE)."""
    if "?" in text or not _THANKS_CUE.search(text):
        return False
    return all(w in _CLOSING_WORDS for w in words(text))


_PROFILE = re.compile(r"\b(mi perfil|que sabes de mi|mis datos guardados|ver (mi )?perfil)\b")
_FORGET = re.compile(
    r"\b(borra|borrar|elimina|eliminar|olvida|olvidar|quita)( todos)? (mis datos|mi informacion|todo lo que sabes"
    r"|mi perfil|mi historial)\b|\bolvidame\b"
)
_HANDOFF = re.compile(
    r"\b(hablar|platicar|comunicarme|contactar) con (una |un )?(persona|humano|asesor|asesora|agente|alguien)\b"
    r"|\b(quiero|necesito) (un|una) (asesor|asesora|persona|humano)\b"
)
# Words that place a message inside our domain even when retrieval finds nothing useful.
DOMAIN = re.compile(
    r"\b(marca|registr\w*|tramite\w*|permiso\w*|licencia\w*|impi|banco\w*|tasa|interes|fondo|convocatoria|emprend\w*|beca\w*|subsidio\w*"
    r"|negocio|empresa|pyme|mipyme|changarro|tienda|tiendita|venta|vender|cliente|curso|cursos"
    r"|capacita\w*|aprender|certifica\w*|programa|apoy\w*|credito|prest(amo|an|en)s?|financiamiento|impuesto\w*"
    r"|sat|rfc|cfdi|factura\w*|deduc\w*|estimulo|incentivo|plan mexico|polo|polos|gobierno"
    r"|ia|inteligencia artificial|chatgpt|nube|aws|amazon|whatsapp|redes sociales|inventario"
    r"|marketing|publicidad|empleado\w*|trabajador\w*|digital\w*|internet|computadora|compu"
    # "¿Qué ley aplica?" after the owner's clients' data: the rules a business follows, and the
    # institutions and seal of the plan, are the product's subject too.
    r"|ley|leyes|reglamento\w*|normativ\w*|multas?|privacidad|datos personales|nafin|bancomext"
    r"|hecho en mexico)\b"
)
# What support a message asks for ("¿hay apoyo pa comprar otra lavadora?", "¿me prestan pa
# surtir?", "programas pal campo"), by the words owners use (folded). It must ask for support
# at all; then money (credit, or what the money is for: a machine, stock, an expansion) comes
# before a farm and before training: "apoyo pa comprar una máquina y capacitar" asks for money.
MONEY, EXPORT, FIELD, TRAINING = "money", "export", "field", "training"
_SUPPORT = re.compile(
    r"\b(apoy\w*|credit\w*|prest(amo|an|en|e|ar|arme|arnos)s?|financ\w*|programas?|subsidi\w*"
    r"|fondos?|dinero|lana|becas?|incentiv\w*|estimul\w*|ayuda del gobierno)\b"
    # "¿el gobierno da algo pa…?", "¿dan algo pa comprar…?"
    r"|\bgobierno (da|dan|ofrece|tiene|regala|presta)\b|\bdan algo\b"
)
_MONEY = re.compile(
    r"\b(credit\w*|prest(amo|an|en|e|ar|arme|arnos)s?|financ\w*|dinero|lana|fondos?|capital de trabajo"
    r"|compr(ar|o|e|amos|a)|adquirir|surti\w*|invert\w*|inversion\w*|maquin\w*|remodel\w*|ampliar"
    # What the money buys: "apoyo pa cambiar la camioneta", "pa un horno nuevo".
    r"|camionetas?|vehiculos?|hornos?|refrigerador\w*|refris?|mercancia|insumos)\b"
)
_EXPORT = re.compile(
    r"\bexporta\w*|\b(otros paises|el extranjero|estados unidos|el gabacho|europa|canada)\b"
)
_FIELD = re.compile(
    r"\b(campo|agricol\w*|agropecuari\w*|ganad\w*|siembr\w*|sembrando vida|cosechas?"
    r"|productores? del campo|pal campo)\b"
)
_TRAINING = re.compile(r"\b(capacit\w*|cursos?|aprender|estudiar|becas?)\b")


def support_asked(message: str) -> str | None:
    """The kind of support a message asks for: "money", "export", "field", "training", or None
    when it asks for none or for none in particular ("¿qué apoyos hay?")."""
    text = fold(message)
    if not _SUPPORT.search(text):
        return None
    for kind, rx in ((EXPORT, _EXPORT), (MONEY, _MONEY), (FIELD, _FIELD), (TRAINING, _TRAINING)):
        if rx.search(text):
            return kind
    return None


# The owner speaking of their own business: a wish, a need or how they work ("kiero llevar
# control por vaca", "ocupamos que nos ubiquen", "usamos autocad y revit"), in the spellings of
# chat. Once the business is known, that is our job whatever its subject.
ABOUT_ME = re.compile(
    r"\b(quiero|kiero|qiero|quero|queremos|keremos|kieremos|quisiera|quisieramos|ocupo|ocupamos"
    r"|necesito|nececito|nesesito|necesitamos|nesecitamos|nececitamos|me gustaria|nos gustaria"
    r"|me interesa|nos interesa|busco|buscamos|usamos|uso|utilizamos|manejamos|manejo|llevamos"
    r"|llevo|anoto|anotamos|apunto|apuntamos|vendemos|vendo|le vendemos|le vendo|hacemos|hago"
    r"|trabajamos|trabajo|tenemos|tengo|somos|soy|mis clientes|nuestros clientes|mi negocio"
    r"|se me|se nos|nos cuesta|me cuesta|se vende|se venden|nos piden|me piden|nos compran"
    r"|me compran)\b"
    # How the team works, in the first person plural: "le cortamos a 60", "armamos paquetes"
    # (not the words that only end like it: "mis primos", "los últimos").
    r"|\b(?!(?:primos|ramos|ultimos|minimos|maximos|proximos|animos|optimos|intimos)\b)"
    r"[a-zñ]{2,}(?:amos|emos|imos)\b"
)
# What is clearly no part of the product's job, even said in the first person ("quiero saber
# quién ganó el partido", "me pasas la receta del mole").
OFF_TOPIC = re.compile(
    r"\b(clima|pronostico del tiempo|va a llover|futbol|partido|liga mx|america|chivas|pumas"
    r"|cruz azul|rayados|tigres|mundial|beisbol|box|elecciones?|votar|votacion|partido politico"
    r"|diputad\w*|senador\w*|recetas? (?:de|del|para)|chistes?|horoscopo|signo zodiacal"
    r"|peliculas?|canciones|cancion|novia|novio|loteria|chisme)\b"
)
# Attempts to change our rules. They never change the answer's rules; the turn gets a fixed,
# polite reply instead of retrieval on text written to steer us.
INJECTION = re.compile(
    r"\b(ignora\w*|olvida\w*|omite|omitir|desobedece\w*|salta\w*|anula\w*|ignore)\b.{0,40}"
    r"\b(instruccion\w*|reglas?|indicaciones|restricciones|prompt|instructions|rules)\b"
    r"|system prompt|prompt del sistema|mensaje del sistema|instrucciones (internas|del sistema|originales|ocultas)"
    r"|tus (instrucciones|reglas)|(?m:^\s*(system|sistema)\s*:)|\[(system|sistema)\]|<\s*/?\s*system\s*>"
    r"|modo (desarrollador|dios|sin filtros?)|developer mode|jailbreak|\b(eres|seras|modo) dan\b|do anything now"
    r"|actua como|actuar como|finge (que eres|ser)|eres ahora|a partir de ahora (eres|seras|vas a)"
    r"|sin restricciones|sin filtros?|dime (tu|tus) (prompt|instrucciones|reglas)"
    r"|(revela\w*|muestrame)\b.{0,30}\b(prompt|instruccion\w*|reglas|indicaciones|configuracion)\b"
)
# Asking for another language is a fair request, not an attack: it gets the language notice.
_OTHER_LANGUAGE = re.compile(
    # Asked of us ("contéstame", "puedes responder"), not what others do: "los turistas nos
    # escriben en inglés" describes the customers.
    r"\b(?:respond(?:e|eme|enos|er|es)|contest(?:a|ame|anos|ar|as)|habl(?:a|ame|anos|ar|as)"
    r"|escrib(?:e|eme|enos|ir|es))(?: me)? (?:solo |nomas )?en ingles\b"
    r"|\bhablas ingles\b|\bspeak english\b"
    r"|\b(?:answer|reply|talk|speak|write|respond)\b.{0,20}\b(?:english|ingles)\b"
)


def _only_emoji(message: str) -> bool:
    """A message of pictures and no words: "👍", "🙏🙏", "👋"."""
    return not any(c.isalnum() for c in message) and any(
        unicodedata.category(c) == "So" for c in message
    )


def classify(message: str) -> Intent:
    """The turn's intent; 'question' covers anything about courses, programs and use cases."""
    if _only_emoji(message):
        # An owner's "👍" or "🙏" is a thank-you, a "👋" a hello: never an off-topic message.
        return "greeting" if "\U0001f44b" in message else "thanks"
    text = fold(message).strip()
    if INJECTION.search(text):
        return "injection"
    if _is_thanks(text):
        return "thanks"
    if _OTHER_LANGUAGE.search(text):
        return "language"
    if _FORGET.search(text):
        return "forget"
    if _PROFILE.search(text):
        return "profile"
    if _HANDOFF.search(text):
        return "handoff"
    if _GREETING.match(text):
        return "greeting"
    return "question"


# Clients the business does not have yet ("pa traer clientes nuevos", "que me conozca más gente",
# "el face no nos jala"): being known comes before selling more to those who already buy.
NEW_CLIENTS = re.compile(
    r"\b(?:conseguir|atraer|traer|jalar|captar|ganar|buscar)\s+"
    r"(?:mas\s+|nuevos\s+|nueva\s+)?(?:clientes|clientela|pacientes|alumnos|huespedes|gente|compradores)\b"
    r"|\b(?:clientes|clientela|gente|pacientes|alumnos) nuev[ao]s?\b|\bnuevos clientes\b"
    r"|\b(?:me|nos) (?:conozca|conozcan|ubique|ubiquen|encuentre|encuentren)\b"
    r"|\bdar(?:me|nos|se) a conocer\b"
    r"|\b(?:face|facebook|fb|insta|instagram|tiktok|redes|anuncios?)\b(?:\s+\w+){0,5}?\s+"
    r"(?:no (?:nos |me )?(?:jala|jalan|sirve|sirven|funciona|funcionan|pega|pegan|vende|venden"
    r"|pelan|hacen caso)|no sale nada|casi no (?:nos |me )?(?:pelan|jala|sirve))\b"
)


def in_domain(message: str, business_known: bool = False) -> bool:
    """Whether a message is about the product's job; with the business known, the owner
    telling what they want or how they work is, unless its subject is clearly another."""
    text = fold(message)
    if DOMAIN.search(text):
        return True
    about_me = ABOUT_ME.search(text) or NEW_CLIENTS.search(text)
    return business_known and bool(about_me) and not OFF_TOPIC.search(text)


# (question, quick replies); quick replies stay within WhatsApp's 20-character button titles.
QUESTIONS: dict[str, tuple[str, list[str]]] = {
    "sector": (
        "¿A qué se dedica tu negocio?",
        ["Tengo una tiendita", "Tengo una fonda", "Tengo un taller"],
    ),
    "goals": (
        "¿Qué te gustaría mejorar primero?",
        ["Vender más", "Atender clientes", "Ahorrar tiempo"],
    ),
    "state": ("¿En qué estado está tu negocio?", []),
    "weekly_hours": (
        "¿Cuántas horas a la semana puedes dedicar a aprender?",
        ["1 hora", "3 horas", "5 horas"],
    ),
}


# Who asks for the company, not for their own evenings: the hours they can study are no
# question to put before what they asked.
_FOR_THE_COMPANY = ("it", "developer")


def next_slots(
    profile: BusinessProfile, limit: int = 2, history: Sequence[tuple[str, str]] = ()
) -> list[str]:
    """The ids of the diagnosis slots we ask about next (see `BusinessProfile.missing`).

    Each question is asked once per conversation: one the owner let pass is not put again
    (asking again is nagging, and no question beats a repeated one)."""
    said = "\n".join(text for role, text in history if role == "assistant")
    slots = [s for s in profile.missing() if QUESTIONS[s][0] not in said]
    if profile.role in _FOR_THE_COMPANY:
        slots = [s for s in slots if s != "weekly_hours"]
    return slots[:limit]


def next_questions(
    profile: BusinessProfile, limit: int = 2, history: Sequence[tuple[str, str]] = ()
) -> tuple[list[str], list[str]]:
    """At most `limit` short questions for the missing slots, and their quick replies."""
    questions: list[str] = []
    replies: list[str] = []
    for slot in next_slots(profile, limit, history):
        question, options = QUESTIONS[slot]
        questions.append(question)
        replies.extend(options)
    return questions, replies[:3]


# A question without "?": its opening word ("oiga y que es…" after the call words), or the
# "o no" that closes a yes-or-no ask ("…me puedo meter a resico o no").
_QUESTION = re.compile(
    r"\?|\bo no\W*$|^(?:(?:y|oye|oiga|entonces)\s+)*(que(?! (?:onda|tal|hubo|pex|pedo|rollo)\b)|como|cuanto|cuanta|cuantos|cuantas|donde|cual|cuales|cuando|quien|hay|existe|puedo"
    r"|me recomiendas|recomiendame|dime|explicame|necesito saber|busco|quiero saber)\b"
    # "…me combiene sacar el distintivo o nomas es gasto": whether something is worth it, asked
    # anywhere in the message, with or without "?".
    r"|(?<!no )\b(?:me|nos) co[nm][vb](?:iene|endria)\b|\bvale la pena\b|\bsirve de algo\b"
)
_WANTS_RECS = re.compile(
    r"\b(recomienda\w*|ruta|cursos?|capacita\w*|que hago|por donde empiezo|ideas?)\b"
)
# What a need told about the business changes ("se me olvidan las citas" -> goals).
_NEED_SLOTS = {"goals", "signals", "maturity", "maturity_reason"}
_WANT = re.compile(r"\b(quiero|queremos|quisiera|quisieramos|me interesa|nos interesa)\b")
# A plain statement that asks nothing and changes nothing: "ok ya lo vi", "eso no me preocupa",
# "mi hijo me ayuda con eso", "lo de las redes no me urge": the owner's stance on what was said,
# or who does it. It gets a short acknowledgement and the next step, never a refusal.
_STANCE = re.compile(
    r"^\W*(?:(?:ok|oki|okey|okay|va|sale|orale|listo|bueno|perfecto|entendido|de acuerdo|ah|ahh"
    r"|ya)\b[\s,.!]*)+(?:ya\s+)?(?:lo|la|los|las)\s+(?:vi|lei|revise|cheque|chequé|tengo|hice|hago"
    r"|guarde|anote|apunte|baje|descargue|entendi)\b"
    r"|\bno (?:me|nos) (?:preocupa\w*|importa\w*|interesa\w*|urge\w*|hace falta|llama la atencion"
    r"|late|laten)\b"
    r"|\b(?:eso|esa|ese|esto|lo|la|los|las) ya (?:lo |la |los |las )?(?:tengo|tenemos|hago|hacemos"
    r"|manejo|manejamos|se|sabemos|vi|revise)\b"
    r"|\b(?:mi|mis|el|la|los|las|nuestro|nuestra) \w+ (?:me|nos) (?:ayuda|ayudan|echa la mano"
    r"|echan la mano|lo hace|lo hacen|lo lleva|lo llevan) con (?:eso|esa|ese|esto|lo|la|las|los)\b"
)
# What turns a message into a request even without "?": a question word or a verb that asks.
_ASKS_ANYWHERE = re.compile(
    r"\b(?:como|cuanto|cuanta|cuantos|cuantas|donde|cual|cuales|cuando|quien|que es|que hago"
    r"|puedo|podria|se puede|sirve|conviene|necesito|ocupo|recomiend\w*|dame|pasame|dime"
    r"|explica\w*|ayudame|busco|hay|pero)\b"
)


def plain_statement(message: str) -> bool:
    """Whether `message` only states the owner's stance or who does something ("ok ya lo vi",
    "el inventario no me preocupa"), asking nothing."""
    folded = fold(message).strip()
    if "?" in folded or _QUESTION.search(folded) or _WANT.search(folded):
        return False
    return bool(_STANCE.search(folded)) and not _ASKS_ANYWHERE.search(folded)


# A change to any of these is worth new recommendations even if the user didn't ask for them.
_RELEVANT = {"sector", "goals", "state", "weekly_hours", "role", "maturity", "employees"}


def topic_words(message: str) -> tuple[str, ...]:
    """The content words of the question sentences ("¿hay cursos gratis?" -> cursos, gratis)."""
    asked = " ".join(c for c in _QUESTION_PART.findall(message)) or message
    seen = dict.fromkeys(w for w in words(asked) if len(w) > 2 and w not in stopwords())
    return tuple(seen)


_QUESTION_PART = re.compile(r"¿[^?]*\?|[^.!?¿\n]*\?")


def _patch(update: ProfileUpdate) -> tuple[tuple[str, str], ...]:
    """Each changed slot with why it changed, for logs and the composer."""
    why = []
    for slot in update.changed:
        if slot == "sector" and update.sector_how:
            why.append((slot, update.sector_how))
        elif slot in (
            "sector_name",
            "activity",
            "size",
            "maturity_reason",
            "sector_confidence",
            "business_noun",
        ):
            continue
        else:
            why.append((slot, "corregido" if update.corrected else SAID_BY_OWNER))
    return tuple(why)


class Reader:
    """Reads a turn: intent, the updated business profile, and what to ask next.

    `understand(turn)` (alias `read`) is the one entry point the orchestrator calls.
    """

    def __init__(
        self,
        sectors: Iterable[Sector],
        extraction_llm: object = None,
        meaning: SectorMeaning | None = None,
    ) -> None:
        self.extractor = ProfileExtractor(sectors, meaning=meaning)
        # With an LLM configured, structured output fills the slots the rules could not read.
        self.llm = (
            LLMProfileExtractor(extraction_llm, list(self.extractor.sectors.values()))
            if extraction_llm is not None
            else None
        )

    def understand(self, turn: TurnInput) -> Understanding:
        """The `Understanding` of `turn.message`; the input profile is left as it was."""
        return self.read(turn)

    def read(self, turn: TurnInput) -> Understanding:
        """The `Understanding` of `turn.message`; the input profile is left as it was."""
        intent = classify(turn.message)
        profile = turn.profile
        language = detect_language(turn.message)
        if intent == "injection":
            log.info("Prompt-injection attempt in session %s", turn.session_id[:8])
            return self._asking(
                Understanding(intent=intent, profile=profile, language=language), turn.history
            )
        if intent in ("forget", "profile", "handoff", "thanks"):
            return Understanding(intent=intent, profile=profile, language=language)
        if intent == "language" or language != "es":
            # Still read what the rules can (places, English ability), so the next turn in
            # Spanish builds on it; the reply says we answer in Spanish.
            update = self.extractor.update(profile, turn.message)
            new = update.profile
            if new.reads_english is None and language == "en":
                new = new.model_copy(update={"reads_english": True})
            changed = [f for f in type(new).model_fields if getattr(new, f) != getattr(profile, f)]
            return self._asking(
                Understanding(
                    intent="language",
                    profile=new,
                    changed=tuple(changed),
                    language=language,
                    patch=_patch(update),
                )
            )
        asked = [slot for slot in turn.pending_slots if slot in QUESTIONS]
        update = self.extractor.update(profile, turn.message, asked=asked)
        llm_available = True
        if self.llm is not None and intent != "greeting":
            update, llm_available = self.llm.refine(update, turn.message)
        base = Understanding(
            intent=intent,
            profile=update.profile,
            changed=tuple(update.changed),
            corrected=update.corrected,
            llm_available=llm_available,
            patch=_patch(update),
        )
        if intent == "greeting":
            return self._asking(base, turn.history)
        folded = fold(turn.message).strip()
        explicit = bool(_QUESTION.search(folded))
        asks = explicit or not update.changed
        # A need told about a business we know ("se me juntan las citas"), or a want that names
        # what they are after ("queremos venderle al gobierno"), asks for an answer too; the
        # turn stays a diagnosis of the profile it updates.
        need = bool(profile.sector) and set(update.changed) <= _NEED_SLOTS
        is_question = (asks or need or bool(_WANT.search(folded))) and not (
            not update.changed and plain_statement(turn.message)
        )
        wants = bool(_WANTS_RECS.search(folded)) or bool(_RELEVANT & set(update.changed))
        return self._asking(
            Understanding(
                intent="diagnosis" if update.changed and not asks else intent,
                profile=update.profile,
                changed=base.changed,
                corrected=base.corrected,
                is_question=is_question,
                explicit_question=explicit,
                in_domain=in_domain(turn.message, bool(update.profile.sector))
                or bool(update.changed)
                or self.extractor.names_a_business(turn.message),
                wants_recommendations=bool(update.profile.sector) and wants,
                llm_available=llm_available,
                topic_words=topic_words(turn.message) if is_question else (),
                patch=base.patch,
                support=support_asked(turn.message) if is_question else None,
            ),
            turn.history,
        )

    @staticmethod
    def _asking(
        understood: Understanding, history: Sequence[tuple[str, str]] = ()
    ) -> Understanding:
        """`understood` with the next diagnosis questions for its profile, none asked before."""
        questions, replies = next_questions(understood.profile, history=history)
        return Understanding(
            **{
                **understood.__dict__,
                "next_slots": tuple(next_slots(understood.profile, history=history)),
                "questions": tuple(questions),
                "follow_up": tuple(replies),
            }
        )
