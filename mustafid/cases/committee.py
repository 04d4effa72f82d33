"""The research committee's writes (P-COMMITTEE): members, meetings, agenda, votes.

Each function is one audited transaction and refuses bad input with a
CommitteeError whose text is the message to show; applying the decisions is in
`committee_decisions`.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases.models import (
    AgendaItem,
    Case,
    CaseStatus,
    CommitteeMeeting,
    CommitteeMember,
    CommitteeRule,
    CommitteeVote,
    DecisionReason,
    ItemOutcome,
    MeetingStatus,
    VoteChoice,
    quorum_for,
)
from mustafid.catalog.models import Service
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership, Organization
from mustafid.core.roles import Perm


class CommitteeError(Exception):
    """A refused committee action; `str(error)` is the message to show."""


# ---------------------------------------------------------------------------
# Members and the quorum rule


@transaction.atomic
def add_member(
    *,
    actor,
    organization: Organization,
    membership: Membership,
    is_chair=False,
    request=None,
) -> CommitteeMember:
    """Seat a staff member of the association on its committee."""
    if membership.organization_id != organization.pk or not membership.is_active:
        raise CommitteeError(_("Choose an active staff member of the association."))
    if not membership.has_perm(Perm.VOTE):
        raise CommitteeError(_("This staff member's role cannot vote."))
    member, created = CommitteeMember.objects.get_or_create(
        organization=organization, membership=membership
    )
    if not created and member.is_active:
        raise CommitteeError(_("This staff member is already on the committee."))
    before = audit.snapshot(member)
    member.is_active = True
    member.save(update_fields=["is_active", "updated_at"])
    if is_chair:
        _make_chair(member)
    audit.record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        request=request,
        organization=organization,
        obj=member,
        changes=audit.changed_fields({} if created else before, audit.snapshot(member)),
    )
    return member


def _make_chair(member: CommitteeMember) -> None:
    # One chair at a time: the previous one steps down in the same transaction.
    CommitteeMember.objects.filter(is_chair=True).exclude(pk=member.pk).update(
        is_chair=False, updated_at=timezone.now()
    )
    member.is_chair = True
    member.save(update_fields=["is_chair", "updated_at"])


@transaction.atomic
def change_member(
    *, actor, member: CommitteeMember, is_chair: bool, is_active: bool, request=None
) -> CommitteeMember:
    """Make a member chair, or stand them down; past minutes keep them."""
    member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    before = audit.snapshot(member)
    if is_chair and not is_active:
        raise CommitteeError(_("An inactive member cannot chair the committee."))
    member.is_active = is_active
    member.is_chair = False if not is_chair else member.is_chair
    member.save(update_fields=["is_active", "is_chair", "updated_at"])
    if is_chair:
        _make_chair(member)
    audit.record(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        organization=member.organization,
        obj=member,
        changes=audit.changed_fields(before, audit.snapshot(member)),
    )
    return member


@transaction.atomic
def set_quorum(
    *, actor, organization: Organization, quorum_minimum: int | None, request=None
) -> CommitteeRule:
    """The association's quorum; None means a majority of the active members."""
    rule, _created = CommitteeRule.objects.get_or_create(organization=organization)
    before = rule.quorum_minimum
    rule.quorum_minimum = quorum_minimum
    rule.save(update_fields=["quorum_minimum", "updated_at"])
    audit.record(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        organization=organization,
        obj=rule,
        changes={"quorum_minimum": [before, quorum_minimum]},
    )
    return rule


def current_quorum(organization: Organization) -> int:
    rule = CommitteeRule.objects.filter(organization=organization).first()
    active = CommitteeMember.objects.filter(is_active=True).count()
    return quorum_for(rule, active)


# ---------------------------------------------------------------------------
# Meetings and their agenda


