import io
import logging
import sys

import pytest

from assistant.redact import RedactingFilter, configure_logging, redact

PERSONAL_DATA = [
    # RFC: personas físicas (13) and morales (12), with homoclave
    ("Mi RFC es GODE561231GR8, ¿me sirve?", "Mi RFC es [RFC], ¿me sirve?"),
    ("rfc: gode561231gr8", "rfc: [RFC]"),
    ("Factura a XAXX010101000 por favor", "Factura a [RFC] por favor"),
    ("La empresa es ABC680524P76", "La empresa es [RFC]"),
    ("RFC de la SA: MIP200315KX1.", "RFC de la SA: [RFC]."),
    ("Con guiones: GODE-561231-GR8", "Con guiones: [RFC]"),
    ("Con eñe: ÑAÑ010101AB1", "Con eñe: [RFC]"),
    # CURP
    ("Mi CURP es GODE561231HDFRRN09", "Mi CURP es [CURP]"),
    ("curp badd110313hcmlns09 gracias", "curp [CURP] gracias"),
    # Phones
    ("Márcame al +52 1 55 1234 5678", "Márcame al [TELÉFONO]"),
    ("Tel: 55-1234-5678.", "Tel: [TELÉFONO]."),
    ("Oaxaca (951) 123 4567", "Oaxaca [TELÉFONO]"),
    ("WhatsApp 5215512345678", "WhatsApp [TELÉFONO]"),
    ("+525512345678", "[TELÉFONO]"),
    ("52 33 1234 5678 es el de Guadalajara", "[TELÉFONO] es el de Guadalajara"),
    ("cel 5512345678, gracias", "cel [TELÉFONO], gracias"),
    ("55 12 34 56 78", "[TELÉFONO]"),
    ("+52 (55) 1234-5678", "[TELÉFONO]"),
    ("951.123.4567", "[TELÉFONO]"),
    # E-mails
    ("Escríbeme a ana.lopez@empresa.com.mx", "Escríbeme a [CORREO]"),
    ("ventas+web@mi-tienda.mx, porfa", "[CORREO], porfa"),
    # Secrets
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc-_123", "Authorization: Bearer [SECRETO]"),
    ("usé la llave sk-proj-abcDEF1234567890abcdef", "usé la llave [SECRETO]"),
    ("key sk-abcdefghijklmnopqrstuvwx fin", "key [SECRETO] fin"),
    ("OPENAI_API_KEY=sk-short", "OPENAI_API_KEY=[SECRETO]"),
    ('{"access_token": "EAAGm0PX4ZCps"}', '{"access_token": "[SECRETO]"}'),
    ("mi contraseña: Hola123", "mi contraseña: [SECRETO]"),
]

UNTOUCHED = [
    "Vendo $1,500 pesos al día",
    "Somos 4 empleados",
    "En el año 2025 queremos crecer",
    "Facturo $2,500,000 al año y $12,345.67 al mes",
    "Del 2020 al 2025 crecimos 30%",
    "Años 2023 2024 2025",
    "CP 68000, Oaxaca",
    "Cumplimos la NOM-035-STPS-2018 e ISO 9001:2015",
    "Horario de 9:00-18:00",
    "Lo envié para 230415 los clientes",
    "Pi vale 3.1415926535",
    "El folio 1234567890123 no es teléfono",
    "La Secretaría de Economía: apoyos para MIPYMES",
    "Usamos max_tokens=1500 en el modelo",
    "Nuestro task-force-abcdefghijklmnopq trabaja bien",
    "¿Cómo uso IA para mi tiendita de abarrotes en Querétaro?",
]


@pytest.mark.parametrize(("text", "expected"), PERSONAL_DATA)
def test_personal_data_is_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", UNTOUCHED)
def test_ordinary_text_is_untouched(text):
    assert redact(text) == text


def test_redaction_is_idempotent():
    once = redact("RFC GODE561231GR8, tel 55-1234-5678, ana@empresa.mx")
    assert redact(once) == once == "RFC [RFC], tel [TELÉFONO], [CORREO]"


def _record(msg, args):
    return logging.LogRecord("mipyme", logging.INFO, __file__, 1, msg, args, None)


def test_filter_redacts_record_args():
    record = _record("cliente %s escribió desde %s", ("GODE561231GR8", "55-1234-5678"))
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == "cliente [RFC] escribió desde [TELÉFONO]"


def test_filter_keeps_the_args_shape_uvicorn_needs():
    record = _record(
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/v1/sessions/5512345678/profile", "1.1", 200),
    )
    RedactingFilter().filter(record)
    assert len(record.args) == 5 and record.args[4] == 200
    assert (
        record.getMessage() == '127.0.0.1:5000 - "GET /v1/sessions/[TELÉFONO]/profile HTTP/1.1" 200'
    )


def test_filter_redacts_non_string_args_and_tracebacks():
    try:
        raise ValueError("falló para ana@empresa.mx")
    except ValueError:
        record = logging.LogRecord(
            "mipyme", logging.ERROR, __file__, 1, "tel %d", (5512345678,), sys.exc_info()
        )
    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "5512345678" not in formatted
    assert "ana@empresa.mx" not in formatted
    assert "tel [TELÉFONO]" in formatted and "[CORREO]" in formatted


def test_filter_survives_malformed_args():
    record = _record("sin marcadores", ("ana@empresa.mx",))
    RedactingFilter().filter(record)
    assert "ana@empresa.mx" not in record.getMessage()


def test_configure_logging_installs_filter_on_root_handlers(monkeypatch):
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    monkeypatch.setattr(root, "handlers", [handler])
    monkeypatch.setattr(root, "level", root.level)
    configure_logging("DEBUG")
    configure_logging("DEBUG")
    assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
    assert root.level == logging.DEBUG
    logging.getLogger("mipyme.test").info("correo %s token %s", "ana@empresa.mx", "Bearer abc.def")
    assert stream.getvalue().strip() == "correo [CORREO] token Bearer [SECRETO]"
