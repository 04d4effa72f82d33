"""Applying a meeting's decisions (P-COMMITTEE, P-ELIGIBILITY, P-APPROVAL)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from mustafid.cases import committee, committee_decisions, transitions
from mustafid.cases.committee_defaults import ensure_decision_reasons
from mustafid.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    CommitteeMeeting,
    DecisionReason,
    ItemOutcome,
    MeetingStatus,
    RunStatus,
)
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.roles import Role
from mustafid.governance.models import PolicyVersion
from tests.cases.committee_helpers import (
    add_item,
    decided_by_committee,
    held_meeting,
    make_meeting,
    membership_of,
    seat,
    vote,
)
from tests.cases.helpers import make_case, make_service


@pytest.fixture
def committee3(org):
    """Three members present, the first one the chair."""
    chair = seat(org, chair=True)
    return [chair, seat(org), seat(org)]


def reasons(org, kind, count=1):
    ensure_decision_reasons(org)
    with scope(organization=org):
        return list(DecisionReason.objects.filter(kind=kind)[:count])


def give_reasons(item, chosen, note=""):
    with scope(organization=item.organization):
        item.reasons.set(chosen)
        item.reason_note = note
        item.save()


def decide_now(org, meeting, actor):
    """Start and run the decisions in this process (the worker's job)."""
    with scope(organization=org):
        meeting = committee_decisions.start_decisions(
            actor=actor, meeting=meeting, background=False
        )
        return committee_decisions.run_decisions(meeting)


def refreshed(obj):
    with scopes_disabled():
        obj.refresh_from_db()
    return obj


def test_a_majority_approves_through_the_lifecycle(org, members, committee3):
    """P-COMMITTEE: the votes decide; the request moves by transition() with the
    committee's reasons and the beneficiary is told through the outbox."""
    meeting = held_meeting(org, committee3, chair=committee3[0])
    item = add_item(meeting)
    give_reasons(item, reasons(org, "approve"))
    vote(item, committee3[0], "approve")
    vote(item, committee3[1], "approve")
    vote(item, committee3[2], "reject", note="الدخل قريب من الحد")
    meeting = decide_now(org, meeting, members[Role.MANAGER])
    case = refreshed(item.case)
    assert case.status == "approved"
    assert "تنطبق عليه شروط الخدمة" in case.decision_reasons
    assert (meeting.status, meeting.run_status) == ("decided", "done")
    assert (meeting.applied_items, meeting.failed_items) == (1, 0)
    assert meeting.progress_percent == 100
    with scopes_disabled():
        event = CaseEvent.objects.filter(case=case).last()
        message = OutboxMessage.objects.get(event="decision")
    assert (event.from_status, event.to_status) == ("in_committee", "approved")
    assert event.actor == members[Role.MANAGER]
    assert event.details["committee_item"] == item.pk
    assert event.details["votes"] == {"approve": 2, "reject": 1, "abstain": 0}
    assert message.context["decision"] == "approved"
    assert message.beneficiary_id == case.beneficiary_id


def test_a_rejection_tells_the_beneficiary_the_failed_reasons(org, members, committee3):
    """P-ELIGIBILITY / item 9: the rejected request lists the reasons not met, in
    Arabic and English for the beneficiary's message."""
    meeting = held_meeting(org, committee3)
    item = add_item(meeting)
    chosen = reasons(org, "reject", 2)
    approve = reasons(org, "approve")[0]
    give_reasons(item, [*chosen, approve], note="لم تكتمل الزيارة")
    for member in committee3:
        vote(item, member, "reject")
    decide_now(org, meeting, members[Role.MANAGER])
    case = refreshed(item.case)
    assert case.status == "rejected"
    for reason in chosen:
        assert reason.name_ar in case.decision_reasons
    assert "لم تكتمل الزيارة" in case.decision_reasons
    # The reasons to approve chosen beforehand are left out.
    assert f"- {approve.name_ar}" not in case.decision_reasons.splitlines()
    with scopes_disabled():
        message = OutboxMessage.objects.get(event="decision")
    assert message.context["reasons"] == case.decision_reasons
    assert [r["code"] for r in message.context["reason_list"]] == [
        r.code for r in chosen
    ]
    assert all(r["ar"] and r["en"] for r in message.context["reason_list"])


def test_an_approval_without_chosen_reasons_names_the_meeting(org, members, committee3):
    meeting = held_meeting(org, committee3)
    item = add_item(meeting)
    for member in committee3:
        vote(item, member, "approve")
    decide_now(org, meeting, members[Role.MANAGER])
    assert str(meeting.number) in refreshed(item.case).decision_reasons


def test_the_chair_breaks_a_tie_and_a_tie_without_the_chair_waits(
    org, members, committee3
):
    """P-COMMITTEE: a tie goes the chair's way; without a chair's vote the request
    is undecided and free for the next agenda."""
    chair, second, third = committee3
    meeting = held_meeting(org, committee3, chair=chair)
    broken, waiting, abstained = add_item(meeting), add_item(meeting), add_item(meeting)
    give_reasons(broken, reasons(org, "reject"))
    vote(broken, chair, "reject")
    vote(broken, second, "approve")
    vote(broken, third, "abstain")
    vote(waiting, chair, "abstain")
    vote(waiting, second, "approve")
    vote(waiting, third, "reject")
    for member in committee3:
        vote(abstained, member, "abstain")
    meeting = decide_now(org, meeting, members[Role.MANAGER])
    assert refreshed(broken.case).status == "rejected"
    assert refreshed(broken).outcome_note  # "the chair's vote broke the tie"
    for item in (waiting, abstained):
        assert refreshed(item).outcome == ItemOutcome.NO_DECISION
        assert item.outcome_note
        assert refreshed(item.case).status == "in_committee"
    assert (meeting.applied_items, meeting.undecided_items) == (1, 2)
    assert meeting.status == "decided"
    with scope(organization=org):
        ready = set(committee.ready_for_committee().values_list("pk", flat=True))
    assert ready == {waiting.case_id, abstained.case_id}


def test_no_decision_without_quorum(org, members):
    """P-COMMITTEE: fewer present than the quorum: a clear message, nothing runs."""
    present = seat(org)
    meeting = held_meeting(org, [present], quorum=2)
    item = add_item(meeting)
    vote(item, present, "approve")
    with scope(organization=org), pytest.raises(committee.CommitteeError) as refused:
        committee_decisions.start_decisions(
            actor=members[Role.MANAGER], meeting=meeting, background=False
        )
    assert "2" in str(refused.value)
    assert refreshed(meeting).run_status == RunStatus.IDLE
    assert refreshed(item.case).status == "in_committee"


def test_only_a_held_meeting_is_decided_and_only_once_at_a_time(org, members):
    manager = members[Role.MANAGER]
    with scope(organization=org), pytest.raises(committee.CommitteeError):
        committee_decisions.start_decisions(
            actor=manager, meeting=make_meeting(org), background=False
        )
    meeting = held_meeting(org, [seat(org)])
    with scope(organization=org):
        committee_decisions.start_decisions(
            actor=manager, meeting=meeting, background=False
        )
        with pytest.raises(committee.CommitteeError):
            committee_decisions.start_decisions(
                actor=manager, meeting=meeting, background=False
            )


def test_one_failure_is_reported_on_its_item_and_the_rest_go_on(
    org, members, committee3
):
    """Item 7: each request in its own transaction; a request changed meanwhile or
    a rejection without reasons fails alone; running again skips what is done."""
    manager = members[Role.MANAGER]
    meeting = held_meeting(org, committee3)
    fine, withdrawn, no_reasons, last = (add_item(meeting) for _ in range(4))
    for item, choice in [
        (fine, "approve"),
        (withdrawn, "approve"),
        (no_reasons, "reject"),
        (last, "approve"),
    ]:
        for member in committee3:
            vote(item, member, choice)
    with scopes_disabled():  # withdrawn meanwhile, behind the committee's back
        Case.objects.filter(pk=withdrawn.case_id).update(status="withdrawn")
    meeting = decide_now(org, meeting, manager)
    assert (meeting.applied_items, meeting.failed_items) == (2, 2)
    assert (meeting.status, meeting.run_status) == ("held", "done")
    assert refreshed(fine.case).status == refreshed(last.case).status == "approved"
    for item in (withdrawn, no_reasons):
        assert refreshed(item).outcome == ItemOutcome.PENDING
        assert item.error
    assert refreshed(no_reasons.case).status == "in_committee"
    assert str(CaseStatus.WITHDRAWN.label) in refreshed(withdrawn).error

    # Correct one, set the other aside, run again: only the rest is processed.
    give_reasons(no_reasons, reasons(org, "reject"))
    with scope(organization=org):
        committee.set_aside(actor=manager, item=withdrawn, note="سحب الطلب")
    with scopes_disabled():
        decisions_before = CaseEvent.objects.filter(to_status="approved").count()
    meeting = decide_now(org, refreshed(meeting), manager)
    assert (meeting.total_items, meeting.applied_items, meeting.failed_items) == (
        1,
        1,
        0,
    )
    assert meeting.status == "decided"
    assert refreshed(no_reasons.case).status == "rejected"
    assert refreshed(no_reasons).error == ""
    with scopes_disabled():
        assert CaseEvent.objects.filter(to_status="approved").count() == (
            decisions_before
        )


def test_running_the_same_run_twice_changes_nothing(org, members, committee3):
    meeting = held_meeting(org, committee3)
    item = add_item(meeting)
    for member in committee3:
        vote(item, member, "approve")
    meeting = decide_now(org, meeting, members[Role.MANAGER])
    with scope(organization=org):
        again = committee_decisions.run_decisions(meeting)  # not queued: no-op
    assert again.applied_items == 1
    with scopes_disabled():
        assert CaseEvent.objects.filter(to_status="approved").count() == 1


def test_votes_of_members_not_present_do_not_count(org, members, committee3):
    absent = seat(org)
    meeting = held_meeting(org, committee3)
    item = add_item(meeting)
    give_reasons(item, reasons(org, "reject"))
    vote(item, committee3[0], "reject")
    vote(item, absent, "approve")  # slipped in directly: ignored
    vote(item, committee3[1], "approve")
    vote(item, committee3[2], "reject")
    decide_now(org, meeting, members[Role.MANAGER])
    assert refreshed(item.case).status == "rejected"


# ---------------------------------------------------------------------------
# The lifecycle guard (item 6)


def by_meeting() -> str:
    return _(
        "The research committee decides this request by its vote at a "
        "meeting; the decision is applied from the meeting's page."
    )


def move(org, user, case, to, **details):
    with scope(organization=org):
        return transitions.transition(
            actor=user,
            membership=membership_of(user, org),
            case=case,
            to=to,
            expected_version=case.version,
            reason="مستحق",
            **details,
        )


@pytest.mark.parametrize("to", ["approved", "rejected"])
def test_a_committee_member_cannot_decide_without_the_committees_vote(org, members, to):
    """P-COMMITTEE: in_committee -> approved/rejected needs the recorded decision
    of a meeting for that request, matching the target."""
    case = make_case(org, "in_committee")
    with pytest.raises(transitions.GuardFailed) as refused:
        move(org, members[Role.COMMITTEE], case, to)
    assert str(refused.value) == by_meeting()
    other = "rejected" if to == "approved" else "approved"
    mismatch = decided_by_committee(case, other)
    with pytest.raises(transitions.GuardFailed):
        move(org, members[Role.COMMITTEE], case, to, **mismatch)
    someone_elses = decided_by_committee(make_case(org, "in_committee"), to)
    with pytest.raises(transitions.GuardFailed):
        move(org, members[Role.COMMITTEE], case, to, **someone_elses)
    with scope(organization=org):
        offered = transitions.available_moves(
            Case.objects.get(pk=case.pk), membership_of(members[Role.COMMITTEE], org)
        )
    assert to not in offered
    assert move(
        org, members[Role.COMMITTEE], case, to, **decided_by_committee(case, to)
    )


def test_the_case_page_button_cannot_approve_before_the_committee(client_as, org):
    case = make_case(org, "in_committee")
    client = client_as(Role.COMMITTEE)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert reverse("cases:case_move", args=[case.pk, "approved"]) not in page.text
    response = client.post(
        reverse("cases:case_move", args=[case.pk, "approved"]),
        {"version": case.version, "reason": "مستحق"},
        follow=True,
    )
    assert by_meeting() in [str(m) for m in response.context["messages"]]
    assert refreshed(case).status == "in_committee"


def test_decisions_without_the_committee_are_unchanged(org, members):
    service = make_service(org, needs_research=False, needs_committee=False)
    case = make_case(org, "verifying", service=service)
    assert move(org, members[Role.COMMITTEE], case, "approved").status == "approved"


# ---------------------------------------------------------------------------
# The policy version in force (item 12)


def policy(org, number, board_date):
    with scope(organization=org):
        return PolicyVersion.objects.create(
            organization=org,
            number=number,
            title_ar="سياسة تنظيم العلاقة مع المستفيدين",
            text="…",
            board_meeting_date=board_date,
        )


def test_each_decision_records_the_policy_version_in_force(
    org, other_org, members, committee3
):
    """P-APPROVAL: the latest version the board approved by the decision day."""
    today = timezone.localdate()
    policy(org, "1", today - datetime.timedelta(days=400))
    in_force = policy(org, "2", today - datetime.timedelta(days=30))
    policy(org, "3", today + datetime.timedelta(days=30))  # not yet approved
    policy(org, "4", None)  # a draft
    policy(other_org, "9", today)  # another association's
    meeting = held_meeting(org, committee3)
    item = add_item(meeting)
    for member in committee3:
        vote(item, member, "approve")
    decide_now(org, meeting, members[Role.MANAGER])
    assert refreshed(item.case).policy_version == in_force
    service = make_service(org, needs_research=False, needs_committee=False)
    direct = move(
        org,
        members[Role.COMMITTEE],
        make_case(org, "verifying", service=service),
        "rejected",
    )
    assert direct.policy_version == in_force


def test_without_an_approved_policy_the_decision_records_none(org, members):
    service = make_service(org, needs_research=False, needs_committee=False)
    policy(org, "1", None)
    case = move(
        org,
        members[Role.COMMITTEE],
        make_case(org, "verifying", service=service),
        "approved",
    )
    assert case.policy_version is None


# ---------------------------------------------------------------------------
# Through the real queue and worker


@pytest.mark.django_db(transaction=True)
def test_the_worker_applies_the_decisions_and_the_page_shows_progress(client_as, org):
    """Item 7: the decisions run in the background through django-tasks-db's
    queue and `db_worker`; the meeting page polls while they run."""
    members = [seat(org, chair=True), seat(org), seat(org)]
    meeting = held_meeting(org, members, chair=members[0])
    items = [add_item(meeting) for _ in range(3)]
    for item in items:
        for member in members:
            vote(item, member, "approve")
    manager = client_as(Role.MANAGER)
    response = manager.post(reverse("cases:committee_decide", args=[meeting.pk]))
    assert response.status_code == 302
    meeting = refreshed(meeting)
    assert meeting.run_status == RunStatus.QUEUED
    assert meeting.total_items == 3
    page = manager.get(reverse("cases:committee_meeting", args=[meeting.pk]))
    assert 'hx-trigger="every 2s"' in page.text
    partial = manager.get(
        reverse("cases:committee_meeting", args=[meeting.pk]), HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.text and 'id="decision-progress"' in partial.text

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")

    meeting = refreshed(meeting)
    assert (meeting.status, meeting.run_status) == (
        MeetingStatus.DECIDED,
        RunStatus.DONE,
    )
    assert (meeting.processed_items, meeting.applied_items) == (3, 3)
    assert meeting.task_id
    with scopes_disabled():
        assert set(
            Case.objects.filter(agenda_items__meeting=meeting).values_list(
                "status", flat=True
            )
        ) == {"approved"}
        assert CommitteeMeeting.objects.get(pk=meeting.pk).decided_at
    page = manager.get(reverse("cases:committee_meeting", args=[meeting.pk]))
    assert "hx-trigger" not in page.text
    assert (
        _("%(done)s of %(total)s requests processed.")
        % {
            "done": 3,
            "total": 3,
        }
        in page.text
    )
