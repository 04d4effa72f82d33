"""The committee's members, agenda and votes (P-COMMITTEE): cases.committee."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from mustafid.cases import committee
from mustafid.cases.committee_defaults import DECISION_REASONS, ensure_decision_reasons
from mustafid.cases.models import (
    AgendaItem,
    CommitteeMember,
    CommitteeVote,
    DecisionReason,
    ItemOutcome,
    MeetingStatus,
)
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Role
from tests.cases.committee_helpers import (
    add_item,
    held_meeting,
    make_meeting,
    membership_of,
    seat,
    vote,
)
from tests.cases.helpers import make_case, make_service
from tests.conftest import make_member

NOT_PRESENT = "Only members present at the meeting can vote on its agenda."


def in_org(org, function, **kwargs):
    with scope(organization=org):
        return function(**kwargs)


def audit_count():
    with scopes_disabled():
        return AuditEvent.objects.count()


# ---------------------------------------------------------------------------
# Members and quorum


def test_manager_seats_staff_who_can_vote_and_one_chair(org, members):
    """P-COMMITTEE: members are staff of the association; one chair at a time."""
    manager = members[Role.MANAGER]
    first = make_member(org, Role.COMMITTEE)
    second = make_member(org, Role.COMMITTEE)
    a = in_org(
        org,
        committee.add_member,
        actor=manager,
        organization=org,
        membership=membership_of(first, org),
        is_chair=True,
    )
    b = in_org(
        org,
        committee.add_member,
        actor=manager,
        organization=org,
        membership=membership_of(second, org),
        is_chair=True,
    )
    a.refresh_from_db()
    assert (a.is_chair, b.is_chair) == (False, True)
    with pytest.raises(committee.CommitteeError):
        in_org(
            org,
            committee.add_member,
            actor=manager,
            organization=org,
            membership=membership_of(second, org),
        )


def test_a_role_that_cannot_vote_is_not_seated(org, members):
    before = audit_count()
    with pytest.raises(committee.CommitteeError):
        in_org(
            org,
            committee.add_member,
            actor=members[Role.MANAGER],
            organization=org,
            membership=membership_of(members[Role.RECEPTION], org),
        )
    with scopes_disabled():
        assert not CommitteeMember.objects.exists()
    assert audit_count() == before


def test_staff_of_another_association_are_not_seated(org, other_org, members):
    outsider = make_member(other_org, Role.COMMITTEE)
    with pytest.raises(committee.CommitteeError):
        in_org(
            org,
            committee.add_member,
            actor=members[Role.MANAGER],
            organization=org,
            membership=membership_of(outsider, other_org),
        )


def test_quorum_defaults_to_a_majority_of_active_members(org, members):
    """P-COMMITTEE: a sensible default, configurable per association."""
    for _seat in range(4):
        seat(org)
    inactive = seat(org)
    inactive.is_active = False
    with scope(organization=org):
        inactive.save()
        assert committee.current_quorum(org) == 3
        committee.set_quorum(
            actor=members[Role.MANAGER], organization=org, quorum_minimum=2
        )
        assert committee.current_quorum(org) == 2
        committee.set_quorum(
            actor=members[Role.MANAGER], organization=org, quorum_minimum=None
        )
        assert committee.current_quorum(org) == 3


def test_default_reasons_are_seeded_once_and_edits_survive(org):
    ensure_decision_reasons(org)
    with scope(organization=org):
        reason = DecisionReason.objects.get(code="not_target_category")
        reason.name_ar = "نص معدل"
        reason.save()
    ensure_decision_reasons(org)
    with scope(organization=org):
        assert DecisionReason.objects.count() == len(DECISION_REASONS)
        assert DecisionReason.objects.get(pk=reason.pk).name_ar == "نص معدل"
        kinds = set(DecisionReason.objects.values_list("kind", flat=True))
    assert kinds == {"approve", "reject"}


# ---------------------------------------------------------------------------
# Agenda


def test_agenda_takes_requests_before_the_committee_and_on_no_other_agenda(
    org, members
):
    """P-COMMITTEE: the agenda is built from requests in_committee, each on one
    undecided agenda at a time; decided or deferred items free the request."""
    ready = [make_case(org, "in_committee") for _ in range(3)]
    make_case(org, "researching")  # not before the committee
    elsewhere = make_case(org, "in_committee")
    add_item(make_meeting(org), elsewhere)
    no_decision_before = make_case(org, "in_committee")
    add_item(make_meeting(org), no_decision_before, outcome=ItemOutcome.NO_DECISION)
    meeting = make_meeting(org)
    added = in_org(
        org, committee.build_agenda, actor=members[Role.MANAGER], meeting=meeting
    )
    with scope(organization=org):
        on_agenda = list(meeting.items.values_list("case_id", "position"))
    assert added == 4
    assert {case_id for case_id, _ in on_agenda} == {
        *(case.pk for case in ready),
        no_decision_before.pk,
    }
    assert sorted(position for _, position in on_agenda) == [1, 2, 3, 4]
    # Building again adds nothing: they are all on this agenda now.
    assert (
        in_org(
            org, committee.build_agenda, actor=members[Role.MANAGER], meeting=meeting
        )
        == 0
    )


def test_agenda_of_one_service_soonest_due_first_up_to_a_limit(org, members):
    service = make_service(org)
    today = timezone.localdate()
    late = make_case(
        org, "in_committee", service=service, decision_due=today + datetime.timedelta(9)
    )
    soon = make_case(
        org, "in_committee", service=service, decision_due=today + datetime.timedelta(1)
    )
    make_case(org, "in_committee")  # another service
    meeting = make_meeting(org)
    added = in_org(
        org,
        committee.build_agenda,
        actor=members[Role.MANAGER],
        meeting=meeting,
        service=service,
        limit=1,
    )
    with scope(organization=org):
        assert added == 1
        assert list(meeting.items.values_list("case", flat=True)) == [soon.pk]
    assert late.pk != soon.pk


def test_one_request_added_and_removed_before_the_meeting(org, members):
    manager = members[Role.MANAGER]
    case = make_case(org, "in_committee")
    meeting = make_meeting(org)
    item = in_org(
        org, committee.add_to_agenda, actor=manager, meeting=meeting, case=case
    )
    other = make_meeting(org)
    with pytest.raises(committee.CommitteeError, match=case.number):
        in_org(org, committee.add_to_agenda, actor=manager, meeting=other, case=case)
    with pytest.raises(committee.CommitteeError):
        in_org(
            org,
            committee.add_to_agenda,
            actor=manager,
            meeting=meeting,
            case=make_case(org, "researching"),
        )
    in_org(org, committee.remove_from_agenda, actor=manager, item=item)
    with scope(organization=org):
        assert not AgendaItem.objects.exists()


def test_the_agenda_is_fixed_once_the_meeting_is_held(org, members):
    manager = members[Role.MANAGER]
    meeting = held_meeting(org, [seat(org)])
    item = add_item(meeting)
    before = audit_count()
    for action, kwargs in [
        (committee.build_agenda, {"meeting": meeting}),
        (
            committee.add_to_agenda,
            {"meeting": meeting, "case": make_case(org, "in_committee")},
        ),
        (committee.remove_from_agenda, {"item": item}),
    ]:
        with pytest.raises(committee.CommitteeError):
            in_org(org, action, actor=manager, **kwargs)
    assert audit_count() == before
    with scope(organization=org):
        assert meeting.items.count() == 1


def test_holding_fixes_quorum_and_chair(org, members):
    chair = seat(org, chair=True)
    others = [seat(org) for _ in range(4)]
    meeting = make_meeting(org)
    held = in_org(
        org,
        committee.hold_meeting,
        actor=members[Role.MANAGER],
        meeting=meeting,
        attendees=[chair, others[0]],
    )
    assert held.status == MeetingStatus.HELD
    assert held.quorum == 3  # a majority of five active members
    assert held.chair == chair
    # Changing the rule later does not rewrite a held meeting's quorum.
    in_org(
        org,
        committee.set_quorum,
        actor=members[Role.MANAGER],
        organization=org,
        quorum_minimum=1,
    )
    again = in_org(
        org,
        committee.hold_meeting,
        actor=members[Role.MANAGER],
        meeting=held,
        attendees=[chair, *others[:2]],
    )
    assert again.quorum == 3
    with scope(organization=org):
        assert again.attendees.count() == 3


def test_a_member_who_voted_stays_in_the_attendance(org, members):
    first, second = seat(org), seat(org)
    meeting = held_meeting(org, [first, second])
    vote(add_item(meeting), second, "approve")
    with pytest.raises(committee.CommitteeError):
        in_org(
            org,
            committee.hold_meeting,
            actor=members[Role.MANAGER],
            meeting=meeting,
            attendees=[first],
        )


def test_the_attendance_is_fixed_once_a_decision_is_taken(org, members):
    first, second = seat(org), seat(org)
    meeting = held_meeting(org, [first])
    add_item(meeting, outcome=ItemOutcome.NO_DECISION)
    with pytest.raises(committee.CommitteeError):
        in_org(
            org,
            committee.hold_meeting,
            actor=members[Role.MANAGER],
            meeting=meeting,
            attendees=[first, second],
        )


# ---------------------------------------------------------------------------
# Votes


def cast(org, user, item, choice="approve", **kwargs):
    return in_org(
        org,
        committee.record_vote,
        actor=user,
        membership=membership_of(user, org),
        item=item,
        choice=choice,
        **kwargs,
    )


def test_a_member_present_votes_and_may_change_the_vote(org):
    member = seat(org)
    user = member.membership.user
    item = add_item(held_meeting(org, [member]))
    cast(org, user, item, "approve", note="مستحق")
    cast(org, user, item, "reject", note="دخل مرتفع")
    with scopes_disabled():
        votes = list(CommitteeVote.objects.values_list("choice", "note"))
    assert votes == [("reject", "دخل مرتفع")]


def test_votes_by_members_not_present_are_refused(org):
    """P-COMMITTEE: only the members present at the meeting vote on its agenda."""
    present, absent = seat(org), seat(org)
    item = add_item(held_meeting(org, [present]))
    outsider = make_member(org, Role.COMMITTEE)  # not on the committee at all
    before = audit_count()
    for user in (absent.membership.user, outsider):
        with pytest.raises(committee.CommitteeError) as refused:
            cast(org, user, item)
        assert str(refused.value) == _(NOT_PRESENT)
    with scopes_disabled():
        assert not CommitteeVote.objects.exists()
    assert audit_count() == before


def test_no_votes_before_the_meeting_is_held_or_after_the_decision(org):
    member = seat(org)
    planned_item = add_item(make_meeting(org))
    with scope(organization=org):
        planned_item.meeting.attendees.set([member])
    with pytest.raises(committee.CommitteeError):
        cast(org, member.membership.user, planned_item)
    decided = add_item(held_meeting(org, [member]), outcome=ItemOutcome.APPROVED)
    with pytest.raises(committee.CommitteeError):
        cast(org, member.membership.user, decided)


def test_only_the_manager_records_a_paper_vote_for_another_member(org, members):
    first, second = seat(org), seat(org)
    item = add_item(held_meeting(org, [first, second]))
    with pytest.raises(committee.CommitteeError):
        cast(org, first.membership.user, item, member=second)
    cast(org, members[Role.MANAGER], item, "abstain", member=second)
    with scopes_disabled():
        vote_row = CommitteeVote.objects.get()
    assert (vote_row.member, vote_row.recorded_by) == (second, members[Role.MANAGER])


def test_a_bad_choice_is_refused(org):
    member = seat(org)
    item = add_item(held_meeting(org, [member]))
    with pytest.raises(committee.CommitteeError):
        cast(org, member.membership.user, item, "maybe")


def test_voting_on_the_rest_of_a_long_agenda_at_once(org):
    member = seat(org)
    meeting = held_meeting(org, [member])
    items = [add_item(meeting) for _ in range(4)]
    vote(items[0], member, "reject")
    add_item(meeting, outcome=ItemOutcome.DEFERRED)
    user = member.membership.user
    count = in_org(
        org,
        committee.vote_remaining,
        actor=user,
        membership=membership_of(user, org),
        meeting=meeting,
        choice="approve",
    )
    assert count == 3
    with scopes_disabled():
        choices = dict(CommitteeVote.objects.values_list("item_id", "choice"))
    assert choices == {items[0].pk: "reject"} | {i.pk: "approve" for i in items[1:]}


def test_reasons_are_chosen_from_the_list_by_the_committee(org, members):
    ensure_decision_reasons(org)
    member = seat(org)
    item = add_item(held_meeting(org, [member]))
    with scope(organization=org):
        reasons = list(DecisionReason.objects.filter(kind="reject")[:2])
    user = member.membership.user
    in_org(
        org,
        committee.set_reasons,
        actor=user,
        membership=membership_of(user, org),
        item=item,
        reasons=reasons,
        note="  لم يحضر المقابلة  ",
    )
    with scope(organization=org):
        item.refresh_from_db()
        assert set(item.reasons.all()) == set(reasons)
    assert item.reason_note == "لم يحضر المقابلة"
    with pytest.raises(committee.CommitteeError):
        in_org(
            org,
            committee.set_reasons,
            actor=members[Role.COMMITTEE],  # a committee role without a seat
            membership=membership_of(members[Role.COMMITTEE], org),
            item=item,
            reasons=[],
        )


def test_setting_a_request_aside_needs_a_reason_and_frees_it(org, members):
    item = add_item(held_meeting(org, [seat(org)]))
    with pytest.raises(committee.CommitteeError):
        in_org(
            org, committee.set_aside, actor=members[Role.MANAGER], item=item, note=" "
        )
    in_org(
        org,
        committee.set_aside,
        actor=members[Role.MANAGER],
        item=item,
        note="يحتاج زيارة ميدانية",
    )
    with scope(organization=org):
        assert committee.ready_for_committee().filter(pk=item.case_id).exists()


def test_the_demo_seats_its_committee_and_reasons(db):
    """P-COMMITTEE in the demo: the committee and manager logins sit on the
    committee (the manager chairs) and the default reasons are there."""
    from mustafid.core import demo

    demo.load_demo(password="demo-pass-1448", beneficiaries=0)
    demo.load_demo(password="demo-pass-1448", beneficiaries=0)  # adds nothing
    with scopes_disabled():
        seats = CommitteeMember.objects.filter(organization__slug="safa")
        assert sorted(s.membership.user.username for s in seats) == [
            "safa-committee",
            "safa-manager",
        ]
        assert [s.membership.user.username for s in seats if s.is_chair] == [
            "safa-manager"
        ]
        assert DecisionReason.objects.filter(organization__slug="safa").count() == len(
            DECISION_REASONS
        )
