"""The lifecycle table: every move for its roles, refusals, guards, atomicity."""

import datetime
import itertools

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from mustafid.cases import transitions
from mustafid.cases.models import Case, CaseEvent, CaseStatus
from mustafid.cases.transitions import TRANSITIONS
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditEvent, Membership
from mustafid.core.roles import Role, role_has_perm
from mustafid.registry.models import DocumentType, RegistrationStatus
from tests.cases.committee_helpers import decided_by_committee
from tests.cases.helpers import (
    add_delivery,
    add_permit,
    add_research_report,
    make_case,
    make_service,
)
from tests.cases.referral_helpers import add_referral
from tests.conftest import make_member
from tests.factories import DocumentFactory

DETAILS = {"reason": "الدخل أقل من الحد", "missing": ["صورة الهوية"]}
SHAPES = [
    {"needs_research": r, "needs_committee": c, "needs_external_permit": True}
    for r, c in itertools.product([True, False], repeat=2)
]


def membership_of(user, org):
    with scopes_disabled():
        return Membership.objects.get(user=user, organization=org)


def counts():
    with scopes_disabled():
        return (
            CaseEvent.objects.count(),
            AuditEvent.objects.count(),
            OutboxMessage.objects.count(),
        )


def case_ready_for(org, origin, to):
    """A case in `origin` whose service and data let it move to `to`."""
    rule = TRANSITIONS[(origin, to)]
    for shape in SHAPES:
        service = make_service(org, permit_authority="وزارة الموارد البشرية", **shape)
        case = make_case(
            org,
            origin,
            service=service,
            return_status=to if origin == CaseStatus.AWAITING_EXTERNAL_APPROVAL else "",
        )
        with scope(organization=org):
            # The committee's recorded vote is data, not the service's shape.
            shape_only = [
                g for g in rule.when if g is not transitions.committee_decided
            ]
            if not transitions._first_failure(shape_only, case, {"_to": to}):
                if to == CaseStatus.CLOSED and origin == CaseStatus.DELIVERING:
                    add_delivery(case)
                if origin == CaseStatus.RESEARCHING:
                    add_research_report(case)
                # P-PERMITS: a pending permit to enter the wait, an answer to leave.
                if to == CaseStatus.AWAITING_EXTERNAL_APPROVAL:
                    add_permit(case)
                elif origin == CaseStatus.AWAITING_EXTERNAL_APPROVAL:
                    add_permit(case, "granted")
                # P-OUTOFSCOPE: the referral is recorded before the case moves.
                if to == CaseStatus.REFERRED_OUT:
                    add_referral(case)
                return case
    raise AssertionError(f"no service shape allows {origin} -> {to}")


def move(org, user, case, to, **details):
    with scope(organization=org):
        return transitions.transition(
            actor=user,
            membership=membership_of(user, org),
            case=case,
            to=to,
            expected_version=case.version,
            **details,
        )


def committee_vote(case, to) -> dict:
    # P-COMMITTEE: a request before the committee is decided by its meeting.
    if case.status == CaseStatus.IN_COMMITTEE and to in ("approved", "rejected"):
        return decided_by_committee(case, to)
    return {}


@pytest.mark.parametrize("origin,to", list(TRANSITIONS), ids=lambda value: str(value))
def test_each_move_is_allowed_for_its_roles_and_refused_for_others(org, origin, to):
    rule = TRANSITIONS[(origin, to)]
    for role in Role:
        user = make_member(org, role)
        case = case_ready_for(org, origin, to)
        before = counts()
        if role_has_perm(role, rule.perm):
            moved = move(org, user, case, to, **DETAILS, **committee_vote(case, to))
            assert moved.status == to
            assert moved.version == case.version + 1
            with scopes_disabled():
                event = CaseEvent.objects.filter(case=case).last()
            assert (event.from_status, event.to_status, event.actor) == (
                origin,
                to,
                user,
            )
            assert event.public == rule.public
            assert counts()[1] == before[1] + 1
            assert counts()[2] == before[2] + (1 if rule.notify else 0)
        else:
            with pytest.raises(transitions.NotPermitted):
                move(org, user, case, to, **DETAILS)
            assert counts() == before


