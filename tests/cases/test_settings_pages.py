"""The manager's settings for requests: holidays (P-COMMITTEE) and the
attestation wording (P-ATTEST)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.cases import deadlines
from mustafid.cases.models import AttestationText, Holiday
from mustafid.cases.services import DEFAULT_ATTESTATION_AR, current_attestation_text
from mustafid.core.models import AuditAction, AuditEvent, DecisionDays
from mustafid.core.roles import Role
from tests.cases.helpers import make_case
from tests.conftest import make_member

HOLIDAYS = reverse("cases:holiday_list")
ATTESTATION = reverse("cases:attestation_text")
# Shawwal 1, 1446 AH is Sunday, March 30, 2025.
EID = datetime.date(2025, 3, 30)


def holiday_data(day="1446-10-01", calendar="hijri", days=1, name="عيد الفطر"):
    return {
        "first_day_0": calendar,
        "first_day_1": day,
        "days": str(days),
        "name": name,
    }


def holidays_of(org):
    with scope(organization=org):
        return list(Holiday.objects.values_list("date", "name"))


def form_errors(response):
    return response.context["form"].errors


def said(msgid: str, **params) -> str:
    with translation.override("ar"):
        text = translation.gettext(msgid)
    return text % params if params else text


# Holidays


def test_a_manager_adds_a_holiday_typed_in_hijri(client_as, org):
    """P-COMMITTEE: the day is entered Hijri and kept Gregorian, audited."""
    response = client_as(Role.MANAGER).post(HOLIDAYS, holiday_data())
    assert response.status_code == 302
    assert holidays_of(org) == [(EID, "عيد الفطر")]
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="cases.holiday"
        ).exists()


def test_an_eid_of_several_days_is_one_entry(client_as, org):
    client_as(Role.ADMIN).post(HOLIDAYS, holiday_data(days=4))
    assert [day for day, _name in holidays_of(org)] == [
        EID + datetime.timedelta(days=n) for n in range(4)
    ]


def test_a_day_already_off_is_refused_with_its_name(client_as, org):
    """Duplicates are refused, saying which day and which holiday; nothing added."""
    client = client_as(Role.MANAGER)
    client.post(HOLIDAYS, holiday_data(name="عيد الفطر"))
    response = client.post(
        HOLIDAYS,
        holiday_data(day="2025-03-29", calendar="gregorian", days=3, name="إجازة"),
    )
    assert response.status_code == 200
    [error] = form_errors(response)["first_day"]
    assert "عيد الفطر" in error and "1446" in error
    assert holidays_of(org) == [(EID, "عيد الفطر")]


@pytest.mark.parametrize(
    "data,field",
    [
        (holiday_data(day="1446-13-01"), "first_day"),
        (holiday_data(day="tomorrow"), "first_day"),
        (holiday_data(day=""), "first_day"),
        (holiday_data(days=0), "days"),
        (holiday_data(days=31), "days"),
        (holiday_data(name="  "), "name"),
    ],
    ids=["no-such-month", "not-a-date", "empty", "zero-days", "too-many", "no-name"],
)
def test_bad_holiday_input_is_refused_clearly(client_as, org, data, field):
    response = client_as(Role.MANAGER).post(HOLIDAYS, data)
    assert response.status_code == 200
    assert form_errors(response)[field]
    assert holidays_of(org) == []


def test_a_holiday_is_deleted_and_audited(client_as, org):
    client = client_as(Role.MANAGER)
    client.post(HOLIDAYS, holiday_data())
    with scope(organization=org):
        holiday = Holiday.objects.get()
    response = client.post(reverse("cases:holiday_delete", args=[holiday.pk]))
    assert response.status_code == 302
    assert holidays_of(org) == []
    with scopes_disabled():
        event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.changes == {"date": EID.isoformat(), "name": "عيد الفطر"}


def test_the_list_shows_only_the_associations_holidays(client_as, org, other_org):
    with scope(organization=other_org):
        Holiday.objects.create(organization=other_org, date=EID, name="يوم آخر")
    response = client_as(Role.MANAGER).get(HOLIDAYS)
    assert "يوم آخر" not in response.content.decode()
    response = client_as(Role.MANAGER).post(HOLIDAYS, holiday_data())
    assert response.status_code == 302  # the other association's day is no duplicate


def test_another_associations_holiday_cannot_be_deleted(client, org, other_org):
    with scope(organization=other_org):
        holiday = Holiday.objects.create(organization=other_org, date=EID, name="عيد")
    client.force_login(make_member(org, Role.MANAGER))
    response = client.post(reverse("cases:holiday_delete", args=[holiday.pk]))
    assert response.status_code == 404
    assert holidays_of(other_org) == [(EID, "عيد")]


def test_holidays_added_here_move_the_working_day_deadline(client_as, org):
    """P-COMMITTEE: working days skip the association's holidays."""
    org.decision_days_kind = DecisionDays.WORKING
    org.save()
    thursday = datetime.date(2025, 3, 27)
    with scope(organization=org):
        before = deadlines.decision_due(org, thursday, 2)
    client_as(Role.MANAGER).post(HOLIDAYS, holiday_data(days=3))
    with scope(organization=org):
        after = deadlines.decision_due(org, thursday, 2)
    assert (before, after) == (datetime.date(2025, 3, 31), datetime.date(2025, 4, 3))


