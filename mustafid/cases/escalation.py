"""Deadline reminders and escalations as data (P-COMMITTEE): the defaults an
association starts with, and the reads the scheduler and the manager's queue use.
Sending the reminders is the notifications' work, not this module's."""

import datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_scopes import scope

from mustafid.cases.models import Case, CaseQuerySet, DeadlineAction, DeadlineRule
from mustafid.core.models import Organization
from mustafid.core.roles import Role

# (days from the decision due date, action, role told): the researcher three
# days ahead, the committee the day before, the manager the day the answer is due.
DEFAULT_RULES = [
    (-3, DeadlineAction.REMIND, Role.RESEARCHER),
    (-1, DeadlineAction.REMIND, Role.COMMITTEE),
    (0, DeadlineAction.ESCALATE, Role.MANAGER),
]


@transaction.atomic
def ensure_default_rules(organization: Organization) -> list[DeadlineRule]:
    """The default rules, created once; rules the association changed are kept."""
    with scope(organization=organization):
        rules = DeadlineRule.objects.filter(organization=organization)
        if rules.exists():
            return list(rules)
        return [
            DeadlineRule.objects.create(
                organization=organization, days=days, action=action, notify_role=role
            )
            for days, action, role in DEFAULT_RULES
        ]


def escalated(
    cases: CaseQuerySet | None = None, *, on: datetime.date | None = None
) -> CaseQuerySet:
    """The undecided requests an escalation rule has reached by `on` (today).

    A rule with `days` reaches a request once `decision_due + days <= on`, so the
    earliest active escalation rule decides: one query for it, one for the cases.
    """
    cases = Case.objects.all() if cases is None else cases
    days = DeadlineRule.objects.escalations().aggregate(first=Min("days"))["first"]
    if days is None:
        return cases.none()
    on = on or timezone.localdate()
    return cases.undecided().filter(
        decision_due__lte=on - datetime.timedelta(days=days)
    )


def cases_for_rule(rule: DeadlineRule, *, on: datetime.date) -> CaseQuerySet:
    """The undecided requests `rule` fires for on `on`: exactly `days` from due.

    Firing on one day only makes a daily run idempotent per rule and request."""
    return (
        Case.objects.filter(organization=rule.organization_id)
        .undecided()
        .filter(decision_due=on - datetime.timedelta(days=rule.days))
    )
