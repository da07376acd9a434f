"""What we store about a session: see it, or forget it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.deps import AssistantDep
from api.errors import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from assistant.schemas import BusinessProfile

router = APIRouter(
    prefix="/v1/sessions", tags=["sesiones"], responses={**ERROR_RESPONSES, **NOT_FOUND_RESPONSE}
)

SessionId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@+-]+$")]


@router.get("/{session_id}/profile")
def get_profile(session_id: SessionId, assistant: AssistantDep) -> BusinessProfile:
    """Devuelve el perfil del negocio que se ha construido en esta sesión."""
    return assistant.profile(session_id)


@router.delete("/{session_id}", status_code=204, response_class=Response)
def forget_session(session_id: SessionId, assistant: AssistantDep) -> Response:
    """Borra todo lo guardado de esta sesión: perfil e historial."""
    assistant.forget(session_id)
    return Response(status_code=204)