def test_the_page_says_how_the_window_is_counted(client_as, org):
    body = client_as(Role.MANAGER).get(HOLIDAYS).content.decode()
    with translation.override("ar"):
        assert str(DecisionDays.CALENDAR.label) in body


# The attestation wording


def publish(client, text_ar, text_en=""):
    return client.post(ATTESTATION, {"text_ar": text_ar, "text_en": text_en})


def texts_of(org):
    with scope(organization=org):
        return list(
            AttestationText.objects.order_by("version").values_list(
                "version", "text_ar", "is_current"
            )
        )


def test_the_page_offers_the_policies_sentence_before_any_version(client_as, org):
    response = client_as(Role.MANAGER).get(ATTESTATION)
    assert response.context["form"].initial["text_ar"] == DEFAULT_ATTESTATION_AR
    assert texts_of(org) == []  # opening the page writes nothing


def test_publishing_makes_a_new_current_version_and_keeps_the_old(client_as, org):
    """P-ATTEST: attestations keep citing the wording they were given."""
    old_case = make_case(org, "submitted")  # attested against version 1
    client = client_as(Role.MANAGER)
    response = publish(client, "أقر بصحة البيانات وأتحمل المسؤولية.", "I attest.")
    assert response.status_code == 302
    assert texts_of(org) == [
        (1, DEFAULT_ATTESTATION_AR, False),
        (2, "أقر بصحة البيانات وأتحمل المسؤولية.", True),
    ]
    with scope(organization=org):
        assert old_case.attestation.text.version == 1
        assert current_attestation_text(org).version == 2
    new_case = make_case(org, "submitted")
    with scope(organization=org):
        assert new_case.attestation.text.version == 2
    page = client.get(ATTESTATION).content.decode()
    assert "I attest." in page and DEFAULT_ATTESTATION_AR in page
    with scopes_disabled():
        event = AuditEvent.objects.get(object_type="cases.attestationtext")
    assert event.changes["version"] == [1, 2]


def test_the_first_wording_published_is_version_one(client_as, org):
    publish(client_as(Role.ADMIN), "نص الجمعية")
    assert texts_of(org) == [(1, "نص الجمعية", True)]


def test_the_same_wording_again_is_refused(client_as, org):
    client = client_as(Role.MANAGER)
    publish(client, "نص الجمعية", "Our text")
    response = publish(client, " نص الجمعية ", "Our text")
    assert response.status_code == 200
    assert said("This wording is already the one in force.") in (
        response.context["form"].non_field_errors()
    )
    assert texts_of(org) == [(1, "نص الجمعية", True)]


def test_an_empty_arabic_wording_is_refused(client_as, org):
    response = publish(client_as(Role.MANAGER), "   ", "English only")
    assert response.context["form"].errors["text_ar"]
    assert texts_of(org) == []


def test_versions_are_per_association(client_as, org, other_org):
    with scope(organization=other_org):
        current_attestation_text(other_org)
    publish(client_as(Role.MANAGER), "نص ألفا")
    assert texts_of(org) == [(1, "نص ألفا", True)]
    assert texts_of(other_org) == [(1, DEFAULT_ATTESTATION_AR, True)]


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.COMMITTEE, Role.AUDITOR])
def test_other_roles_cannot_change_the_settings(client_as, org, role):
    client = client_as(role)
    assert publish(client, "نص").status_code == 403
    assert client.post(HOLIDAYS, holiday_data()).status_code == 403
    assert texts_of(org) == [] and holidays_of(org) == []


def test_the_queue_links_to_the_settings_for_the_manager_only(client_as, org):
    page = client_as(Role.MANAGER).get(reverse("cases:case_list")).content.decode()
    assert HOLIDAYS in page and ATTESTATION in page
    page = client_as(Role.RECEPTION).get(reverse("cases:case_list")).content.decode()
    assert HOLIDAYS not in page


def test_a_holiday_in_the_past_is_shown_and_kept(client_as, org):
    last_year = timezone.localdate() - datetime.timedelta(days=365)
    client_as(Role.MANAGER).post(
        HOLIDAYS, holiday_data(day=last_year.isoformat(), calendar="gregorian")
    )
    assert holidays_of(org) == [(last_year, "عيد الفطر")]
