"""Targets on the Saudi working-day clock and escalation one level at a time,
with a frozen clock (P-COMPLAINTS item 2)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scope

from mustafid.cases.models import Holiday
from mustafid.core.roles import Role
from mustafid.core.scheduling import JOBS
from mustafid.feedback import escalation, services
from mustafid.feedback.models import Escalation, FeedbackTarget, Level
from tests.conftest import make_member
from tests.feedback.helpers import make_item, messages, reload, step

pytestmark = pytest.mark.django_db
RIYADH = ZoneInfo("Asia/Riyadh")
# Thursday 3 December 2026, 10:00 in Riyadh.
THURSDAY = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=RIYADH)


def at(day: datetime.date, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=RIYADH)


def local_day(moment):
    return moment.astimezone(RIYADH).date()


@time_machine.travel(THURSDAY, tick=False)
def test_targets_count_saudi_working_days_and_skip_holidays(org):
    """Normal priority: acknowledge in 1 working day, resolve in 5; Friday and
    Saturday and the association's holidays do not count."""
    with scope(organization=org):
        Holiday.objects.create(
            organization=org, date=datetime.date(2026, 12, 8), name="إجازة"
        )
    item = make_item(org)
    assert local_day(item.acknowledge_due_at) == datetime.date(2026, 12, 6)  # Sun
    # Sun 6, Mon 7, (Tue 8 holiday), Wed 9, Thu 10, Sun 13.
    assert local_day(item.resolve_due_at) == datetime.date(2026, 12, 13)
    # Then five more working days for the board.
    assert local_day(item.board_due_at) == datetime.date(2026, 12, 20)


@time_machine.travel(THURSDAY, tick=False)
def test_each_priority_has_its_association_target(org, other_org):
    urgent = make_item(org, priority="urgent")
    assert local_day(urgent.resolve_due_at) == datetime.date(2026, 12, 7)
    with scope(organization=org):
        target = FeedbackTarget.objects.get(priority="urgent")
        target.resolve_days = 3
        target.save()
    assert local_day(make_item(org, priority="urgent").resolve_due_at) == (
        datetime.date(2026, 12, 8)
    )
    # Another association keeps its own.
    assert local_day(make_item(other_org, priority="urgent").resolve_due_at) == (
        datetime.date(2026, 12, 7)
    )


def test_escalation_raises_one_level_at_a_time_and_only_once(org, members):
    """Past the resolution target → the executive manager; past the board's
    target → the board (managers and auditors told). Running twice does
    nothing twice."""
    officer = members[Role.RECEPTION]
    with time_machine.travel(THURSDAY, tick=False):
        item = make_item(org)
        step(org, services.start, actor=officer, item=item)
    before_target = at(datetime.date(2026, 12, 10), 23)
    assert escalation.escalate_all(before_target)[org.slug] == 0

    after = at(datetime.date(2026, 12, 13), 9) + datetime.timedelta(days=1)
    assert escalation.escalate_all(after)[org.slug] == 1
    assert escalation.escalate_all(after)[org.slug] == 0
    assert reload(item).level == Level.MANAGER
    told = {m.staff for m in messages(org, "feedback_escalated")}
    assert told == {members[Role.MANAGER], officer}

    # Far past every target: still one level per run.
    much_later = at(datetime.date(2027, 1, 10))
    assert escalation.escalate_all(much_later)[org.slug] == 1
    assert reload(item).level == Level.BOARD
    assert escalation.escalate_all(much_later)[org.slug] == 0
    board = [m for m in messages(org, "feedback_escalated") if m.context["level"] == 2]
    assert {m.staff for m in board} == {members[Role.MANAGER], members[Role.AUDITOR]}
    with scope(organization=org):
        assert Escalation.objects.filter(item=item).count() == 2


def test_a_resolved_item_is_not_raised(org, members):
    with time_machine.travel(THURSDAY, tick=False):
        item = make_item(org)
        step(
            org,
            services.resolve,
            actor=members[Role.RECEPTION],
            item=item,
            resolution="تم.",
        )
    assert escalation.escalate_all(at(datetime.date(2027, 1, 10)))[org.slug] == 0


def test_a_reopened_item_starts_a_new_round(org, members):
    officer = members[Role.RECEPTION]
    with time_machine.travel(THURSDAY, tick=False):
        item = make_item(org)
    escalation.escalate_all(at(datetime.date(2026, 12, 15)))
    assert reload(item).level == Level.MANAGER
    with time_machine.travel(at(datetime.date(2026, 12, 16)), tick=False):
        step(org, services.resolve, actor=officer, item=item, resolution="تم.")
        item = step(org, services.reopen, actor=None, item=item, reason="لا.")
    assert item.level == Level.OFFICER
    assert escalation.escalate_all(at(datetime.date(2027, 1, 5)))[org.slug] == 1
    with scope(organization=org):
        assert Escalation.objects.filter(item=item, round=1).count() == 1


def test_the_staff_member_concerned_is_never_told(org, members):
    """P-EVALCULTURE: a complaint about a manager escalates to the others."""
    subject = members[Role.MANAGER]
    other_manager = make_member(org, Role.MANAGER)
    with time_machine.travel(THURSDAY, tick=False):
        make_item(org, about="staff", about_staff=subject)
    escalation.escalate_all(at(datetime.date(2026, 12, 15)))
    told = {m.staff for m in messages(org, "feedback_escalated")}
    assert told == {other_manager}


def test_the_scheduler_runs_the_escalation_job():
    job = JOBS["feedback_escalations"]
    assert job.task == "mustafid.feedback.tasks.escalate_feedback_task"
    assert job.every == datetime.timedelta(hours=1)


def test_a_resolution_not_reopened_in_time_is_closed_and_rated(org, members, settings):
    """The sender had FEEDBACK_REOPEN_DAYS to reopen; then the job closes the
    complaint and asks the one question (item 4), once."""
    settings.FEEDBACK_REOPEN_DAYS = 14
    with time_machine.travel(THURSDAY, tick=False):
        item = make_item(org)
        step(
            org,
            services.resolve,
            actor=members[Role.RECEPTION],
            item=item,
            resolution="تم.",
        )
    escalation.escalate_all(THURSDAY + datetime.timedelta(days=13))
    assert reload(item).status == "resolved"
    escalation.escalate_all(THURSDAY + datetime.timedelta(days=15))
    escalation.escalate_all(THURSDAY + datetime.timedelta(days=16))
    assert reload(item).status == "closed"
    assert len(messages(org, "complaint_satisfaction")) == 1
