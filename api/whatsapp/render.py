"""`ChatResponse` → at most two Graph message bodies that respect every WhatsApp limit.

Pair rate limit (1 message / 6 s per user) and poor connectivity both argue for few, compact
messages: one answer is a text (≤ 4096) plus at most one interactive message: reply buttons
when the assistant asks something and every `follow_up` option fits a button (one tap), else
a list of the `training_path` courses (plus the options). When the text fits in an interactive
body (≤ 1024) the answer is a single message; a trailing question moves next to its buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from api.whatsapp.choices import course_id, follow_up_id
from assistant.schemas import ChatResponse, TrainingStep
from assistant.understanding.text import clip

TEXT_MAX = 4096
BODY_MAX = 1024
MESSAGES_MAX = 2
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
ROWS_MAX = 10
ROW_TITLE_MAX = 24
ROW_DESC_MAX = 72
SECTION_TITLE_MAX = 24
LIST_BUTTON_MAX = 20

# Shorter button titles for next steps whose text is over 20 characters; the button id still
# carries the full text, so tapping it "says" the whole option.
BUTTON_LABELS = {"Ver mi ruta de cursos": "Ver mi ruta"}
LIST_BUTTON = "Ver cursos"
LIST_BODY = "Toca *Ver cursos* para conocer cada curso de tu ruta."
BUTTONS_BODY = "¿Seguimos? Elige una opción o escríbeme."
COURSES_SECTION = "Tu ruta de cursos"
FOLLOW_UP_SECTION = "Para afinar tu plan"
OPTIONS_BUTTON = "Ver opciones"
OPTIONS_BODY = "Elige una opción o escríbeme tu respuesta."
EMPTY_ANSWER = "No tengo una respuesta por ahora. ¿Me lo preguntas de otra forma?"


@dataclass
class Rendered:
    """One Graph message body, plus a plain-text fallback for interactive ones."""

    body: dict[str, Any]
    fallback_text: str | None = None


def label(text: str, limit: int) -> str:
    """A one-line title/description clipped to `limit`."""
    return clip(" ".join(text.split()), limit)


_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.S)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BULLET = re.compile(r"^([ \t]*)[*+][ \t]+", re.M)  # "* item" would read as bold


def to_whatsapp(markdown: str) -> str:
    """Markdown → WhatsApp markup: *bold*, plain links, "- " bullets, no headings.

    Text already in WhatsApp style (*bold*, • bullets) passes through unchanged.
    """
    text = markdown.replace("\r\n", "\n")
    text = _LINK.sub(
        lambda m: m.group(2) if m.group(1).strip() == m.group(2) else f"{m.group(1)}: {m.group(2)}",
        text,
    )
    text = _BOLD.sub(lambda m: f"*{m.group(1) or m.group(2)}*", text)
    text = _HEADING.sub(lambda m: f"*{m.group(1).strip('*')}*", text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}- ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _pieces(paragraph: str, limit: int) -> list[str]:
    """Split one over-long paragraph on lines, then sentences, then words."""
    if len(paragraph) <= limit:
        return [paragraph]
    for pattern in (r"\n", r"(?<=[.!?])\s+", r"\s+"):
        parts = [p for p in re.split(pattern, paragraph) if p]
        if len(parts) > 1:
            out: list[str] = []
            for part in parts:
                out.extend(_pieces(part, limit))
            return out
    return [paragraph[i : i + limit] for i in range(0, len(paragraph), limit)]


def split_text(text: str, limit: int = TEXT_MAX, max_parts: int = MESSAGES_MAX) -> list[str]:
    """Pack paragraphs into ≤ `max_parts` chunks of ≤ `limit`; the overflow is clipped."""
    chunks: list[str] = []
    current = ""
    for paragraph in re.split(r"\n{2,}", text.strip()):
        for piece in _pieces(paragraph.strip(), limit):
            joined = f"{current}\n\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    if len(chunks) > max_parts:
        chunks = chunks[: max_parts - 1] + [clip("\n\n".join(chunks[max_parts - 1 :]), limit)]
    return chunks or [""]


def text_body(to: str, text: str) -> dict[str, Any]:
    """A plain text message; link previews off to keep it light on slow connections."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": clip(text, TEXT_MAX), "preview_url": False},
    }


def _interactive(to: str, body: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": {**content, "body": {"text": clip(body, BODY_MAX)}},
    }


def _hours(step: TrainingStep) -> str | None:
    if step.duration_hours is None:
        return None
    return f"{step.duration_hours:g} h"


_TRANSLATION_MARK = re.compile(r"\s*\(traducci[oó]n\)\s*$", re.I)


def _title(step: TrainingStep) -> str:
    return _TRANSLATION_MARK.sub("", " ".join(step.title.split()))


