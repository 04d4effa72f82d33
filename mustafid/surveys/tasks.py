"""The survey jobs the scheduler enqueues and the worker runs."""

from django.utils import timezone
from django_tasks import task

from mustafid.surveys.invitations import queue_reminders
from mustafid.surveys.triggers import sweep_missed_invitations


@task()
def survey_reminders_task() -> dict:
    """P-SATISFACTION: one reminder for each unanswered invitation near its end."""
    return queue_reminders(timezone.now())


@task()
def survey_sweep_task() -> dict:
    """P-SATISFACTION: the invitations a request's move should have created and
    did not (the process stopped between the move and its receiver)."""
    return sweep_missed_invitations(timezone.now())
