"""Delivery receipts (issue 6 item 6): a message the provider accepted becomes
delivered, or failed with the provider's reason, when the provider says so;
only a provider holding the secret can say so, and bad input changes nothing."""

import hashlib
import hmac
import json

import pytest
from django.urls import reverse
from django_scopes import scope

from mustafid.contact.outbox import OutboxMessage, OutboxStatus, queue_message
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

APP_SECRET = "whatsapp-app-secret"
SMS_TOKEN = "sms-receipt-token-0123456789"


@pytest.fixture(autouse=True)
def provider_secrets(settings):
    settings.WHATSAPP = {"VERIFY_TOKEN": "verify-me", "APP_SECRET": APP_SECRET}
    settings.SMS_RECEIPT_TOKEN = SMS_TOKEN
    settings.SMS_RECEIPT_FIELDS = {}


def sent_message(org, provider_id: str) -> OutboxMessage:
    with scope(organization=org):
        message = queue_message(
            organization=org,
            event="review_due",
            beneficiary=BeneficiaryFactory(organization=org),
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.SENT, provider_id=provider_id
        )
    return message


def status_of(message) -> tuple[str, str]:
    with scope(organization=message.organization):
        message.refresh_from_db()
    return message.status, message.last_error


def whatsapp_notification(message_id: str, status: str, **extra) -> bytes:
    item = {"id": message_id, "status": status, "recipient_id": "966500000000"}
    return json.dumps(
        {"entry": [{"changes": [{"value": {"statuses": [item | extra]}}]}]}
    ).encode()


def post_signed(client, body: bytes, secret: str = APP_SECRET):
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        reverse("contact:whatsapp_webhook"),
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": f"sha256={signature}"},
    )


def test_meta_verifies_the_webhook_with_the_token(client):
    url = reverse("contact:whatsapp_webhook")
    ok = client.get(
        url,
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "verify-me",
            "hub.challenge": "42",
        },
    )
    assert ok.status_code == 200 and ok.content == b"42"
    wrong = {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    assert client.get(url, wrong).status_code == 403


def test_a_whatsapp_message_is_delivered_then_read(client, org):
    message = sent_message(org, "wamid.HBgM1")
    response = post_signed(client, whatsapp_notification("wamid.HBgM1", "delivered"))
    assert response.json() == {"updated": 1}
    assert status_of(message)[0] == OutboxStatus.DELIVERED
    post_signed(client, whatsapp_notification("wamid.HBgM1", "read"))
    assert status_of(message)[0] == OutboxStatus.DELIVERED


def test_a_whatsapp_failure_keeps_the_providers_reason(client, org):
    message = sent_message(org, "wamid.HBgM2")
    errors = [{"code": 131026, "title": "Message undeliverable"}]
    post_signed(client, whatsapp_notification("wamid.HBgM2", "failed", errors=errors))
    assert status_of(message) == (OutboxStatus.FAILED, "131026 Message undeliverable")


def test_an_unsigned_or_forged_notification_changes_nothing(client, org):
    message = sent_message(org, "wamid.HBgM3")
    body = whatsapp_notification("wamid.HBgM3", "failed")
    forged = post_signed(client, body, secret="not-the-secret")
    unsigned = client.post(
        reverse("contact:whatsapp_webhook"), body, content_type="application/json"
    )
    assert forged.status_code == unsigned.status_code == 403
    assert status_of(message)[0] == OutboxStatus.SENT


def test_a_signed_body_that_is_not_a_notification_is_refused(client, org):
    response = post_signed(client, b'{"entry": "nonsense"}')
    assert response.status_code == 400
    assert "WhatsApp" in response.json()["error"]


def test_the_sms_gateways_report_marks_the_message(client, org):
    delivered = sent_message(org, "5452899970")
    undelivered = sent_message(org, "5452899971")
    url = reverse("contact:sms_delivery_report", args=[SMS_TOKEN])
    client.post(url, {"messageId": "5452899970", "status": "DELIVRD"})
    client.post(
        url,
        {"messageId": "5452899971", "status": "UNDELIV", "error": "absent subscriber"},
    )
    assert status_of(delivered)[0] == OutboxStatus.DELIVERED
    assert status_of(undelivered) == (OutboxStatus.FAILED, "absent subscriber")


def test_the_report_field_names_follow_the_gateway(client, org, settings):
    settings.SMS_RECEIPT_FIELDS = {"ID": "MessageID", "STATUS": "Status"}
    message = sent_message(org, "42000348806924")
    url = reverse("contact:sms_delivery_report", args=[SMS_TOKEN])
    response = client.post(
        url,
        {"MessageID": "42000348806924", "Status": "delivered"},
        content_type="application/json",
    )
    assert response.json() == {"updated": 1}
    assert status_of(message)[0] == OutboxStatus.DELIVERED


def test_a_wrong_token_or_a_bad_report_changes_nothing(client, org):
    message = sent_message(org, "5452899972")
    wrong = reverse("contact:sms_delivery_report", args=["guessed-token"])
    assert (
        client.post(wrong, {"messageId": "5452899972", "status": "DELIVRD"}).status_code
        == 404
    )
    url = reverse("contact:sms_delivery_report", args=[SMS_TOKEN])
    not_json = client.post(url, "{oops", content_type="application/json")
    no_id = client.post(url, {"status": "DELIVRD"})
    assert not_json.status_code == no_id.status_code == 400
    assert status_of(message)[0] == OutboxStatus.SENT


def test_a_message_not_yet_sent_is_not_marked_delivered(client, org):
    """A receipt cannot overtake the worker, nor revive a failed message."""
    message = sent_message(org, "5452899973")
    with scope(organization=org):
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
    url = reverse("contact:sms_delivery_report", args=[SMS_TOKEN])
    response = client.post(url, {"messageId": "5452899973", "status": "DELIVRD"})
    assert response.json() == {"updated": 0}
    assert status_of(message)[0] == OutboxStatus.FAILED
