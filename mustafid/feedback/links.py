"""The sender's signed link (their item's page: status, reopening, the
satisfaction question) and the messages to the sender (P-COMPLAINTS)."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from mustafid.contact.outbox import queue_message
from mustafid.core.models import Organization
from mustafid.feedback.models import FeedbackItem

LINK_SALT = "mustafid.feedback.sender"


def sender_token(item: FeedbackItem) -> str:
    return signing.dumps({"i": item.pk, "o": item.organization_id}, salt=LINK_SALT)


def item_for_token(organization: Organization, token: str) -> FeedbackItem | None:
    """The item the sender's link names, while the link is valid."""
    try:
        data = signing.loads(
            token,
            salt=LINK_SALT,
            max_age=datetime.timedelta(days=settings.FEEDBACK_LINK_DAYS),
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") != organization.pk:
        return None
    return FeedbackItem.objects.filter(
        organization=organization, pk=data.get("i")
    ).first()


def sender_link(item: FeedbackItem) -> str:
    path = reverse(
        "portal:feedback_status",
        kwargs={"org_slug": item.organization.slug, "token": sender_token(item)},
    )
    return settings.SITE_URL.rstrip("/") + path


def can_reach_sender(item: FeedbackItem) -> bool:
    return bool(item.beneficiary_id or item.sender_mobile or item.sender_email)


def _tell_sender(item: FeedbackItem, event: str, **context) -> None:
    if not can_reach_sender(item):
        return
    method, address = "", ""
    if not item.beneficiary_id:
        method = "sms" if item.sender_mobile else "email"
        address = item.sender_mobile or item.sender_email
    queue_message(
        organization=item.organization,
        event=event,
        context={"reference": item.reference, "kind": item.kind}
        | {"recipient_name": "" if item.beneficiary_id else item.sender_name}
        | context,
        beneficiary=item.beneficiary,
        method=method,
        address=address,
        language=item.language if not item.beneficiary_id else "",
    )
