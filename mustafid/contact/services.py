"""Writes for communications: channels, the interaction log, inquiries.

P-CHANNELS, P-RECEIVE, P-INFO. Each write is one transaction with its audit
event; an inquiry's answer queues its message in the same transaction.
"""

import datetime
import statistics

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases.deadlines import days_after
from mustafid.contact.models import (
    Channel,
    ChannelKind,
    Direction,
    Inquiry,
    InquiryCounter,
    InquiryStatus,
    Interaction,
    ReplyMethod,
)
from mustafid.contact.outbox import queue_message
from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization
from mustafid.core.numbering import take_number
from mustafid.core.phones import normalize_mobile


class ContactRefused(Exception):
    """A change refused with a message for the user (`str(error)`)."""


# --- Channels (P-CHANNELS) ---------------------------------------------------


@transaction.atomic
def add_channel(
    *,
    actor,
    organization: Organization,
    kind: str,
    name_ar: str,
    name_en: str = "",
    request=None,
) -> Channel:
    """Add a channel at the end of the association's list; names are unique."""
    name_ar, name_en = name_ar.strip(), name_en.strip()
    if not name_ar:
        raise ContactRefused(_("Give the channel an Arabic name."))
    if kind not in ChannelKind.values:
        raise ContactRefused(_("Choose what kind of channel this is."))
    channels = Channel.objects.filter(organization=organization)
    clash = Q(name_ar__iexact=name_ar)
    if name_en:
        clash |= Q(name_en__iexact=name_en)
    if channels.filter(clash).exists():
        raise ContactRefused(_("The association already has a channel of this name."))
    position = max(channels.values_list("position", flat=True), default=0) + 1
    try:
        with transaction.atomic():
            channel = Channel.objects.create(
                organization=organization,
                kind=kind,
                name_ar=name_ar,
                name_en=name_en,
                position=position,
            )
    except IntegrityError as exc:
        raise ContactRefused(
            _("The association already has a channel of this name.")
        ) from exc
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=channel,
        changes={"kind": kind, "name_ar": name_ar, "name_en": name_en},
        request=request,
    )
    return channel


@transaction.atomic
def set_channel_enabled(
    *, actor, channel: Channel, enabled: bool, request=None
) -> Channel:
    """Offer a channel in the pickers again, or stop offering it.

    Records already made through a disabled channel keep it.
    """
    if channel.is_enabled == enabled:
        return channel
    channel.is_enabled = enabled
    channel.save(update_fields=["is_enabled", "updated_at"])
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=channel.organization,
        obj=channel,
        changes={"is_enabled": [not enabled, enabled]},
        request=request,
    )
    return channel


@transaction.atomic
def move_channel(*, actor, channel: Channel, offset: int, request=None) -> None:
    """Move a channel up (-1) or down (+1) the list; positions become 1..n."""
    channels = list(
        Channel.objects.select_for_update().filter(organization=channel.organization)
    )
    index = next(i for i, c in enumerate(channels) if c.pk == channel.pk)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(channels):
        raise ContactRefused(_("The channel cannot move further."))
    channels[index], channels[target] = channels[target], channels[index]
    for position, each in enumerate(channels, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position", "updated_at"])
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=channel.organization,
        obj=channel,
        changes={"position": [index + 1, target + 1]},
        request=request,
    )


def phone_channel(organization: Organization) -> Channel | None:
    """The association's phone channel, preselected for a quick call."""
    return (
        Channel.objects.filter(organization=organization)
        .enabled()
        .filter(kind=ChannelKind.PHONE)
        .first()
    )


# --- The interaction log (P-RECEIVE) ----------------------------------------


def _normal_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        return normalize_mobile(phone)
    except ValidationError as exc:
        raise ContactRefused(exc.messages[0]) from exc


