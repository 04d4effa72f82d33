"""Applying a held meeting's decisions (P-COMMITTEE), in the background.

`start_decisions` checks the quorum and queues the run; `run_decisions` takes the
pending items one by one, each in its own transaction: the votes give the
outcome (`committee_rule.decide`), the outcome is recorded on the item and the
request moves through `transitions.transition()` with the reasons, which queues
the beneficiary's message. A failure (the request changed meanwhile, a rejection
without reasons) is written on its item and the run goes on; running again
skips what is decided, so it is safe to repeat.
"""

import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from mustafid.cases import committee_rule, transitions
from mustafid.cases.committee import CommitteeError
from mustafid.cases.models import (
    AgendaItem,
    CommitteeMeeting,
    ItemOutcome,
    MeetingStatus,
    ReasonKind,
    RunStatus,
)
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership

logger = logging.getLogger(__name__)

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


@transaction.atomic
def start_decisions(*, actor, meeting: CommitteeMeeting, background=True, request=None):
    """Queue applying the decisions of a held meeting, if it has its quorum.

    With `background=False` the caller runs `run_decisions` itself (tests, the
    shell)."""
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise CommitteeError(_("Decisions are taken at a meeting that is held."))
    if meeting.run_status in ACTIVE:
        raise CommitteeError(_("The decisions are already being applied."))
    try:
        committee_rule.check_quorum(
            present=meeting.attendees.count(), quorum=meeting.quorum or 1
        )
    except committee_rule.NoQuorum as error:
        raise CommitteeError(str(error)) from error
    pending = meeting.items.pending().count()
    CommitteeMeeting.objects.filter(pk=meeting.pk).update(
        run_status=RunStatus.QUEUED,
        run_by=actor,
        total_items=pending,
        processed_items=0,
        applied_items=0,
        undecided_items=0,
        failed_items=0,
        run_started_at=None,
        run_finished_at=None,
        updated_at=timezone.now(),
    )
    audit.record(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        organization=meeting.organization,
        obj=meeting,
        changes={
            "run_status": [meeting.run_status, RunStatus.QUEUED],
            "items": pending,
        },
    )
    if background:
        transaction.on_commit(partial(_enqueue, meeting.pk))
    meeting.refresh_from_db()
    return meeting


def _enqueue(meeting_id: int) -> None:
    from mustafid.cases.committee_tasks import decide_meeting_task

    try:
        result = decide_meeting_task.enqueue(meeting_id)
    except Exception:
        logger.exception("Decisions of meeting %s could not be queued", meeting_id)
        with scopes_disabled():
            CommitteeMeeting.objects.filter(pk=meeting_id).update(
                run_status=RunStatus.FAILED, run_finished_at=timezone.now()
            )
        return
    with scopes_disabled():
        CommitteeMeeting.objects.filter(pk=meeting_id).update(task_id=str(result.id))


@dataclass(frozen=True)
class _Run:
    meeting: CommitteeMeeting
    actor: object
    membership: Membership | None
    present: frozenset[int]
    chair: int | None


def run_decisions(meeting: CommitteeMeeting) -> CommitteeMeeting:
    """Decide and apply every pending item of a queued run (inside the meeting's
    scope). Stored texts are written in Arabic, the association's language."""
    started = CommitteeMeeting.objects.filter(
        pk=meeting.pk, run_status=RunStatus.QUEUED
    ).update(run_status=RunStatus.RUNNING, run_started_at=timezone.now())
    if not started:
        meeting.refresh_from_db()
        return meeting  # already run, or running elsewhere
    meeting.refresh_from_db()
    present = frozenset(meeting.attendees.values_list("pk", flat=True))
    run = _Run(
        meeting=meeting,
        actor=meeting.run_by,
        membership=Membership.objects.filter(
            user=meeting.run_by, organization=meeting.organization
        ).first(),
        present=present,
        chair=meeting.chair_id if meeting.chair_id in present else None,
    )
    item_ids = list(meeting.items.pending().values_list("pk", flat=True))
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for item_id in item_ids:
                _decide_one(run, item_id)
    except Exception:
        logger.exception("Deciding meeting %s failed", meeting.pk)
        _finish(meeting, RunStatus.FAILED)
        raise
    return _finish(meeting, RunStatus.DONE)


def _decide_one(run: _Run, item_id: int) -> None:
    """One item in its own transaction; a refusal is kept on the item."""
    try:
        with transaction.atomic():
            counter = _decide_item(run, item_id)
            _count(run.meeting, counter)
    except (transitions.TransitionError, CommitteeError) as error:
        _failed(run.meeting, item_id, str(error))
    except Exception:
        # Unexpected, but one request must not stop the others.
        logger.exception("Deciding agenda item %s failed", item_id)
        _failed(run.meeting, item_id, _("An unexpected error; try again."))


