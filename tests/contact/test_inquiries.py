"""Inquiries answered on time through the inquirer's channel (P-INFO, seed 004)."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.cases.deadlines import decision_due, working_days_after
from mustafid.cases.models import Holiday
from mustafid.contact import services
from mustafid.contact.models import (
    ChannelKind,
    Direction,
    Inquiry,
    InquiryStatus,
    Interaction,
)
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from tests.cases.helpers import make_channel
from tests.contact.helpers import make_inquiry, phone_channel
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2025, 3, 27)


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- The response target ---------------------------------------------------


def test_due_one_working_day_later_skipping_the_weekend_and_a_holiday(org):
    """Thursday's inquiry is due on Sunday; a Sunday holiday moves it to Monday."""
    with scope(organization=org):
        Holiday.objects.create(
            organization=org, date=datetime.date(2025, 3, 30), name="عيد الفطر"
        )
        due = services.inquiry_due_at(org, at(THURSDAY))
    assert timezone.localtime(due).date() == datetime.date(2025, 3, 31)  # Monday
    assert timezone.localtime(due).time() >= datetime.time(23, 59)


def test_calendar_days_count_the_weekend(org):
    org.inquiry_days_kind = "calendar"
    org.inquiry_target_days = 2
    org.save()
    with scope(organization=org):
        due = services.inquiry_due_at(org, at(THURSDAY))
    assert timezone.localtime(due).date() == datetime.date(2025, 3, 29)  # Saturday


def test_working_days_after_is_shared_with_the_decision_deadline(org):
    org.decision_days_kind = "working"
    org.save()
    with scope(organization=org):
        assert working_days_after(org, THURSDAY, 3) == datetime.date(2025, 4, 1)
        assert decision_due(org, THURSDAY, 3) == datetime.date(2025, 4, 1)


