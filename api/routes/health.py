"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from api.deps import AssistantDep, MetricsDep, SettingsDep
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
def readyz(assistant: AssistantDep, settings: SettingsDep) -> JSONResponse:
    """El asistente puede consultar su base de conocimiento (y el LLM, si está configurado), y
    la carpeta de datos tiene espacio para guardar conversaciones."""
    if not (settings.chroma_host and settings.redis_url):  # something is written locally
        problem = disk_problem(settings.data_dir)
        if problem:
            return error_response(503, "disco_lleno", problem)
    try:
        checks = assistant.check_ready()
    except AssistantError as exc:
        return error_response(503, exc.code, exc.message)
    except Exception:
        logger.exception("La verificación de disponibilidad falló")
        return error_response(503, "no_disponible", "El servicio todavía no está listo.")
    return JSONResponse({"status": "ready", "checks": checks})


# Below this, SQLite and Chroma writes start failing mid-turn: take the replica out first.
MIN_FREE_BYTES = 32 * 1024 * 1024


def disk_problem(data_dir: Path) -> str | None:
    """A Spanish reason the data dir cannot take writes (full disk, read-only), or None."""
    message = (
        "No hay espacio libre en el disco de la carpeta de datos. Libera espacio o cambia "
        "MIPYME_DATA_DIR."
    )
    try:
        if shutil.disk_usage(data_dir).free < MIN_FREE_BYTES:
            return message
        with tempfile.TemporaryFile(dir=data_dir) as probe:
            probe.write(b"\0" * 4096)  # an empty file needs no free block: write a page
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return message
        return "No podemos escribir en la carpeta de datos. Revisa sus permisos y su espacio."
    return None


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"description": "Métricas", "content": {"text/plain": {}}}},
)
def metrics(metrics: MetricsDep) -> Response:
    """Métricas en formato de texto de Prometheus."""
    return Response(metrics.render(), media_type=metrics.content_type)
