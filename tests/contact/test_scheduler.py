"""One scheduler for every periodic job (issue 6 item 7): each due job is
enqueued once, however many schedulers tick, and a missed day runs once."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mustafid.core.scheduling import JOBS, Job, ScheduledJob, tick

pytestmark = pytest.mark.django_db(transaction=True)

RIYADH_MORNING = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)  # 07:00


def queued(task_path: str) -> int:
    return DBTaskResult.objects.filter(task_path=task_path).count()


def test_a_minute_job_runs_at_once_then_every_minute():
    minute = Job(
        "mustafid.contact.tasks.send_messages_task", every=datetime.timedelta(minutes=1)
    )
    jobs = {"send_messages": minute}
    now = RIYADH_MORNING
    assert tick(now, jobs) == ["send_messages"]
    assert tick(now + datetime.timedelta(seconds=30), jobs) == []
    assert tick(now + datetime.timedelta(seconds=61), jobs) == ["send_messages"]
    assert queued("mustafid.contact.tasks.send_messages_task") == 2


def test_two_schedulers_ticking_together_enqueue_a_job_once():
    now = RIYADH_MORNING
    tick(now)  # creates the rows; the minute job runs
    later = now + datetime.timedelta(minutes=5)
    first, second = tick(later), tick(later)
    assert "send_messages" in first
    assert "send_messages" not in second
    assert queued("mustafid.contact.tasks.send_messages_task") == 2


def test_a_daily_job_runs_at_its_riyadh_hour_and_a_missed_week_runs_once():
    """P-COMMITTEE: the reminders go out at 07:00 Riyadh time; a scheduler that
    was stopped for a week does not send seven days of reminders at once."""
    before_seven = RIYADH_MORNING - datetime.timedelta(minutes=1)
    assert "deadline_reminders" not in tick(before_seven)
    row = ScheduledJob.objects.get(name="deadline_reminders")
    assert timezone.localtime(row.next_run_at).time() == datetime.time(7, 0)
    week_later = RIYADH_MORNING + datetime.timedelta(days=7, hours=1)
    assert "deadline_reminders" in tick(week_later)
    assert "deadline_reminders" not in tick(week_later + datetime.timedelta(minutes=1))
    assert queued("mustafid.contact.tasks.deadline_reminders_task") == 1
    row.refresh_from_db()
    assert row.next_run_at > week_later


def test_every_periodic_job_names_a_task_that_exists():
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    for name, job in JOBS.items():
        assert isinstance(import_string(job.task), Task), name
