"""Eligibility on a request (P-ELIGIBILITY): stored at submission and before the
committee, approval only when met or excepted by the manager with a reason,
the failed conditions told on refusal, shown to staff and the committee, and
the pre-check on the intake form."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from mustafid.cases import transitions
from mustafid.cases.models import CaseStatus
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditEvent, Membership
from mustafid.core.roles import Role
from mustafid.eligibility import services
from mustafid.eligibility.models import EligibilityCheck, Stage
from mustafid.registry.models import ResidencyStatus
from tests.cases.committee_helpers import decided_by_committee
from tests.cases.helpers import add_research_report, make_case, make_service
from tests.factories import BeneficiaryFactory

QUICK = {"needs_research": False, "needs_committee": False}


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


MEETS = ar("The beneficiary appears to meet the conditions of this service.")


def membership_of(user, org):
    with scopes_disabled():
        return Membership.objects.get(user=user, organization=org)


def move(org, user, case, to, **details):
    with scope(organization=org):
        case.refresh_from_db()
        return transitions.transition(
            actor=user,
            membership=membership_of(user, org),
            case=case,
            to=to,
            expected_version=case.version,
            **details,
        )


def irregular(org):
    with scope(organization=org):
        return BeneficiaryFactory(
            organization=org, residency_status=ResidencyStatus.IRREGULAR
        )


def checks(case):
    with scope(organization=case.organization):
        return list(
            EligibilityCheck.objects.filter(case=case).order_by("created_at", "id")
        )


def test_submission_and_the_committee_each_keep_an_evaluation(org, members):
    case = make_case(org, "draft")
    move(org, members[Role.RECEPTION], case, CaseStatus.SUBMITTED)
    add_research_report(make_case(org, "researching"))  # unrelated request
    with scope(organization=org):
        case.status = CaseStatus.RESEARCHING
        case.save()
    add_research_report(case)
    move(org, members[Role.RESEARCHER], case, CaseStatus.IN_COMMITTEE)
    stored = checks(case)
    assert [c.stage for c in stored] == [Stage.SUBMISSION, Stage.COMMITTEE]
    assert all(c.eligible for c in stored)
    assert stored[0].rule_set.version == 1  # the defaults, saved when first used
    assert [line["subject"] for line in stored[0].results] == ["in_scope", "residency"]


def test_a_request_that_fails_a_condition_is_not_approved(org, members):
    case = make_case(
        org, "draft", service=make_service(org, **QUICK), beneficiary=irregular(org)
    )
    move(org, members[Role.RECEPTION], case, CaseStatus.SUBMITTED)
    assert not checks(case)[0].eligible
    move(org, members[Role.RECEPTION], case, CaseStatus.VERIFYING)
    with pytest.raises(transitions.GuardFailed, match="الاستثناء"):
        move(org, members[Role.MANAGER], case, CaseStatus.APPROVED, reason="مقبول")
    # Rejected instead: the beneficiary is told which condition failed.
    move(org, members[Role.MANAGER], case, CaseStatus.REJECTED, reason="لا تنطبق")
    with scope(organization=org):
        message = OutboxMessage.objects.filter(event="decision").get()
    assert message.context["failed_conditions"] == [
        {
            "ar": "يشترط وجود إقامة نظامية في المملكة العربية السعودية.",
            "en": "Legal residency in Saudi Arabia is required.",
        }
    ]


def test_the_manager_excepts_a_failed_condition_in_writing(org, members):
    case = make_case(
        org, "draft", service=make_service(org, **QUICK), beneficiary=irregular(org)
    )
    move(org, members[Role.RECEPTION], case, CaseStatus.SUBMITTED)
    move(org, members[Role.RECEPTION], case, CaseStatus.VERIFYING)
    check = checks(case)[0]
    manager = members[Role.MANAGER]
    with scope(organization=org):
        for role in (Role.ADMIN, Role.COMMITTEE, Role.RECEPTION):
            with pytest.raises(services.EligibilityError):
                services.override_check(
                    actor=members[role],
                    membership=membership_of(members[role], org),
                    check=check,
                    reason="ظرف خاص",
                )
        with pytest.raises(services.EligibilityError):
            services.override_check(
                actor=manager,
                membership=membership_of(manager, org),
                check=check,
                reason="   ",
            )
        check.refresh_from_db()
        assert not check.overridden
        services.override_check(
            actor=manager,
            membership=membership_of(manager, org),
            check=check,
            reason="نظامي قيد التجديد بخطاب من الجوازات",
        )
        audited = AuditEvent.objects.get(object_type="eligibility.eligibilitycheck")
    assert audited.changes["eligibility_override"].startswith("نظامي")
    assert audited.actor == manager
    move(org, manager, case, CaseStatus.APPROVED, reason="استثناء موثق")
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED


def test_the_committee_outcome_still_needs_the_conditions(org, members):
    case = make_case(org, "in_committee", beneficiary=irregular(org))
    with scope(organization=org):
        services.record_check(case, Stage.COMMITTEE)
    details = decided_by_committee(case, CaseStatus.APPROVED)
    with pytest.raises(transitions.GuardFailed):
        move(org, members[Role.MANAGER], case, CaseStatus.APPROVED, **details)


def test_the_request_page_and_the_override_form(org, members, client):
    case = make_case(org, "verifying", beneficiary=irregular(org))
    with scope(organization=org):
        services.record_check(case, Stage.SUBMISSION)
    client.force_login(members[Role.MANAGER])
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    html = page.content.decode()
    assert "يشترط وجود إقامة نظامية" in html
    assert reverse("eligibility:case_override", args=[case.pk]) in html
    empty = client.post(
        reverse("eligibility:case_override", args=[case.pk]), {"reason": ""}
    )
    assert empty.status_code == 302
    assert not checks(case)[0].overridden
    client.post(
        reverse("eligibility:case_override", args=[case.pk]), {"reason": "ظرف خاص"}
    )
    assert checks(case)[0].override_reason == "ظرف خاص"
    client.force_login(members[Role.RECEPTION])
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("eligibility:case_override", args=[case.pk]) not in html
    assert "ظرف خاص" in html


def test_checking_again_keeps_a_new_evaluation_until_decided(org, members, client):
    case = make_case(org, "verifying")
    client.force_login(members[Role.RESEARCHER])
    client.post(reverse("eligibility:case_recheck", args=[case.pk]))
    assert [c.stage for c in checks(case)] == [Stage.RECHECK]
    decided = make_case(org, "approved")
    response = client.post(
        reverse("eligibility:case_recheck", args=[decided.pk]), follow=True
    )
    assert not checks(decided)
    told = [str(m) for m in response.context["messages"]]
    assert ar("A decided request is not checked again.") in told


def test_the_intake_form_shows_the_precheck(org, other_org, members, client):
    service = make_service(org)
    with scope(organization=org):
        resident = BeneficiaryFactory(organization=org)
    refused = irregular(org)
    with scope(organization=other_org):
        stranger = BeneficiaryFactory(organization=other_org)
    client.force_login(members[Role.RECEPTION])
    url = reverse("eligibility:precheck")

    def precheck(**query):
        response = client.get(url, {"service": service.pk, **query})
        assert response.status_code == 200
        return response.content.decode()

    assert MEETS in precheck(beneficiary=resident.pk)
    assert "إقامة نظامية" in precheck(beneficiary=refused.pk)
    by_number = precheck(identity_number=resident.identity_number)
    assert MEETS in by_number
    # Another association's beneficiary, nonsense and missing values: nothing.
    for query in (
        {"beneficiary": stranger.pk},
        {"beneficiary": "abc"},
        {"identity_number": "محمد"},
        {},
    ):
        assert "alert" not in precheck(**query)
    intake = client.get(reverse("cases:case_intake"))
    assert 'id="eligibility-precheck"' in intake.content.decode()
