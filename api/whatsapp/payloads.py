"""Tolerant parsing of Meta's webhook envelope into `InboundMessage` / `StatusUpdate`.

Only `object`, `entry`, `changes`, `value` and `metadata` are required; every other key is
optional, and every array (entries, changes, messages, statuses, errors) is looped over in
full, because Meta batches up to 1000 updates in one POST.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, model_validator

from api.whatsapp.privacy import msg_tag, scrub

log = logging.getLogger(__name__)

WABA_OBJECT = "whatsapp_business_account"
_MX_MOBILE = re.compile(r"^521(\d{10})$")


def normalize_phone(raw: str | None) -> str:
    """Digits only, with Mexico's legacy mobile prefix `521` + 10 digits rewritten to `52`."""
    digits = re.sub(r"\D", "", raw or "")
    if not digits:  # not a phone number at all (placeholders in fixtures): keep it verbatim
        return (raw or "").strip()
    match = _MX_MOBILE.match(digits)
    return f"52{match.group(1)}" if match else digits


_session_key = b"mipyme-ia:wa-session"
_wamid_key = b"mipyme-ia:wa-wamid"


def configure_session_key(secret: str) -> None:
    """Key the session-id and wamid hashes with a server secret (`WHATSAPP_APP_SECRET`), so a
    phone number cannot be turned into its session id (or found by hashing every number), nor a
    wamid matched to its hash, without it. Each hash has its own key derived from the secret."""
    global _session_key, _wamid_key
    _session_key = hashlib.sha256(b"mipyme-ia:wa-session:" + secret.encode("utf-8")).digest()
    _wamid_key = hashlib.sha256(b"mipyme-ia:wa-wamid:" + secret.encode("utf-8")).digest()


USER_HASH_LENGTH = 40


def user_hash(user_key: str) -> str:
    """Return the keyed hash (HMAC-SHA256, 40 hex digits) of a phone number or BSUID.

    This is the only form of a WhatsApp user's identity that store keys, lease names, log lines
    and report rows carry; without `WHATSAPP_APP_SECRET` it cannot be computed from a number."""
    digest = hmac.new(_session_key, user_key.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:USER_HASH_LENGTH]


def is_user_hash(value: str) -> bool:
    """True for a `user_hash` result (a phone has at most 15 digits, a BSUID has a dot)."""
    return len(value) == USER_HASH_LENGTH and all(c in "0123456789abcdef" for c in value)


WAMID_HASH_LENGTH = 40


def wamid_hash(wamid: str) -> str:
    """Return the keyed hash (HMAC-SHA256, 40 hex digits) of a WhatsApp message id.

    Meta's wamids (`wamid.HBgM…`) are base64 that contains the user's phone number, so the
    stores key messages, outbound replies and statuses by this hash instead: dedup and status
    lookups hash the incoming id and look the hash up. The wamid itself stays only in the data
    of a message that is still pending (mark-as-read, a reply's `context`)."""
    digest = hmac.new(_wamid_key, wamid.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:WAMID_HASH_LENGTH]


def is_wamid_hash(value: str) -> bool:
    """True for a `wamid_hash` result (a wamid starts with `wamid.`)."""
    return len(value) == WAMID_HASH_LENGTH and all(c in "0123456789abcdef" for c in value)


def session_id_for(user_key: str) -> str:
    """Return the assistant session id for a WhatsApp user key: `wa:` + `user_hash`.

    Phone numbers never become store keys or report rows; the same user always maps to the
    same session while the key stays the same."""
    return "wa:" + user_hash(user_key)


class InboundMessage(BaseModel):
    """One user message, keyed and normalised; `raw` is kept so keying can be replayed."""

    wamid: str
    phone_number_id: str
    user_key: str
    to: str
    type: str
    timestamp: float
    received_at: float = 0.0
    text: str | None = None
    interactive_type: str | None = None
    choice_id: str | None = None
    choice_title: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    reaction_emoji: str | None = None
    context_id: str | None = None
    raw: dict[str, Any] = Field(default_factory=dict)
    # `wamid_hash(wamid)`, fixed when the message is parsed: the store key of this message
    # (kept in its pending data, so a later change of secret cannot orphan it).
    key: str = ""

    @model_validator(mode="after")
    def _fill_key(self) -> InboundMessage:
        if not self.key:
            self.key = wamid_hash(self.wamid)
        return self

    @property
    def session_id(self) -> str:
        return session_id_for(self.user_key)

    @property
    def user_hash(self) -> str:
        """The keyed hash that stores this message (never `user_key` or `to`)."""
        return user_hash(self.user_key)

    def record(self) -> dict[str, Any]:
        """What the store keeps once the message is answered or ignored: no phone, no text, no
        wamid, only its hash (see `api/whatsapp/store.py`)."""
        return {
            "key": self.key,
            "user_hash": self.user_hash,
            "type": self.type,
            "timestamp": self.timestamp,
            "received_at": self.received_at,
        }


class StatusUpdate(BaseModel):
    """Delivery status of one of our outbound messages."""

    wamid: str
    status: str
    timestamp: float
    phone_number_id: str
    error_code: int | None = None
    error_title: str | None = None
    raw: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        """`wamid_hash(wamid)`: what the store files this status under."""
        return wamid_hash(self.wamid)

    def record(self) -> str:
        """The stored form: without `raw`, which names the recipient (`recipient_id`), and with
        the wamid replaced by its hash."""
        return self.model_copy(update={"wamid": self.key}).model_dump_json(exclude={"raw"})


