"""The one place that turns failures into HTTP responses shaped `{"error": {code, message}}`.

AssistantError (and subclasses)   -> its status_code / code / message (+ Retry-After on 429)
RequestValidationError            -> 422 `entrada_invalida` (400 `json_invalido` for bad JSON)
HTTPException (404, 405, 413, …)  -> its status with a Spanish message
anything else                     -> 500 `error_interno`, detail logged, never returned
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.validation import describe
from assistant.errors import AssistantError, RateLimited, Unauthorized

logger = logging.getLogger("api.errors")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error the API returns."""

    error: ErrorDetail


def _doc(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# Declared on routers so the OpenAPI document (and schemathesis) knows every error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _doc("JSON inválido"),
    413: _doc("Cuerpo demasiado grande"),
    422: _doc("Entrada inválida"),
    429: _doc("Demasiadas solicitudes"),
    500: _doc("Error interno"),
    503: _doc("Servicio no disponible"),
}
NOT_FOUND_RESPONSE: dict[int | str, dict[str, Any]] = {404: _doc("No encontrado")}

_HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("solicitud_invalida", "La solicitud no es válida."),
    401: ("no_autorizado", "No tienes permiso para hacer esto."),
    403: ("prohibido", "No tienes permiso para hacer esto."),
    404: ("no_encontrado", "No encontramos esta dirección."),
    405: ("metodo_no_permitido", "Este método no está permitido en esta dirección."),
    413: ("cuerpo_demasiado_grande", "La solicitud es demasiado grande."),
    415: ("tipo_no_soportado", "Envía el cuerpo como JSON (Content-Type: application/json)."),
}


class BodyTooLarge(StarletteHTTPException):
    """Raised while reading a body over the limit; an HTTPException so FastAPI re-raises it as is."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=_too_large_message(limit))


def _too_large_message(limit: int) -> str:
    return f"La solicitud es demasiado grande: el máximo es {max(1, limit // 1024)} KB."


def error_response(
    status_code: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON error response every failure path uses."""
    body = ErrorBody(error=ErrorDetail(code=code, message=message))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


def too_large_response(limit: int) -> JSONResponse:
    """413 for a body over `limit` bytes."""
    return error_response(413, "cuerpo_demasiado_grande", _too_large_message(limit))


async def _assistant_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AssistantError)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after or 60)
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    if exc.status_code >= 500:
        logger.error("%s %s -> %s", request.method, request.url.path, exc.code, exc_info=exc)
    else:
        logger.info("%s %s -> %s", request.method, request.url.path, exc.code)
    return error_response(exc.status_code, exc.code, exc.message, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(
            400, "json_invalido", "El cuerpo no es JSON válido. Revisa comillas, comas y llaves."
        )
    return error_response(422, "entrada_invalida", describe(errors))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _HTTP_MESSAGES.get(
        exc.status_code, ("error_http", "No pudimos atender la solicitud.")
    )
    if isinstance(exc, BodyTooLarge):
        message = str(exc.detail)
    return error_response(exc.status_code, code, message, dict(exc.headers or {}))


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("Error no controlado en %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500, "error_interno", "Ocurrió un error inesperado. Intenta de nuevo en un momento."
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on `app`."""
    app.add_exception_handler(AssistantError, _assistant_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
