"""What we store about a web session: see it, or forget it (only with the id we issued)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from api import web_sessions
from api.deps import AssistantDep
from api.errors import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from api.ratelimit import rate_limit
from assistant.limits import MAX_ID_CHARS, SESSION_ID_PATTERN
from assistant.schemas import BusinessProfile

router = APIRouter(
    prefix="/v1/sessions",
    tags=["sesiones"],
    dependencies=[Depends(rate_limit)],
    responses={**ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
)

SessionId = Annotated[str, Path(min_length=1, max_length=MAX_ID_CHARS, pattern=SESSION_ID_PATTERN)]


@router.get("/{session_id}/profile")
def get_profile(session_id: SessionId, assistant: AssistantDep) -> BusinessProfile:
    """Devuelve el perfil del negocio que se ha construido en esta sesión."""
    web_sessions.require_web_id(session_id)
    return assistant.profile(session_id)


@router.delete("/{session_id}", status_code=204, response_class=Response)
def forget_session(session_id: SessionId, assistant: AssistantDep) -> Response:
    """Borra todo lo guardado de esta sesión: perfil e historial."""
    web_sessions.require_web_id(session_id)
    assistant.forget(session_id)
    return Response(status_code=204)
