"""P-COMMITTEE: the decision is due a window after submission."""

import datetime

from django_scopes import scope

from mustafid.cases.deadlines import (
    decision_due,
    holidays_from,
    working_days_after,
    working_days_between,
)
from mustafid.cases.models import Holiday

THURSDAY = datetime.date(2025, 1, 2)


def test_calendar_days_count_every_day(org):
    assert THURSDAY.weekday() == 3
    assert decision_due(org, THURSDAY, 14) == datetime.date(2025, 1, 16)


def test_working_days_skip_friday_and_saturday(org):
    org.decision_days_kind = "working"
    with scope(organization=org):
        # Sunday 5, Monday 6, Tuesday 7 January.
        assert decision_due(org, THURSDAY, 3) == datetime.date(2025, 1, 7)
        # Two full weeks of Sunday to Thursday.
        assert decision_due(org, THURSDAY, 10) == datetime.date(2025, 1, 16)


def test_working_days_skip_the_associations_holidays(org, other_org):
    org.decision_days_kind = "working"
    with scope(organization=org):
        Holiday.objects.create(
            organization=org, date=datetime.date(2025, 1, 6), name="إجازة"
        )
    with scope(organization=other_org):
        Holiday.objects.create(
            organization=other_org, date=datetime.date(2025, 1, 5), name="إجازة"
        )
    with scope(organization=org):
        assert decision_due(org, THURSDAY, 3) == datetime.date(2025, 1, 8)


def test_a_holiday_on_the_weekend_changes_nothing(org):
    org.decision_days_kind = "working"
    with scope(organization=org):
        Holiday.objects.create(
            organization=org, date=datetime.date(2025, 1, 3), name="جمعة"
        )
        assert decision_due(org, THURSDAY, 3) == datetime.date(2025, 1, 7)


def test_working_days_between_counts_back_what_working_days_after_adds(org):
    """P-COMPLAINTS: the working days an item took are counted on the same clock
    as its target."""
    with scope(organization=org):
        for day in (datetime.date(2025, 1, 6), datetime.date(2025, 1, 10)):
            Holiday.objects.create(organization=org, date=day, name="إجازة")
        holidays = holidays_from(org, THURSDAY)
        for days in (0, 1, 3, 4, 5, 9, 10, 23, 61):
            end = working_days_after(org, THURSDAY, days)
            assert working_days_between(THURSDAY, end, holidays) == days
    # A Friday holiday is not counted twice; the start day is not counted.
    assert working_days_between(THURSDAY, datetime.date(2025, 1, 4), []) == 0
    # Sunday 5, Tuesday 7 to Thursday 9, Sunday 12 (Monday 6 is a holiday).
    assert working_days_between(THURSDAY, datetime.date(2025, 1, 12), holidays) == 5
    assert working_days_between(THURSDAY, THURSDAY, holidays) == 0
