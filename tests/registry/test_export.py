"""Exporting the filtered beneficiaries list to Excel, audited (P-PRIVACY)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.registry import importing
from mustafid.registry.defaults import ensure_registry_defaults
from mustafid.registry.import_files import open_table, sniff_kind
from mustafid.registry.import_models import ImportJob
from mustafid.registry.import_rows import guess_mapping
from mustafid.registry.models import Beneficiary, Category
from tests.factories import BeneficiaryFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(client, **query):
    response = client.get(reverse("registry:beneficiary_export"), query)
    assert response.status_code == 200, response
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def sheet_of(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return workbook.worksheets[0]


@pytest.fixture
def people(org):
    ensure_registry_defaults(org)
    with scope(organization=org):
        orphans = Category.objects.get(code="orphan")
        first = BeneficiaryFactory(
            organization=org,
            family_name="الغامدي",
            birth_date=datetime.date(1989, 8, 2),
            region="riyadh",
        )
        first.categories.add(orphans)
        second = BeneficiaryFactory(
            organization=org, family_name="=HYPERLINK(1)", region="makkah"
        )
    return first, second


def test_the_export_is_an_arabic_right_to_left_workbook(client_as, people):
    first, _second = people
    sheet = sheet_of(export(client_as(Role.MANAGER)))
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("الاسم الأول", "اسم الأب", "اسم الجد", "اسم العائلة")
    assert "رقم الهوية" in header
    assert len(rows) == 3
    by_family = {row[header.index("اسم العائلة")]: row for row in rows[1:]}
    row = by_family["الغامدي"]
    assert row[header.index("رقم الهوية")] == first.identity_number
    birth = header.index("تاريخ الميلاد")
    assert row[birth].date() == datetime.date(1989, 8, 2)  # a date, shown as ISO
    assert row[birth + 1] == "1410-01-01"  # and its Hijri date beside it
    assert row[header.index("الفئات")] == "الأيتام"
    assert row[header.index("الجنس")] == "ذكر"
    # A name that looks like a formula stays text.
    assert "=HYPERLINK(1)" in by_family
    with scopes_disabled():
        assert sheet.cell(row=1, column=1).font.bold


def test_the_export_follows_the_lists_filter_and_is_audited(client_as, people, members):
    content = export(client_as(Role.AUDITOR), region="makkah")
    rows = list(sheet_of(content).iter_rows(values_only=True))
    assert len(rows) == 2
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert event.actor == members[Role.AUDITOR]
    assert event.changes == {
        "format": "xlsx",
        "rows": 1,
        "filter": {"region": "makkah"},
    }


def test_an_invalid_filter_exports_nothing(client_as, people):
    response = client_as(Role.MANAGER).get(
        reverse("registry:beneficiary_export"), {"category": "not-a-number"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("registry:beneficiary_list"))
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_export_reads_a_bounded_number_of_queries(
    client_as, org, django_assert_max_num_queries
):
    ensure_registry_defaults(org)
    with scope(organization=org):
        categories = list(Category.objects.all()[:2])
        for _ in range(30):
            BeneficiaryFactory(organization=org).categories.set(categories)
    client = client_as(Role.MANAGER)
    with django_assert_max_num_queries(12):
        export(client)


def test_an_exported_file_imports_back_without_duplicates(client_as, org, people):
    """The headers and values of an export are what the import reads."""
    content = export(client_as(Role.MANAGER))
    table = open_table(content, sniff_kind(content[:8192], "export.xlsx"))
    mapping = guess_mapping(table.headers)
    assert {"first_name", "identity_number", "birth_date", "categories"} <= set(mapping)
    with scope(organization=org):
        report = importing.dry_run(table, mapping, update_existing=True)
        assert (report.total, report.invalid) == (2, 0), report.errors
        assert report.existing == 2
        report = importing.dry_run(table, mapping)
        assert (report.valid, report.existing) == (0, 2)
        assert Beneficiary.objects.count() == 2
    with scopes_disabled():
        assert not ImportJob.objects.exists()


def test_staff_without_the_permission_cannot_export(client_as, people):
    response = client_as(Role.RECEPTION).get(reverse("registry:beneficiary_export"))
    assert response.status_code == 403
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
