"""One scheduler for every periodic job (issue 6): it enqueues tasks, the worker
runs them.

Each job is a row holding when it runs next. A tick locks the due rows, enqueues
their tasks when the transaction commits, and moves each to its next slot after
now: two schedulers running at once enqueue a job once, and a scheduler that
was down for a day runs each missed job once, not once per missed slot. The jobs
themselves are idempotent, so an extra run sends nothing twice.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    task: str  # dotted path of a django-tasks Task
    every: datetime.timedelta = datetime.timedelta(days=1)
    # For daily jobs: the local (Riyadh) time of day it runs.
    at: datetime.time | None = None

    def next_after(self, moment: datetime.datetime) -> datetime.datetime:
        if self.at is None:
            return moment + self.every
        local = timezone.localtime(moment)
        slot = local.replace(
            hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0
        )
        while slot <= local:
            slot += self.every
        return slot


JOBS = {
    # Every "the beneficiary is told": the outbox, with retries.
    "send_messages": Job(
        "mustafid.contact.tasks.send_messages_task",
        every=datetime.timedelta(minutes=1),
    ),
    # P-COMMITTEE: reminders and escalations before and after a decision is due.
    "deadline_reminders": Job(
        "mustafid.contact.tasks.deadline_reminders_task", at=datetime.time(7, 0)
    ),
    # P-INFO: inquiries past their response target, at the start of the day.
    "inquiry_reminders": Job(
        "mustafid.contact.tasks.inquiry_reminders_task", at=datetime.time(8, 0)
    ),
    # P-COMPLAINTS: items past their targets raised to the manager, the board.
    "feedback_escalations": Job(
        "mustafid.feedback.tasks.escalate_feedback_task",
        every=datetime.timedelta(hours=1),
    ),
    # P-REVIEW: the yearly review of the approved policy.
    "policy_review": Job(
        "mustafid.contact.tasks.policy_review_task", at=datetime.time(9, 0)
    ),
    # P-PERIODIC: re-verification and documents falling due.
    "open_reviews": Job(
        "mustafid.eligibility.reviews.open_reviews_task", at=datetime.time(6, 0)
    ),
    # P-SATISFACTION: the invitations a request's move should have created and
    # did not (the process stopped between the commit and the receiver).
    "survey_sweep": Job(
        "mustafid.surveys.tasks.survey_sweep_task", at=datetime.time(9, 30)
    ),
    # P-SATISFACTION: one reminder before a survey link closes (late morning).
    "survey_reminders": Job(
        "mustafid.surveys.tasks.survey_reminders_task", at=datetime.time(10, 0)
    ),
    # Rate-limit counts (sign-in codes, public forms) kept one day.
    "prune_rate_hits": Job(
        "mustafid.core.tasks.prune_rate_hits_task", at=datetime.time(3, 45)
    ),
    # Finished task results kept two weeks.
    "prune_task_results": Job(
        "mustafid.contact.tasks.prune_task_results_task", at=datetime.time(3, 30)
    ),
}


class ScheduledJob(models.Model):
    """When a periodic job runs next, and how its last run went."""

    name = models.CharField(max_length=60, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _enqueue(name: str, job: Job) -> None:
    try:
        result = import_string(job.task).enqueue()
    except Exception as error:  # the queue is down: the next tick tries again
        logger.exception("Job %s could not be queued", name)
        ScheduledJob.objects.filter(name=name).update(
            last_error=str(error)[:1000], next_run_at=timezone.now()
        )
        return
    ScheduledJob.objects.filter(name=name).update(
        last_task_id=str(result.id), last_error=""
    )


def tick(now=None, jobs: dict[str, Job] | None = None) -> list[str]:
    """Enqueue the jobs that are due; their names."""
    now = now or timezone.now()
    jobs = JOBS if jobs is None else jobs
    for name, job in jobs.items():
        # A new job runs at its first slot (a minute job at once).
        first = now if job.at is None else job.next_after(now)
        ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": first})
    started = []
    with transaction.atomic():
        due = (
            ScheduledJob.objects.select_for_update(skip_locked=True)
            .filter(name__in=list(jobs), next_run_at__lte=now)
            .order_by("name")
        )
        for row in due:
            job = jobs[row.name]
            row.last_run_at = now
            row.next_run_at = job.next_after(now)
            row.save(update_fields=["last_run_at", "next_run_at"])
            transaction.on_commit(partial(_enqueue, row.name, job))
            started.append(row.name)
    return started