def test_the_target_is_edited_with_the_associations_settings(client_as, org):
    response = client_as(Role.ADMIN).post(
        reverse("core:association_edit"),
        {
            "name_ar": org.name_ar,
            "decision_window_days": 14,
            "decision_days_kind": "calendar",
            "inquiry_target_days": 3,
            "inquiry_days_kind": "calendar",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.inquiry_target_days, org.inquiry_days_kind) == (3, "calendar")
    bad = client_as(Role.ADMIN).post(
        reverse("core:association_edit"),
        {
            "name_ar": org.name_ar,
            "decision_window_days": 14,
            "decision_days_kind": "calendar",
            "inquiry_target_days": 0,
        },
    )
    assert bad.status_code == 200
    org.refresh_from_db()
    assert org.inquiry_target_days == 3


# --- Recording -------------------------------------------------------------


def test_references_are_numbered_per_association_and_hijri_year(org, other_org):
    """27 March 2025 is in 1446 AH: inquiries are numbered as requests are."""
    first = make_inquiry(org, received_at=at(THURSDAY))
    second = make_inquiry(org, received_at=at(THURSDAY))
    theirs = make_inquiry(other_org, received_at=at(THURSDAY))
    assert (first.reference, second.reference) == ("INQ-1446-000001", "INQ-1446-000002")
    assert theirs.reference == "INQ-1446-000001"


def test_staff_record_a_phone_inquiry_from_a_beneficiary(
    client_as, org, members, beneficiary
):
    beneficiary.preferred_contact = "whatsapp"
    beneficiary.save()
    phone = phone_channel(org)
    response = client_as(Role.RECEPTION).post(
        reverse("contact:inquiry_create"),
        {
            "channel": phone.pk,
            "find": beneficiary.identity_number,
            "question": "هل يمكن تقديم طلب ترميم؟",
            "assigned_to": members[Role.SERVICES].pk,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        inquiry = Inquiry.objects.get()
        incoming = Interaction.objects.get(inquiry=inquiry)
        assert AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_id=str(inquiry.pk)
        ).exists()
    assert inquiry.beneficiary == beneficiary
    assert inquiry.reply_method == "whatsapp"  # the beneficiary's preferred way
    assert inquiry.assigned_to == members[Role.SERVICES]
    assert inquiry.created_by == members[Role.RECEPTION]
    assert incoming.direction == Direction.INCOMING
    assert incoming.beneficiary == beneficiary


@pytest.mark.parametrize(
    "fields",
    [
        {"inquirer_name": "سائل"},  # no way to answer
        {
            "inquirer_name": "سائل",
            "inquirer_mobile": "0501234567",
            "reply_method": "letter",
        },  # no address for a letter
        {
            "inquirer_name": "سائل",
            "inquirer_mobile": "0501234567",
            "reply_method": "email",
        },  # email without an address
        {"inquirer_mobile": "0501234567"},  # no name
        {"inquirer_name": "سائل", "inquirer_mobile": "123"},  # not a mobile
    ],
)
def test_an_inquiry_that_cannot_be_answered_is_refused(client_as, org, fields):
    response = client_as(Role.RECEPTION).post(
        reverse("contact:inquiry_create"),
        {"channel": phone_channel(org).pk, "question": "سؤال", **fields},
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert not Inquiry.objects.exists()
        assert not Interaction.objects.exists()


def test_an_assignee_from_another_association_is_refused(client_as, org, other_org):
    from tests.conftest import make_member

    stranger = make_member(other_org, Role.RECEPTION)
    response = client_as(Role.RECEPTION).post(
        reverse("contact:inquiry_create"),
        {
            "channel": phone_channel(org).pk,
            "question": "سؤال",
            "inquirer_name": "سائل",
            "inquirer_mobile": "0501234567",
            "assigned_to": stranger.pk,
        },
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert not Inquiry.objects.exists()


def test_the_website_inquiry_is_received_on_the_website_channel(org):
    with scope(organization=org):
        inquiry = services.receive_inquiry(
            organization=org,
            question="ما شروط كفالة الأيتام؟",
            name="زائر الموقع",
            email="visitor@example.org",
        )
    assert inquiry.channel.kind == ChannelKind.WEBSITE
    assert inquiry.reply_method == "email"
    assert inquiry.created_by is None
    assert inquiry.status == InquiryStatus.OPEN
    with scopes_disabled():
        event = AuditEvent.objects.get(
            action=AuditAction.CREATE,
            object_type="contact.inquiry",
            object_id=str(inquiry.pk),
        )
    assert event.actor is None and event.actor_label == "website"


def test_the_website_inquiry_uses_the_policys_website_channel(org):
    site = make_channel(org, name_ar="الموقع", kind="website")
    with scope(organization=org):
        inquiry = services.receive_inquiry(
            organization=org, question="سؤال", name="زائر", mobile="0551234567"
        )
        assert inquiry.channel == site
        assert inquiry.reply_method == "sms"
        assert inquiry.inquirer_mobile == "+966551234567"


def test_a_website_inquiry_without_a_contact_is_refused(org):
    with scope(organization=org), pytest.raises(services.ContactRefused):
        services.receive_inquiry(organization=org, question="سؤال", name="زائر")
    with scopes_disabled():
        assert not Inquiry.objects.exists()


# --- The queue -------------------------------------------------------------


def test_overdue_inquiries_with_a_frozen_clock(org):
    """Thursday's inquiry is overdue from Monday, not during the weekend."""
    old = make_inquiry(org, received_at=at(THURSDAY))
    make_inquiry(org, received_at=at(THURSDAY + datetime.timedelta(days=3)))
    with scope(organization=org):
        saturday = at(THURSDAY + datetime.timedelta(days=2), 12)
        assert list(services.overdue_inquiries(org, saturday)) == []
        monday = at(THURSDAY + datetime.timedelta(days=4), 9)
        assert list(services.overdue_inquiries(org, monday)) == [old]


def test_overdue_inquiries_stand_out_first_in_the_queue(client_as, org, other_org):
    fresh = make_inquiry(org, question="سؤال جديد")
    late = make_inquiry(
        org,
        question="سؤال قديم",
        received_at=timezone.now() - datetime.timedelta(days=10),
    )
    make_inquiry(other_org, question="سؤال جمعية أخرى")
    response = client_as(Role.RECEPTION).get(reverse("contact:inquiry_list"))
    rows = list(response.context["page"])
    assert rows == [late, fresh]
    text = page_text(response)
    assert ar("overdue") in text
    assert "سؤال جمعية أخرى" not in text
    assert late.reference in text and fresh.reference in text


def test_queue_filters_mine_unassigned_overdue_and_channel(client_as, org, members):
    me = members[Role.RECEPTION]
    letters = make_channel(org, name_ar="الخطابات", kind="letters")
    mine = make_inquiry(org, assigned_to=me)
    nobodys = make_inquiry(org, channel=letters)
    late = make_inquiry(org, received_at=timezone.now() - datetime.timedelta(days=10))
    client = client_as(Role.RECEPTION)
    url = reverse("contact:inquiry_list")

    def listed(**query):
        return set(client.get(url, query).context["page"])

    assert listed(show="mine") == {mine}
    assert listed(show="unassigned") == {nobodys, late}
    assert listed(show="overdue") == {late}
    assert listed(channel=letters.pk) == {nobodys}
    assert listed(show="bogus") == {mine, nobodys, late}


# --- Answering -------------------------------------------------------------


def _answer(client, inquiry, text="نعم، يفتح التسجيل الأحد."):
    return client.post(
        reverse("contact:inquiry_answer", args=[inquiry.pk]), {"answer": text}
    )


def test_answering_queues_one_sms_to_the_inquirers_mobile(client_as, org, members):
    inquiry = make_inquiry(org)
    response = _answer(client_as(Role.RECEPTION), inquiry)
    assert response.status_code == 302
    with scopes_disabled():
        [message] = OutboxMessage.objects.all()
        outgoing = Interaction.objects.get(inquiry=inquiry, direction="outgoing")
        assert AuditEvent.objects.filter(
            action=AuditAction.UPDATE,
            object_id=str(inquiry.pk),
            changes__status=["open", "answered"],
        ).exists()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED
    assert inquiry.answered_by == members[Role.RECEPTION]
    assert inquiry.answered_on_time
    assert message.event == "inquiry_answered"
    assert message.channel == "sms"
    assert message.address == "+966501234567"
    assert message.beneficiary is None
    assert message.organization == org
    assert message.context == {
        "reference": inquiry.reference,
        "question": inquiry.question,
        "answer": "نعم، يفتح التسجيل الأحد.",
        "recipient_name": inquiry.inquirer_name,
    }
    assert outgoing.staff == members[Role.RECEPTION]


def test_a_beneficiarys_answer_goes_by_their_preferred_email(client_as, org):
    with scope(organization=org):
        person = BeneficiaryFactory(
            organization=org,
            email="person@example.org",
            preferred_contact="email",
            preferred_language="en",
        )
    inquiry = make_inquiry(org, beneficiary=person)
    _answer(client_as(Role.SERVICES), inquiry)
    with scopes_disabled():
        [message] = OutboxMessage.objects.all()
    assert message.beneficiary == person
    assert message.channel == "email"
    assert message.address == ""
    assert message.language == "en"


def test_an_answered_inquiry_cannot_be_answered_twice(client_as, org):
    inquiry = make_inquiry(org)
    client = client_as(Role.RECEPTION)
    _answer(client, inquiry, "الجواب الأول")
    response = _answer(client, inquiry, "جواب ثان")
    assert response.status_code == 400
    assert ar("This inquiry was already answered.") in page_text(response)
    inquiry.refresh_from_db()
    assert inquiry.answer == "الجواب الأول"
    with scopes_disabled():
        assert OutboxMessage.objects.count() == 1
        assert Interaction.objects.filter(direction="outgoing").count() == 1


def test_an_empty_answer_changes_nothing(client_as, org):
    inquiry = make_inquiry(org)
    response = _answer(client_as(Role.RECEPTION), inquiry, "   ")
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    with scopes_disabled():
        assert not OutboxMessage.objects.exists()


def test_close_without_an_answer_needs_a_reason(client_as, org):
    inquiry = make_inquiry(org)
    client = client_as(Role.RECEPTION)
    url = reverse("contact:inquiry_close", args=[inquiry.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert client.post(url, {"reason": "سؤال مكرر"}).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    assert inquiry.close_reason == "سؤال مكرر"
    # A closed inquiry is not answered afterwards.
    assert _answer(client, inquiry).status_code == 400
    with scopes_disabled():
        assert not OutboxMessage.objects.exists()


def test_an_answered_inquiry_closes_without_a_reason(client_as, org):
    inquiry = make_inquiry(org)
    client = client_as(Role.RECEPTION)
    _answer(client, inquiry)
    response = client.post(reverse("contact:inquiry_close", args=[inquiry.pk]))
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED


def test_assigning_to_a_colleague_is_audited(client_as, org, members):
    inquiry = make_inquiry(org)
    colleague = members[Role.RESEARCHER]
    response = client_as(Role.RECEPTION).post(
        reverse("contact:inquiry_assign", args=[inquiry.pk]),
        {"assigned_to": colleague.pk},
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.assigned_to == colleague
    # The committee member does not answer inquiries: not offered, refused.
    response = client_as(Role.RECEPTION).post(
        reverse("contact:inquiry_assign", args=[inquiry.pk]),
        {"assigned_to": members[Role.COMMITTEE].pk},
    )
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.assigned_to == colleague


def test_the_inquiry_page_shows_the_question_and_the_due_date(client_as, org):
    inquiry = make_inquiry(org, question="متى التوزيع؟")
    response = client_as(Role.RESEARCHER).get(
        reverse("contact:inquiry_detail", args=[inquiry.pk])
    )
    text = page_text(response)
    assert "متى التوزيع؟" in text
    assert inquiry.reference in text


# --- Figures ---------------------------------------------------------------


def test_inquiry_figures_for_a_period(org, members):
    user = members[Role.RECEPTION]
    on_time = make_inquiry(org, received_at=at(THURSDAY, 8))
    late = make_inquiry(org, received_at=at(THURSDAY, 9))
    make_inquiry(org, received_at=at(THURSDAY, 11))
    make_inquiry(org, received_at=at(THURSDAY + datetime.timedelta(days=30)))
    with scope(organization=org):
        services.answer_inquiry(
            actor=user, inquiry=on_time, answer="أ", now=at(THURSDAY, 12)
        )
        services.answer_inquiry(
            actor=user, inquiry=late, answer="ب", now=at(datetime.date(2025, 4, 3), 9)
        )
        figures = services.inquiry_figures(
            org, at(THURSDAY, 0), at(THURSDAY + datetime.timedelta(days=1), 0)
        )
    assert figures["received"] == 3
    assert figures["answered"] == 2
    assert figures["answered_on_time"] == 1
    # 4 hours and 7 days: the median of two is their mean.
    assert figures["median_hours_to_answer"] == round((4 + 7 * 24) / 2, 1)


def test_the_queue_costs_the_same_queries_for_many_inquiries(
    client_as, org, django_assert_max_num_queries
):
    """The queue reads its page in a bounded number of queries (no query per row)."""
    client = client_as(Role.RECEPTION)
    with scope(organization=org):
        make_inquiry(org, beneficiary=BeneficiaryFactory(organization=org))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("contact:inquiry_list"))
    for _ in range(15):
        with scope(organization=org):
            make_inquiry(org, beneficiary=BeneficiaryFactory(organization=org))
        make_inquiry(org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("contact:inquiry_list"), {"show": "all"})
    assert response.status_code == 200
