"""The survey job the scheduler enqueues and the worker runs."""

from django.utils import timezone
from django_tasks import task

from mustafid.surveys.invitations import queue_reminders


@task()
def survey_reminders_task() -> dict:
    """P-SATISFACTION: one reminder for each unanswered invitation near its end."""
    return queue_reminders(timezone.now())