class WebhookError(BaseModel):
    """A system-level `value.errors[]` entry."""

    code: int | None
    title: str
    details: str = ""


@dataclass
class ParsedWebhook:
    """Everything one POST carried."""

    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    errors: list[WebhookError] = field(default_factory=list)
    skipped: int = 0


class EnvelopeError(ValueError):
    """The body is not a WhatsApp Business Account webhook at all."""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _float(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _opt_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN is not a coordinate


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _contact_for(contacts: list[Any], sender: str) -> dict[str, Any]:
    """Return the contact that matches `sender` (or the only contact)."""
    dicts = [c for c in contacts if isinstance(c, dict)]
    for contact in dicts:
        if sender and _str(contact.get("wa_id")) == sender:
            return contact
    return dicts[0] if len(dicts) == 1 else {}


def _message(
    raw: dict[str, Any], contacts: list[Any], phone_number_id: str, now: float
) -> InboundMessage | None:
    wamid = _str(raw.get("id"))
    sender = _str(raw.get("from"))
    contact = _contact_for(contacts, sender)
    phone = normalize_phone(sender or _str(contact.get("wa_id")))
    bsuid = _str(raw.get("from_user_id")) or _str(contact.get("user_id"))
    user_key = bsuid or phone
    if not wamid or not user_key:
        log.warning("whatsapp: message without id or sender skipped (%s)", msg_tag(wamid))
        return None
    mtype = _str(raw.get("type")) or "unknown"
    ts = _float(raw.get("timestamp"), now)
    msg = InboundMessage(
        wamid=wamid,
        phone_number_id=phone_number_id,
        user_key=user_key,
        # Meta recommends phone numbers over BSUIDs when both are known.
        to=phone or bsuid,
        type=mtype,
        timestamp=min(ts, now),
        received_at=now,
        context_id=_str(_dict(raw.get("context")).get("id")) or None,
        raw={"message": raw, "contact": contact},
    )
    body = _dict(raw.get(mtype))
    if mtype == "text":
        msg.text = _str(body.get("body"))
    elif mtype == "interactive":
        msg.interactive_type = _str(body.get("type")) or None
        reply = _dict(body.get(msg.interactive_type or ""))
        msg.choice_id = _str(reply.get("id")) or None
        msg.choice_title = _str(reply.get("title")) or None
    elif mtype == "button":
        msg.text = _str(body.get("text")) or _str(body.get("payload"))
    elif mtype == "location":
        msg.latitude = _opt_float(body.get("latitude"))
        msg.longitude = _opt_float(body.get("longitude"))
    elif mtype == "reaction":
        msg.reaction_emoji = _str(body.get("emoji")) or None
    for err in _list(raw.get("errors")):
        err = _dict(err)
        log.info(
            "whatsapp: inbound %s (%s) carries error %s %s",
            msg_tag(wamid),
            mtype,
            err.get("code"),
            scrub(err.get("title", "")),
        )
    return msg


def _status(raw: dict[str, Any], phone_number_id: str, now: float) -> StatusUpdate | None:
    wamid, status = _str(raw.get("id")), _str(raw.get("status"))
    if not wamid or not status:
        return None
    errors = [_dict(e) for e in _list(raw.get("errors"))]
    first = errors[0] if errors else {}
    return StatusUpdate(
        wamid=wamid,
        status=status,
        timestamp=_float(raw.get("timestamp"), now),
        phone_number_id=phone_number_id,
        error_code=_int(first.get("code")),
        error_title=_str(first.get("title")) or None,
        raw=raw,
    )


def parse_webhook(payload: Any, *, now: float, phone_number_id: str | None = None) -> ParsedWebhook:
    """Parse a decoded webhook body; updates for other business numbers are skipped.

    Raises `EnvelopeError` only when `object`/`entry` are missing or of the wrong type.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise EnvelopeError("not a webhook envelope")
    out = ParsedWebhook()
    if payload.get("object") != WABA_OBJECT:
        log.info("whatsapp: ignoring webhook for object %r", scrub(payload.get("object")))
        return out
    for entry in _list(payload["entry"]):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            value = change.get("value")
            field_name = change.get("field", "messages")
            if field_name != "messages" or not isinstance(value, dict):
                out.skipped += 1
                continue
            metadata = value.get("metadata")
            number = _str(_dict(metadata).get("phone_number_id"))
            if not number:
                log.warning("whatsapp: change without metadata.phone_number_id skipped")
                out.skipped += 1
                continue
            if phone_number_id and number != phone_number_id:
                # Other numbers of the same WABA are not ours to answer.
                log.warning("whatsapp: update for another phone_number_id skipped")
                out.skipped += 1
                continue
            contacts = _list(value.get("contacts"))
            for raw in _list(value.get("messages")):
                msg = _message(_dict(raw), contacts, number, now)
                if msg is None:
                    out.skipped += 1
                else:
                    out.messages.append(msg)
            for raw in _list(value.get("statuses")):
                status = _status(_dict(raw), number, now)
                if status is None:
                    out.skipped += 1
                else:
                    out.statuses.append(status)
            for raw in _list(value.get("errors")):
                raw = _dict(raw)
                details = _str(_dict(raw.get("error_data")).get("details"))
                out.errors.append(
                    WebhookError(
                        code=_int(raw.get("code")), title=_str(raw.get("title")), details=details
                    )
                )
    return out