def _course_rows(steps: list[TrainingStep], limit: int) -> tuple[list[dict[str, Any]], list[str]]:
    """List rows for the courses, and the same courses as text lines (full title + link)."""
    rows, lines, seen = [], [], set()
    for step in steps:
        title = _title(step)
        row_id = course_id(step.course_id, title)
        if row_id in seen or not title:
            continue
        seen.add(row_id)
        detail = " · ".join(x for x in (step.provider, _hours(step), step.cost) if x)
        row = {"id": row_id, "title": label(title, ROW_TITLE_MAX)}
        # A clipped title is completed in the description, which has room for 72 characters.
        described = " · ".join(
            x for x in (title if len(title) > ROW_TITLE_MAX else "", detail) if x
        )
        if described:
            row["description"] = label(described, ROW_DESC_MAX)
        rows.append(row)
        lines.append(
            f"- *{title}*"
            + (f" ({detail})" if detail else "")
            + (f": {step.url}" if step.url else "")
        )
        if len(rows) == limit:
            break
    return rows, lines


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(i.split()) for i in items if i and i.strip()))


def _follow_up_rows(follow: list[str]) -> list[dict[str, Any]]:
    rows = []
    for text in follow:
        row = {"id": follow_up_id(text), "title": label(text, ROW_TITLE_MAX)}
        if len(text) > ROW_TITLE_MAX:
            row["description"] = label(text, ROW_DESC_MAX)
        rows.append(row)
    return rows


Menu = tuple[dict[str, Any], list[str], str]  # interactive content, text fallback, default body


def _menu(resp: ChatResponse) -> Menu | None:
    """Pick the one interactive message: reply buttons when the user is being asked something
    and every option fits a button (one tap), else a list (courses and/or options)."""
    follow = _unique(resp.follow_up)[:BUTTONS_MAX]
    options = [f"- {t}" for t in follow]
    titles = [BUTTON_LABELS.get(t, t) for t in follow]
    if follow and all(len(t) <= BUTTON_TITLE_MAX for t in titles):
        buttons = [
            {"type": "reply", "reply": {"id": follow_up_id(t), "title": title}}
            for t, title in zip(follow, titles, strict=True)
        ]
        return {"type": "button", "action": {"buttons": buttons}}, options, BUTTONS_BODY
    rows, lines = _course_rows(resp.recommendations.training_path, ROWS_MAX - len(follow))
    sections = [{"title": COURSES_SECTION, "rows": rows}] if rows else []
    if follow:
        sections.append({"title": FOLLOW_UP_SECTION, "rows": _follow_up_rows(follow)})
    if not sections:
        return None
    button, body = (LIST_BUTTON, LIST_BODY) if rows else (OPTIONS_BUTTON, OPTIONS_BODY)
    content = {"type": "list", "action": {"button": button, "sections": sections}}
    return content, lines + options, body


def _trailing_question(text: str) -> tuple[str, str] | None:
    """Split off a final question paragraph, so it can sit right above its answer buttons."""
    head, sep, last = text.rpartition("\n\n")
    if sep and last.rstrip().endswith("?") and len(last) <= BODY_MAX and head.strip():
        return head.rstrip(), last.strip()
    return None


def render_text(to: str, text: str) -> list[Rendered]:
    """A plain answer in ≤ 2 text messages."""
    return [Rendered(text_body(to, part)) for part in split_text(to_whatsapp(text) or EMPTY_ANSWER)]


def render_response(resp: ChatResponse, to: str) -> list[Rendered]:
    """The assistant's answer as ≤ 2 messages: text + (follow-up buttons | list)."""
    text = to_whatsapp(resp.answer) or EMPTY_ANSWER
    menu = _menu(resp)
    if menu is None:
        return render_text(to, text)
    content, options, default_body = menu

    def interactive(body: str) -> Rendered:
        fallback = clip(body + "\n\n" + "\n".join(options), TEXT_MAX)
        return Rendered(_interactive(to, body, content), fallback_text=fallback)

    if len(text) <= BODY_MAX:
        return [interactive(text)]
    question = _trailing_question(text)
    if question and len(question[0]) <= TEXT_MAX:
        return [Rendered(text_body(to, question[0])), interactive(question[1])]
    first, *rest = split_text(text, TEXT_MAX, max_parts=len(text) // TEXT_MAX + 2)
    remainder = "\n\n".join(rest)
    if not remainder:
        return [Rendered(text_body(to, first)), interactive(default_body)]
    if len(remainder) <= BODY_MAX:
        return [Rendered(text_body(to, first)), interactive(remainder)]
    return render_text(to, text)  # the answer matters more than the menu
