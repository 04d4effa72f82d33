"""Deadline reminders and escalations to staff (P-COMMITTEE): the rules of
`cases.escalation`, sent through the outbox as emails to the staff of each
rule's role. Keyed by rule, request, person and day, so a second run the same
day queues nothing."""

import datetime

from django.db import transaction
from django_scopes import scope

from mustafid.cases.escalation import cases_for_rule
from mustafid.cases.models import DeadlineRule
from mustafid.contact.outbox import queue_message
from mustafid.core.models import Membership, Organization

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
