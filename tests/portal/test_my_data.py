"""My data in the portal, and the staff's queue of data requests (issue 7;
P-PRIVACY, P-CONSENT)."""

import datetime
import json

import time_machine
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.contact import sending
from mustafid.contact.outbox import OutboxMessage, OutboxStatus, queue_message
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Role
from mustafid.portal.rights_models import DataRequest
from mustafid.registry.models import HouseholdMember
from tests.cases.helpers import make_case
from tests.contact.test_sending import MORNING
from tests.factories import BeneficiaryFactory, DocumentFactory
from tests.portal.apply_helpers import ar, url
from tests.portal.helpers import sign_in_as


def person(org, **fields):
    with scope(organization=org):
        return BeneficiaryFactory(organization=org, **fields)


def test_the_json_copy_holds_their_data_and_nobody_elses(client, org, other_org):
    """P-PRIVACY: the copy is the beneficiary's record, household, documents
    and requests, and nothing of anyone else (same or other association)."""
    me = person(org, first_name="هند", city="الدمام")
    neighbour = person(org, first_name="سلمى", city="جدة")
    elsewhere = person(other_org, first_name="ريم")
    with scope(organization=org):
        HouseholdMember.objects.create(
            organization=org,
            beneficiary=me,
            relation="son",
            full_name="فيصل",
            gender="male",
        )
        DocumentFactory(organization=org, beneficiary=me)
        DocumentFactory(organization=org, beneficiary=neighbour)
    mine = make_case(org, "submitted", beneficiary=me)
    theirs = make_case(org, "submitted", beneficiary=neighbour)
    sign_in_as(client, me)
    response = client.get(url(org, "my_data_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    copy = json.loads(response.content)
    assert copy["profile"]["first_name"] == "هند"
    assert copy["profile"]["identity_number"] == me.identity_number
    assert [m["full_name"] for m in copy["household"]] == ["فيصل"]
    assert len(copy["documents"]) == 1
    assert [r["number"] for r in copy["requests"]] == [mine.number]
    text = response.content.decode()
    for other in (neighbour, elsewhere):
        assert other.first_name not in text
        assert other.identity_number not in text
    assert theirs.number not in text and "جدة" not in text
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action="export",
            object_id=str(me.pk),
            actor_label=f"portal:beneficiary:{me.pk}",
        ).exists()


def test_the_readable_page_shows_the_record_and_is_audited(client, org):
    me = person(org, first_name="هند")
    sign_in_as(client, me)
    for name in ("my_data", "my_data_print"):
        page = client.get(url(org, name)).content.decode()
        assert "هند" in page
    with scopes_disabled():
        assert (
            AuditEvent.objects.filter(action="view", object_id=str(me.pk)).count() == 2
        )


def test_withdrawing_consent_stops_outreach_at_once(client, org, sms_gateway):
    """P-CONSENT: after withdrawing, "a service you may qualify for" is not
    sent; a message about their own request still is."""
    me = person(org, contact_consent=True)
    with scope(organization=org):
        match = queue_message(
            organization=org,
            event="service_match",
            beneficiary=me,
            context={"service_ar": "السلة", "service_en": "Basket"},
        )
    sign_in_as(client, me)
    response = client.post(url(org, "withdraw_consent"))
    assert response.status_code == 302
    sending.send_due(now=MORNING)
    with scope(organization=org):
        me.refresh_from_db()
        assert OutboxMessage.objects.get(pk=match.pk).status == OutboxStatus.SKIPPED
    assert me.contact_consent is False
    assert sms_gateway.requests == []
    with scopes_disabled():
        change = AuditEvent.objects.get(object_id=str(me.pk), action="update")
    assert change.changes == {"contact_consent": [True, False]}


def ask_deletion(client, org, beneficiary):
    sign_in_as(client, beneficiary)
    return client.post(
        url(org, "my_data_request"), {"kind": "deletion", "details": "لا أحتاج"}
    )


def test_a_deletion_request_reaches_the_staff_queue_due_in_30_days(
    client, org, client_as
):
    """P-PRIVACY: the staff see it with its due date; the beneficiary is told
    what is kept by law (records of aid and decisions)."""
    me = person(org)
    sign_in_as(client, me)
    page = client.get(url(org, "my_data")).content.decode()
    assert (
        ar(
            "If you ask for deletion: the records of aid given to you and of the "
            "decisions on your requests are kept for as long as the association's "
            "supervising authority requires, even after your other data is deleted. "
            "The staff study your request and tell you what was deleted and what is "
            "kept, and why."
        )
        in page
    )
    # A session lasts a working day: the whole visit happens that morning.
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0)):
        response = ask_deletion(client, org, me)
        again = ask_deletion(client, org, me)
    assert response.status_code == 302
    with scope(organization=org):
        item = DataRequest.objects.get(beneficiary=me)
    assert item.kind == "deletion" and item.status == "open"
    assert item.due_on == datetime.date(2026, 12, 31)
    assert again.status_code == 400
    assert ar("You have already asked for your data to be deleted.") in (
        again.content.decode()
    )
    queue = client_as(Role.RECEPTION).get(reverse("data_requests:list"))
    assert item.reference in queue.content.decode()


def test_a_correction_needs_to_say_what_is_wrong(client, org):
    sign_in_as(client, person(org))
    response = client.post(
        url(org, "my_data_request"), {"kind": "correction", "field": "birth_date"}
    )
    assert response.status_code == 400
    assert ar("Write what is wrong and what is right.") in response.content.decode()
    with scopes_disabled():
        assert not DataRequest.objects.exists()


def test_the_staff_answer_is_sent_to_the_beneficiary(client, org, client_as):
    me = person(org)
    ask_deletion(client, org, me)
    with scope(organization=org):
        item = DataRequest.objects.get(beneficiary=me)
    staff = client_as(Role.MANAGER)
    detail = reverse("data_requests:detail", args=[item.pk])
    empty = staff.post(detail, {"answer": "", "action": "refuse"})
    assert empty.status_code == 400
    response = staff.post(
        detail, {"answer": "نحتفظ بسجل المساعدات نظامًا.", "action": "refuse"}
    )
    assert response.status_code == 302
    with scope(organization=org):
        item.refresh_from_db()
        message = OutboxMessage.objects.get(beneficiary=me)
    assert item.status == "refused" and item.answered_at is not None
    assert message.event == "data_request_refused"
    assert message.context["reference"] == item.reference
    assert message.context["answer"] == "نحتفظ بسجل المساعدات نظامًا."
    # Answered once: a second answer changes nothing.
    staff.post(detail, {"answer": "تم", "action": "done"})
    with scope(organization=org):
        item.refresh_from_db()
        assert OutboxMessage.objects.filter(beneficiary=me).count() == 1
    assert item.status == "refused"


def test_another_associations_data_request_is_not_found(client_as, other_org):
    other = person(other_org)
    with scope(organization=other_org):
        item = DataRequest.objects.create(
            organization=other_org,
            beneficiary=other,
            kind="copy",
            due_on=datetime.date(2027, 1, 1),
        )
    response = client_as(Role.MANAGER).get(
        reverse("data_requests:detail", args=[item.pk])
    )
    assert response.status_code == 404
