"""Operator endpoints, behind `Authorization: Bearer <MIPYME_ADMIN_TOKEN>`."""

from __future__ import annotations

import hmac
import importlib
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import AssistantDep, SettingsDep
from api.errors import ERROR_RESPONSES, ErrorBody
from api.ingest_jobs import IngestJobs, public
from api.ratelimit import RateLimiter
from assistant.errors import NeedsConfiguration, Unauthorized
from assistant.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="MIPYME_ADMIN_TOKEN")


async def require_admin(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Dependency: 503 when no admin token is configured, 401 unless the bearer matches it.

    Only failed attempts count against the client's limit, so guessing tokens costs the
    guesser while an operator polling an ingest job is never throttled; a client over its
    limit gets 429 even with the right token, so the limit can't be used as an oracle."""
    if settings.admin_token is None or not settings.admin_token.get_secret_value():
        raise NeedsConfiguration("La administración está desactivada: falta MIPYME_ADMIN_TOKEN.")
    limiter: RateLimiter = request.app.state.limiter
    client = ("admin", request.client.host if request.client else "desconocida")
    await limiter.ensure_open(*client)
    expected = settings.admin_token.get_secret_value().encode()
    given = credentials.credentials.encode() if credentials else b""
    if not hmac.compare_digest(given, expected):
        await limiter.check(client)
        raise Unauthorized("Token de administración inválido o ausente.")


router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses={**ERROR_RESPONSES, 401: {"model": ErrorBody, "description": "No autorizado"}},
)


@router.post(
    "/ingest",
    status_code=202,
    responses={202: {"description": "Tarea de ingesta aceptada (o la que ya corre)"}},
)
async def ingest(settings: SettingsDep, assistant: AssistantDep) -> JSONResponse:
    """Pide reindexar `knowledge/` (incremental) y responde de inmediato con el id de la tarea.

    La ingesta construye una generación nueva del índice junto a la actual y cambia el puntero
    al terminar; todos los workers la toman solos. Si ya hay una tarea en cola o corriendo,
    devuelve esa misma. El estado se consulta en `GET /v1/admin/ingest/{job_id}`.
    """
    jobs = IngestJobs(settings.data_dir)
    job, new = await run_in_threadpool(jobs.start_or_join)
    if new:
        threading.Thread(
            target=jobs.run,
            args=(job["job_id"], lambda: _run_ingest(settings), assistant.reload),
            name=f"ingest-{job['job_id'][:8]}",
            daemon=True,
        ).start()
    location = f"/v1/admin/ingest/{job['job_id']}"
    body = {**public(job), "status_url": location}
    return JSONResponse(body, status_code=202, headers={"Location": location})


@router.get("/ingest/{job_id}")
async def ingest_status(job_id: str, settings: SettingsDep) -> dict[str, Any]:
    """Estado de una tarea de ingesta: `queued`, `running`, `done` (con el reporte) o `failed`
    (con el motivo)."""
    return public(await run_in_threadpool(IngestJobs(settings.data_dir).get, job_id))


def _run_ingest(settings: Settings) -> dict[str, Any]:
    pipeline = importlib.import_module("ingest.pipeline")
    report = pipeline.run_ingest(settings)
    return _public(jsonable_encoder(report.model_dump()))


def _public(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the server's absolute paths (they map the host for an attacker)."""
    root = str(report.get("knowledge_dir") or "")
    name = root.rstrip("/").rsplit("/", 1)[-1] or "knowledge"
    if root:
        report["knowledge_dir"] = name

    def scrub(value: Any) -> Any:
        if isinstance(value, str) and root:
            return value.replace(root, name)
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    return scrub(report)  # type: ignore[no-any-return]