def _decide_item(run: _Run, item_id: int) -> str:
    """Record the outcome of one item and move its request; returns the counter
    to add to."""
    item = (
        AgendaItem.objects.select_for_update()
        .select_related("case", "meeting")
        .get(pk=item_id)
    )
    if not item.is_pending:
        return "processed_items"  # decided by an earlier or parallel run
    votes = {
        member: choice
        for member, choice in item.votes.values_list("member_id", "choice")
        if member in run.present
    }
    decision = committee_rule.decide(
        votes,
        present=len(run.present),
        quorum=run.meeting.quorum or 1,
        chair=run.chair,
    )
    item.decided_at = timezone.now()
    item.error = ""
    if not decision.is_decided:
        item.outcome = ItemOutcome.NO_DECISION
        item.outcome_note = decision.why_none
        item.save(update_fields=_ITEM_FIELDS)
        return "undecided_items"
    item.outcome = decision.outcome
    item.outcome_note = (
        _("The chair's vote broke the tie.") if decision.chair_broke_tie else ""
    )
    item.save(update_fields=_ITEM_FIELDS)
    reason, reason_list = decision_reasons(item, decision.outcome)
    case = item.case
    if run.membership is None:
        raise CommitteeError(_("The staff member who started the run has left."))
    transitions.transition(
        actor=run.actor,
        membership=run.membership,
        case=case,
        to=decision.outcome,
        expected_version=case.version,
        reason=reason,
        committee_item=item.pk,
        meeting=run.meeting.number,
        votes=decision.as_dict(),
        reason_list=reason_list,
    )
    return "applied_items"


_ITEM_FIELDS = ["outcome", "outcome_note", "decided_at", "error", "updated_at"]


def decision_reasons(item: AgendaItem, outcome: str) -> tuple[str, list[dict]]:
    """The reasons text the request keeps and the beneficiary is told, and the
    chosen reasons in both languages; a rejection must give its reasons."""
    kind = ReasonKind.APPROVE if outcome == ItemOutcome.APPROVED else ReasonKind.REJECT
    chosen = [reason for reason in item.reasons.all() if reason.kind == kind]
    lines = [f"- {reason.name_ar}" for reason in chosen]
    if item.reason_note.strip():
        lines.append(item.reason_note.strip())
    if not lines and outcome == ItemOutcome.REJECTED:
        raise CommitteeError(
            _("Choose the reasons for the rejection: the beneficiary is told them.")
        )
    if not lines:
        lines.append(
            _("Approved by the research committee at its meeting no. %(number)s.")
            % {"number": item.meeting.number}
        )
    reason_list = [
        {"code": r.code, "ar": r.name_ar, "en": r.name_en or r.name_ar} for r in chosen
    ]
    return "\n".join(lines), reason_list


def _count(meeting: CommitteeMeeting, counter: str) -> None:
    fields = {"processed_items": F("processed_items") + 1}
    if counter != "processed_items":
        fields[counter] = F(counter) + 1
    CommitteeMeeting.objects.filter(pk=meeting.pk).update(**fields)


def _failed(meeting: CommitteeMeeting, item_id: int, message: str) -> None:
    with transaction.atomic():
        AgendaItem.objects.filter(pk=item_id).update(
            error=message, updated_at=timezone.now()
        )
        _count(meeting, "failed_items")


@transaction.atomic
def _finish(meeting: CommitteeMeeting, status: RunStatus) -> CommitteeMeeting:
    """End the run with one audit event; with nothing left pending, the meeting
    is decided."""
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    now = timezone.now()
    meeting.run_status = status
    meeting.run_finished_at = now
    fields = ["run_status", "run_finished_at", "updated_at"]
    if status == RunStatus.DONE and not meeting.items.pending().exists():
        meeting.status = MeetingStatus.DECIDED
        meeting.decided_at = now
        fields += ["status", "decided_at"]
    meeting.save(update_fields=fields)
    audit.record(
        AuditAction.UPDATE,
        actor=meeting.run_by,
        actor_label="" if meeting.run_by else "committee_decisions",
        organization=meeting.organization,
        obj=meeting,
        changes={
            "run_status": status.value,
            "status": meeting.status,
            "applied": meeting.applied_items,
            "undecided": meeting.undecided_items,
            "failed": meeting.failed_items,
        },
    )
    return meeting
