"""Deadlines on the association's clock: in calendar days, or in Saudi working
days (Sunday to Thursday, minus the association's holidays).

The committee's decision (P-COMMITTEE) and the answer to an inquiry (P-INFO)
are both due so many days after they start, each counted as the association
chose."""

import bisect
import datetime
from collections.abc import Sequence

from mustafid.core.models import DecisionDays, Organization

# date.weekday(): Monday is 0. The Saudi weekend is Friday and Saturday.
WEEKEND = frozenset({4, 5})


def working_days_after(
    organization: Organization, start_date: datetime.date, days: int
) -> datetime.date:
    """The day `days` Saudi working days after `start_date` (which is not counted).

    Fridays, Saturdays and the association's Holiday rows are skipped.
    """
    from mustafid.cases.models import Holiday

    # A window is at most 90 working days: about 130 calendar days, plus holidays.
    horizon = start_date + datetime.timedelta(days=days * 2 + 60)
    holidays = set(
        Holiday.objects.filter(
            organization=organization, date__gt=start_date, date__lte=horizon
        ).values_list("date", flat=True)
    )
    day, counted = start_date, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() not in WEEKEND and day not in holidays:
            counted += 1
    return day


def holidays_from(
    organization: Organization, start_date: datetime.date
) -> list[datetime.date]:
    """The association's holidays after `start_date`, in order (one query), for
    counting the working days of many items at once."""
    from mustafid.cases.models import Holiday

    return list(
        Holiday.objects.filter(organization=organization, date__gt=start_date)
        .order_by("date")
        .values_list("date", flat=True)
    )


def working_days_between(
    start_date: datetime.date,
    end_date: datetime.date,
    holidays: Sequence[datetime.date],
) -> int:
    """Saudi working days after `start_date` up to and including `end_date`.

    The inverse of `working_days_after`; `holidays` sorted (`holidays_from`).
    """
    if end_date <= start_date:
        return 0
    # Any seven days in a row hold five working days.
    weeks, rest = divmod((end_date - start_date).days, 7)
    count = weeks * 5
    day = start_date + datetime.timedelta(days=weeks * 7)
    for _i in range(rest):
        day += datetime.timedelta(days=1)
        if day.weekday() not in WEEKEND:
            count += 1
    low = bisect.bisect_right(holidays, start_date)
    high = bisect.bisect_right(holidays, end_date)
    return count - sum(1 for d in holidays[low:high] if d.weekday() not in WEEKEND)


def days_after(
    organization: Organization, start_date: datetime.date, days: int, kind: str
) -> datetime.date:
    """`days` after `start_date`, in calendar or working days (`DecisionDays`)."""
    if kind == DecisionDays.WORKING:
        return working_days_after(organization, start_date, days)
    return start_date + datetime.timedelta(days=days)


def decision_due(
    organization: Organization, submitted_on: datetime.date, window_days: int
) -> datetime.date:
    """The last day on which the decision is on time."""
    return days_after(
        organization, submitted_on, window_days, organization.decision_days_kind
    )
