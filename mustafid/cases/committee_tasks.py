"""Background work of the research committee (django-tasks, like the imports)."""

from django_scopes import scope, scopes_disabled
from django_tasks import task

from mustafid.cases.committee_decisions import run_decisions
from mustafid.cases.models import CommitteeMeeting


@task()
def decide_meeting_task(meeting_id: int) -> dict:
    """Apply a meeting's decisions, in the meeting's association."""
    with scopes_disabled():
        meeting = CommitteeMeeting.objects.select_related("organization", "run_by").get(
            pk=meeting_id
        )
    with scope(organization=meeting.organization):
        meeting = run_decisions(meeting)
    return {
        "status": meeting.status,
        "applied": meeting.applied_items,
        "failed": meeting.failed_items,
    }
