"""External permits: the wait names the authority, the answer is told (P-PERMITS)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.cases import transitions
from mustafid.cases.models import Case, CaseEvent, ExternalPermit
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditAction, AuditEvent, Membership
from mustafid.core.roles import Role
from tests.cases.helpers import add_permit, make_case, make_service
from tests.conftest import make_member

AUTHORITY = "الدفاع المدني"


def permit_service(org):
    return make_service(org, needs_external_permit=True, permit_authority=AUTHORITY)


def waiting_case(org, origin="researching"):
    """A case put on hold for a pending permit, as raise_permit leaves it."""
    case = make_case(
        org,
        "awaiting_external_approval",
        service=permit_service(org),
        return_status=origin,
    )
    add_permit(case)
    return case


def raise_data(case, **extra):
    return {
        "permit-version": case.version,
        "permit-authority": AUTHORITY,
        "permit-reference": "DC-1448-77",
        "permit-sent_on_0": "gregorian",
        "permit-sent_on_1": timezone.localdate().isoformat(),
        "permit-note": "أرسل بالبريد الرسمي",
    } | extra


def answer_data(case, **extra):
    return {
        "answer-version": case.version,
        "answer-outcome": "granted",
        "answer-answered_on_0": "gregorian",
        "answer-answered_on_1": timezone.localdate().isoformat(),
        "answer-reference": "",
        "answer-note": "صدر الترخيص",
    } | extra


def raise_url(case):
    return reverse("cases:permit_raise", args=[case.pk])


def answer_url(case):
    return reverse("cases:permit_answer", args=[case.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def told(response, msgid: str, **params) -> bool:
    """Whether the page said `msgid`, in Arabic (whether translated yet or not)."""
    with translation.override("ar"):
        expected = (
            translation.gettext(msgid) % params
            if params
            else (translation.gettext(msgid))
        )
    return any(expected in message for message in messages_of(response))


def state(case):
    with scopes_disabled():
        case = Case.objects.get(pk=case.pk)
        return (
            case.status,
            case.version,
            list(ExternalPermit.objects.filter(case=case).values_list("outcome")),
            OutboxMessage.objects.count(),
            CaseEvent.objects.filter(case=case).count(),
        )


def test_raising_a_permit_puts_the_case_on_hold_with_its_details(client_as, org):
    """P-PERMITS: the wait records the authority, the reference and the date sent."""
    case = make_case(org, "researching", service=permit_service(org))
    response = client_as(Role.RESEARCHER).post(raise_url(case), raise_data(case))
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get(pk=case.pk)
        permit = ExternalPermit.objects.get(case=case)
        event = CaseEvent.objects.filter(case=case).last()
        audited = AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="cases.externalpermit"
        ).exists()
    assert (case.status, case.return_status) == (
        "awaiting_external_approval",
        "researching",
    )
    assert permit.authority == AUTHORITY and permit.reference == "DC-1448-77"
    assert permit.sent_on == timezone.localdate() and permit.outcome == "pending"
    assert event.details["authority"] == AUTHORITY and event.public
    assert event.note == "أرسل بالبريد الرسمي"
    assert audited


def test_the_permit_form_offers_the_services_authority(client_as, org):
    """P-PERMITS: the authority comes from the service's catalogue entry."""
    case = make_case(org, "researching", service=permit_service(org))
    response = client_as(Role.RESEARCHER).get(
        reverse("cases:case_detail", args=[case.pk])
    )
    body = response.content.decode()
    assert raise_url(case) in body
    assert f'value="{AUTHORITY}"' in body
    assert (
        reverse("cases:case_move", args=[case.pk, "awaiting_external_approval"])
        not in body
    )


@pytest.mark.parametrize(
    "field,value",
    [
        ("permit-authority", "   "),
        ("permit-sent_on_1", ""),
        ("permit-sent_on_1", "1448-13-40"),
        ("permit-sent_on_1", "2999-01-01"),
    ],
    ids=["no-authority", "no-date", "no-such-date", "future-date"],
)
def test_raising_needs_an_authority_and_a_real_sent_date(client_as, org, field, value):
    """P-PERMITS: bad input gets a clear error and changes nothing."""
    case = make_case(org, "researching", service=permit_service(org))
    before = state(case)
    client = client_as(Role.RESEARCHER)
    response = client.post(raise_url(case), raise_data(case, **{field: value}))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert messages_of(page)
    assert state(case) == before


def test_a_sent_date_typed_in_hijri_is_kept_gregorian(client_as, org):
    case = make_case(org, "researching", service=permit_service(org))
    data = raise_data(
        case, **{"permit-sent_on_0": "hijri", "permit-sent_on_1": "1446-09-01"}
    )
    client_as(Role.RESEARCHER).post(raise_url(case), data)
    with scopes_disabled():
        assert ExternalPermit.objects.get().sent_on == datetime.date(2025, 3, 1)


def test_no_permit_for_a_service_that_needs_none(client_as, org):
    case = make_case(org, "researching")
    before = state(case)
    client = client_as(Role.RESEARCHER)
    response = client.post(raise_url(case), raise_data(case), follow=True)
    assert any("لا تحتاج" in m for m in messages_of(response))
    assert state(case) == before


def test_a_stale_page_raises_nothing(client_as, org):
    case = make_case(org, "researching", service=permit_service(org))
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    before = state(case)
    response = client_as(Role.RESEARCHER).post(
        raise_url(case), raise_data(case), follow=True
    )
    assert any("أعد تحميل الصفحة" in m for m in messages_of(response))
    assert state(case) == before


def test_a_role_without_the_move_gets_403_and_nothing_is_kept(client_as, org):
    """The committee may not put a case in research on hold (VERIFY_CASES)."""
    case = make_case(org, "researching", service=permit_service(org))
    before = state(case)
    response = client_as(Role.COMMITTEE).post(raise_url(case), raise_data(case))
    assert response.status_code == 403
    assert state(case) == before


