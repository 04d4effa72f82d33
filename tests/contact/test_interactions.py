"""The interaction log: a quick call, the beneficiary's contacts tab (P-RECEIVE)."""

import datetime
import html

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.contact import services
from mustafid.contact.models import Direction, Interaction
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from tests.cases.helpers import make_case, make_channel
from tests.contact.helpers import phone_channel
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_quick_call_preselects_the_phone_channel_and_incoming(client_as, org):
    phone = phone_channel(org)
    make_channel(org, name_ar="مقابلة شخصية", position=0)
    response = client_as(Role.RECEPTION).get(reverse("contact:interaction_create"))
    form = response.context["form"]
    assert form["channel"].value() == phone.pk
    assert form["direction"].value() == Direction.INCOMING


def test_quick_call_from_the_profile_returns_to_its_contacts_tab(
    client_as, org, members, beneficiary
):
    phone = phone_channel(org)
    case = make_case(org, "submitted", beneficiary=beneficiary)
    response = client_as(Role.RECEPTION).post(
        reverse("contact:interaction_create"),
        {
            "for": beneficiary.pk,
            "channel": phone.pk,
            "direction": "incoming",
            "subject": "يسأل عن طلبه",
            "summary": "أخبرناه أن الطلب لدى اللجنة.",
            "case": case.pk,
        },
    )
    profile = reverse("registry:beneficiary_detail", args=[beneficiary.pk])
    assert response.status_code == 302
    assert response["Location"] == profile + "?tab=contacts"
    with scopes_disabled():
        interaction = Interaction.objects.get()
        assert AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_id=str(interaction.pk)
        ).exists()
    assert interaction.beneficiary == beneficiary
    assert interaction.case == case
    assert interaction.staff == members[Role.RECEPTION]
    assert interaction.organization == org


