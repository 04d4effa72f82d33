"""When the committee's decision is due (P-COMMITTEE): from submission, in
calendar days, or in Saudi working days (Sunday to Thursday, minus the
association's holidays) when the association counts them so."""

import datetime

from mustafid.core.models import DecisionDays, Organization

# date.weekday(): Monday is 0. The Saudi weekend is Friday and Saturday.
WEEKEND = frozenset({4, 5})


def decision_due(
    organization: Organization, submitted_on: datetime.date, window_days: int
) -> datetime.date:
    """The last day on which the decision is on time."""
    if organization.decision_days_kind != DecisionDays.WORKING:
        return submitted_on + datetime.timedelta(days=window_days)
    from mustafid.cases.models import Holiday

    # A window is at most 90 working days: about 130 calendar days, plus holidays.
    horizon = submitted_on + datetime.timedelta(days=window_days * 2 + 60)
    holidays = set(
        Holiday.objects.filter(
            organization=organization, date__gt=submitted_on, date__lte=horizon
        ).values_list("date", flat=True)
    )
    day, counted = submitted_on, 0
    while counted < window_days:
        day += datetime.timedelta(days=1)
        if day.weekday() not in WEEKEND and day not in holidays:
            counted += 1
    return day
