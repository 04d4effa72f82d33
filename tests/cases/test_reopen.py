"""Reopening a finished request: the manager only, with a reason that is audited;
the request returns to "submitted" and is decided afresh (P-COMMITTEE)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from mustafid.cases import transitions
from mustafid.cases.models import Case, CaseEvent
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Perm, Role, role_has_perm
from mustafid.governance.models import PolicyVersion
from tests.cases.helpers import make_case, make_service
from tests.cases.referral_helpers import add_referral, membership_of
from tests.conftest import make_member

REASON = "ظهرت مستندات جديدة بعد الرفض"
FINISHED = ["closed", "rejected", "withdrawn", "referred_out"]


def reopen(org, user, case, **details):
    with scope(organization=org):
        return transitions.transition(
            actor=user,
            membership=membership_of(user, org),
            case=case,
            to="submitted",
            expected_version=case.version,
            **details,
        )


def counts():
    with scopes_disabled():
        return (
            CaseEvent.objects.count(),
            AuditEvent.objects.count(),
            OutboxMessage.objects.count(),
        )


def fetch(case):
    with scopes_disabled():
        return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("origin", FINISHED)
def test_the_manager_reopens_with_a_reason_and_the_window_restarts(
    org, members, origin
):
    """P-COMMITTEE: decided afresh, within a new window; the reason is audited."""
    service = make_service(org, decision_window_days=10)
    case = make_case(
        org,
        origin,
        service=service,
        decided_at=timezone.now() - datetime.timedelta(days=30),
        decision_due=timezone.localdate() - datetime.timedelta(days=20),
    )
    if origin == "referred_out":
        add_referral(case, "declined")
    with scope(organization=org):
        policy = PolicyVersion.objects.create(
            organization=org, number="1", title_ar="سياسة", text="نص"
        )
        Case.objects.filter(pk=case.pk).update(policy_version=policy)
    manager = members[Role.MANAGER]
    reopened = reopen(org, manager, case, reason=REASON)
    assert (reopened.status, reopened.version) == ("submitted", case.version + 1)
    assert reopened.decision_due == timezone.localdate() + datetime.timedelta(10)
    assert (reopened.decided_at, reopened.decision_reasons) == (None, "")
    assert reopened.policy_version_id is None  # set again by the new decision
    with scopes_disabled():
        event = CaseEvent.objects.filter(case=case).last()
        trail = AuditEvent.objects.filter(
            object_type="cases.case", object_id=str(case.pk)
        ).last()
        message = OutboxMessage.objects.get(event="case_reopened")
    assert (event.from_status, event.to_status, event.actor) == (
        origin,
        "submitted",
        manager,
    )
    assert event.public and event.details["reason"] == REASON
    assert trail.changes["reason"] == REASON
    assert trail.changes["status"] == [origin, "submitted"]
    assert message.context["decision_due"] == reopened.decision_due.isoformat()


def test_the_earlier_decision_stays_on_the_timeline(org, members):
    service = make_service(org, needs_research=False, needs_committee=False)
    case = make_case(org, "verifying", service=service)
    committee = members[Role.COMMITTEE]
    with scope(organization=org):
        rejected = transitions.transition(
            actor=committee,
            membership=membership_of(committee, org),
            case=case,
            to="rejected",
            expected_version=case.version,
            reason="الدخل أعلى من الحد",
        )
    reopen(org, members[Role.MANAGER], rejected, reason=REASON)
    with scopes_disabled():
        reasons = [e.details.get("reason") for e in CaseEvent.objects.filter(case=case)]
    assert reasons[-2:] == ["الدخل أعلى من الحد", REASON]


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(org, members, reason):
    case = make_case(org, "closed")
    before = counts()
    with pytest.raises(transitions.GuardFailed):
        reopen(org, members[Role.MANAGER], case, reason=reason)
    assert counts() == before
    assert fetch(case).status == "closed"


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_the_manager_reopens(org, role):
    assert role_has_perm(role, Perm.REOPEN_CASES) == (role == Role.MANAGER)
    case = make_case(org, "rejected")
    user = make_member(org, role)
    if role == Role.MANAGER:
        assert reopen(org, user, case, reason=REASON).status == "submitted"
    else:
        before = counts()
        with pytest.raises(transitions.NotPermitted):
            reopen(org, user, case, reason=REASON)
        assert counts() == before


def test_another_associations_manager_cannot_reopen(org, other_org):
    case = make_case(org, "closed")
    outsider = make_member(other_org, Role.MANAGER)
    with scope(organization=org), pytest.raises(transitions.NotPermitted):
        transitions.transition(
            actor=outsider,
            membership=membership_of(outsider, other_org),
            case=case,
            to="submitted",
            expected_version=case.version,
            reason=REASON,
        )
    assert fetch(case).status == "closed"


@pytest.mark.parametrize("status", ["sent", "accepted", "completed"])
def test_a_referred_request_is_reopened_only_when_declined(org, members, status):
    """P-OUTOFSCOPE: while the other association holds it, or has served it, the
    request stays referred."""
    case = make_case(org, "referred_out")
    add_referral(case, status)
    before = counts()
    with pytest.raises(transitions.GuardFailed):
        reopen(org, members[Role.MANAGER], case, reason=REASON)
    assert counts() == before


def test_a_request_without_attestation_is_not_reopened(org, members):
    """P-ATTEST: "submitted" always has the applicant's attestation."""
    case = make_case(org, "withdrawn", attested=False)
    with pytest.raises(transitions.GuardFailed):
        reopen(org, members[Role.MANAGER], case, reason=REASON)


