"""The staff pages: recording, the queue, handling, the figures, the settings
and improvement actions (P-COMPLAINTS, P-IMPROVE)."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.feedback import escalation, services
from mustafid.feedback.improvements import ImprovementAction
from mustafid.feedback.models import FeedbackItem, FeedbackTarget, Level, Status
from tests.contact.helpers import phone_channel
from tests.factories import BeneficiaryFactory
from tests.feedback.helpers import ar, make_item, messages, reload, step

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_reception_records_a_phone_complaint_from_a_beneficiary(client_as, org):
    client = client_as(Role.RECEPTION)
    channel = phone_channel(org)
    with scope(organization=org):
        person = BeneficiaryFactory(organization=org)
    url = reverse("feedback:item_create") + f"?beneficiary={person.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "for": person.pk,
            "kind": "complaint",
            "channel": channel.pk,
            "sender": "beneficiary",
            "priority": "high",
            "about": "general",
            "description": "لم يرد أحد على اتصالاتي منذ أسبوع.",
        },
    )
    with scope(organization=org):
        item = FeedbackItem.objects.get()
    assert response.status_code == 302
    assert (item.beneficiary, item.priority, item.status) == (
        person,
        "high",
        Status.ACKNOWLEDGED,
    )
    # The profile's complaints tab lists it.
    tab = client.get(
        reverse("registry:beneficiary_detail", args=[person.pk]) + "?tab=complaints"
    )
    assert item.reference in text(tab)


def test_bad_input_shows_the_form_again_and_writes_nothing(client_as, org):
    client = client_as(Role.RECEPTION)
    response = client.post(
        reverse("feedback:item_create"),
        {"kind": "complaint", "channel": "x", "sender": "other", "about": "general"},
    )
    assert response.status_code == 400
    with scope(organization=org):
        assert not FeedbackItem.objects.exists()


def test_the_queue_puts_items_past_their_target_first(client_as, org):
    client = client_as(Role.RECEPTION)
    late = make_item(org, received_at=timezone.now() - datetime.timedelta(days=30))
    fresh = make_item(org)
    page = text(client.get(reverse("feedback:item_list")))
    assert page.index(late.reference) < page.index(fresh.reference)
    assert ar("overdue") in page


def test_handling_through_the_pages(client_as, org):
    client = client_as(Role.RECEPTION)
    item = make_item(org)
    client.post(reverse("feedback:item_start", args=[item.pk]))
    assert reload(item).status == Status.IN_PROGRESS
    response = client.post(
        reverse("feedback:item_resolve", args=[item.pk]), {"text": "اعتذرنا وصُرفت."}
    )
    assert response.status_code == 302
    client.post(reverse("feedback:item_close", args=[item.pk]), {"text": ""})
    assert reload(item).status == Status.CLOSED
    client.post(reverse("feedback:item_satisfaction", args=[item.pk]), {"score": "2"})
    item = reload(item)
    assert (item.satisfaction, item.satisfaction_by_staff) == (2, True)
    detail = text(client.get(reverse("feedback:item_detail", args=[item.pk])))
    assert ar("given by phone") in detail


def test_a_refused_step_answers_400_and_changes_nothing(client_as, org):
    client = client_as(Role.RECEPTION)
    item = make_item(org)
    response = client.post(
        reverse("feedback:item_reopen", args=[item.pk]), {"text": "x"}
    )
    assert response.status_code == 400
    assert reload(item).status == Status.ACKNOWLEDGED


def test_the_board_list_shows_what_was_raised_to_the_board(client_as, org):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60)):
        item = make_item(org)
        calm = make_item(org, kind="suggestion")
    escalation.escalate_all()
    escalation.escalate_all()
    assert reload(item).level == Level.BOARD
    page = text(client_as(Role.AUDITOR).get(reverse("feedback:board")))
    assert item.reference in page
    assert reload(calm).level == Level.BOARD  # a suggestion has targets too


def test_the_figures_count_in_the_database_in_bounded_queries(
    client_as, org, members, django_assert_max_num_queries
):
    """Item 6: counts, times against targets and the reopen rate, with a
    number of queries that does not grow with the items."""
    client = client_as(Role.MANAGER)
    officer = members[Role.RECEPTION]
    make_item(org)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("feedback:figures"))
    for n in range(6):
        item = make_item(org, kind="suggestion" if n % 2 else "complaint")
        step(org, services.resolve, actor=officer, item=item, resolution="تم.")
        if n == 0:
            step(org, services.reopen, actor=None, item=item, reason="لا.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("feedback:figures"))
    figures = response.context["period"]
    assert figures["received"] == 7
    assert figures["resolved"] == 6
    assert figures["reopened"] == 1
    assert figures["reopen_rate"] == 17
    assert figures["resolved_on_time"] == 6
    assert figures["hours_to_resolve"] is not None
    assert response.context["open"]["open"] == 2
    kinds = {row["label"]: row["count"] for row in response.context["by_kind"]}
    assert kinds[ar("Complaint")] == 4


def test_bad_period_on_the_figures_page_is_an_error_not_a_crash(client_as):
    client = client_as(Role.MANAGER)
    response = client.get(
        reverse("feedback:figures"), {"start": "2026-12-10", "end": "2026-12-01"}
    )
    assert response.status_code == 200
    assert ar("The period ends before it starts.") in text(response)


def test_the_manager_sets_the_targets(client_as, org):
    client = client_as(Role.MANAGER)
    client.get(reverse("feedback:settings"))
    data = {}
    for priority, (ack, resolve, board) in {
        "urgent": (1, 2, 3),
        "high": (1, 4, 5),
        "normal": (1, 5, 5),
        "low": (2, 10, 10),
    }.items():
        data |= {
            f"{priority}-acknowledge_days": ack,
            f"{priority}-resolve_days": resolve,
            f"{priority}-board_after_days": board,
        }
    assert client.post(reverse("feedback:settings"), data).status_code == 302
    with scope(organization=org):
        assert FeedbackTarget.objects.get(priority="high").resolve_days == 4
    bad = data | {"high-acknowledge_days": 9}
    assert client.post(reverse("feedback:settings"), bad).status_code == 400
    with scope(organization=org):
        assert FeedbackTarget.objects.get(priority="high").acknowledge_days == 1


def test_an_improvement_action_from_a_suggestion_is_published(client, client_as, org):
    """P-IMPROVE: made from items; published on "you said, we did" once done."""
    client = client_as(Role.MANAGER)
    manager = client.session["_auth_user_id"]
    item = make_item(org, kind="suggestion")
    form = {
        "title": "استقبال مسائي",
        "items": [item.pk],
        "owner": manager,
        "due_on": "2027-01-31",
        "status": "done",
        "outcome": "",
        "you_said": "المواعيد الصباحية لا تناسب العاملين.",
        "we_did": "أضفنا استقبالًا مسائيًا يوم الثلاثاء.",
        "is_published": "on",
    }
    assert client.post(reverse("feedback:action_create"), form).status_code == 400
    form["outcome"] = "بدأ الاستقبال المسائي."
    assert client.post(reverse("feedback:action_create"), form).status_code == 302
    with scope(organization=org):
        action = ImprovementAction.objects.get()
        assert list(action.items.all()) == [item]
        assert action.completed_on == timezone.localdate()
    public = client.get(reverse("portal:you_said_we_did", args=[org.slug]))
    assert "أضفنا استقبالًا مسائيًا" in text(public)
    assert item.reference not in text(public)
    assert messages(org, "feedback_acknowledged")


def test_a_complaint_about_a_request_is_recorded_from_the_record(client_as, org):
    from tests.cases.helpers import make_case

    client = client_as(Role.RECEPTION)
    case = make_case(org)
    url = reverse("feedback:item_create") + f"?beneficiary={case.beneficiary_id}"
    response = client.post(
        url,
        {
            "for": case.beneficiary_id,
            "kind": "complaint",
            "channel": phone_channel(org).pk,
            "sender": "beneficiary",
            "priority": "normal",
            "about": "case",
            "case": case.pk,
            "description": "لم يصلني قرار اللجنة بعد.",
        },
    )
    assert response.status_code == 302
    with scope(organization=org):
        assert FeedbackItem.objects.get().case == case
    # Without a beneficiary there is no request to choose.
    form = client.get(reverse("feedback:item_create")).context["form"]
    assert "case" not in form.fields


def test_a_letter_received_earlier_counts_from_that_day_but_not_the_future(
    client_as, org
):
    client = client_as(Role.RECEPTION)
    data = {
        "kind": "complaint",
        "channel": phone_channel(org).pk,
        "sender": "anonymous",
        "priority": "normal",
        "about": "general",
        "description": "رسالة ورقية.",
    }
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = client.post(
        reverse("feedback:item_create"), data | {"received_at": future}
    )
    assert response.status_code == 400
    earlier = (timezone.localtime() - datetime.timedelta(days=10)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = client.post(
        reverse("feedback:item_create"), data | {"received_at": earlier}
    )
    assert response.status_code == 302
    with scope(organization=org):
        item = FeedbackItem.objects.get()
    # Acknowledged today, past its one-day target: the figures show it late.
    assert item.acknowledged_at > item.acknowledge_due_at
