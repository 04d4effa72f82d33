"""A beneficiary withdraws their own request in the portal (P-EONLINE, P-PRIVACY).

The withdrawal is the lifecycle's own move (any open state → withdrawn, the
intake rule), made as the portal's applicant and audited as the beneficiary.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.cases.models import Case, CaseEvent
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Role
from mustafid.portal import applying
from tests.cases.helpers import make_case
from tests.conftest import make_member
from tests.factories import BeneficiaryFactory
from tests.portal.apply_helpers import ar, url
from tests.portal.helpers import sign_in_as

REASON = "وجدت عملاً ولم أعد بحاجة إلى المساعدة"


def person(org):
    with scope(organization=org):
        return BeneficiaryFactory(organization=org)


def own_case(org, status="researching"):
    beneficiary = person(org)
    return beneficiary, make_case(org, status, beneficiary=beneficiary)


def state(case):
    """What a refused or read-only request must leave as it was."""
    with scopes_disabled():
        fresh = Case.objects.get(pk=case.pk)
        return (
            fresh.status,
            fresh.version,
            CaseEvent.objects.filter(case=case).count(),
            OutboxMessage.objects.filter(organization=case.organization).count(),
            AuditEvent.objects.filter(object_id=str(case.pk), action="update").count(),
        )


def test_withdrawing_an_open_request_records_the_reason_as_the_beneficiarys(
    client, org
):
    """P-EONLINE: the request stops through the lifecycle's move; the reason
    and the beneficiary (never a staff member) are on the timeline and audit."""
    beneficiary, case = own_case(org, "in_committee")
    sign_in_as(client, beneficiary)
    response = client.post(
        url(org, "case_withdraw", number=case.number), {"reason": f"  {REASON} "}
    )
    assert response.status_code == 302
    assert response["Location"] == url(org, "case_detail", number=case.number)
    with scopes_disabled():
        case.refresh_from_db()
        withdrawal = CaseEvent.objects.get(case=case, to_status="withdrawn")
        audited = AuditEvent.objects.get(object_id=str(case.pk), action="update")
    assert case.status == "withdrawn"
    assert withdrawal.from_status == "in_committee"
    assert withdrawal.actor is None and withdrawal.public
    assert withdrawal.details == {"portal_applicant": beneficiary.pk, "reason": REASON}
    assert audited.actor is None
    assert audited.actor_label == f"portal:beneficiary:{beneficiary.pk}"
    assert audited.changes["status"] == ["in_committee", "withdrawn"]
    assert audited.changes["reason"] == REASON


def test_after_withdrawing_the_page_reads_withdrawn_by_you_without_a_date(client, org):
    beneficiary, case = own_case(org, "submitted")
    sign_in_as(client, beneficiary)
    response = client.post(
        url(org, "case_withdraw", number=case.number), {"reason": REASON}, follow=True
    )
    said = [str(m) for m in response.context["messages"]]
    assert said[0] == ar(
        "Your request was withdrawn. You may apply for the service again later "
        "as a new request."
    )
    page = response.content.decode()
    assert f"<strong>{ar('Withdrawn')}</strong>" in page
    assert ar("withdrawn by you") in page and REASON in page
    # No decision is coming, nor a way to withdraw again.
    assert ar("Decision expected by") not in page
    assert url(org, "case_withdraw", number=case.number) not in page


def test_the_reason_may_be_left_out_but_not_run_too_long(client, org):
    beneficiary, case = own_case(org, "verifying")
    sign_in_as(client, beneficiary)
    before = state(case)
    too_long = client.post(
        url(org, "case_withdraw", number=case.number), {"reason": "ا" * 501}
    )
    assert too_long.status_code == 400
    assert state(case) == before
    client.post(url(org, "case_withdraw", number=case.number), {"reason": "   "})
    with scopes_disabled():
        withdrawal = CaseEvent.objects.get(case=case, to_status="withdrawn")
    assert "reason" not in withdrawal.details


@pytest.mark.parametrize("status", ["approved", "delivering", "rejected", "closed"])
def test_a_decided_or_closed_request_is_not_withdrawn(client, org, status):
    """Once decided, giving the service up is a conversation with the staff:
    no link, and a POST is refused with the reason, changing nothing."""
    beneficiary, case = own_case(org, status)
    sign_in_as(client, beneficiary)
    page = client.get(url(org, "case_detail", number=case.number)).content.decode()
    assert url(org, "case_withdraw", number=case.number) not in page
    before = state(case)
    response = client.post(
        url(org, "case_withdraw", number=case.number), {"reason": REASON}, follow=True
    )
    assert state(case) == before
    said = [str(m) for m in response.context["messages"]]
    assert said == [
        ar(
            "This request has been decided or has ended, so it cannot be "
            "withdrawn here. Contact the association if you need to."
        )
    ]


def test_an_already_withdrawn_request_is_said_so_and_left_alone(client, org):
    beneficiary, case = own_case(org, "withdrawn")
    sign_in_as(client, beneficiary)
    before = state(case)
    response = client.post(url(org, "case_withdraw", number=case.number), follow=True)
    assert state(case) == before
    said = [str(m) for m in response.context["messages"]]
    assert said == [ar("This request is already withdrawn.")]
    opened = client.get(url(org, "case_withdraw", number=case.number))
    assert opened.status_code == 302


def test_the_open_request_page_links_to_withdrawing(client, org):
    beneficiary, case = own_case(org, "incomplete")
    sign_in_as(client, beneficiary)
    page = client.get(url(org, "case_detail", number=case.number)).content.decode()
    assert url(org, "case_withdraw", number=case.number) in page


def test_reading_the_confirmation_page_changes_nothing(client, org):
    beneficiary, case = own_case(org, "researching")
    sign_in_as(client, beneficiary)
    before = state(case)
    page = client.get(url(org, "case_withdraw", number=case.number))
    assert page.status_code == 200
    text = page.content.decode()
    assert case.number in text and 'name="csrfmiddlewaretoken"' in text
    assert state(case) == before


def test_withdrawing_needs_the_forms_csrf_token(org):
    beneficiary, case = own_case(org, "submitted")
    client = Client(enforce_csrf_checks=True)
    sign_in_as(client, beneficiary)
    response = client.post(url(org, "case_withdraw", number=case.number))
    assert response.status_code == 403
    assert state(case)[0] == "submitted"


def test_another_beneficiarys_request_is_not_found(client, org):
    _, theirs = own_case(org, "submitted")
    sign_in_as(client, person(org))
    before = state(theirs)
    target = url(org, "case_withdraw", number=theirs.number)
    assert client.get(target).status_code == 404
    assert client.post(target, {"reason": REASON}).status_code == 404
    assert state(theirs) == before


def test_another_associations_request_is_not_found(client, org, other_org):
    """Signed in to one association, a request number of another association
    (under this association's address) is not found."""
    _, theirs = own_case(other_org, "submitted")
    sign_in_as(client, person(org))
    before = state(theirs)
    target = url(org, "case_withdraw", number=theirs.number)
    assert client.get(target).status_code == 404
    assert client.post(target, {"reason": REASON}).status_code == 404
    assert client.post(url(org, "case_withdraw", number="X-404")).status_code == 404
    assert state(theirs) == before


def test_staff_see_the_applicants_withdrawal_on_the_timeline(client, org):
    beneficiary, case = own_case(org, "verifying")
    sign_in_as(client, beneficiary)
    client.post(url(org, "case_withdraw", number=case.number), {"reason": REASON})
    client.force_login(make_member(org, Role.RECEPTION))
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert REASON in page
    assert ar("the applicant, in the portal") in page


def test_a_withdrawn_request_leaves_the_service_open_to_a_new_request(org):
    """The confirmation page's promise: the applicant may apply again."""
    beneficiary, case = own_case(org, "submitted")
    with scope(organization=org):
        applying.withdraw(beneficiary=beneficiary, case=case)
        assert applying.open_request_for(beneficiary, case.service) is None
