"""Housekeeping jobs of the core app, enqueued by the scheduler."""

from django_tasks import task

from mustafid.core import ratelimit


@task()
def prune_rate_hits_task() -> dict:
    """Rate-limit hits older than a day count toward no window any more."""
    return {"pruned": ratelimit.prune()}
