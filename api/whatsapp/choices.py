"""Reply-button and list-row ids that carry their own meaning back to us (stateless).

A follow-up button's id is `fu:<text>`; a course row's id is `c:<course_id>|<title>`. When the
user taps one, the webhook returns the id and we turn it back into what the user "said".
"""

from __future__ import annotations

BUTTON_ID_MAX = 256
ROW_ID_MAX = 200
_FOLLOW_UP = "fu:"
_COURSE = "c:"


def follow_up_id(text: str) -> str:
    """Id for a follow-up suggestion button."""
    return (_FOLLOW_UP + text)[:BUTTON_ID_MAX]


def course_id(course: str, title: str) -> str:
    """Id for a course list row."""
    return f"{_COURSE}{course}|{title}"[:ROW_ID_MAX]


def text_for_choice(choice_id: str | None, title: str | None) -> str | None:
    """What the user meant by tapping a button/row with this id (or its visible title)."""
    if choice_id and choice_id.startswith(_FOLLOW_UP) and len(choice_id) > len(_FOLLOW_UP):
        return choice_id[len(_FOLLOW_UP) :]
    if choice_id and choice_id.startswith(_COURSE):
        course, _, course_title = choice_id[len(_COURSE) :].partition("|")
        name = course_title or title or course
        if name:
            return f"Cuéntame del curso «{name}»"
    return title or choice_id or None