def _refuse_unless_planned(meeting: CommitteeMeeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise CommitteeError(
            _("The agenda can change only before the meeting is held.")
        )


@transaction.atomic
def plan_meeting(
    *,
    actor,
    organization: Organization,
    date: datetime.date,
    notes: str = "",
    request=None,
) -> CommitteeMeeting:
    """A new meeting with the association's next number."""
    last = CommitteeMeeting.objects.aggregate(last=Max("number"))["last"] or 0
    meeting = CommitteeMeeting.objects.create(
        organization=organization,
        number=last + 1,
        date=date,
        notes=notes,
        created_by=actor,
    )
    audit.record(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        organization=organization,
        obj=meeting,
        changes={"number": meeting.number, "date": date.isoformat()},
    )
    return meeting


def ready_for_committee():
    """Requests before the committee and not awaiting another agenda's decision."""
    return Case.objects.filter(status=CaseStatus.IN_COMMITTEE).exclude(
        agenda_items__outcome=ItemOutcome.PENDING
    )


def _next_position(meeting: CommitteeMeeting) -> int:
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    return last + 1


def build_agenda(
    *,
    actor,
    meeting: CommitteeMeeting,
    service: Service | None = None,
    limit: int | None = None,
    request=None,
) -> int:
    """Add every request ready for the committee (of one service, soonest due
    first, up to `limit`); returns how many were added."""
    try:
        with transaction.atomic():
            meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
            _refuse_unless_planned(meeting)
            cases = ready_for_committee().order_by("decision_due", "id")
            if service is not None:
                cases = cases.filter(service=service)
            ids = list(cases.values_list("pk", flat=True)[:limit])
            start = _next_position(meeting)
            AgendaItem.objects.bulk_create(
                [
                    AgendaItem(
                        organization=meeting.organization,
                        meeting=meeting,
                        case_id=case_id,
                        position=start + offset,
                    )
                    for offset, case_id in enumerate(ids)
                ],
                batch_size=500,
            )
            audit.record(
                AuditAction.UPDATE,
                request=request,
                actor=actor,
                organization=meeting.organization,
                obj=meeting,
                changes={
                    "agenda_added": len(ids),
                    "service": service.pk if service else None,
                },
            )
    except IntegrityError as error:
        raise CommitteeError(
            _("Another agenda took some of these requests meanwhile; try again.")
        ) from error
    return len(ids)


def add_to_agenda(
    *, actor, meeting: CommitteeMeeting, case: Case, request=None
) -> AgendaItem:
    """Put one request before the meeting."""
    try:
        with transaction.atomic():
            meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
            _refuse_unless_planned(meeting)
            if case.status != CaseStatus.IN_COMMITTEE:
                raise CommitteeError(
                    _("Request %(number)s is not before the committee.")
                    % {"number": case.number}
                )
            item = AgendaItem.objects.create(
                organization=meeting.organization,
                meeting=meeting,
                case=case,
                position=_next_position(meeting),
            )
            audit.record(
                AuditAction.UPDATE,
                request=request,
                actor=actor,
                organization=meeting.organization,
                obj=meeting,
                changes={"agenda_added": [case.number]},
            )
    except IntegrityError as error:
        raise CommitteeError(
            _("Request %(number)s is already on an agenda awaiting a decision.")
            % {"number": case.number}
        ) from error
    return item


@transaction.atomic
def remove_from_agenda(*, actor, item: AgendaItem, request=None) -> None:
    """Take a request off the agenda before the meeting is held."""
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=item.meeting_id)
    _refuse_unless_planned(meeting)
    number = item.case.number
    item.delete()
    audit.record(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        organization=meeting.organization,
        obj=meeting,
        changes={"agenda_removed": [number]},
    )


@transaction.atomic
def hold_meeting(
    *, actor, meeting: CommitteeMeeting, attendees: list[CommitteeMember], request=None
) -> CommitteeMeeting:
    """Record who is present; the first time, the meeting is held and its quorum
    and chair are fixed. Attendance can be corrected until voting has made
    someone's presence count."""
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    decided = meeting.items.exclude(outcome=ItemOutcome.PENDING).exists()
    if meeting.status == MeetingStatus.DECIDED or meeting.run_active or decided:
        raise CommitteeError(
            _("Decisions were taken with this attendance; it can no longer change.")
        )
    if not attendees:
        raise CommitteeError(_("Choose the members present."))
    if any(
        not m.is_active or m.organization_id != meeting.organization_id
        for m in attendees
    ):
        raise CommitteeError(_("Only active committee members can attend."))
    before = set(meeting.attendees.values_list("pk", flat=True))
    leaving = before - {m.pk for m in attendees}
    if CommitteeVote.objects.filter(item__meeting=meeting, member__in=leaving).exists():
        raise CommitteeError(
            _("A member who has voted cannot be removed from the attendance.")
        )
    changes = {"attendees": [sorted(before), sorted(m.pk for m in attendees)]}
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD
        meeting.held_at = timezone.now()
        meeting.quorum = current_quorum(meeting.organization)
        meeting.chair = CommitteeMember.objects.filter(
            is_chair=True, is_active=True
        ).first()
        meeting.save(
            update_fields=["status", "held_at", "quorum", "chair", "updated_at"]
        )
        changes |= {"status": ["planned", "held"], "quorum": meeting.quorum}
    meeting.attendees.set(attendees)
    audit.record(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        organization=meeting.organization,
        obj=meeting,
        changes=changes,
    )
    return meeting


# ---------------------------------------------------------------------------
# Votes and reasons


def member_of(membership: Membership) -> CommitteeMember | None:
    """The committee seat of a staff member, if any."""
    return CommitteeMember.objects.filter(membership=membership, is_active=True).first()


