"""The registry: Saudi validation, encryption at rest, search, household,
documents and indirect reach (P-COMPLETE, P-REGISTER, P-PRIVACY, P-NEEDS, P-TYPES)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.contact.models import Channel
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.registry.defaults import ensure_registry_defaults
from mustafid.registry.models import (
    Beneficiary,
    Category,
    Document,
    DocumentType,
    HouseholdMember,
    ReachRecord,
)
from tests.factories import BeneficiaryFactory, DocumentFactory

VALID_ID = "1000000008"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(**overrides):
    data = {
        "first_name": "أحمد",
        "father_name": "عبدالله",
        "grandfather_name": "سعد",
        "family_name": "الزهراني",
        "identity_type": "national_id",
        "identity_number": "١٠٠٠٠٠٠٠٠٨",  # Eastern digits
        "nationality": "SA",
        "residency_status": "citizen",
        "gender": "male",
        "birth_date_0": "hijri",
        "birth_date_1": "1410-01-01",
        "mobile": "055 123 4567",
        "short_address": "rrrd2929",
        "building_number": "1234",
        "postal_code": "12345",
        "region": "riyadh",
        "preferred_contact": "sms",
        "preferred_language": "ar",
        "registration_status": "registered",
    }
    return data | overrides


def beneficiaries(org):
    with scope(organization=org):
        return list(Beneficiary.objects.all())


def events(action):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action))


def test_registering_normalises_what_staff_type(client_as, org):
    response = client_as(Role.RECEPTION).post(
        reverse("registry:beneficiary_create"), form_data()
    )
    assert response.status_code == 302
    [person] = beneficiaries(org)
    assert person.identity_number == VALID_ID
    assert person.mobile == "+966551234567"
    assert person.short_address == "RRRD2929"
    assert person.birth_date == datetime.date(1989, 8, 2)  # 1 Muharram 1410 (UQ)


def test_identity_and_mobile_are_encrypted_at_rest(client_as, org):
    """P-PRIVACY: the database holds ciphertext and a keyed hash, not the number."""
    client_as(Role.RECEPTION).post(reverse("registry:beneficiary_create"), form_data())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_number, identity_hash, mobile FROM registry_beneficiary"
        )
        stored_id, stored_hash, stored_mobile = cursor.fetchone()
    assert VALID_ID not in stored_id and VALID_ID not in stored_hash
    assert "551234567" not in stored_mobile
    [created] = events(AuditAction.CREATE)
    assert VALID_ID not in str(created.changes)
    assert created.changes["identity_number"] == ["•••", "•••"]


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("identity_number", "1000000007", "identity_number"),  # check digit
        ("identity_number", "2000000006", "identity_number"),  # iqama as national id
        ("identity_number", "12345", "identity_number"),
        ("mobile", "0521234567", "mobile"),  # 052 is not a Saudi mobile prefix
        ("mobile", "0112345678", "mobile"),  # a landline
        ("short_address", "RRR2929", "short_address"),
        ("postal_code", "1234", "postal_code"),
        ("birth_date_1", "1410-13-01", "birth_date"),
        ("birth_date_1", "yesterday", "birth_date"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    client_as, org, field, value, error_field
):
    response = client_as(Role.RECEPTION).post(
        reverse("registry:beneficiary_create"), form_data(**{field: value})
    )
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert beneficiaries(org) == []
    assert events(AuditAction.CREATE) == []


def test_errors_are_written_in_arabic(client_as, org):
    response = client_as(Role.RECEPTION).post(
        reverse("registry:beneficiary_create"), form_data(mobile="0521234567")
    )
    assert "الجوال" in response.text
    assert "05" in str(response.context["form"].errors["mobile"])


def test_a_manager_may_accept_a_failed_check_digit_with_a_reason(client_as, org):
    data = form_data(identity_number="1000000007", accept_check_digit="on")
    client = client_as(Role.MANAGER)
    response = client.post(reverse("registry:beneficiary_create"), data)
    assert "check_digit_reason" in response.context["form"].errors

    data["check_digit_reason"] = "الرقم مطابق لبطاقة الهوية الأصلية"
    assert client.post(reverse("registry:beneficiary_create"), data).status_code == 302
    [person] = beneficiaries(org)
    assert person.identity_check_override == "الرقم مطابق لبطاقة الهوية الأصلية"
    [created] = events(AuditAction.CREATE)
    assert "الرقم مطابق" in str(created.changes)


def test_reception_cannot_override_the_check_digit(client_as, org):
    data = form_data(
        identity_number="1000000007", accept_check_digit="on", check_digit_reason="x"
    )
    response = client_as(Role.RECEPTION).post(
        reverse("registry:beneficiary_create"), data
    )
    assert "identity_number" in response.context["form"].errors
    assert "accept_check_digit" not in response.context["form"].fields


def test_an_identity_number_is_unique_in_its_association_only(
    client_as, org, other_org
):
    with scope(organization=other_org):
        BeneficiaryFactory(organization=other_org, identity_number=VALID_ID)
    client = client_as(Role.RECEPTION)
    assert (
        client.post(reverse("registry:beneficiary_create"), form_data()).status_code
        == 302
    )
    again = client.post(reverse("registry:beneficiary_create"), form_data())
    [message] = again.context["form"].errors["identity_number"]
    assert "أحمد عبدالله سعد الزهراني" in message  # who holds the number
    assert len(beneficiaries(org)) == 1


def test_editing_records_each_changed_field(client_as, org, beneficiary):
    data = form_data(
        identity_number=beneficiary.identity_number,
        family_name="العتيبي",  # not among the factory's family names
        mobile="0599999999",
    )
    response = client_as(Role.SERVICES).post(
        reverse("registry:beneficiary_edit", args=[beneficiary.pk]), data
    )
    assert response.status_code == 302
    [update] = events(AuditAction.UPDATE)
    assert update.changes["family_name"] == [beneficiary.family_name, "العتيبي"]
    assert update.changes["mobile"] == ["•••", "•••"]


@pytest.mark.parametrize(
    "query",
    ["1000000008", "١٠٠٠٠٠٠٠٠٨", "0551234567", "+966551234567", "551234567"],
)
def test_search_finds_by_identity_or_mobile_whatever_the_format(client_as, org, query):
    with scope(organization=org):
        target = BeneficiaryFactory(
            organization=org, identity_number=VALID_ID, mobile="+966551234567"
        )
        BeneficiaryFactory(organization=org)
    response = client_as(Role.RECEPTION).get(
        reverse("registry:beneficiary_list"), {"q": query}
    )
    assert [b.pk for b in response.context["page"]] == [target.pk]


@pytest.mark.parametrize("query", ["احمد الزهراني", "أحمد", "عبد الله", "زهراني"])
def test_search_by_name_ignores_hamza_and_spacing_variants(client_as, org, query):
    with scope(organization=org):
        target = BeneficiaryFactory(
            organization=org,
            first_name="أحمد",
            father_name="عبدالله",
            family_name="الزهراني",
        )
        BeneficiaryFactory(organization=org, first_name="خالد", father_name="سعد")
    response = client_as(Role.RECEPTION).get(
        reverse("registry:beneficiary_list"), {"q": query}
    )
    assert [b.pk for b in response.context["page"]] == [target.pk]


def test_filters_by_category_region_and_status(client_as, org):
    ensure_registry_defaults(org)
    with scope(organization=org):
        orphans = Category.objects.get(code="orphan")
        target = BeneficiaryFactory(
            organization=org, region="eastern", registration_status="registered"
        )
        target.categories.add(orphans)
        BeneficiaryFactory(organization=org, region="eastern")
        BeneficiaryFactory(organization=org, registration_status="registered")
    response = client_as(Role.AUDITOR).get(
        reverse("registry:beneficiary_list"),
        {"category": orphans.pk, "region": "eastern", "status": "registered"},
    )
    assert [b.pk for b in response.context["page"]] == [target.pk]


def test_the_list_costs_the_same_queries_for_many_rows(
    client_as, org, django_assert_max_num_queries
):
    client = client_as(Role.RECEPTION)
    with scope(organization=org):
        for _ in range(30):
            BeneficiaryFactory(organization=org)
    with django_assert_max_num_queries(12):
        client.get(reverse("registry:beneficiary_list"))


def test_household_income_per_person(client_as, org, beneficiary):
    """P-NEEDS: every member's income counts, divided by everyone in the household."""
    with scope(organization=org):
        beneficiary.monthly_income = Decimal(3000)
        beneficiary.save()
    client = client_as(Role.RESEARCHER)
    url = reverse("registry:member_create", args=[beneficiary.pk])
    for name, income in (("نورة", "1500"), ("سعد", "0")):
        response = client.post(
            url,
            {
                "relation": "daughter",
                "full_name": name,
                "gender": "female",
                "monthly_income": income,
                "birth_date_0": "gregorian",
                "birth_date_1": "2010-05-01",
            },
        )
        assert response.status_code == 302
    with scope(organization=org):
        annotated = Beneficiary.objects.with_household().get(pk=beneficiary.pk)
        plain = Beneficiary.objects.get(pk=beneficiary.pk).income_per_person
    assert annotated.household_size == 3
    assert annotated.income_per_person == plain == Decimal("1500.00")
    page = client.get(
        reverse("registry:beneficiary_detail", args=[beneficiary.pk]),
        {"tab": "household"},
    )
    assert "1500.00" in page.text


