"""Intake, the case page, its actions and the queue."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from mustafid.cases.models import Case, CaseEvent, Delivery
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.roles import Role
from tests.cases.helpers import make_case, make_channel, make_service
from tests.factories import TINY_PNG


def intake_data(beneficiary, service, channel, **extra):
    return {
        "identity_number": beneficiary.identity_number,
        "channel": channel.pk,
        "service": service.pk,
        "attestation_method": "paper_scan",
        "scan": SimpleUploadedFile("signed.png", TINY_PNG, "image/png"),
        "notes": "حضر بنفسه",
    } | extra


def test_intake_opens_and_submits_the_case(client_as, org, beneficiary):
    service, channel = make_service(org), make_channel(org)
    response = client_as(Role.RECEPTION).post(
        reverse("cases:case_intake"), intake_data(beneficiary, service, channel)
    )
    with scopes_disabled():
        case = Case.objects.get()
        attestation = case.attestation
        events = list(CaseEvent.objects.values_list("to_status", flat=True))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.status == "submitted"
    assert case.channel == channel and case.beneficiary == beneficiary
    assert case.decision_due == timezone.localdate() + datetime.timedelta(days=14)
    assert attestation.method == "paper_scan" and attestation.scan
    assert attestation.attested_by_name == beneficiary.full_name
    assert events == ["draft", "submitted"]


def test_intake_from_the_profile_link(client_as, org, beneficiary):
    service, channel = make_service(org), make_channel(org)
    client = client_as(Role.RECEPTION)
    page = client.get(reverse("cases:case_intake") + f"?beneficiary={beneficiary.pk}")
    assert beneficiary.full_name in page.content.decode()
    data = intake_data(beneficiary, service, channel, identity_number="")
    data |= {"beneficiary": beneficiary.pk, "attestation_method": "portal_otp"}
    data.pop("scan")
    assert client.post(reverse("cases:case_intake"), data).status_code == 302


def test_intake_needs_an_enabled_channel_and_a_scan(client_as, org, beneficiary):
    service = make_service(org)
    disabled = make_channel(org, name_ar="فاكس", is_enabled=False)
    data = intake_data(beneficiary, service, disabled)
    data.pop("scan")
    response = client_as(Role.RECEPTION).post(reverse("cases:case_intake"), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"channel", "scan"}
    with scopes_disabled():
        assert not Case.objects.exists()


def test_intake_of_an_unknown_identity_number(client_as, org, beneficiary):
    data = intake_data(
        beneficiary, make_service(org), make_channel(org), identity_number="1000000008"
    )
    response = client_as(Role.RECEPTION).post(reverse("cases:case_intake"), data)
    assert "identity_number" in response.context["form"].errors


def test_case_page_shows_timeline_checklist_and_moves(client_as, org):
    case = make_case(org, "submitted")
    response = client_as(Role.RECEPTION).get(
        reverse("cases:case_detail", args=[case.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("cases:case_move", args=[case.pk, "verifying"]) in body
    assert f'name="version" value="{case.version}"' in body


def test_moving_through_the_page(client_as, org):
    case = make_case(org, "submitted")
    url = reverse("cases:case_move", args=[case.pk, "verifying"])
    response = client_as(Role.RECEPTION).post(url, {"version": case.version})
    assert response.status_code == 302
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).status == "verifying"


def test_a_stale_page_is_told_the_case_changed(client_as, org):
    case = make_case(org, "submitted")
    client = client_as(Role.RECEPTION)
    url = reverse("cases:case_move", args=[case.pk, "verifying"])
    client.post(url, {"version": case.version})
    response = client.post(url, {"version": case.version}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("أعد تحميل الصفحة" in m for m in messages)


def test_a_role_without_the_move_gets_403(client_as, org):
    case = make_case(org, "in_committee")
    url = reverse("cases:case_move", args=[case.pk, "approved"])
    response = client_as(Role.RECEPTION).post(url, {"version": case.version})
    assert response.status_code == 403


def test_recording_a_delivery(client_as, org):
    case = make_case(org, "delivering")
    today = timezone.localdate().isoformat()
    response = client_as(Role.SERVICES).post(
        reverse("cases:delivery_create", args=[case.pk]),
        {
            "kind": "cash",
            "amount": "750.00",
            "delivered_on_0": "gregorian",
            "delivered_on_1": today,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        delivery = Delivery.objects.get()
    assert delivery.amount == 750 and delivery.case == case


def test_cash_delivery_needs_an_amount(client_as, org):
    case = make_case(org, "delivering")
    client_as(Role.SERVICES).post(
        reverse("cases:delivery_create", args=[case.pk]),
        {"kind": "cash", "delivered_on_0": "gregorian", "delivered_on_1": "2025-01-01"},
    )
    with scopes_disabled():
        assert not Delivery.objects.exists()


def test_delivery_refused_outside_delivering(client_as, org):
    case = make_case(org, "approved")
    client_as(Role.SERVICES).post(
        reverse("cases:delivery_create", args=[case.pk]),
        {"kind": "in_kind", "quantity": 1, "delivered_on_0": "gregorian",
         "delivered_on_1": "2025-01-01"},
    )  # fmt: skip
    with scopes_disabled():
        assert not Delivery.objects.exists()


def test_queue_filters_and_marks_overdue(client_as, org):
    today = timezone.localdate()
    service = make_service(org)
    late = make_case(org, "verifying", decision_due=today - datetime.timedelta(1))
    make_case(org, "verifying", service=service, decision_due=today)
    client = client_as(Role.COMMITTEE)
    response = client.get(reverse("cases:case_list"), {"service": service.pk})
    assert [c.service_id for c in response.context["page"]] == [service.pk]
    response = client.get(reverse("cases:case_list"), {"sort": "due"})
    rows = list(response.context["page"])
    assert rows[0] == late and rows[0].is_overdue
    assert rows[1].is_due_soon


def test_queue_queries_do_not_grow_with_cases(
    client_as, org, django_assert_max_num_queries
):
    client = client_as(Role.MANAGER)
    service = make_service(org)
    for _ in range(3):
        make_case(org, "submitted", service=service)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("cases:case_list"))
    for _ in range(40):
        make_case(org, "submitted", service=service)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("cases:case_list"))
    assert response.context["page"].paginator.count == 43


def test_outbox_rows_belong_to_the_association(client_as, org, beneficiary):
    client_as(Role.RECEPTION).post(
        reverse("cases:case_intake"),
        intake_data(beneficiary, make_service(org), make_channel(org)),
    )
    with scope(organization=org):
        message = OutboxMessage.objects.get()
    assert message.event == "case_received"
    assert message.channel == beneficiary.preferred_contact