@transaction.atomic
def log_interaction(
    *,
    actor,
    organization: Organization,
    channel: Channel,
    subject: str,
    summary: str = "",
    direction: str = Direction.INCOMING,
    beneficiary=None,
    contact_name: str = "",
    contact_phone: str = "",
    case=None,
    inquiry=None,
    occurred_at: datetime.datetime | None = None,
    request=None,
) -> Interaction:
    """Write one contact with a beneficiary or someone not registered."""
    if channel.organization_id != organization.pk:
        raise ContactRefused(_("Choose one of the association's channels."))
    if direction not in Direction.values:
        raise ContactRefused(_("Choose whether the contact came in or went out."))
    subject = subject.strip()
    if not subject:
        raise ContactRefused(_("Write the subject of the contact."))
    if case is not None:
        if beneficiary is None:
            beneficiary = case.beneficiary
        elif case.beneficiary_id != beneficiary.pk:
            raise ContactRefused(_("This request belongs to another beneficiary."))
    if beneficiary is not None:
        contact_name, contact_phone = "", ""
    interaction = Interaction.objects.create(
        organization=organization,
        occurred_at=occurred_at or timezone.now(),
        channel=channel,
        direction=direction,
        beneficiary=beneficiary,
        contact_name=contact_name.strip(),
        contact_phone=_normal_phone(contact_phone),
        subject=subject,
        summary=summary.strip(),
        staff=actor if getattr(actor, "is_authenticated", False) else None,
        case=case,
        inquiry=inquiry,
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=interaction,
        changes={
            "channel": channel.pk,
            "direction": direction,
            "beneficiary": beneficiary.pk if beneficiary else None,
            "case": case.pk if case else None,
            "inquiry": inquiry.pk if inquiry else None,
        },
        request=request,
        actor_label="" if actor else "website",
    )
    return interaction


# --- Inquiries (P-INFO) ------------------------------------------------------

# A preferred "phone call" is answered by SMS: a call cannot be queued.
_REPLY_FROM_PREFERRED = {
    "sms": ReplyMethod.SMS,
    "whatsapp": ReplyMethod.WHATSAPP,
    "email": ReplyMethod.EMAIL,
    "letter": ReplyMethod.LETTER,
    "phone": ReplyMethod.SMS,
}
# Inquiry status changes, as (from, to); anything else is refused.
TRANSITIONS = {
    (InquiryStatus.OPEN, InquiryStatus.ANSWERED),
    (InquiryStatus.OPEN, InquiryStatus.CLOSED),
    (InquiryStatus.ANSWERED, InquiryStatus.CLOSED),
}


def inquiry_due_at(
    organization: Organization, received_at: datetime.datetime
) -> datetime.datetime:
    """The end of the last day on which the answer is on time.

    `inquiry_target_days` after the day it came, on the association's clock
    (Saudi working days unless it counts calendar days).
    """
    received_on = timezone.localtime(received_at).date()
    day = days_after(
        organization,
        received_on,
        organization.inquiry_target_days,
        organization.inquiry_days_kind,
    )
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def next_inquiry_reference(organization: Organization, day: datetime.date) -> str:
    """INQ-1448-000123: the next number of the association in the Hijri year of
    `day`, as requests are numbered.

    Call inside a transaction: the counter row stays locked until it commits.
    """
    year, number = take_number(InquiryCounter, organization, day)
    return f"INQ-{year}-{number:06d}"


def default_reply_method(beneficiary=None, mobile: str = "", email: str = "") -> str:
    if beneficiary is not None:
        return _REPLY_FROM_PREFERRED.get(beneficiary.preferred_contact, "sms")
    if mobile:
        return ReplyMethod.SMS
    return ReplyMethod.EMAIL if email else ""


def _check_inquirer(*, beneficiary, name, mobile, email, reply_method):
    """(mobile, email, reply method), checked; refuses what cannot be answered."""
    mobile = _normal_phone(mobile)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ContactRefused(_("Enter a valid email address.")) from exc
    reply_method = reply_method or default_reply_method(beneficiary, mobile, email)
    if reply_method not in ReplyMethod.values:
        raise ContactRefused(_("Choose how the answer is sent."))
    if beneficiary is not None:
        return "", "", reply_method
    if not name.strip():
        raise ContactRefused(_("Write the inquirer's name."))
    if not mobile and not email:
        raise ContactRefused(_("Give a mobile number or an email for the answer."))
    if reply_method in (ReplyMethod.SMS, ReplyMethod.WHATSAPP) and not mobile:
        raise ContactRefused(_("An answer by SMS or WhatsApp needs a mobile number."))
    if reply_method == ReplyMethod.EMAIL and not email:
        raise ContactRefused(_("An answer by email needs an email address."))
    if reply_method == ReplyMethod.LETTER:
        raise ContactRefused(
            _("A letter goes to a registered beneficiary's address only.")
        )
    return mobile, email, reply_method