def test_removing_a_household_member_is_audited(client_as, org, beneficiary):
    with scope(organization=org):
        member = HouseholdMember.objects.create(
            organization=org,
            beneficiary=beneficiary,
            relation="son",
            full_name="فهد",
            gender="male",
        )
    response = client_as(Role.RECEPTION).post(
        reverse("registry:member_remove", args=[beneficiary.pk, member.pk])
    )
    assert response.status_code == 302
    with scope(organization=org):
        assert not HouseholdMember.objects.exists()
    assert events(AuditAction.DELETE)[0].object_repr == "فهد"


def upload(client, beneficiary, name, content, **extra):
    ensure_registry_defaults(beneficiary.organization)
    with scope(organization=beneficiary.organization):
        kind = DocumentType.objects.get(code="national_id")
    return client.post(
        reverse("registry:document_create", args=[beneficiary.pk]),
        {
            "document_type": kind.pk,
            "file": SimpleUploadedFile(name, content, "application/pdf"),
            **extra,
        },
    )


def test_a_document_is_stored_privately_under_a_random_name(
    client_as, org, other_org, beneficiary
):
    client = client_as(Role.RECEPTION)
    response = upload(
        client,
        beneficiary,
        "هوية محمد.pdf",
        PDF,
        expires_on_0="gregorian",
        expires_on_1="2030-01-01",
    )
    assert response.status_code == 302
    with scope(organization=org):
        document = Document.objects.get()
    assert document.file.name.startswith(f"documents/{org.pk}/")
    assert "محمد" not in document.file.name
    assert document.status == "pending"
    served = client.get(reverse("registry:document_file", args=[document.pk]))
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF


