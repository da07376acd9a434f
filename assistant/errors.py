"""Our exception hierarchy. Messages are Spanish and safe to show to users.

    AssistantError                 (500, "error_interno")
    ├── InvalidInput               (422, "entrada_invalida")
    ├── NotFound                   (404, "no_encontrado")
    ├── RateLimited                (429, "demasiadas_solicitudes")
    ├── Unauthorized               (401, "no_autorizado")
    ├── KnowledgeUnavailable       (503, "conocimiento_no_disponible")
    ├── ProviderError              (502, "proveedor_no_disponible")
    ├── ChannelError               (502, "canal_no_disponible")
    ├── StorageError               (503, "almacenamiento_no_disponible")
    └── NeedsConfiguration         (503, "falta_configuracion")

Adapters translate third-party exceptions into these with `raise ... from exc`; `api/` maps
them to HTTP in one place.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: a failure with a user-safe Spanish message."""

    status_code = 500
    code = "error_interno"
    default_message = "Ocurrió un error inesperado. Intenta de nuevo en un momento."

    def __init__(self, message: str | None = None, *, retry_after: int | None = None) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.retry_after = retry_after


class InvalidInput(AssistantError):
    status_code = 422
    code = "entrada_invalida"
    default_message = "La solicitud no es válida."


class NotFound(AssistantError):
    status_code = 404
    code = "no_encontrado"
    default_message = "No encontramos lo que buscas."


class RateLimited(AssistantError):
    status_code = 429
    code = "demasiadas_solicitudes"
    default_message = (
        "Enviaste demasiados mensajes seguidos. Espera un momento y vuelve a intentar."
    )


class Unauthorized(AssistantError):
    status_code = 401
    code = "no_autorizado"
    default_message = "No tienes permiso para hacer esto."


class KnowledgeUnavailable(AssistantError):
    status_code = 503
    code = "conocimiento_no_disponible"
    default_message = (
        "Por ahora no puedo consultar la base de conocimiento. Intenta de nuevo en unos minutos."
    )


class ProviderError(AssistantError):
    status_code = 502
    code = "proveedor_no_disponible"
    default_message = "El servicio de lenguaje no respondió."


class ChannelError(AssistantError):
    status_code = 502
    code = "canal_no_disponible"
    default_message = "No pudimos entregar el mensaje por este canal."


class StorageError(AssistantError):
    status_code = 503
    code = "almacenamiento_no_disponible"
    default_message = "No pudimos guardar ni leer tus datos en este momento. Intenta más tarde."


class NeedsConfiguration(AssistantError):
    status_code = 503
    code = "falta_configuracion"
    default_message = "Esta función no está configurada en este servidor."
