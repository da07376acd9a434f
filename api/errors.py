"""The one place that turns failures into HTTP responses shaped `{"error": {code, message}}`.

Under the OpenAI-compatible paths (`/v1/chat/completions`, `/v1/models…`) the same failures
take OpenAI's shape instead, `{"error": {message, type, param, code}}`, and a validation
error is a 400 `invalid_request_error` (OpenAI clients map 422 to nothing they know).

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


OPENAI_PATHS = ("/v1/chat/completions", "/v1/models")


def is_openai_path(path: str) -> bool:
    """True where errors must follow OpenAI's shape."""
    return path == OPENAI_PATHS[0] or path == OPENAI_PATHS[1] or path.startswith("/v1/models/")


def openai_type(status_code: int) -> str:
    """OpenAI's `type` for a status: what its clients switch on."""
    if status_code == 429:
        return "requests"
    if status_code >= 500:
        return "server_error"
    return "invalid_request_error"


def openai_error(
    status_code: int,
    message: str,
    code: str | None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
    type_: str | None = None,
) -> JSONResponse:
    """`{"error": {message, type, param, code}}`, as api.openai.com answers."""
    body = {
        "error": {
            "message": message,
            "type": type_ or openai_type(status_code),
            "param": param,
            "code": code,
        }
    }
    return JSONResponse(body, status_code=status_code, headers=headers)


def error_response(
    status_code: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    path: str = "",
) -> JSONResponse:
    """The JSON error response every failure path uses (OpenAI's shape on OpenAI paths)."""
    if is_openai_path(path):
        return openai_error(status_code, message, code, headers=headers)
    body = ErrorBody(error=ErrorDetail(code=code, message=message))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


def too_large_response(limit: int, path: str = "") -> JSONResponse:
    """413 for a body over `limit` bytes."""
    return error_response(413, "cuerpo_demasiado_grande", _too_large_message(limit), path=path)


def _param(loc: Any) -> str | None:
    """`("body", "messages", 0, "content")` -> `messages[0].content`."""
    out = ""
    for part in list(loc or ())[1:]:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


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
    if is_openai_path(request.url.path):
        code = getattr(exc, "openai_code", None) or exc.code
        if isinstance(exc, RateLimited):
            code = "rate_limit_exceeded"
        param = getattr(exc, "param", None)
        status = 400 if exc.status_code == 422 else exc.status_code  # OpenAI has no 422
        return openai_error(status, exc.message, code, param, headers)
    return error_response(exc.status_code, exc.code, exc.message, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    openai = is_openai_path(request.url.path)
    if any(e.get("type") == "json_invalid" for e in errors):
        message = "El cuerpo no es JSON válido. Revisa comillas, comas y llaves."
        if openai:
            return openai_error(400, message, "invalid_json")
        return error_response(400, "json_invalido", message)
    if openai:
        first = errors[0] if errors else {}
        code = "missing_required_parameter" if first.get("type") == "missing" else "invalid_value"
        return openai_error(400, describe(errors), code, _param(first.get("loc")))
    return error_response(422, "entrada_invalida", describe(errors))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _HTTP_MESSAGES.get(
        exc.status_code, ("error_http", "No pudimos atender la solicitud.")
    )
    if isinstance(exc, BodyTooLarge):
        message = str(exc.detail)
    return error_response(
        exc.status_code, code, message, dict(exc.headers or {}), path=request.url.path
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("Error no controlado en %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500,
        "error_interno",
        "Ocurrió un error inesperado. Intenta de nuevo en un momento.",
        path=request.url.path,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on `app`."""
    app.add_exception_handler(AssistantError, _assistant_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
