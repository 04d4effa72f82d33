"""Reminders to staff, sent through the outbox as emails and keyed by what they
are about, the person and the day, so a second run the same day queues nothing:
- decision deadlines and escalations (P-COMMITTEE): the rules of
  `cases.escalation`, to the staff of each rule's role;
- inquiries past their response target (P-INFO "without delay"): to the staff
  member assigned, or to the managers when nobody is.
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


def queue_deadline_reminders(on: datetime.date) -> dict[str, int]:
    """Queue today's reminders in every active association; counts by slug."""
    counts = {}
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        with scope(organization=organization):
            counts[organization.slug] = _queue_for(organization, on)
    return counts


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
    counts = {}
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        with scope(organization=organization):
            counts[organization.slug] = _remind_overdue(organization, now)
    return counts


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
