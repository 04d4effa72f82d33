"""The communication jobs the scheduler enqueues and the worker runs."""

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from mustafid.contact.reminders import (
    queue_deadline_reminders,
    queue_inquiry_reminders,
    queue_policy_reviews,
)
from mustafid.contact.sending import send_all_due


@task()
def send_messages_task() -> dict:
    """Send every due message of every association (batch by batch)."""
    return send_all_due()


@task()
def deadline_reminders_task(on: str | None = None) -> dict:
    """P-COMMITTEE: tell staff of requests nearing or past their decision date."""
    import datetime

    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    return queue_deadline_reminders(day)


@task()
def inquiry_reminders_task() -> dict:
    """P-INFO: staff are reminded of inquiries past their response target."""
    return queue_inquiry_reminders(timezone.now())


@task()
def policy_review_task() -> dict:
    """P-REVIEW: the board's yearly review of the policy is not forgotten."""
    return queue_policy_reviews(timezone.localdate())


@task()
def prune_task_results_task() -> dict:
    """Finished task results older than two weeks go (the database queue only)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return {"pruned": False}
    call_command("prune_db_task_results", "--min-age-days", "14", "--queue-name", "*")
    return {"pruned": True}
