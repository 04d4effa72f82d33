"""Receiving an item from any channel: recorded, logged as a contact and
acknowledged at once with its reference (P-COMPLAINTS item 1 and 2)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.contact.models import Channel, ChannelKind, Direction
from mustafid.contact.services import log_interaction
from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization
from mustafid.core.phones import normalize_mobile
from mustafid.feedback.links import _tell_sender, sender_link
from mustafid.feedback.models import (
    COMPLAINT_KINDS,
    About,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackItem,
    Kind,
    Sender,
    Status,
)
from mustafid.feedback.services import FeedbackRefused, _move
from mustafid.feedback.targets import due_times, next_reference


def _website_channel(organization: Organization) -> Channel:
    channel = (
        Channel.objects.filter(organization=organization, kind=ChannelKind.WEBSITE)
        .order_by("-is_enabled", "position", "id")
        .first()
    )
    if channel is None:
        position = Channel.objects.filter(organization=organization).count() + 1
        channel = Channel.objects.create(
            organization=organization,
            kind=ChannelKind.WEBSITE,
            name_ar="الموقع الإلكتروني",
            name_en="Website",
            position=position,
        )
    return channel


def _check_sender(*, sender, beneficiary, name, mobile, email):
    if sender == Sender.BENEFICIARY:
        if beneficiary is None:
            raise FeedbackRefused(_("Choose the beneficiary."))
        return "", "", ""
    if sender == Sender.ANONYMOUS:
        return "", "", ""
    if sender != Sender.OTHER:
        raise FeedbackRefused(_("Say who the item is from."))
    mobile, email = (mobile or "").strip(), (email or "").strip()
    try:
        mobile = normalize_mobile(mobile) if mobile else ""
        if email:
            validate_email(email)
    except ValidationError as exc:
        raise FeedbackRefused(_("Enter a valid mobile number or email.")) from exc
    if not name.strip():
        raise FeedbackRefused(_("Write the sender's name, or choose anonymous."))
    return name.strip(), mobile, email


@transaction.atomic
def receive_feedback(
    *,
    actor,
    organization: Organization,
    kind: str,
    description: str,
    channel: Channel | None = None,
    sender: str = Sender.ANONYMOUS,
    beneficiary=None,
    sender_name: str = "",
    sender_mobile: str = "",
    sender_email: str = "",
    language: str = "ar",
    category=None,
    priority: str = "normal",
    about: str = About.GENERAL,
    service=None,
    case=None,
    about_staff=None,
    received_at: datetime.datetime | None = None,
    attachments: tuple = (),
    request=None,
) -> FeedbackItem:
    """Record an item from any channel and acknowledge it at once: the sender
    gets the reference. Logged as a contact on the channel."""
    if kind not in Kind.values:
        raise FeedbackRefused(_("Choose what kind of item this is."))
    description = (description or "").strip()
    if not description:
        raise FeedbackRefused(_("Describe the complaint, suggestion or remark."))
    channel = channel or _website_channel(organization)
    if channel.organization_id != organization.pk:
        raise FeedbackRefused(_("Choose one of the association's channels."))
    if category is not None and category.organization_id != organization.pk:
        raise FeedbackRefused(_("Choose one of the association's categories."))
    name, mobile, email = _check_sender(
        sender=sender,
        beneficiary=beneficiary,
        name=sender_name,
        mobile=sender_mobile,
        email=sender_email,
    )
    if about == About.STAFF and about_staff is None:
        raise FeedbackRefused(_("Choose the staff member concerned."))
    if about == About.CASE and case is None:
        raise FeedbackRefused(_("Choose the request concerned."))
    if about == About.SERVICE and service is None:
        raise FeedbackRefused(_("Choose the service concerned."))
    if (
        case is not None
        and beneficiary is not None
        and case.beneficiary_id != (beneficiary.pk)
    ):
        raise FeedbackRefused(_("This request belongs to another beneficiary."))
    now = timezone.now()
    received_at = received_at or now
    ack_due, resolve_due, board_due = due_times(organization, received_at, priority)
    item = FeedbackItem.objects.create(
        organization=organization,
        reference=next_reference(organization, kind, timezone.localdate(received_at)),
        kind=kind,
        category=category,
        channel=channel,
        priority=priority,
        received_at=received_at,
        sender=sender,
        beneficiary=beneficiary if sender == Sender.BENEFICIARY else None,
        sender_name=name,
        sender_mobile=mobile,
        sender_email=email,
        language=language if language in ("ar", "en") else "ar",
        about=about,
        service=service if about == About.SERVICE else None,
        case=case if about == About.CASE else None,
        about_staff=about_staff if about == About.STAFF else None,
        description=description,
        acknowledge_due_at=ack_due,
        resolve_due_at=resolve_due,
        board_due_at=board_due,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    FeedbackEvent.objects.create(
        organization=organization,
        item=item,
        to_status=Status.NEW,
        actor=item.created_by,
    )
    for upload in attachments:
        FeedbackAttachment.objects.create(
            organization=organization,
            item=item,
            file=upload,
            content_type=upload.checked_kind.mime,
        )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=item,
        changes={
            "reference": item.reference,
            "kind": kind,
            "channel": channel.pk,
            "about": about,
            "priority": priority,
        },
        request=request,
        actor_label="" if actor else "website",
    )
    if sender != Sender.ANONYMOUS:
        item.interaction = log_interaction(
            actor=actor,
            organization=organization,
            channel=channel,
            direction=Direction.INCOMING,
            beneficiary=item.beneficiary,
            contact_name=name,
            contact_phone=mobile,
            subject=_("%(kind)s %(reference)s")
            % {"kind": item.get_kind_display(), "reference": item.reference},
            occurred_at=received_at,
            request=request,
        )
    _acknowledge(item, now)
    return item


def _acknowledge(item: FeedbackItem, now: datetime.datetime) -> None:
    """The automatic acknowledgement: the reference goes to the sender."""
    _move(item, Status.ACKNOWLEDGED, actor=None)
    item.acknowledged_at = now
    item.save()
    event = (
        "complaint_acknowledged"
        if item.kind in COMPLAINT_KINDS
        else "feedback_acknowledged"
    )
    _tell_sender(item, event, link=sender_link(item))
