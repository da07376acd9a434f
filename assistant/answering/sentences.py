"""Whole sentences of an answer's text: split, kept to a length, given the sentence they point
back to, or reordered so the one that answers opens the reply."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.turn import Answer
from assistant.understanding.text import fold

# Where one sentence ends and the next begins: after ".", "!" or "?" and the spaces that follow.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, trimmed."""
    return _SENTENCE_END.split(text.strip())


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


def lead_with(
    found: Answer, lead: re.Pattern[str], about: Callable[[str], bool] = lambda _: True
) -> Answer:
    """The answer opening with the sentence `lead` finds ("No es automático: …" for "¿…es
    automático, verdad?"; "Pueden participar empresas…" for "¿califico?") and that is `about`
    what was asked, when the text holds one further down; the rest follows in its order."""
    if found.kind not in ("curated", "evidence") or not found.evidence:
        return found
    first = found.evidence[0]
    parts = sentences(first.text)
    if _VERDICT.match(parts[0]) or (lead.search(parts[0]) and about(parts[0])):
        return found  # it already opens with its verdict, who qualifies or the figure asked
    verdict = next((i for i, x in enumerate(parts) if lead.search(x) and about(x)), None)
    if verdict is None or _ITEM.match(parts[verdict]):
        return found  # an item stays in its list ("2) Pruébala…" never opens a reply)
    moved = [parts[verdict], *parts[:verdict], *parts[verdict + 1 :]]
    return replace(found, evidence=(replace(first, text=" ".join(moved)), *found.evidence[1:]))


# "Pregunta en esos bancos", "ahí mismo": a sentence that points back to the one before it.
_POINTS_BACK = re.compile(r"\b(?:es[oa]s?|ese|ahi|alli|ahi mismo)\b")


def with_antecedent(chosen: list[str], answer: str) -> list[str]:
    """The sentences picked from an answer, with the one just before the first of them when
    that one points back to it ("…pregunta en esos bancos" needs the sentence naming them), and
    never an item of a list cut out of it (see `whole_items`)."""
    chosen = whole_items(chosen, answer)
    if not chosen or not _POINTS_BACK.search(fold(chosen[0])):
        return chosen
    parts = sentences(answer)
    at = next((i for i, x in enumerate(parts) if chosen[0] in x), 0)
    if at == 0 or parts[at - 1] in chosen:
        return chosen
    return [parts[at - 1], *chosen]


# An item of a numbered or bulleted list: "2) Pruébala…", "3. Anota…", "- Abre…", "• Pide…".
_ITEM = re.compile(r"^\s*(?:\d{1,2}[).]|[-•*])\s+")
# The longest list given whole instead of its items picked out of it.
LIST_WHOLE = 500


def whole_items(chosen: list[str], answer: str, limit: int = LIST_WHOLE) -> list[str]:
    """The sentences picked from an answer without any item cut out of its list ("2) Pruébala…
    4) Si funciona…" of a list the owner never saw): the whole list with the sentence that
    opens it when it is short, else the items' words without their numbers."""
    if not any(_ITEM.match(x) for x in chosen):
        return chosen
    parts = sentences(answer)
    items = [i for i, x in enumerate(parts) if _ITEM.match(x)]
    block = parts[max(items[0] - 1, 0) : items[-1] + 1] if items else []
    if block and len(" ".join(block)) <= limit:
        out: list[str] = []
        for x in chosen:
            if x in block or _ITEM.match(x):
                if block[0] not in out:
                    out += [b for b in block if b not in out]
            elif x not in out:
                out.append(x)
        return out
    bare = [_ITEM.sub("", x) for x in chosen]
    return [x[:1].upper() + x[1:] for x in bare if x]


def gist(text: str, limit: int) -> str:
    """The first whole sentences of `text` up to `limit` characters (at least the first one)."""
    parts = sentences(text)
    out = parts[0]
    for sentence in parts[1:]:
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}"
    return out


def clip_sentences(text: str, limit: int) -> str:
    """Whole sentences up to `limit` characters; never a cut mid-sentence."""
    if len(text) <= limit:
        return text
    out = ""
    for sentence in _SENTENCE_END.split(text):
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out or text[:limit].rsplit(" ", 1)[0] + "…"