@transaction.atomic
def create_inquiry(
    *,
    actor,
    organization: Organization,
    channel: Channel,
    question: str,
    beneficiary=None,
    inquirer_name: str = "",
    inquirer_mobile: str = "",
    inquirer_email: str = "",
    reply_method: str = "",
    language: str = "",
    assigned_to=None,
    received_at: datetime.datetime | None = None,
    request=None,
) -> Inquiry:
    """Record an inquiry from any channel, due on the association's target.

    The contact is written to the interaction log too (the beneficiary's
    timeline shows the question).
    """
    if channel.organization_id != organization.pk:
        raise ContactRefused(_("Choose one of the association's channels."))
    question = question.strip()
    if not question:
        raise ContactRefused(_("Write the question."))
    mobile, email, reply_method = _check_inquirer(
        beneficiary=beneficiary,
        name=inquirer_name,
        mobile=inquirer_mobile,
        email=inquirer_email,
        reply_method=reply_method,
    )
    if assigned_to is not None:
        _check_assignee(organization, assigned_to)
    received_at = received_at or timezone.now()
    if beneficiary is not None:
        language = language or beneficiary.preferred_language
    inquiry = Inquiry.objects.create(
        organization=organization,
        reference=next_inquiry_reference(
            organization, timezone.localtime(received_at).date()
        ),
        received_at=received_at,
        channel=channel,
        beneficiary=beneficiary,
        inquirer_name="" if beneficiary else inquirer_name.strip(),
        inquirer_mobile=mobile,
        inquirer_email=email,
        reply_method=reply_method,
        language=language or "ar",
        question=question,
        assigned_to=assigned_to,
        due_at=inquiry_due_at(organization, received_at),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=inquiry,
        changes={
            "reference": inquiry.reference,
            "channel": channel.pk,
            "beneficiary": beneficiary.pk if beneficiary else None,
            "reply_method": reply_method,
            "due_at": inquiry.due_at.isoformat(),
        },
        request=request,
        actor_label="" if actor else "website",
    )
    log_interaction(
        actor=actor,
        organization=organization,
        channel=channel,
        direction=Direction.INCOMING,
        beneficiary=beneficiary,
        contact_name=inquiry.inquirer_name,
        contact_phone=mobile,
        subject=_("Inquiry %(reference)s") % {"reference": inquiry.reference},
        summary=question,
        inquiry=inquiry,
        occurred_at=received_at,
        request=request,
    )
    return inquiry


def website_channel(organization: Organization) -> Channel:
    """The association's website channel, created if the policy listed none."""
    channel = (
        Channel.objects.filter(organization=organization, kind=ChannelKind.WEBSITE)
        .order_by("-is_enabled", "position", "id")
        .first()
    )
    if channel is None:
        channel = Channel.objects.create(
            organization=organization,
            kind=ChannelKind.WEBSITE,
            name_ar="الموقع الإلكتروني",
            name_en="Website",
            position=max(
                Channel.objects.filter(organization=organization).values_list(
                    "position", flat=True
                ),
                default=0,
            )
            + 1,
        )
    return channel


def receive_inquiry(
    *,
    organization: Organization,
    question: str,
    name: str,
    mobile: str = "",
    email: str = "",
    reply_method: str = "",
    language: str = "ar",
    received_at: datetime.datetime | None = None,
    beneficiary=None,
    request=None,
) -> Inquiry:
    """An inquiry sent from the association's public website (issue 7 calls this).

    Recorded on the website channel (created if the policy listed none), by
    no staff member; refuses with ContactRefused what cannot be answered. A
    beneficiary signed in to the portal is answered on their record.
    """
    with transaction.atomic():
        return create_inquiry(
            actor=None,
            organization=organization,
            channel=website_channel(organization),
            question=question,
            beneficiary=beneficiary,
            inquirer_name=name,
            inquirer_mobile=mobile,
            inquirer_email=email,
            reply_method=reply_method,
            language=language if language in ("ar", "en") else "ar",
            received_at=received_at,
            request=request,
        )


def _check_assignee(organization: Organization, user) -> None:
    from mustafid.core.models import Membership
    from mustafid.core.roles import Perm

    membership = (
        Membership.objects.with_scopes_disabled()
        .filter(user=user, organization=organization, is_active=True)
        .first()
    )
    if membership is None or not membership.has_perm(Perm.ANSWER_INQUIRIES):
        raise ContactRefused(_("Assign the inquiry to a staff member who answers."))


def _lock(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


def _move(inquiry: Inquiry, to: str) -> None:
    if (inquiry.status, to) not in TRANSITIONS:
        if inquiry.status == InquiryStatus.ANSWERED and to == InquiryStatus.ANSWERED:
            raise ContactRefused(_("This inquiry was already answered."))
        raise ContactRefused(
            _("An inquiry that is %(status)s cannot become %(to)s.")
            % {
                "status": inquiry.get_status_display(),
                "to": InquiryStatus(to).label,
            }
        )
    inquiry.status = to


@transaction.atomic
def assign_inquiry(*, actor, inquiry: Inquiry, assignee, request=None) -> Inquiry:
    """Give an open inquiry to a staff member (or to nobody)."""
    inquiry = _lock(inquiry)
    if inquiry.status != InquiryStatus.OPEN:
        raise ContactRefused(_("Only an open inquiry can be assigned."))
    if assignee is not None:
        _check_assignee(inquiry.organization, assignee)
    before = inquiry.assigned_to_id
    inquiry.assigned_to = assignee
    inquiry.save(update_fields=["assigned_to", "updated_at"])
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=inquiry.organization,
        obj=inquiry,
        changes={"assigned_to": [before, assignee.pk if assignee else None]},
        request=request,
    )
    return inquiry


