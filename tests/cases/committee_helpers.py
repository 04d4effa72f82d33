"""Building committee members, meetings and agenda items for tests (shared with
the permission matrix and the lifecycle tests)."""

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from mustafid.cases.models import (
    AgendaItem,
    CommitteeMeeting,
    CommitteeMember,
    CommitteeVote,
    MeetingStatus,
)
from mustafid.core.models import Membership
from mustafid.core.roles import Role
from tests.cases.helpers import make_case
from tests.conftest import make_member
from tests.factories import UserFactory


def membership_of(user, org) -> Membership:
    with scopes_disabled():
        return Membership.objects.get(user=user, organization=org)


def seat(org, user=None, *, role=Role.COMMITTEE, chair=False) -> CommitteeMember:
    """A committee member (a new staff member of `role` unless `user` is given)."""
    user = user or make_member(org, role)
    with scope(organization=org):
        return CommitteeMember.objects.create(
            organization=org, membership=membership_of(user, org), is_chair=chair
        )


def make_meeting(org, status=MeetingStatus.PLANNED, **fields) -> CommitteeMeeting:
    with scope(organization=org):
        number = CommitteeMeeting.objects.count() + 1
        return CommitteeMeeting.objects.create(
            organization=org,
            number=number,
            date=fields.pop("date", timezone.localdate()),
            status=status,
            created_by=fields.pop("created_by", None) or UserFactory(),
            **fields,
        )


def add_item(meeting, case=None, **fields) -> AgendaItem:
    org = meeting.organization
    case = case or make_case(org, "in_committee")
    with scope(organization=org):
        position = AgendaItem.objects.filter(meeting=meeting).count() + 1
        return AgendaItem.objects.create(
            organization=org, meeting=meeting, case=case, position=position, **fields
        )


def held_meeting(org, members, *, quorum=None, chair=None) -> CommitteeMeeting:
    """A held meeting with `members` present and the quorum of their majority."""
    meeting = make_meeting(
        org,
        MeetingStatus.HELD,
        quorum=quorum or len(members) // 2 + 1,
        chair=chair,
        held_at=timezone.now(),
    )
    with scope(organization=org):
        meeting.attendees.set(members)
    return meeting


def vote(item, member, choice, note="") -> CommitteeVote:
    with scope(organization=item.organization):
        return CommitteeVote.objects.create(
            organization=item.organization,
            item=item,
            member=member,
            choice=choice,
            note=note,
            recorded_by=member.membership.user,
        )


def decided_by_committee(case, to) -> dict:
    """The details a committee decision passes to the lifecycle: an agenda item
    of a held meeting recording `to` for the case."""
    meeting = make_meeting(case.organization, MeetingStatus.HELD)
    item = add_item(meeting, case, outcome=to, decided_at=timezone.now())
    return {"committee_item": item.pk}


# URL kwargs for the permission matrix: each builds an object of `org`.


def meeting_kwargs(org) -> dict:
    return {"pk": make_meeting(org).pk}


def held_meeting_kwargs(org) -> dict:
    return {"pk": held_meeting(org, [seat(org)]).pk}


def member_kwargs(org) -> dict:
    return {"pk": seat(org).pk}


def planned_item_kwargs(org) -> dict:
    return {"pk": add_item(make_meeting(org)).pk}


def held_item_kwargs(org) -> dict:
    return {"pk": add_item(held_meeting(org, [seat(org)])).pk}
