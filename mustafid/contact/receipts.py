"""Delivery receipts: a provider tells us later that a message it accepted was
delivered or could not be (issue 6 item 6: queued → sent → delivered / failed).

Two doors, both outside any staff session and both authenticated by the
provider: WhatsApp's webhook (a verify token for the subscription, each POST
signed with the app secret) and the SMS gateway's delivery report (a secret
token in its URL). Only the status of a message the provider knows by its id
changes; an unknown id is acknowledged and ignored, so the provider stops
retrying.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from mustafid.contact.outbox import OutboxMessage, OutboxStatus

# What providers call the two outcomes (WhatsApp: sent, delivered, read, failed;
# gateways: DELIVRD, UNDELIV, …).
DELIVERED = frozenset({"delivered", "read", "delivrd", "success", "1"})
FAILED = frozenset({"failed", "undelivered", "undeliv", "rejected", "expired"})


class BadReceipt(ValueError):
    """A receipt we cannot read; the provider is answered 400."""


def record_receipt(provider_id: str, status: str, error: str = "") -> int:
    """Mark the message the provider knows as `provider_id`; how many changed."""
    status = str(status).strip().lower()
    if status in DELIVERED:
        fields = {"status": OutboxStatus.DELIVERED}
    elif status in FAILED:
        fields = {"status": OutboxStatus.FAILED, "last_error": error[:1000] or status}
    else:
        return 0  # "sent", "accepted", …: nothing new
    with scopes_disabled():
        return OutboxMessage.objects.filter(
            provider_id=str(provider_id)[:200],
            status__in=(OutboxStatus.SENT, OutboxStatus.DELIVERED),
        ).update(updated_at=timezone.now(), **fields)


def whatsapp_signature_valid(body: bytes, signature: str) -> bool:
    secret = settings.WHATSAPP.get("APP_SECRET", "")
    if not secret or not signature.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.removeprefix("sha256="))


def whatsapp_statuses(body: bytes) -> list[tuple[str, str, str]]:
    """(message id, status, error) from a Cloud API webhook notification."""
    try:
        payload = json.loads(body)
        statuses = []
        for entry in payload.get("entry", []):
            for change in entry.get("changes", []):
                for item in change.get("value", {}).get("statuses", []):
                    errors = item.get("errors") or [{}]
                    error = f"{errors[0].get('code', '')} {errors[0].get('title', '')}"
                    statuses.append((item["id"], item["status"], error.strip()))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise BadReceipt("not a WhatsApp status notification") from exc
    return statuses


def sms_receipt(data: dict) -> tuple[str, str, str]:
    """(message id, status, error) from the gateway's delivery report, by the
    field names in SMS_RECEIPT_FIELDS (defaults: messageId, status, error)."""
    names = {"ID": "messageId", "STATUS": "status", "ERROR": "error"}
    names |= settings.SMS_RECEIPT_FIELDS
    try:
        provider_id, status = str(data[names["ID"]]), str(data[names["STATUS"]])
    except (KeyError, TypeError) as exc:
        raise BadReceipt("a delivery report needs a message id and a status") from exc
    return provider_id, status, str(data.get(names["ERROR"], ""))
