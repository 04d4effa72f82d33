"""Reminders to staff, sent through the outbox as emails and keyed by what they
are about, the person and the day, so a second run the same day queues nothing:
- decision deadlines and escalations (P-COMMITTEE): the rules of
  `cases.escalation`, to the staff of each rule's role;
- inquiries past their response target (P-INFO "without delay"): to the staff
  member assigned, or to the managers when nobody is;
- the yearly review of the approved policy (P-REVIEW, seed 002): to the managers
  and admins, once a month while the current version is over a year old.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from mustafid.cases.escalation import cases_for_rule
from mustafid.cases.models import DeadlineRule
from mustafid.contact.outbox import queue_message
from mustafid.contact.services import overdue_inquiries
from mustafid.core.models import Membership, Organization
from mustafid.core.roles import Role

EVENT = "deadline_reminder"


def _in_each_association(remind, moment) -> dict[str, int]:
    """`remind(organization, moment)` in every active association; counts by slug."""
    counts = {}
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        with scope(organization=organization):
            counts[organization.slug] = remind(organization, moment)
    return counts


def queue_deadline_reminders(on: datetime.date) -> dict[str, int]:
    """Queue today's decision-deadline reminders in every active association."""
    return _in_each_association(_queue_for, on)


@transaction.atomic
def _queue_for(organization: Organization, on: datetime.date) -> int:
    queued = 0
    rules = DeadlineRule.objects.active().filter(organization=organization)
    for rule in rules:
        cases = list(cases_for_rule(rule, on=on).select_related("service"))
        if not cases:
            continue
        staff = [
            m.user
            for m in Membership.objects.filter(
                organization=organization, role=rule.notify_role, is_active=True
            ).select_related("user")
        ]
        for case in cases:
            for user in staff:
                message = queue_message(
                    organization=organization,
                    event=EVENT,
                    staff=user,
                    language="ar",
                    context={
                        "case": case.number,
                        "service_ar": case.service.name_ar,
                        "service_en": case.service.name_en,
                        "due_on": case.decision_due.isoformat(),
                        "days_left": -rule.days,
                        "action": rule.action,
                    },
                    dedupe_key=f"deadline:{rule.pk}:{case.pk}:{user.pk}:{on}",
                )
                queued += message is not None
    return queued


def queue_inquiry_reminders(now: datetime.datetime) -> dict[str, int]:
    """Remind of every overdue inquiry in every active association, once a day."""
    return _in_each_association(_remind_overdue, now)


@transaction.atomic
def _remind_overdue(organization: Organization, now: datetime.datetime) -> int:
    inquiries = list(overdue_inquiries(organization, now).select_related("assigned_to"))
    if not inquiries:
        return 0
    managers = [
        m.user
        for m in Membership.objects.filter(
            organization=organization, role=Role.MANAGER, is_active=True
        ).select_related("user")
    ]
    day = timezone.localdate(now)
    queued = 0
    for inquiry in inquiries:
        for user in [inquiry.assigned_to] if inquiry.assigned_to else managers:
            message = queue_message(
                organization=organization,
                event="inquiry_overdue",
                staff=user,
                language="ar",
                context={
                    "reference": inquiry.reference,
                    "due_on": timezone.localdate(inquiry.due_at).isoformat(),
                },
                dedupe_key=f"inquiry:{inquiry.pk}:{user.pk}:{day}",
            )
            queued += message is not None
    return queued


def queue_policy_reviews(on: datetime.date) -> dict[str, int]:
    """Remind associations whose approved policy is over a year old."""
    return _in_each_association(_review_if_due, on)


def _review_if_due(organization: Organization, on: datetime.date) -> int:
    from mustafid.governance.models import PolicyVersion

    current = PolicyVersion.objects.filter(
        organization=organization, board_meeting_date__isnull=False
    ).first()  # newest approval first
    if current is None or current.board_meeting_date > _a_year_before(on):
        return 0
    return _remind_review(current, on)


def _a_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@transaction.atomic
def _remind_review(policy, on: datetime.date) -> int:
    staff = Membership.objects.filter(
        organization=policy.organization_id,
        role__in=(Role.MANAGER, Role.ADMIN),
        is_active=True,
    ).select_related("user")
    queued = 0
    for membership in staff:
        message = queue_message(
            organization=policy.organization,
            event="policy_review_due",
            staff=membership.user,
            language="ar",
            context={
                "policy_number": policy.number,
                "approved_on": policy.board_meeting_date.isoformat(),
            },
            dedupe_key=f"policy_review:{policy.pk}:{membership.user_id}:{on:%Y-%m}",
        )
        queued += message is not None
    return queued
