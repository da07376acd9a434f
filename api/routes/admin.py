"""Operator endpoints, behind `Authorization: Bearer <MIPYME_ADMIN_TOKEN>`."""

from __future__ import annotations

import hmac
import importlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import AssistantDep, SettingsDep, StateDep
from api.errors import ERROR_RESPONSES, ErrorBody
from api.ratelimit import rate_limit
from assistant.errors import NeedsConfiguration, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="MIPYME_ADMIN_TOKEN")


def require_admin(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Dependency: 503 when no admin token is configured, 401 unless the bearer matches it."""
    if settings.admin_token is None or not settings.admin_token.get_secret_value():
        raise NeedsConfiguration("La administración está desactivada: falta MIPYME_ADMIN_TOKEN.")
    expected = settings.admin_token.get_secret_value().encode()
    given = credentials.credentials.encode() if credentials else b""
    if not hmac.compare_digest(given, expected):
        raise Unauthorized("Token de administración inválido o ausente.")


router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    # Limited before the token check, so guessing tokens costs the guesser, not us.
    dependencies=[Depends(rate_limit), Depends(require_admin)],
    responses={**ERROR_RESPONSES, 401: {"model": ErrorBody, "description": "No autorizado"}},
)


@router.post("/ingest")
async def ingest(settings: SettingsDep, assistant: AssistantDep, state: StateDep) -> Any:
    """Reindexa `knowledge/` de forma incremental y devuelve el reporte de cambios."""
    pipeline = importlib.import_module("ingest.pipeline")
    async with state.ingest_lock:  # two overlapping ingests would fight over the record manager
        report = await run_in_threadpool(pipeline.run_ingest, settings)
        await run_in_threadpool(assistant.reload)
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
