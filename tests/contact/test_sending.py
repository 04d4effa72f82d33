"""Sending the outbox (issue 6 items 5-6): the beneficiary is told through their
method, in their language, outside quiet hours; a provider that is down loses
nothing; a refusal fails at once and staff can send again (P-RECEIVE, P-INFO,
P-COMMITTEE, P-CONSENT)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from mustafid.contact import sending
from mustafid.contact.outbox import Method, OutboxMessage, OutboxStatus, queue_message
from mustafid.contact.wording import get_event
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Role
from tests.cases.helpers import make_case
from tests.factories import BeneficiaryFactory, UserFactory

pytestmark = pytest.mark.django_db

RIYADH = datetime.timezone(datetime.timedelta(hours=3))
MORNING = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=RIYADH)
LATE_EVENING = datetime.datetime(2026, 11, 22, 23, 30, tzinfo=RIYADH)


def message_for(org, event="review_due", **beneficiary_fields) -> OutboxMessage:
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(organization=org, **beneficiary_fields)
        return queue_message(
            organization=org,
            event=event,
            beneficiary=beneficiary,
            context={"service_ar": "السلة الغذائية", "service_en": "Food basket"},
        )


def reload(message) -> OutboxMessage:
    with scope(organization=message.organization):
        return OutboxMessage.objects.get(pk=message.pk)


def test_a_received_request_is_texted_in_arabic_with_its_number(org, sms_gateway):
    """P-COMMITTEE: the beneficiary is told the request arrived, by SMS."""
    case = make_case(org, "submitted", decision_due=datetime.date(2026, 12, 6))
    with scope(organization=org):
        from mustafid.cases.transitions import _queue_message

        queued = _queue_message(case, "case_received", {})
    assert sending.send_due(now=MORNING) == {OutboxStatus.SENT: 1}
    request = sms_gateway.last
    assert request.headers["Authorization"] == "Bearer taqnyat-secret-token"
    assert case.number in request.body["body"]
    message = reload(queued)
    assert message.method == Method.SMS
    assert message.body == request.body["body"]
    assert message.provider_id == "5452899970"
    assert message.attempts == 1 and message.sent_at is not None


def test_a_provider_that_is_down_costs_a_retry_not_the_message(org, sms_gateway):
    message = message_for(org)
    sms_gateway.fail_with(503, {"message": "maintenance"})
    assert sending.send_due(now=MORNING) == {OutboxStatus.QUEUED: 1}
    waiting = reload(message)
    assert waiting.status == OutboxStatus.QUEUED and waiting.attempts == 1
    assert "503" in waiting.last_error
    # One minute, give or take the jitter.
    delay = waiting.next_attempt_at - MORNING
    assert datetime.timedelta(seconds=47) <= delay <= datetime.timedelta(seconds=73)
    sms_gateway.recover()
    assert sending.send_due(now=MORNING + datetime.timedelta(seconds=30)) == {}
    later = MORNING + datetime.timedelta(minutes=2)
    assert sending.send_due(now=later) == {OutboxStatus.SENT: 1}
    sent = reload(message)
    assert sent.status == OutboxStatus.SENT and sent.attempts == 2
    assert sent.last_error == ""
    assert len(sms_gateway.requests) == 2


def test_a_gateway_that_refuses_connections_is_retried(org, sms_gateway):
    message = message_for(org)
    sms_gateway.stop()
    sending.send_due(now=MORNING)
    assert reload(message).status == OutboxStatus.QUEUED


def test_after_the_last_attempt_the_message_fails_and_staff_see_it(org, sms_gateway):
    message = message_for(org)
    sms_gateway.fail_with(503, {"message": "down"})
    moment = MORNING
    for _attempt in range(sending.MAX_ATTEMPTS):
        sending.send_due(now=moment)
        moment += datetime.timedelta(days=1)  # past any back-off, at 10:00 again
    failed = reload(message)
    assert failed.status == OutboxStatus.FAILED
    assert failed.attempts == sending.MAX_ATTEMPTS


def test_a_refusal_fails_at_once_and_staff_can_send_it_again(
    org, sms_gateway, client_as
):
    message = message_for(org)
    sms_gateway.fail_with(400, {"statusCode": 400, "message": "Invalid number"})
    assert sending.send_due(now=MORNING) == {OutboxStatus.FAILED: 1}
    assert reload(message).status == OutboxStatus.FAILED
    client = client_as(Role.RECEPTION)
    page = client.get(reverse("outbox:list"))
    assert "Invalid number" not in page.text  # the list counts, the page tells
    assert page.context["failed"] == 1
    with translation.override("ar"):  # what happened, in words, not its code
        assert str(get_event("review_due").label) in page.text
    assert "review_due" not in page.text
    detail = client.get(reverse("outbox:detail", args=[message.pk]))
    assert "Invalid number" in detail.text
    response = client.post(reverse("outbox:resend", args=[message.pk]))
    assert response.status_code == 302
    assert reload(message).status == OutboxStatus.QUEUED
    with scope(organization=org):
        assert AuditEvent.objects.filter(object_id=str(message.pk)).exists()
    sms_gateway.recover()
    assert sending.send_due(now=MORNING) == {OutboxStatus.SENT: 1}


def test_a_message_sent_already_is_not_sent_again_from_the_page(org, client_as):
    message = message_for(org)
    with scope(organization=org):
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT)
    client = client_as(Role.RECEPTION)
    client.post(reverse("outbox:resend", args=[message.pk]))
    assert reload(message).status == OutboxStatus.SENT


def test_texts_wait_for_the_morning_but_email_does_not(org, sms_gateway, smtp_server):
    """Quiet hours (P-RECEIVE: courtesy): 23:30 in Riyadh is no time for an SMS."""
    texted = message_for(org, preferred_contact="sms")
    emailed = message_for(
        org, preferred_contact="email", email="beneficiary@example.org"
    )
    counts = sending.send_due(now=LATE_EVENING)
    assert counts == {OutboxStatus.QUEUED: 1, OutboxStatus.SENT: 1}
    assert sms_gateway.requests == []
    assert len(smtp_server.messages) == 1
    waiting = reload(texted)
    assert waiting.next_attempt_at == datetime.datetime(
        2026, 11, 23, 7, 0, tzinfo=RIYADH
    )
    assert waiting.attempts == 0
    assert reload(emailed).method == Method.EMAIL


def test_outreach_goes_only_to_those_who_agreed_to_be_contacted(org, sms_gateway):
    """P-CONSENT: "a service you qualify for" is outreach, not an answer."""
    refused = message_for(org, event="service_match", contact_consent=False)
    agreed = message_for(org, event="service_match", contact_consent=True)
    sending.send_due(now=MORNING)
    assert reload(refused).status == OutboxStatus.SKIPPED
    assert reload(agreed).status == OutboxStatus.SENT
    assert len(sms_gateway.requests) == 1


def test_a_method_without_an_address_falls_back_to_one_that_has_it(org, sms_gateway):
    no_email = message_for(org, preferred_contact="email", email="")
    phone_call = message_for(org, preferred_contact="phone")
    unreachable = message_for(
        org,
        preferred_contact="sms",
        mobile="",
        email="",
        short_address="",
        street="",
    )
    sending.send_due(now=MORNING)
    assert reload(no_email).method == Method.SMS
    assert reload(phone_call).method == Method.SMS
    skipped = reload(unreachable)
    assert skipped.status == OutboxStatus.SKIPPED
    assert skipped.last_error == "no mobile, email or address"


def test_english_speakers_are_told_in_english(org, sms_gateway):
    message = message_for(org, preferred_language="en")
    sending.send_due(now=MORNING)
    assert "Food basket" in reload(message).body
    assert "السلة" not in reload(message).body


def test_an_inquirer_who_is_not_registered_is_answered_at_their_address(
    org, smtp_server
):
    with scope(organization=org):
        message = queue_message(
            organization=org,
            event="inquiry_answered",
            address="asker@example.org",
            language="ar",
            context={"reference": "INQ-1", "question": "متى؟", "answer": "غدًا"},
        )
    sending.send_due(now=MORNING)
    assert reload(message).status == OutboxStatus.SENT
    (mail,) = smtp_server.messages
    assert mail["To"] == "asker@example.org"
    assert "غدًا" in mail.get_body().get_content()


def test_a_staff_member_without_email_is_skipped_with_the_reason(org):
    with scope(organization=org):
        message = queue_message(
            organization=org, event="deadline_reminder", staff=UserFactory(email="")
        )
    sending.send_due(now=MORNING)
    assert reload(message).last_error == "staff member has no email address"


def test_two_workers_never_hold_the_same_message_and_a_dead_ones_lease_ends(org):
    message = message_for(org)
    assert sending.claim(now=MORNING) == [message.pk]
    assert sending.claim(now=MORNING + datetime.timedelta(minutes=1)) == []
    # The worker that held it was killed: after the lease another takes it.
    after_lease = MORNING + sending.LEASE + datetime.timedelta(seconds=1)
    assert sending.claim(now=after_lease) == [message.pk]


def test_another_associations_messages_are_not_shown(org, other_org, client_as):
    theirs = message_for(other_org)
    client = client_as(Role.MANAGER)
    assert client.get(reverse("outbox:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("outbox:list")).context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("name", "opening"), [("خالد", "خالد، ردًا"), ("", "ردًا على استفسارك")]
)
def test_someone_not_registered_is_greeted_by_the_name_they_gave(
    org, sms_gateway, name, opening
):
    """A text never opens with a comma left by a greeting without a name."""
    with scope(organization=org):
        queue_message(
            organization=org,
            event="inquiry_answered",
            address="+966551234567",
            method="sms",
            language="ar",
            context={
                "reference": "INQ-1448-000007",
                "question": "متى؟",
                "answer": "غدًا",
                "recipient_name": name,
            },
        )
    sending.send_due(now=MORNING)
    assert sms_gateway.last.body["body"].startswith(opening)


def test_the_outbox_list_costs_the_same_queries_for_many_messages(
    org, client_as, django_assert_max_num_queries
):
    client = client_as(Role.MANAGER)
    message_for(org)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("outbox:list"))
    for _ in range(20):
        message_for(org, preferred_language="en")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("outbox:list"))
    assert response.context["page"].paginator.count == 21
