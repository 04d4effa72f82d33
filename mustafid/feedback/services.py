"""Writes for feedback items: receiving, handling, resolving, closing,
reopening, rating. Each transition is one transaction with its timeline event,
its audit event and the sender's message (P-COMPLAINTS).

new → acknowledged (at once, the reference sent) → in progress → resolved (the
resolution sent) → closed (the satisfaction question sent); the sender may
reopen within FEEDBACK_REOPEN_DAYS of the resolution.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases.deadlines import working_days_after
from mustafid.contact.models import Channel, ChannelKind, Direction
from mustafid.contact.outbox import queue_message
from mustafid.contact.services import log_interaction
from mustafid.core import audit
from mustafid.core.hijri import to_hijri
from mustafid.core.models import AuditAction, Membership, Organization
from mustafid.core.phones import normalize_mobile
from mustafid.core.roles import Perm
from mustafid.feedback.defaults import target_for
from mustafid.feedback.models import (
    COMPLAINT_KINDS,
    REFERENCE_PREFIX,
    About,
    FeedbackAttachment,
    FeedbackCounter,
    FeedbackEvent,
    FeedbackItem,
    Kind,
    Level,
    Sender,
    Status,
)


class FeedbackRefused(Exception):
    """A change refused with a message for the user (`str(error)`)."""


TRANSITIONS = {
    (Status.NEW, Status.ACKNOWLEDGED),
    (Status.ACKNOWLEDGED, Status.IN_PROGRESS),
    (Status.ACKNOWLEDGED, Status.RESOLVED),
    (Status.IN_PROGRESS, Status.RESOLVED),
    (Status.RESOLVED, Status.CLOSED),
    # A compliment is thanked and closed; nothing needs resolving.
    (Status.ACKNOWLEDGED, Status.CLOSED),
    (Status.RESOLVED, Status.IN_PROGRESS),  # reopened
    (Status.CLOSED, Status.IN_PROGRESS),  # reopened
}
LINK_SALT = "mustafid.feedback.sender"


# --- Targets on the Saudi working-day clock ----------------------------------


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def due_times(organization: Organization, start: datetime.datetime, priority: str):
    """(acknowledge by, resolve by, raise to the board after) from `start`."""
    target = target_for(organization, priority)
    day = timezone.localtime(start).date()
    resolve_on = working_days_after(organization, day, target.resolve_days)
    return (
        _end_of(working_days_after(organization, day, target.acknowledge_days)),
        _end_of(resolve_on),
        _end_of(working_days_after(organization, resolve_on, target.board_after_days)),
    )


def next_reference(organization: Organization, kind: str, day: datetime.date) -> str:
    """CMP-1448-000123: one counter per association and Hijri year for every
    kind, the prefix telling the kind. Call inside a transaction."""
    year = to_hijri(day).year
    counter, _created = FeedbackCounter.objects.select_for_update().get_or_create(
        organization=organization, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number", "updated_at"])
    return f"{REFERENCE_PREFIX[Kind(kind)]}-{year}-{counter.last_number:06d}"


# --- The sender's link and messages ------------------------------------------


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


# --- Transitions ---------------------------------------------------------------


def _move(item: FeedbackItem, to: str, *, actor, note: str = "") -> str:
    """Change the status by the table, with the timeline event; the old status."""
    before = item.status
    if (before, to) not in TRANSITIONS:
        raise FeedbackRefused(
            _("An item that is %(status)s cannot become %(to)s.")
            % {"status": item.get_status_display(), "to": Status(to).label}
        )
    item.status = to
    FeedbackEvent.objects.create(
        organization=item.organization,
        item=item,
        from_status=before,
        to_status=to,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    return before


def _audit(item, actor, changes, request=None):
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=item.organization,
        obj=item,
        changes=changes,
        request=request,
        actor_label="" if getattr(actor, "is_authenticated", False) else "sender",
    )


def _lock(item: FeedbackItem) -> FeedbackItem:
    return FeedbackItem.objects.select_for_update().get(pk=item.pk)


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


def check_assignee(item: FeedbackItem, user) -> None:
    """P-EVALCULTURE: never the staff member concerned; only those who handle
    such items."""
    if item.about_staff_id and user.pk == item.about_staff_id:
        raise FeedbackRefused(
            _("An item about a staff member is never given to that staff member.")
        )
    membership = (
        Membership.objects.with_scopes_disabled()
        .filter(user=user, organization=item.organization_id, is_active=True)
        .first()
    )
    needed = (
        Perm.HANDLE_STAFF_FEEDBACK
        if item.about == About.STAFF
        else Perm.HANDLE_FEEDBACK
    )
    if membership is None or not membership.has_perm(needed):
        raise FeedbackRefused(_("Assign the item to a staff member who handles it."))


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


@transaction.atomic
def assign(*, actor, item: FeedbackItem, assignee, request=None) -> FeedbackItem:
    """Give an open item to a staff member who handles it (or to nobody)."""
    item = _lock(item)
    if not item.is_open:
        raise FeedbackRefused(_("Only an open item can be assigned."))
    if assignee is not None:
        check_assignee(item, assignee)
    before = item.assigned_to_id
    item.assigned_to = assignee
    item.save(update_fields=["assigned_to", "updated_at"])
    _audit(item, actor, {"assigned_to": [before, assignee and assignee.pk]}, request)
    return item


@transaction.atomic
def start(*, actor, item: FeedbackItem, request=None) -> FeedbackItem:
    """Take an acknowledged item in hand; it is the actor's unless assigned."""
    item = _lock(item)
    if item.status != Status.ACKNOWLEDGED:
        raise FeedbackRefused(_("Only an acknowledged item can be taken in hand."))
    before = _move(item, Status.IN_PROGRESS, actor=actor)
    if item.assigned_to_id is None:
        check_assignee(item, actor)
        item.assigned_to = actor
    item.save()
    _audit(item, actor, {"status": [before, item.status]}, request)
    return item