def test_the_committee_raises_a_permit_from_its_own_step(client_as, org):
    case = make_case(org, "in_committee", service=permit_service(org))
    response = client_as(Role.COMMITTEE).post(raise_url(case), raise_data(case))
    assert response.status_code == 302
    assert state(case)[0] == "awaiting_external_approval"


def test_entering_the_wait_without_a_permit_is_refused(org, members):
    """P-PERMITS: the lifecycle itself refuses a wait with no authority recorded."""
    case = make_case(org, "researching", service=permit_service(org))
    researcher = members[Role.RESEARCHER]
    with scope(organization=org), pytest.raises(transitions.GuardFailed):
        transitions.transition(
            actor=researcher,
            membership=Membership.objects.get(user=researcher),
            case=case,
            to="awaiting_external_approval",
            expected_version=case.version,
        )


def test_leaving_the_wait_without_the_answer_is_refused(client_as, org, members):
    """P-PERMITS: a plain move back is refused until the answer is recorded."""
    case = waiting_case(org)
    before = state(case)
    response = client_as(Role.RESEARCHER).post(
        reverse("cases:case_move", args=[case.pk, "researching"]),
        {"version": case.version},
        follow=True,
    )
    assert told(response, "Record the authority's answer before the request moves on.")
    assert state(case) == before


@pytest.mark.parametrize("outcome", ["granted", "refused"])
def test_the_answer_returns_the_case_and_tells_the_beneficiary(client_as, org, outcome):
    """P-PERMITS: the beneficiary is told the result through the outbox."""
    case = waiting_case(org, origin="researching")
    response = client_as(Role.RESEARCHER).post(
        answer_url(case),
        answer_data(case, **{"answer-outcome": outcome, "answer-reference": "R-9"}),
    )
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get(pk=case.pk)
        permit = ExternalPermit.objects.get(case=case)
        message = OutboxMessage.objects.get(event="permit_result")
        event = CaseEvent.objects.filter(case=case).last()
    assert (case.status, case.return_status) == ("researching", "")
    assert permit.outcome == outcome and permit.outcome_on == timezone.localdate()
    assert permit.reference == "R-9" and permit.outcome_note == "صدر الترخيص"
    assert message.beneficiary_id == case.beneficiary_id
    assert (
        message.context
        | {
            "authority": AUTHORITY,
            "outcome": outcome,
            "answered_on": timezone.localdate().isoformat(),
            "case": case.number,
        }
        == message.context
    )
    assert event.details["outcome"] == outcome and event.public


def test_an_answer_before_the_request_was_sent_is_refused(client_as, org):
    case = waiting_case(org)
    before = state(case)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_as(Role.RESEARCHER).post(
        answer_url(case),
        answer_data(case, **{"answer-answered_on_1": yesterday.isoformat()}),
        follow=True,
    )
    assert told(
        response,
        "The answer cannot come before the request was sent (%(day)s).",
        day=timezone.localdate().isoformat(),
    )
    assert state(case) == before


def test_an_answer_needs_granted_or_refused(client_as, org):
    case = waiting_case(org)
    before = state(case)
    client_as(Role.RESEARCHER).post(
        answer_url(case), answer_data(case, **{"answer-outcome": "pending"})
    )
    assert state(case) == before


def test_an_answer_for_a_case_not_waiting_is_refused(client_as, org):
    case = make_case(org, "researching", service=permit_service(org))
    before = state(case)
    response = client_as(Role.RESEARCHER).post(
        answer_url(case), answer_data(case), follow=True
    )
    assert told(response, "The request is not waiting for a permit.")
    assert state(case) == before


def test_only_the_role_of_the_step_it_left_records_the_answer(client_as, org):
    """A wait from the committee returns to it: the researcher may not answer."""
    case = waiting_case(org, origin="in_committee")
    before = state(case)
    response = client_as(Role.RESEARCHER).post(answer_url(case), answer_data(case))
    assert response.status_code == 403
    assert state(case) == before
    response = client_as(Role.COMMITTEE).post(answer_url(case), answer_data(case))
    assert state(case)[0] == "in_committee"


def test_a_second_wait_gets_its_own_permit(client_as, org):
    case = waiting_case(org)
    client = client_as(Role.RESEARCHER)
    client.post(answer_url(case), answer_data(case, **{"answer-outcome": "refused"}))
    with scopes_disabled():
        case = Case.objects.get(pk=case.pk)
    client.post(raise_url(case), raise_data(case, **{"permit-authority": "البلدية"}))
    with scopes_disabled():
        permits = list(
            ExternalPermit.objects.filter(case=case).values_list("authority", "outcome")
        )
    assert permits == [(AUTHORITY, "refused"), ("البلدية", "pending")]


def test_the_case_page_lists_permits_and_offers_the_answer(client_as, org):
    case = waiting_case(org)
    body = (
        client_as(Role.RESEARCHER)
        .get(reverse("cases:case_detail", args=[case.pk]))
        .content.decode()
    )
    assert AUTHORITY in body
    assert answer_url(case) in body


def test_another_associations_case_is_not_found(client, org, other_org):
    case = waiting_case(other_org)
    client.force_login(make_member(org, Role.RESEARCHER))
    assert client.post(answer_url(case), answer_data(case)).status_code == 404
    assert client.post(raise_url(case), raise_data(case)).status_code == 404


def test_a_case_waits_for_one_permit_at_a_time(org):
    """The database refuses a second pending permit of one case."""
    case = waiting_case(org)
    with pytest.raises(IntegrityError), transaction.atomic():
        add_permit(case)