def test_quick_call_finds_the_beneficiary_by_identity_number(
    client_as, org, beneficiary
):
    phone = phone_channel(org)
    response = client_as(Role.RESEARCHER).post(
        reverse("contact:interaction_create"),
        {
            "channel": phone.pk,
            "direction": "incoming",
            "find": beneficiary.identity_number,
            "subject": "استفسار",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contact:interaction_create")
    with scopes_disabled():
        assert Interaction.objects.get().beneficiary == beneficiary


def test_quick_call_without_a_beneficiary_keeps_the_callers_name_and_phone(
    client_as, org
):
    phone = phone_channel(org)
    response = client_as(Role.RECEPTION).post(
        reverse("contact:interaction_create"),
        {
            "channel": phone.pk,
            "direction": "incoming",
            "contact_name": "متصل",
            "contact_phone": "٠٥٠١٢٣٤٥٦٧",
            "subject": "يسأل عن مواعيد الدوام",
            "next": "/beneficiaries/",
        },
    )
    assert response["Location"] == "/beneficiaries/"
    with scopes_disabled():
        interaction = Interaction.objects.get()
    assert interaction.beneficiary is None
    assert interaction.contact_name == "متصل"
    assert interaction.contact_phone == "+966501234567"
    # Encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM contact_interaction")
        (stored,) = cursor.fetchone()
    assert "501234567" not in stored


def test_quick_call_refuses_what_it_cannot_log_and_writes_nothing(client_as, org):
    phone = phone_channel(org)
    client = client_as(Role.RECEPTION)
    url = reverse("contact:interaction_create")
    nobody = client.post(
        url,
        {
            "channel": phone.pk,
            "direction": "incoming",
            "find": "1000000008",
            "subject": "x",
        },
    )
    bad_phone = client.post(
        url,
        {
            "channel": phone.pk,
            "direction": "incoming",
            "contact_phone": "12",
            "subject": "x",
        },
    )
    no_subject = client.post(url, {"channel": phone.pk, "direction": "incoming"})
    assert nobody.status_code == bad_phone.status_code == no_subject.status_code == 200
    assert ar(
        "No beneficiary matches. Correct the search, or clear it to record "
        "someone who is not registered."
    ) in page_text(nobody)
    with scopes_disabled():
        assert not Interaction.objects.exists()


def test_a_request_of_someone_else_is_refused(client_as, org, beneficiary):
    other_case = make_case(org, "submitted")
    response = client_as(Role.RECEPTION).post(
        reverse("contact:interaction_create"),
        {
            "for": beneficiary.pk,
            "channel": phone_channel(org).pk,
            "direction": "incoming",
            "subject": "x",
            "case": other_case.pk,
        },
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert not Interaction.objects.exists()


def test_next_pointing_elsewhere_is_ignored(client_as, org):
    response = client_as(Role.RECEPTION).post(
        reverse("contact:interaction_create"),
        {
            "channel": phone_channel(org).pk,
            "direction": "incoming",
            "subject": "x",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("contact:interaction_create")


def _log(org, beneficiary, user, subject, when, **extra):
    with scope(organization=org):
        return services.log_interaction(
            actor=user,
            organization=org,
            channel=phone_channel(org),
            beneficiary=beneficiary,
            subject=subject,
            occurred_at=when,
            **extra,
        )


def test_profile_contacts_tab_lists_the_timeline_newest_first(
    client_as, org, members, beneficiary
):
    now = timezone.now()
    case = make_case(org, "submitted", beneficiary=beneficiary)
    user = members[Role.RECEPTION]
    _log(org, beneficiary, user, "المكالمة الأولى", now - datetime.timedelta(days=2))
    _log(org, beneficiary, user, "المكالمة الثانية", now, case=case)
    someone_else = BeneficiaryFactory(organization=org)
    _log(org, someone_else, user, "مكالمة لغيره", now)
    response = client_as(Role.AUDITOR).get(
        reverse("registry:beneficiary_detail", args=[beneficiary.pk]),
        {"tab": "contacts"},
    )
    text = page_text(response)
    assert text.index("المكالمة الثانية") < text.index("المكالمة الأولى")
    assert "مكالمة لغيره" not in text
    assert case.number in text
    assert reverse("cases:case_detail", args=[case.pk]) in text
    # The auditor reads but does not log.
    assert reverse("contact:interaction_create") + "?" not in text


def test_contacts_tab_is_paginated_in_a_bounded_number_of_queries(
    client_as, org, members, beneficiary, django_assert_max_num_queries
):
    user = members[Role.RECEPTION]
    now = timezone.now()
    client = client_as(Role.RECEPTION)
    url = reverse("registry:beneficiary_detail", args=[beneficiary.pk])
    _log(
        org,
        beneficiary,
        user,
        "مكالمة",
        now,
        case=make_case(org, beneficiary=beneficiary),
    )
    with django_assert_max_num_queries(40) as few:
        client.get(url, {"tab": "contacts"})
    for n in range(25):
        case = make_case(org, "submitted", beneficiary=beneficiary)
        _log(org, beneficiary, user, f"مكالمة {n}", now, case=case)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"tab": "contacts"})
    assert len(response.context["contacts_page"].object_list) == 20
    second = client.get(url, {"tab": "contacts", "page": 2})
    assert len(second.context["contacts_page"].object_list) == 6


def test_another_associations_contacts_never_show(client_as, org, other_org):
    with scope(organization=other_org):
        theirs = BeneficiaryFactory(organization=other_org)
    _log(other_org, theirs, None, "سرّي", timezone.now())
    client = client_as(Role.RECEPTION)
    response = client.get(
        reverse("contact:interaction_create"), {"beneficiary": theirs.pk}
    )
    assert response.status_code == 404
    response = client.get(
        reverse("registry:beneficiary_detail", args=[theirs.pk]), {"tab": "contacts"}
    )
    assert response.status_code == 404
    # Nor can a channel of theirs be used.
    with scope(organization=other_org):
        their_channel = make_channel(other_org, name_ar="قناتهم")
    response = client.post(
        reverse("contact:interaction_create"),
        {"channel": their_channel.pk, "direction": "incoming", "subject": "x"},
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert Interaction.objects.filter(organization=org).count() == 0