@pytest.mark.parametrize("origin", CaseStatus.values)
def test_moves_not_in_the_table_are_refused_and_change_nothing(org, members, origin):
    manager = members[Role.MANAGER]
    for to in CaseStatus.values:
        if (origin, to) in TRANSITIONS:
            continue
        case = make_case(org, origin)
        before = counts()
        with pytest.raises(transitions.InvalidTransition) as refused:
            move(org, manager, case, to, **DETAILS)
        message = str(refused.value)
        assert str(CaseStatus(origin).label) in message
        assert str(CaseStatus(to).label) in message
        with scopes_disabled():
            case_now = Case.objects.get(pk=case.pk)
        assert (case_now.status, case_now.version) == (origin, case.version)
        assert counts() == before


def test_invalid_move_message_is_in_the_readers_language(org, members):
    from django.utils import translation

    case = make_case(org, "submitted")
    with translation.override("ar"), pytest.raises(transitions.InvalidTransition) as e:
        move(org, members[Role.MANAGER], case, "closed")
    assert "لا يمكن" in str(e.value)


def test_submission_needs_the_attestation(org, members):
    case = make_case(org, "draft", attested=False)
    before = counts()
    with pytest.raises(transitions.GuardFailed, match="إقرار"):
        move(org, members[Role.RECEPTION], case, "submitted")
    assert counts() == before


def test_submission_sets_the_deadline_and_tells_the_beneficiary(org, members):
    service = make_service(org, decision_window_days=10)
    case = make_case(org, "draft", service=service)
    moved = move(org, members[Role.RECEPTION], case, "submitted")
    assert moved.decision_due == timezone.localdate() + datetime.timedelta(days=10)
    with scopes_disabled():
        message = OutboxMessage.objects.get(event="case_received")
    assert message.beneficiary == case.beneficiary
    assert message.context["decision_due"] == moved.decision_due.isoformat()
    assert message.context["case"] == case.number


def test_service_without_window_uses_the_associations(org, members):
    org.decision_window_days = 20
    org.save()
    case = make_case(org, "draft")
    moved = move(org, members[Role.RECEPTION], case, "submitted")
    assert moved.decision_due == timezone.localdate() + datetime.timedelta(days=20)


def test_incomplete_tells_the_beneficiary_exactly_what_is_missing(org, members):
    case = make_case(org, "verifying")
    with pytest.raises(transitions.GuardFailed):
        move(org, members[Role.RECEPTION], case, "incomplete", missing=["  "])
    move(
        org,
        members[Role.RECEPTION],
        case,
        "incomplete",
        missing=["صك الإعالة", "تعريف بالراتب"],
    )
    with scopes_disabled():
        message = OutboxMessage.objects.get(event="documents_missing")
        beneficiary_status = case.beneficiary.__class__.objects.get(
            pk=case.beneficiary_id
        ).registration_status
    assert message.context["missing"] == ["صك الإعالة", "تعريف بالراتب"]
    assert beneficiary_status == RegistrationStatus.INCOMPLETE


def _service_requiring_id(org):
    with scope(organization=org):
        doc_type = DocumentType.objects.create(
            organization=org, code="national_id", name_ar="صورة الهوية", expires=True
        )
        service = make_service(org)
        service.required_documents.add(doc_type)
    return service, doc_type


@pytest.mark.parametrize(
    "document",
    [
        None,
        {"status": "pending"},
        {"status": "rejected", "rejection_reason": "غير واضحة"},
        {"status": "verified", "expires_on": datetime.date(2020, 1, 1)},
    ],
    ids=["missing", "pending", "rejected", "expired"],
)
def test_case_cannot_leave_verifying_without_verified_documents(org, members, document):
    service, doc_type = _service_requiring_id(org)
    case = make_case(org, "verifying", service=service)
    if document:
        with scope(organization=org):
            DocumentFactory(
                organization=org,
                beneficiary=case.beneficiary,
                document_type=doc_type,
                **document,
            )
    before = counts()
    with pytest.raises(transitions.GuardFailed, match="صورة الهوية"):
        move(org, members[Role.RESEARCHER], case, "researching")
    assert counts() == before


def test_verified_documents_let_the_case_on_and_register_the_beneficiary(org, members):
    service, doc_type = _service_requiring_id(org)
    case = make_case(org, "verifying", service=service)
    with scope(organization=org):
        DocumentFactory(
            organization=org,
            beneficiary=case.beneficiary,
            document_type=doc_type,
            status="verified",
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
        )
    moved = move(org, members[Role.RESEARCHER], case, "researching")
    assert moved.status == "researching"
    with scopes_disabled():
        beneficiary = case.beneficiary.__class__.objects.get(pk=case.beneficiary_id)
        event = AuditEvent.objects.filter(object_id=str(case.pk)).first()
    assert beneficiary.registration_status == RegistrationStatus.REGISTERED
    assert event.changes["beneficiary_registration"] == ["prospective", "registered"]