def _voter(*, membership: Membership, meeting, member) -> CommitteeMember:
    """Who the vote is for: oneself, or (for the committee's manager entering
    a paper vote) another member; either way a member present."""
    own = member_of(membership)
    if member is None:
        member = own
    elif member != own and not membership.has_perm(Perm.MANAGE_COMMITTEE):
        raise CommitteeError(_("You can only record your own vote."))
    if member is None or not meeting.attendees.filter(pk=member.pk).exists():
        raise CommitteeError(
            _("Only members present at the meeting can vote on its agenda.")
        )
    return member


def _refuse_unless_voting(meeting: CommitteeMeeting) -> None:
    if meeting.status != MeetingStatus.HELD:
        raise CommitteeError(_("Votes are recorded while the meeting is held."))


@transaction.atomic
def record_vote(
    *,
    actor,
    membership: Membership,
    item: AgendaItem,
    choice: str,
    note: str = "",
    member: CommitteeMember | None = None,
    request=None,
) -> CommitteeVote:
    """A member's vote on one item; it may change until the item is decided."""
    item = (
        AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    )
    _refuse_unless_voting(item.meeting)
    if choice not in VoteChoice.values:
        raise CommitteeError(_("Choose approve, reject or abstain."))
    if not item.is_pending:
        raise CommitteeError(_("This request has been decided; votes are closed."))
    member = _voter(membership=membership, meeting=item.meeting, member=member)
    vote, created = CommitteeVote.objects.update_or_create(
        item=item,
        member=member,
        defaults={
            "organization": item.organization,
            "choice": choice,
            "note": note.strip(),
            "recorded_by": actor,
        },
    )
    audit.record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        request=request,
        organization=item.organization,
        obj=vote,
        changes={"item": item.pk, "member": member.pk, "choice": choice},
    )
    return vote


@transaction.atomic
def vote_remaining(
    *,
    actor,
    membership: Membership,
    meeting: CommitteeMeeting,
    choice: str,
    note: str = "",
    member: CommitteeMember | None = None,
    request=None,
) -> int:
    """One vote on every pending item the member has not voted on yet, for a
    long agenda; returns how many votes were recorded."""
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_unless_voting(meeting)
    if choice not in VoteChoice.values:
        raise CommitteeError(_("Choose approve, reject or abstain."))
    member = _voter(membership=membership, meeting=meeting, member=member)
    items = list(
        meeting.items.pending()
        .exclude(votes__member=member)
        .values_list("pk", flat=True)
    )
    CommitteeVote.objects.bulk_create(
        [
            CommitteeVote(
                organization=meeting.organization,
                item_id=item_id,
                member=member,
                choice=choice,
                note=note.strip(),
                recorded_by=actor,
            )
            for item_id in items
        ],
        batch_size=500,
    )
    audit.record(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        organization=meeting.organization,
        obj=meeting,
        changes={"votes": len(items), "member": member.pk, "choice": choice},
    )
    return len(items)


@transaction.atomic
def set_reasons(
    *,
    actor,
    membership: Membership,
    item: AgendaItem,
    reasons: list[DecisionReason],
    note: str = "",
    request=None,
) -> AgendaItem:
    """The reasons the beneficiary will be told, chosen from the association's
    list, with free text (P-ELIGIBILITY: the reason when conditions are not met)."""
    item = (
        AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    )
    if item.meeting.status == MeetingStatus.DECIDED or not item.is_pending:
        raise CommitteeError(_("This request has been decided; its reasons stay."))
    if not membership.has_perm(Perm.MANAGE_COMMITTEE) and (
        member_of(membership) is None
    ):
        raise CommitteeError(_("Only committee members can give the reasons."))
    before = sorted(item.reasons.values_list("code", flat=True))
    item.reasons.set(reasons)
    item.reason_note = note.strip()
    item.save(update_fields=["reason_note", "updated_at"])
    audit.record(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        organization=item.organization,
        obj=item,
        changes={"reasons": [before, sorted(r.code for r in reasons)]},
    )
    return item


@transaction.atomic
def set_aside(*, actor, item: AgendaItem, note: str, request=None) -> AgendaItem:
    """Leave a pending request for a later meeting (more study, or applying the
    decision failed); its votes stay in the minutes."""
    item = (
        AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    )
    if item.meeting.status != MeetingStatus.HELD or item.meeting.run_active:
        raise CommitteeError(
            _("A request is set aside while the meeting is held, between runs.")
        )
    if not item.is_pending:
        raise CommitteeError(_("This request has been decided; votes are closed."))
    if not note.strip():
        raise CommitteeError(_("Say why the request is set aside."))
    item.outcome = ItemOutcome.DEFERRED
    item.outcome_note = note.strip()
    item.decided_at = timezone.now()
    item.save(update_fields=["outcome", "outcome_note", "decided_at", "updated_at"])
    audit.record(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        organization=item.organization,
        obj=item,
        changes={"outcome": ["", ItemOutcome.DEFERRED], "note": item.outcome_note},
    )
    return item