def test_a_file_whose_content_is_not_its_name_is_refused(client_as, org, beneficiary):
    response = upload(client_as(Role.RECEPTION), beneficiary, "scan.pdf", b"MZ\x90\0")
    assert "file" in response.context["form"].errors
    with scope(organization=org):
        assert not Document.objects.exists()


def test_rejecting_a_document_needs_a_reason_and_records_who(client_as, members, org):
    with scope(organization=org):
        document = DocumentFactory(organization=org)
    client = client_as(Role.SERVICES)
    url = reverse("registry:document_review", args=[document.pk])
    response = client.post(url, {"decision": "reject"})
    assert "reason" in response.context["form"].errors
    client.post(url, {"decision": "reject", "reason": "الصورة غير واضحة"})
    document.refresh_from_db()
    assert document.status == "rejected"
    assert document.rejection_reason == "الصورة غير واضحة"
    assert document.verified_by == members[Role.SERVICES]
    assert document.verified_at is not None


def test_expired_documents_are_flagged_in_the_list_and_the_record(client_as, org):
    with scope(organization=org):
        document = DocumentFactory(
            organization=org, expires_on=datetime.date(2020, 1, 1)
        )
    client = client_as(Role.RECEPTION)
    listing = client.get(reverse("registry:beneficiary_list"))
    assert listing.text.count('<span class="badge warn">') == 1
    record = client.get(
        reverse("registry:beneficiary_detail", args=[document.beneficiary_id]),
        {"tab": "documents"},
    )
    assert 'class="expired"' in record.text


