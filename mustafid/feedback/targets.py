"""Targets on the Saudi working-day clock, and reference numbers
(P-COMPLAINTS item 2)."""

import datetime

from django.utils import timezone

from mustafid.cases.deadlines import working_days_after
from mustafid.core.models import Organization
from mustafid.core.numbering import take_number
from mustafid.feedback.defaults import target_for
from mustafid.feedback.models import REFERENCE_PREFIX, FeedbackCounter, Kind


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
    year, number = take_number(FeedbackCounter, organization, day)
    return f"{REFERENCE_PREFIX[Kind(kind)]}-{year}-{number:06d}"
