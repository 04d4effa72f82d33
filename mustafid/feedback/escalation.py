"""Raising items whose targets passed, one level at a time (P-COMPLAINTS):
past the resolution target an item goes to the executive manager; past the
board's target, to the board (listed for it, the managers and auditors told).

Resolved items the sender did not reopen within FEEDBACK_REOPEN_DAYS are
closed by the same job.

Idempotent: an Escalation row is unique per (item, round, level), so a second
run in the same hour raises and tells nothing twice. The staff member an item
is about is never told of it (P-EVALCULTURE).
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from mustafid.contact.outbox import queue_message
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership, Organization
from mustafid.core.roles import Perm, Role
from mustafid.feedback.models import (
    OPEN_STATUSES,
    About,
    Escalation,
    FeedbackEvent,
    FeedbackItem,
    Level,
    Status,
)

# Who hears of an item raised to each level.
TOLD = {
    Level.MANAGER: (Role.MANAGER,),
    Level.BOARD: (Role.MANAGER, Role.AUDITOR),
}


def escalate_all(now: datetime.datetime | None = None) -> dict[str, int]:
    """Raise the overdue items of every active association, and close what was
    resolved and not reopened in time; items raised, by slug."""
    now = now or timezone.now()
    counts = {}
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        with scope(organization=organization):
            counts[organization.slug] = escalate_due(organization, now)
            close_settled(organization, now)
    return counts


def close_settled(organization: Organization, now: datetime.datetime) -> int:
    """Resolved items whose reopening window passed are closed (the complaint's
    sender then gets the satisfaction question); how many."""
    from mustafid.feedback.services import close

    window = datetime.timedelta(days=settings.FEEDBACK_REOPEN_DAYS)
    items = FeedbackItem.objects.filter(
        organization=organization,
        status=Status.RESOLVED,
        resolved_at__lt=now - window,
    ).order_by("resolved_at", "id")
    for item in items:
        close(actor=None, item=item, note=_("Closed: not reopened in time."))
    return len(items)


def level_due(item: FeedbackItem, now: datetime.datetime) -> int:
    if now > item.board_due_at:
        return Level.BOARD
    if now > item.resolve_due_at:
        return Level.MANAGER
    return Level.OFFICER


def escalate_due(organization: Organization, now: datetime.datetime) -> int:
    """Raise each open item past a target by one level; how many were raised."""
    items = FeedbackItem.objects.filter(
        organization=organization,
        status__in=OPEN_STATUSES,
        resolve_due_at__lt=now,
        level__lt=Level.BOARD,
    ).order_by("resolve_due_at", "id")
    raised = 0
    for item in items:
        raised += _raise(item, now)
    return raised


@transaction.atomic
def _raise(item: FeedbackItem, now: datetime.datetime) -> int:
    item = FeedbackItem.objects.select_for_update().get(pk=item.pk)
    wanted = level_due(item, now)
    if item.status not in OPEN_STATUSES or wanted <= item.level:
        return 0
    level = Level(item.level + 1)  # one level at a time
    try:
        with transaction.atomic():
            Escalation.objects.create(
                organization=item.organization,
                item=item,
                level=level,
                round=item.reopen_count,
            )
    except IntegrityError:
        return 0
    before = item.level
    item.level = level
    item.save(update_fields=["level", "updated_at"])
    FeedbackEvent.objects.create(
        organization=item.organization,
        item=item,
        from_status=item.status,
        to_status=item.status,
        note=str(level.label),
    )
    audit.record(
        AuditAction.UPDATE,
        organization=item.organization,
        obj=item,
        changes={"level": [before, int(level)]},
        actor_label="scheduler",
    )
    for user in _told(item, level):
        queue_message(
            organization=item.organization,
            event="feedback_escalated",
            staff=user,
            language="ar",
            context={
                "reference": item.reference,
                "level": int(level),
                "level_ar": _label(level, "ar"),
                "level_en": _label(level, "en"),
                "due_on": timezone.localdate(item.resolve_due_at).isoformat(),
            },
            dedupe_key=f"feedback:{item.pk}:{item.reopen_count}:{level}:{user.pk}",
        )
    return 1


def _label(level: Level, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return str(level.label)


def _told(item: FeedbackItem, level: Level) -> list:
    memberships = Membership.objects.filter(
        organization=item.organization, is_active=True, role__in=TOLD[level]
    ).select_related("user")
    # P-EVALCULTURE: an item about a staff member reaches managers only.
    users = [
        m.user
        for m in memberships
        if item.about != About.STAFF or m.has_perm(Perm.HANDLE_STAFF_FEEDBACK)
    ]
    if item.assigned_to_id and level == Level.MANAGER:
        users.append(item.assigned_to)
    seen, told = set(), []
    for user in users:
        if user.pk != item.about_staff_id and user.pk not in seen:
            seen.add(user.pk)
            told.append(user)
    return told
