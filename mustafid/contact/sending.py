"""Sending the outbox: the "beneficiary is told" side of every clause (P-RECEIVE,
P-INFO, P-COMMITTEE, P-ELIGIBILITY, P-PERIODIC, P-OUTOFSCOPE).

A worker claims a batch of due messages (a lease, so two workers never send the
same message and a worker killed mid-batch lets go of what it held), renders
each in its recipient's language, sends it outside any transaction through the
backend of its method, and records the outcome. A provider that is down costs a
retry with exponential back-off, never the message. Delivery is at least once:
a worker killed after the provider accepted a message but before it was
recorded sends that one message again when its lease ends.
"""

import datetime
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from mustafid.contact.backends import (
    Outgoing,
    PermanentError,
    SendError,
    get_backend,
)
from mustafid.contact.outbox import Method, OutboxMessage, OutboxStatus
from mustafid.contact.wording.events import get_event
from mustafid.contact.wording.rendering import Renderer, message_language

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
# How long a worker holds a claimed batch; a worker killed mid-batch lets go then.
LEASE = datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
MAX_ATTEMPTS = 8
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=6)

# Told only to those who agreed to be contacted (P-CONSENT): the association
# reaching out, not an answer about the person's own request.
OUTREACH_EVENTS = frozenset({"service_match", "survey_invitation"})
# Text messages wait for the morning (P-RECEIVE: courtesy); email and letters do not.
QUIET_METHODS = frozenset({Method.SMS, Method.WHATSAPP})
# When the preferred method has no address, the next that has one.
FALLBACK = (Method.SMS, Method.WHATSAPP, Method.EMAIL, Method.LETTER)


@dataclass(frozen=True)
class Route:
    """How one message goes out, or why it does not."""

    method: str = ""
    to: str = ""
    skip_reason: str = ""


def retry_delay(attempts: int) -> datetime.timedelta:
    """1, 2, 4, … minutes, at most 6 hours, with ±20 % jitter so retries of a
    provider's outage do not arrive all at once."""
    delay = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)
    return delay * random.uniform(0.8, 1.2)  # noqa: S311 (jitter, not a secret)


def quiet_until(now: datetime.datetime) -> datetime.datetime | None:
    """The end of quiet hours if `now` is inside them (Riyadh time), else None."""
    start, end = settings.QUIET_HOURS
    if start == end:
        return None
    local = timezone.localtime(now)
    hour = local.hour
    inside = (start <= hour or hour < end) if start > end else start <= hour < end
    if not inside:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if hour >= end and start > end:
        morning += datetime.timedelta(days=1)
    return morning


def route(message: OutboxMessage) -> Route:
    """The method and address: the one asked for, else the first that has an address."""
    beneficiary, staff = message.beneficiary, message.staff
    if staff is not None:
        if not staff.email:
            return Route(skip_reason="staff member has no email address")
        return Route(Method.EMAIL, staff.email)
    if beneficiary is None:
        address = message.address
        method = Method.EMAIL if "@" in address else message.channel or Method.SMS
        if method == Method.LETTER or not address:
            return Route(skip_reason="no address")
        return Route(method, address)
    if message.event in OUTREACH_EVENTS and not beneficiary.contact_consent:
        return Route(skip_reason="no consent to be contacted")
    addresses = {
        Method.SMS: beneficiary.mobile,
        Method.WHATSAPP: beneficiary.mobile,
        Method.EMAIL: beneficiary.email,
        Method.LETTER: beneficiary.short_address or beneficiary.street,
    }
    # A preferred phone call is a text: staff call, the worker cannot.
    wanted = Method.SMS if message.channel in ("", "phone") else message.channel
    for method in (wanted, *FALLBACK):
        if addresses.get(method):
            to = "" if method == Method.LETTER else addresses[method]
            return Route(method, to)
    return Route(skip_reason="no mobile, email or address")


def _due(now) -> Q:
    waiting = Q(status=OutboxStatus.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=OutboxStatus.SENDING, locked_until__lt=now)
    return waiting | abandoned


def claim(limit: int = BATCH_SIZE, now=None, only=None) -> list[int]:
    """Lease up to `limit` due messages to this worker (skipping rows another
    worker is claiming at the same moment); `only` narrows it to those ids."""
    now = now or timezone.now()
    due = _due(now) if only is None else _due(now) & Q(pk__in=only)
    with scopes_disabled(), transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(due)
            .order_by("created_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.SENDING, locked_until=now + LEASE, updated_at=now
        )
    return ids


def _record(message: OutboxMessage, lease_end, **fields) -> bool:
    """Store an outcome if this worker still holds the message."""
    fields["locked_until"] = None
    fields["updated_at"] = timezone.now()
    with scopes_disabled():
        return bool(
            OutboxMessage.objects.filter(
                pk=message.pk, status=OutboxStatus.SENDING, locked_until=lease_end
            ).update(**fields)
        )