@pytest.mark.parametrize("to", ["approved", "rejected"])
def test_decision_needs_reasons_and_tells_them(org, members, to):
    case = make_case(org, "in_committee")
    vote = committee_vote(case, to)
    with pytest.raises(transitions.GuardFailed):
        move(org, members[Role.COMMITTEE], case, to, reason=" ", **vote)
    moved = move(
        org, members[Role.COMMITTEE], case, to, reason="لا تنطبق الشروط", **vote
    )
    assert moved.decided_at is not None
    assert moved.decision_reasons == "لا تنطبق الشروط"
    with scopes_disabled():
        message = OutboxMessage.objects.get(event="decision")
    assert message.context == message.context | {
        "decision": to,
        "reasons": "لا تنطبق الشروط",
    }


def test_closing_a_delivery_needs_a_delivery(org, members):
    case = make_case(org, "delivering")
    with pytest.raises(transitions.GuardFailed):
        move(org, members[Role.SERVICES], case, "closed")
    add_delivery(case)
    assert move(org, members[Role.SERVICES], case, "closed").status == "closed"


def test_service_shape_decides_the_route(org, members):
    no_research = make_service(org, needs_research=False)
    case = make_case(org, "verifying", service=no_research)
    with pytest.raises(transitions.GuardFailed, match="بحثًا اجتماعيًا"):
        move(org, members[Role.RESEARCHER], case, "researching")
    assert move(org, members[Role.RESEARCHER], case, "in_committee").status == (
        "in_committee"
    )


def test_external_permit_wait_returns_where_it_left(org, members):
    service = make_service(
        org, needs_external_permit=True, permit_authority="الدفاع المدني"
    )
    case = make_case(org, "researching", service=service)
    permit = add_permit(case)
    waiting = move(org, members[Role.RESEARCHER], case, "awaiting_external_approval")
    assert waiting.return_status == "researching"
    with pytest.raises(transitions.GuardFailed):
        move(org, members[Role.RESEARCHER], waiting, "verifying")
    with scope(organization=org):
        permit.outcome, permit.outcome_on = "granted", timezone.localdate()
        permit.save()
    back = move(org, members[Role.RESEARCHER], waiting, "researching")
    assert (back.status, back.return_status) == ("researching", "")


def test_no_permit_wait_for_a_service_without_one(org, members):
    case = make_case(org, "researching")
    with pytest.raises(transitions.GuardFailed):
        move(org, members[Role.RESEARCHER], case, "awaiting_external_approval")


def test_a_failure_after_the_writes_rolls_all_of_them_back(org, members, monkeypatch):
    case = make_case(org, "in_committee")
    before = counts()

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(OutboxMessage.objects, "create", broken)
    with pytest.raises(RuntimeError):
        move(
            org,
            members[Role.COMMITTEE],
            case,
            "approved",
            reason="مستحق",
            **committee_vote(case, "approved"),
        )
    with scopes_disabled():
        case_now = Case.objects.get(pk=case.pk)
    assert (case_now.status, case_now.version) == ("in_committee", case.version)
    assert counts() == before


def test_stale_version_is_refused_with_who_changed_it(org, members):
    case = make_case(org, "submitted")
    first = members[Role.RECEPTION]
    first.first_name, first.last_name = "نورة", "الحربي"
    first.save()
    move(org, first, case, "verifying")  # case.version is now stale
    before = counts()
    with pytest.raises(transitions.CaseChanged, match="نورة الحربي"):
        move(org, members[Role.SERVICES], case, "verifying")
    assert counts() == before


def test_another_associations_membership_cannot_move_the_case(org, other_org):
    case = make_case(org, "submitted")
    outsider = make_member(other_org, Role.RECEPTION)
    with scope(organization=org), pytest.raises(transitions.NotPermitted):
        transitions.transition(
            actor=outsider,
            membership=membership_of(outsider, other_org),
            case=case,
            to="verifying",
            expected_version=case.version,
        )


def test_available_moves_follow_role_and_service(org, members):
    case = make_case(org, "verifying")
    with scope(organization=org):
        researcher = membership_of(members[Role.RESEARCHER], org)
        committee = membership_of(members[Role.COMMITTEE], org)
        assert set(transitions.available_moves(case, researcher)) == {
            "incomplete",
            "researching",
        }
        assert transitions.available_moves(case, committee) == []
