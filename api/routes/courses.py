"""Browse the course catalog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AssistantDep
from api.errors import ERROR_RESPONSES
from assistant.knowledge.models import Course, Level

router = APIRouter(prefix="/v1", tags=["cursos"], responses=ERROR_RESPONSES)


@router.get("/courses")
def list_courses(
    assistant: AssistantDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    level: Level | None = None,
    topic: Annotated[str | None, Query(max_length=80)] = None,
) -> list[Course]:
    """Lista los cursos del catálogo; filtra por texto libre, nivel o tema."""
    return assistant.courses(q=q or None, level=level, topic=topic or None)
