"""Writes for feedback items: handling, resolving, closing, reopening, rating
(receiving is in `receiving`). Each transition is one transaction with its
timeline event, its audit event and the sender's message (P-COMPLAINTS).

new → acknowledged (at once, the reference sent) → in progress → resolved (the
resolution sent) → closed (the satisfaction question sent); the sender may
reopen within FEEDBACK_REOPEN_DAYS of the resolution.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership, Organization
from mustafid.core.roles import Perm
from mustafid.feedback.links import _tell_sender, sender_link
from mustafid.feedback.models import (
    About,
    FeedbackEvent,
    FeedbackItem,
    Kind,
    Level,
    Status,
)
from mustafid.feedback.targets import due_times


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