@pytest.mark.parametrize("origin", ["submitted", "verifying", "approved"])
def test_open_requests_are_not_reopened(org, members, origin):
    case = make_case(org, origin)
    with pytest.raises(transitions.InvalidTransition):
        reopen(org, members[Role.MANAGER], case, reason=REASON)


def test_a_stale_page_is_refused(org, members):
    case = make_case(org, "closed")
    manager = members[Role.MANAGER]
    reopen(org, manager, case, reason=REASON)
    with pytest.raises(transitions.CaseChanged):
        reopen(org, manager, case, reason=REASON)


def test_reopening_is_not_among_the_generic_next_steps(org, members):
    case = make_case(org, "rejected")
    with scope(organization=org):
        moves = transitions.available_moves(
            case, membership_of(members[Role.MANAGER], org)
        )
    assert "submitted" not in moves


# --- the page ----------------------------------------------------------------


def test_the_case_page_offers_reopen_to_the_manager_only(client_as, org):
    case = make_case(org, "closed")
    url = reverse("cases:case_reopen", args=[case.pk])
    detail = reverse("cases:case_detail", args=[case.pk])
    assert url in client_as(Role.MANAGER).get(detail).content.decode()
    assert url not in client_as(Role.RECEPTION).get(detail).content.decode()
    open_case = make_case(org, "verifying")
    body = client_as(Role.MANAGER).get(
        reverse("cases:case_detail", args=[open_case.pk])
    )
    assert reverse("cases:case_reopen", args=[open_case.pk]) not in (
        body.content.decode()
    )


def test_a_referral_in_hand_hides_reopen(client_as, org):
    case = make_case(org, "referred_out")
    add_referral(case, "accepted")
    body = client_as(Role.MANAGER).get(reverse("cases:case_detail", args=[case.pk]))
    assert reverse("cases:case_reopen", args=[case.pk]) not in body.content.decode()


def test_reopening_through_the_page(client_as, org):
    case = make_case(org, "withdrawn")
    url = reverse("cases:case_reopen", args=[case.pk])
    client = client_as(Role.MANAGER)
    refused = client.post(url, {"version": case.version, "reason": ""}, follow=True)
    assert fetch(case).status == "withdrawn"
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    response = client.post(url, {"version": case.version, "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert fetch(case).status == "submitted"
    page = client.get(response["Location"]).content.decode()
    assert REASON in page


def test_a_broken_form_changes_nothing(client_as, org):
    case = make_case(org, "closed")
    url = reverse("cases:case_reopen", args=[case.pk])
    response = client_as(Role.MANAGER).post(url, {"version": "x", "reason": REASON})
    assert response.status_code == 302
    assert fetch(case).status == "closed"
