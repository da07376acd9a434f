"""The LLM composer: an LCEL chain over ChatOpenAI, streamed, with citations checked."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from assistant.composition.offline import describe_profile, limit_for, reference
from assistant.errors import ProviderError
from assistant.recommendation.recommend import IDEAS, PATH
from assistant.settings import Settings
from assistant.turn import TurnContext
from assistant.understanding.language import is_spanish

_CITE = re.compile(r"\[(\d+)\]")


@lru_cache
def load_prompt(name: str) -> str:
    """A prompt file from assistant/prompts/, read once."""
    return resources.files("assistant").joinpath("prompts", name).read_text(encoding="utf-8")


def drop_unknown_citations(text: str, valid: set[int]) -> str:
    """Remove [n] markers that point to no source we gave the model."""
    return _CITE.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text)


class CitationFilter:
    """Streaming version of `drop_unknown_citations`: holds back only an open '[…' fragment."""

    def __init__(self, valid: set[int]) -> None:
        self.valid = valid
        self.pending = ""

    def feed(self, piece: str) -> str:
        text = self.pending + piece
        self.pending = ""
        cut = text.rfind("[")
        tail = text[cut:]
        if cut != -1 and "]" not in tail and (len(tail) <= 4 or re.fullmatch(r"\[\d+", tail)):
            text, self.pending = text[:cut], text[cut:]
        return drop_unknown_citations(text, self.valid)

    def flush(self) -> str:
        rest, self.pending = self.pending, ""
        return drop_unknown_citations(rest, self.valid)


@asynccontextmanager
async def _provider_errors() -> AsyncIterator[None]:
    """Translate openai/httpx failures into our ProviderError at this edge."""
    try:
        yield
    except ProviderError:
        raise
    except TimeoutError as exc:
        raise ProviderError("El modelo de lenguaje tardó demasiado en responder.") from exc
    except Exception as exc:  # openai.APIError, httpx errors, parsing errors…
        raise ProviderError(f"El modelo de lenguaje falló ({type(exc).__name__}).") from exc


def _data(text: str) -> str:
    """Text for a <<<…>>> data block of answer.md: it can neither close nor open one."""
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


@lru_cache
def _prompt_fragments() -> tuple[str, ...]:
    """Lines and long sentences of the system prompt, whitespace-normalised."""
    pieces: list[str] = []
    for line in load_prompt("system.md").splitlines():
        line = " ".join(line.split())
        if len(line) >= 25:
            pieces.append(line)
        pieces += [s for s in re.split(r"(?<=[.:])\s+", line) if len(s) >= 40]
    return tuple(pieces)


def leaks_prompt(text: str) -> bool:
    """Whether an answer repeats a line or sentence of the system prompt."""
    flat = " ".join(text.split())
    return any(piece in flat for piece in _prompt_fragments())


def _recommendations_text(ctx: TurnContext) -> str:
    if not ctx.show_recommendations:
        return "(ninguna en este turno)"
    recs = ctx.recommendations
    data = {
        "ruta": [
            {
                "curso": s.title,
                "proveedor": s.provider,
                "horas": s.duration_hours or "no confirmada",
                "nivel": s.level,
                "costo": s.cost,
                "por_que": s.why,
                "enlace": s.url,
            }
            for s in recs.training_path
        ],
        "horas_totales": recs.total_hours,
        "semanas": recs.weeks,
        "casos_de_uso": [{"titulo": u.title, "primer_paso": u.first_step} for u in recs.use_cases],
        "programas": [
            {
                "titulo": p.title,
                # Free courses are no money: the model must not call them a support to buy.
                "ofrece": _OFFERS[p.kind],
                "verificado_el": p.valid_as_of,
                "por_revisar": p.stale,
                "enlace": p.url,
            }
            for p in recs.programs
        ],
    }
    return json.dumps(data, ensure_ascii=False)


_OFFERS = {
    "money": "crédito o beneficio fiscal",
    "training": "capacitación gratuita (no es dinero ni crédito)",
    "other": "otro tipo de apoyo",
}


def _presentation_text(ctx: TurnContext) -> str:
    """How this turn must look on its channel: the rules the offline composer keeps."""
    limit = limit_for(ctx.channel)
    lines = [f"Canal: {ctx.channel}. Máximo {limit} caracteres en total, con frases completas."]
    if ctx.channel == "web":
        lines.append(
            "Los cursos y los apoyos se ven como tarjetas debajo de tu texto: no enlistes sus "
            "títulos ni enlaces; resume la ruta en una frase (cuántos cursos y horas)."
        )
    else:
        lines.append("Un solo mensaje: cada curso en una línea corta con su enlace.")
    if IDEAS in ctx.blocks and PATH not in ctx.blocks:
        lines.append(
            "Di en una frase lo que entendiste del negocio, da 2 o 3 ideas de las "
            "RECOMENDACIONES y haz una sola pregunta. Sin estadísticas nacionales."
        )
    focus = next((u for u in ctx.recalled.use_cases if ctx.focus and u.id == ctx.focus), None)
    if focus is not None:
        lines.append(
            f"El usuario acaba de decir lo que quiere lograr: presenta solo la idea «{focus.title}»"
            " con su primer paso; no repitas la lista de ideas."
        )
    for block in ctx.unchanged:
        ref = reference(block, ctx.recalled, ctx.more_ideas)
        lines.append(f"Ya se lo enviaste y no cambió: no lo repitas, solo di: «{ref}»")
    return "\n".join(lines)


def _referral_text(ctx: TurnContext) -> str:
    """Who handles a question the sources don't answer, as the answering stage found it: the
    model must send the owner there (the bank, the SAT, the ayuntamiento), not to Economía."""
    refusal = ctx.answer.refusal if ctx.answer is not None else None
    if ctx.confident or refusal is None or not refusal.refer_name:
        return "(la pregunta se responde con las FUENTES, o no hay a quién mandar)"
    return f"{refusal.refer_name}: {refusal.refer_url}" if refusal.refer_url else refusal.refer_name


def prompt_inputs(ctx: TurnContext) -> dict[str, str]:
    """The variables of answer.md for this turn."""
    sources = "\n".join(f"[{s.n}] {s.title} ({s.url}): {_data(s.snippet)}" for s in ctx.sources)
    history = "\n".join(f"{role}: {_data(text[:500])}" for role, text in ctx.history[-6:])
    return {
        "profile": describe_profile(ctx.profile, full=True),
        "recommendations": _recommendations_text(ctx),
        "presentation": _presentation_text(ctx),
        "sources": sources or "(sin fuentes: si la pregunta requiere datos, dilo)",
        "history": history or "(inicio de la conversación)",
        "questions": "\n".join(ctx.questions[:1]) or "(ninguna)",
        "referral": _referral_text(ctx),
        "message": _data(ctx.message),
    }


def build_chat_model(
    settings: Settings, timeout_s: float, temperature: float, streaming: bool = False
) -> BaseChatModel:
    """The one place a chat model is built from settings (OpenAI or a compatible server)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.openai_model,
        api_key=settings.openai_api_key or "sin-clave",
        base_url=settings.openai_base_url,
        timeout=timeout_s,
        max_retries=0,  # we fall back offline instead of making the user wait
        temperature=temperature,
        streaming=streaming,
    )