def send_message(message: OutboxMessage, renderer: Renderer, now=None) -> str:
    """Send one claimed message; the status it ends in."""
    now = now or timezone.now()
    lease_end = message.locked_until
    path = route(message)
    if path.skip_reason:
        _record(
            message, lease_end, status=OutboxStatus.SKIPPED, last_error=path.skip_reason
        )
        return OutboxStatus.SKIPPED
    secret = get_event(message.event).secret
    if path.method in QUIET_METHODS and not secret and (morning := quiet_until(now)):
        _record(message, lease_end, status=OutboxStatus.QUEUED, next_attempt_at=morning)
        return OutboxStatus.QUEUED
    beneficiary = message.beneficiary
    language = message_language(message)
    text = renderer.render_message(message, path.method)
    outgoing = Outgoing(
        message_id=message.pk,
        method=path.method,
        to=path.to,
        subject=text.subject,
        body=text.body,
        language=language,
        event=message.event,
        organization=message.organization,
        recipient_name=beneficiary.full_name if beneficiary else "",
        postal_address=_postal_address(beneficiary),
    )
    attempts = message.attempts + 1
    rendered = {"method": path.method, "subject": text.subject[:200], "body": text.body}
    if secret:
        rendered |= _masked(message, text, secret)
    try:
        sent = get_backend(path.method).send(outgoing)
    except SendError as error:
        # A one-time code sent late is worthless: the person asks for another.
        final = (
            isinstance(error, PermanentError)
            or attempts >= MAX_ATTEMPTS
            or bool(secret)
        )
        status = OutboxStatus.FAILED if final else OutboxStatus.QUEUED
        _record(
            message,
            lease_end,
            status=status,
            attempts=attempts,
            last_error=str(error)[:1000] or error.__class__.__name__,
            next_attempt_at=None if final else now + retry_delay(attempts),
            **rendered,
        )
        logger.warning("Message %s: %s (%s)", message.pk, error, status)
        return status
    _record(
        message,
        lease_end,
        status=OutboxStatus.SENT,
        attempts=attempts,
        provider_id=sent.provider_id[:200],
        sent_at=timezone.now(),
        last_error="",
        **rendered,
    )
    return OutboxStatus.SENT


def _masked(message: OutboxMessage, text, secret: tuple) -> dict:
    """What is stored of a message carrying a one-time code: never the code."""
    hidden = dict.fromkeys(secret, "••••••")
    subject, body = text.subject, text.body
    for name in secret:
        value = str(message.context.get(name, ""))
        if value:
            subject, body = (
                subject.replace(value, hidden[name]),
                body.replace(value, hidden[name]),
            )
    return {
        "subject": subject[:200],
        "body": body,
        "context": message.context | hidden,
    }


def send_now(message_id: int) -> str | None:
    """Send one message at once (a one-time code), unless a worker holds it."""
    ids = claim(limit=1, only=[message_id])
    if not ids:
        return None
    with scopes_disabled():
        message = OutboxMessage.objects.select_related(
            "organization", "beneficiary", "staff"
        ).get(pk=message_id)
    return send_message(message, Renderer(message.organization))


def _postal_address(beneficiary) -> str:
    if beneficiary is None:
        return ""
    lines = [
        " ".join(filter(None, [beneficiary.building_number, beneficiary.street])),
        " ".join(filter(None, [beneficiary.district, beneficiary.city])),
        " ".join(
            filter(None, [beneficiary.postal_code, beneficiary.additional_number])
        ),
        beneficiary.short_address,
    ]
    return "\n".join(line for line in lines if line)


def send_due(limit: int = BATCH_SIZE, now=None) -> dict[str, int]:
    """Claim and send one batch; counts by the status each message ended in."""
    ids = claim(limit, now)
    counts: dict[str, int] = {}
    if not ids:
        return counts
    with scopes_disabled():
        messages = OutboxMessage.objects.filter(pk__in=ids).select_related(
            "organization", "beneficiary", "staff"
        )
        renderers: dict[int, Renderer] = {}
        for message in messages.order_by("created_at", "id"):
            org = message.organization
            renderer = renderers.setdefault(org.pk, Renderer(org))
            try:
                status = send_message(message, renderer, now)
            except Exception:  # a bug: keep sending the others, retry this one later
                logger.exception("Message %s could not be sent", message.pk)
                _record(
                    message,
                    message.locked_until,
                    status=OutboxStatus.QUEUED,
                    next_attempt_at=timezone.now() + LEASE,
                    last_error="internal error",
                )
                status = "error"
            counts[status] = counts.get(status, 0) + 1
    return counts


def send_all_due(now=None, *, max_batches: int = 100) -> dict[str, int]:
    """Batches until nothing is due (or `max_batches`): the worker's job."""
    total: dict[str, int] = {}
    for _batch in range(max_batches):
        counts = send_due(now=now)
        if not counts:
            break
        for status, count in counts.items():
            total[status] = total.get(status, 0) + count
    return total


@transaction.atomic
def resend(message: OutboxMessage, *, actor) -> OutboxMessage:
    """Queue a failed or skipped message again, now (staff, audited)."""
    from mustafid.core import audit
    from mustafid.core.models import AuditAction

    if message.status not in (OutboxStatus.FAILED, OutboxStatus.SKIPPED):
        raise ValueError("Only a failed or unsent message is sent again.")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.QUEUED,
        attempts=0,
        next_attempt_at=None,
        locked_until=None,
        updated_at=timezone.now(),
    )
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=message.organization,
        obj=message,
        changes={"status": [message.status, OutboxStatus.QUEUED], "resend": True},
    )
    message.refresh_from_db()
    return message
