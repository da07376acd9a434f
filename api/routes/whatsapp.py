"""WhatsApp Cloud API webhook: verification (GET) and updates (POST). Thin: verify, persist,
acknowledge; the worker in `api.whatsapp.worker` does the answering after the 200.

Hand-written on purpose instead of pywa, whose receiver dispatches only the first update of a
batched POST (david-lev/pywa#229) and dedups in memory only.
"""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from api.whatsapp.payloads import EnvelopeError, parse_webhook
from api.whatsapp.runtime import WhatsAppRuntime
from api.whatsapp.signature import verify_signature
from assistant.errors import AssistantError, InvalidInput, NeedsConfiguration, StorageError
from assistant.limits import MAX_WEBHOOK_BODY_BYTES

log = logging.getLogger(__name__)
router = APIRouter(tags=["whatsapp"])

MAX_WEBHOOK_BYTES = MAX_WEBHOOK_BODY_BYTES


class InvalidSignature(AssistantError):
    status_code = 403
    code = "firma_invalida"
    default_message = "La firma del mensaje de WhatsApp no es válida."


class VerificationFailed(AssistantError):
    status_code = 403
    code = "verificacion_fallida"
    default_message = "El token de verificación de WhatsApp no coincide."


class PayloadTooLarge(AssistantError):
    status_code = 413
    code = "entrada_demasiado_grande"
    default_message = "El mensaje recibido es demasiado grande."


NOT_CONFIGURED = NeedsConfiguration("El canal de WhatsApp no está configurado en este servidor.")


def _error(exc: AssistantError) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status_code
    )


def _runtime(request: Request) -> WhatsAppRuntime | None:
    settings = request.app.state.settings
    if not settings.whatsapp_enabled:
        return None
    return getattr(request.app.state, "whatsapp", None)


@router.get("/webhooks/whatsapp", response_model=None)
async def verify_webhook(
    request: Request,
    mode: str = Query("", alias="hub.mode"),
    token: str = Query("", alias="hub.verify_token"),
    challenge: str = Query("", alias="hub.challenge"),
) -> Response:
    """Meta's subscription handshake: echo `hub.challenge` when the verify token matches."""
    settings = request.app.state.settings
    if not settings.whatsapp_enabled:
        return _error(NOT_CONFIGURED)
    expected = settings.whatsapp_verify_token.get_secret_value().encode("utf-8")
    if mode == "subscribe" and hmac.compare_digest(token.encode("utf-8"), expected):
        return PlainTextResponse(challenge)
    return _error(VerificationFailed())


@router.post("/webhooks/whatsapp", response_model=None)
async def receive_webhook(request: Request) -> Response:
    """Verify the signature, store every update durably (deduplicated), answer 200 at once."""
    runtime = _runtime(request)
    if runtime is None:
        return _error(NOT_CONFIGURED)
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        return _error(PayloadTooLarge())
    secret = runtime.settings.whatsapp_app_secret.get_secret_value()
    if not verify_signature(secret, body, request.headers.get("x-hub-signature-256")):
        log.warning("whatsapp: rejected a POST with a missing or bad signature")
        return _error(InvalidSignature())
    try:
        parsed = parse_webhook(
            json.loads(body),
            now=runtime.clock(),
            phone_number_id=runtime.settings.whatsapp_phone_number_id,
        )
    except (ValueError, RecursionError, EnvelopeError):  # RecursionError: JSON nested too deep
        return _error(InvalidInput("El cuerpo del webhook no es un JSON de WhatsApp válido."))
    try:
        await runtime.ingest(parsed)
    except StorageError as exc:
        # Not stored → not acknowledged: Meta will deliver it again.
        log.error("whatsapp: could not persist a webhook; answering 503 so Meta retries")
        return _error(exc)
    return JSONResponse({"status": "ok"})