class LLMComposer:
    """Writes the answer with an LLM from the same context the offline composer uses."""

    def __init__(
        self, llm: Any, timeout_s: float, on_event: Callable[[str, dict[str, Any]], None]
    ) -> None:
        prompt = ChatPromptTemplate.from_messages(
            [("system", load_prompt("system.md")), ("human", load_prompt("answer.md"))]
        )
        self.llm = llm
        self.extraction_llm: Any = llm
        self.chain = prompt | llm | StrOutputParser()
        self.timeout_s = timeout_s
        self.on_event = on_event

    @classmethod
    def from_settings(
        cls, settings: Settings, on_event: Callable[[str, dict[str, Any]], None]
    ) -> LLMComposer:
        llm = build_chat_model(settings, settings.llm_timeout_s, temperature=0.2, streaming=True)
        composer = cls(llm, settings.llm_timeout_s, on_event)
        # Profile extraction must not stream (structured output) and must fail fast: a stalled
        # provider should cost the user one short wait, not two full timeouts.
        composer.extraction_llm = build_chat_model(
            settings, min(5.0, settings.llm_timeout_s / 2), temperature=0
        )
        return composer

    async def stream(self, ctx: TurnContext) -> AsyncIterator[str]:
        """Answer text as it arrives; raises ProviderError on failure or timeout."""
        deadline = time.monotonic() + self.timeout_s
        cites = CitationFilter({s.n for s in ctx.sources})
        async with _provider_errors():
            iterator = self.chain.astream(prompt_inputs(ctx)).__aiter__()
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ProviderError("El modelo de lenguaje tardó demasiado en responder.")
                try:
                    piece = await asyncio.wait_for(iterator.__anext__(), timeout=remaining)
                except StopAsyncIteration:
                    break
                text = cites.feed(piece)
                if text:
                    yield text
            tail = cites.flush()
            if tail:
                yield tail

    def finalize(self, ctx: TurnContext, text: str) -> str:
        """The checked final answer; raises ProviderError when it can't be used."""
        answer = drop_unknown_citations(text, {s.n for s in ctx.sources}).strip()
        if len(answer) < 2:
            raise ProviderError("El modelo de lenguaje devolvió una respuesta vacía.")
        if not is_spanish(answer):
            raise ProviderError("El modelo de lenguaje respondió en otro idioma.")
        if leaks_prompt(answer):
            raise ProviderError("El modelo de lenguaje repitió sus instrucciones internas.")
        return answer
