"""The feedback job the scheduler enqueues and the worker runs."""

from django_tasks import task

from mustafid.feedback.escalation import escalate_all


@task()
def escalate_feedback_task() -> dict:
    """P-COMPLAINTS: raise items past their targets, one level at a time."""
    return escalate_all()
