"""Thumbs up/down on an answer."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from api import web_sessions
from api.deps import AssistantDep
from api.errors import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from api.ratelimit import rate_limit
from assistant.schemas import FeedbackRequest

router = APIRouter(
    prefix="/v1",
    tags=["feedback"],
    dependencies=[Depends(rate_limit)],
    responses={**ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
)


@router.post("/feedback", status_code=204, response_class=Response)
def feedback(body: FeedbackRequest, assistant: AssistantDep) -> Response:
    """Guarda la calificación (up/down) de una respuesta."""
    web_sessions.require_web_id(
        body.session_id,
        "No encontramos esa conversación. Puede que se haya borrado o que haya expirado.",
    )
    assistant.feedback(body)
    return Response(status_code=204)
