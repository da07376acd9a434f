"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from api.deps import AssistantDep, MetricsDep
from api.errors import ErrorBody, error_response
from assistant.errors import AssistantError

router = APIRouter(tags=["salud"])
logger = logging.getLogger("api.health")


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """El proceso está vivo."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={503: {"model": ErrorBody, "description": "Aún no puede atender solicitudes"}},
)
def readyz(assistant: AssistantDep) -> JSONResponse:
    """El asistente puede consultar su base de conocimiento (y el LLM, si está configurado)."""
    try:
        checks = assistant.check_ready()
    except AssistantError as exc:
        return error_response(503, exc.code, exc.message)
    except Exception:
        logger.exception("La verificación de disponibilidad falló")
        return error_response(503, "no_disponible", "El servicio todavía no está listo.")
    return JSONResponse({"status": "ready", "checks": checks})


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"description": "Métricas", "content": {"text/plain": {}}}},
)
def metrics(metrics: MetricsDep) -> Response:
    """Métricas en formato de texto de Prometheus."""
    return Response(metrics.render(), media_type=metrics.content_type)