def test_opening_each_tab_is_audited(client_as, beneficiary):
    client = client_as(Role.MANAGER)
    for tab in ("data", "household", "documents", "audit", "bogus"):
        assert (
            client.get(
                reverse("registry:beneficiary_detail", args=[beneficiary.pk]),
                {"tab": tab},
            ).status_code
            == 200
        )
    assert len(events(AuditAction.VIEW)) == 5


def test_reach_is_counted_per_channel_without_personal_data(client_as, org, members):
    """P-TYPES (seed 002): indirect beneficiaries are counts, summed."""
    with scope(organization=org):
        channel = Channel.objects.create(
            organization=org, kind="social_media", name_ar="وسائل التواصل الاجتماعي"
        )
    client = client_as(Role.RECEPTION)
    for count in (120, 80):
        response = client.post(
            reverse("registry:reach_create"),
            {
                "channel": channel.pk,
                "content": "حملة التوعية بأمراض القلب",
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "count": count,
            },
        )
        assert response.status_code == 302
    page = client.get(reverse("registry:reach_list"))
    assert page.context["grand_total"] == 200
    assert "200" in page.text


def test_a_reach_period_that_ends_before_it_starts_is_refused(client_as, org):
    with scope(organization=org):
        channel = Channel.objects.create(
            organization=org, kind="website", name_ar="الموقع"
        )
    response = client_as(Role.MANAGER).post(
        reverse("registry:reach_create"),
        {
            "channel": channel.pk,
            "content": "x",
            "period_start": "2026-10-31",
            "period_end": "2026-10-01",
            "count": 5,
        },
    )
    assert "period_end" in response.context["form"].errors
    with scope(organization=org):
        assert not ReachRecord.objects.exists()


def test_a_negative_income_is_refused_with_a_message(client_as, org):
    response = client_as(Role.RECEPTION).post(
        reverse("registry:beneficiary_create"), form_data(monthly_income="-1")
    )
    assert response.status_code == 200
    assert "monthly_income" in response.context["form"].errors
    assert beneficiaries(org) == []


def test_the_model_refuses_an_unknown_nationality(org):
    from django.core.exceptions import ValidationError

    with scope(organization=org):
        beneficiary = BeneficiaryFactory.build(organization=org, nationality="XX")
        with pytest.raises(ValidationError) as refused:
            beneficiary.full_clean()
    assert "nationality" in refused.value.error_dict


def test_a_beneficiary_can_be_registered_without_a_birth_date(client_as, org):
    """The birth date is optional; the calendar list alone is not a date."""
    response = client_as(Role.RECEPTION).post(
        reverse("registry:beneficiary_create"),
        form_data(birth_date_0="gregorian", birth_date_1=""),
    )
    assert response.status_code == 302
    [person] = beneficiaries(org)
    assert person.birth_date is None