@transaction.atomic
def resolve(*, actor, item: FeedbackItem, resolution: str, request=None):
    """Write what was done and send it to the sender."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise FeedbackRefused(_("Write what was done."))
    item = _lock(item)
    if item.is_dispute:
        raise FeedbackRefused(
            _("A dispute is settled by the designated authority's decision.")
        )
    before = _move(item, Status.RESOLVED, actor=actor, note=resolution)
    _resolve_fields(item, actor, resolution)
    event = "complaint_resolved" if item.is_complaint else "feedback_answered"
    _tell_sender(item, event, resolution=resolution, link=sender_link(item))
    _audit(item, actor, {"status": [before, item.status]}, request)
    return item


def _resolve_fields(item, actor, resolution):
    item.resolution = resolution
    item.resolved_at = timezone.now()
    item.resolved_by = actor
    item.save()


@transaction.atomic
def close(*, actor, item: FeedbackItem, note: str = "", request=None):
    """Close a resolved item (or thank and close a compliment); a complaint's
    sender is asked how satisfied they are with the handling."""
    item = _lock(item)
    note = (note or "").strip()
    if item.status == Status.ACKNOWLEDGED and item.kind != Kind.COMPLIMENT:
        raise FeedbackRefused(_("Resolve the item before closing it."))
    before = _move(item, Status.CLOSED, actor=actor, note=note)
    item.closed_at = timezone.now()
    item.save()
    if item.is_complaint:
        _tell_sender(item, "complaint_satisfaction", link=sender_link(item))
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=item.organization,
        obj=item,
        changes={"status": [before, item.status], "note": note},
        request=request,
        actor_label="" if actor else "scheduler",
    )
    return item


def reopen_allowed(item: FeedbackItem, now: datetime.datetime | None = None) -> bool:
    if item.status not in (Status.RESOLVED, Status.CLOSED) or not item.resolved_at:
        return False
    window = datetime.timedelta(days=settings.FEEDBACK_REOPEN_DAYS)
    return (now or timezone.now()) <= item.resolved_at + window


@transaction.atomic
def reopen(*, actor, item: FeedbackItem, reason: str, request=None) -> FeedbackItem:
    """The sender is not satisfied: the item is handled again, with new targets
    from today and a new round of escalations. `actor` None: the sender's link."""
    reason = (reason or "").strip()
    if not reason:
        raise FeedbackRefused(_("Say why the item is reopened."))
    item = _lock(item)
    now = timezone.now()
    if not reopen_allowed(item, now):
        raise FeedbackRefused(
            _("This item can no longer be reopened: please send a new one.")
        )
    before = _move(item, Status.IN_PROGRESS, actor=actor, note=reason)
    item.reopen_count += 1
    item.level = Level.OFFICER
    item.closed_at = None
    item.satisfaction = item.satisfaction_at = None
    item.satisfaction_by_staff = False
    _ack, item.resolve_due_at, item.board_due_at = due_times(
        item.organization, now, item.priority
    )
    item.save()
    _tell_sender(
        item,
        "complaint_reopened",
        due_on=timezone.localdate(item.resolve_due_at).isoformat(),
    )
    _audit(
        item,
        actor,
        {"status": [before, item.status], "reason": reason, "by_sender": not actor},
        request,
    )
    return item


@transaction.atomic
def record_satisfaction(
    *, item: FeedbackItem, score: int, actor=None, request=None
) -> FeedbackItem:
    """Item 4: the one question on closing, answered once (by the sender's link,
    or by staff who asked by phone)."""
    item = _lock(item)
    if not item.is_complaint or item.status != Status.CLOSED:
        raise FeedbackRefused(_("The question is asked once the complaint is closed."))
    if item.satisfaction is not None:
        raise FeedbackRefused(_("This question was already answered. Thank you."))
    if score not in range(1, 6):
        raise FeedbackRefused(_("Choose an answer from 1 to 5."))
    item.satisfaction = score
    item.satisfaction_at = timezone.now()
    item.satisfaction_by_staff = bool(getattr(actor, "is_authenticated", False))
    item.save()
    _audit(item, actor, {"satisfaction": score}, request)
    return item


def staff_who_handle(organization: Organization, item: FeedbackItem | None = None):
    """Active staff who may be given the item (not its subject)."""
    perm = (
        Perm.HANDLE_STAFF_FEEDBACK
        if item is not None and item.about == About.STAFF
        else Perm.HANDLE_FEEDBACK
    )
    memberships = Membership.objects.filter(
        organization=organization, is_active=True
    ).select_related("user")
    users = [m.user for m in memberships if m.has_perm(perm)]
    if item is not None and item.about_staff_id:
        users = [u for u in users if u.pk != item.about_staff_id]
    return users