def _reply_address(inquiry: Inquiry) -> str:
    if inquiry.beneficiary_id:
        return ""
    if inquiry.reply_method == ReplyMethod.EMAIL:
        return inquiry.inquirer_email
    return inquiry.inquirer_mobile


@transaction.atomic
def answer_inquiry(
    *,
    actor,
    inquiry: Inquiry,
    answer: str,
    now: datetime.datetime | None = None,
    request=None,
) -> Inquiry:
    """Store the answer and queue it to the inquirer by their reply method.

    Once only: an answered inquiry refuses a second answer.
    """
    answer = answer.strip()
    if not answer:
        raise ContactRefused(_("Write the answer."))
    inquiry = _lock(inquiry)
    _move(inquiry, InquiryStatus.ANSWERED)
    inquiry.answer = answer
    inquiry.answered_at = now or timezone.now()
    inquiry.answered_by = actor
    inquiry.save(
        update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"]
    )
    queue_message(
        organization=inquiry.organization,
        event="inquiry_answered",
        context={
            "reference": inquiry.reference,
            "question": inquiry.question,
            "answer": answer,
            # Someone not registered is greeted by the name they gave.
            "recipient_name": "" if inquiry.beneficiary else inquiry.inquirer_name,
        },
        beneficiary=inquiry.beneficiary,
        address=_reply_address(inquiry),
        method=inquiry.reply_method,
        language=inquiry.language,
    )
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=inquiry.organization,
        obj=inquiry,
        changes={
            "status": [InquiryStatus.OPEN, InquiryStatus.ANSWERED],
            "reply_method": inquiry.reply_method,
        },
        request=request,
    )
    log_interaction(
        actor=actor,
        organization=inquiry.organization,
        channel=inquiry.channel,
        direction=Direction.OUTGOING,
        beneficiary=inquiry.beneficiary,
        contact_name=inquiry.inquirer_name,
        contact_phone=inquiry.inquirer_mobile,
        subject=_("Answer to inquiry %(reference)s (%(method)s)")
        % {
            "reference": inquiry.reference,
            "method": inquiry.get_reply_method_display(),
        },
        summary=answer,
        inquiry=inquiry,
        occurred_at=inquiry.answered_at,
        request=request,
    )
    return inquiry


@transaction.atomic
def close_inquiry(
    *, actor, inquiry: Inquiry, reason: str = "", request=None
) -> Inquiry:
    """Close an answered inquiry, or an open one without an answer (with a reason)."""
    inquiry = _lock(inquiry)
    reason = reason.strip()
    if inquiry.status == InquiryStatus.OPEN and not reason:
        raise ContactRefused(_("Say why the inquiry is closed without an answer."))
    before = inquiry.status
    _move(inquiry, InquiryStatus.CLOSED)
    inquiry.close_reason = reason
    inquiry.closed_at = timezone.now()
    inquiry.save(update_fields=["status", "close_reason", "closed_at", "updated_at"])
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=inquiry.organization,
        obj=inquiry,
        changes={"status": [before, InquiryStatus.CLOSED], "reason": reason},
        request=request,
    )
    return inquiry


# --- Reads for the scheduler and reports ------------------------------------


def overdue_inquiries(organization: Organization, now: datetime.datetime):
    """Open inquiries past their due time, the most overdue first."""
    return (
        Inquiry.objects.filter(organization=organization)
        .overdue(now)
        .for_queue()
        .order_by("due_at", "id")
    )


def inquiry_figures(
    organization: Organization, start: datetime.datetime, end: datetime.datetime
) -> dict:
    """Inquiries received in [start, end): how many, answered, on time, median hours."""
    rows = list(
        Inquiry.objects.filter(
            organization=organization, received_at__gte=start, received_at__lt=end
        ).values_list("received_at", "answered_at", "due_at")
    )
    answered = [(got, at, due) for got, at, due in rows if at is not None]
    hours = [(at - got).total_seconds() / 3600 for got, at, _due in answered]
    return {
        "received": len(rows),
        "answered": len(answered),
        "answered_on_time": sum(1 for _got, at, due in answered if at <= due),
        "median_hours_to_answer": round(statistics.median(hours), 1) if hours else None,
    }
