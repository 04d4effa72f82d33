"""The beneficiaries list as an Excel workbook: Arabic, right to left.

Written with openpyxl's write-only workbook, which spills rows to a temporary
file as it goes, and read from the database in chunks: memory stays bounded
whatever the number of rows. The headers are the staff form's Arabic labels, so
an exported file imports back (importing matches them).
"""

import datetime
from typing import IO

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from mustafid.core.fields import hijri_iso
from mustafid.core.spreadsheets import add_sheet, cell
from mustafid.registry.forms import BeneficiaryForm
from mustafid.registry.models import Category

CHUNK_SIZE = 2000
LIST_SEPARATOR = "، "


def _label(name: str):
    return BeneficiaryForm.base_fields[name].label


def _display(name: str):
    return lambda b: getattr(b, f"get_{name}_display")()


def _field(name: str):
    return lambda b: getattr(b, name)


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _hijri(day: datetime.date | None) -> str:
    return hijri_iso(day) if day else ""


def _names(categories) -> str:
    return LIST_SEPARATOR.join(c.name for c in categories)


# (header, value of a beneficiary); dates are real dates shown as ISO.
COLUMNS = [
    *((_label(n), _field(n)) for n in (
        "first_name", "father_name", "grandfather_name", "family_name", "name_en"
    )),
    (_label("identity_type"), _display("identity_type")),
    (_label("identity_number"), _field("identity_number")),
    (_label("nationality"), lambda b: b.nationality.name if b.nationality else ""),
    (_label("residency_status"), _display("residency_status")),
    (_label("gender"), _display("gender")),
    (_label("birth_date"), _field("birth_date")),
    (_("birth date (Hijri)"), lambda b: _hijri(b.birth_date)),
    *((_label(n), _field(n)) for n in (
        "mobile", "email", "short_address", "building_number", "additional_number",
        "postal_code", "street", "district", "city",
    )),
    (_label("region"), _display("region")),
    (_label("categories"), lambda b: _names(b.categories.all())),
    (_label("education"), _display("education")),
    (_label("qualification"), _field("qualification")),
    (_label("employment_status"), _display("employment_status")),
    (_label("monthly_income"), _field("monthly_income")),
    (_label("preferred_contact"), _display("preferred_contact")),
    (_label("preferred_language"), _display("preferred_language")),
    (_label("registration_status"), _display("registration_status")),
    (_("registered on"), lambda b: _local_date(b.created_at)),
]  # fmt: skip


def export_queryset(beneficiaries):
    """The rows to export, with their categories in one query per chunk."""
    return beneficiaries.prefetch_related(
        Prefetch("categories", queryset=Category.objects.all())
    ).order_by("family_name", "first_name", "id")


def write_workbook(beneficiaries, out: IO[bytes]) -> int:
    """Write the beneficiaries to `out` as .xlsx; the number of rows written."""
    workbook = Workbook(write_only=True)
    rows = 0
    with translation.override("ar"):
        sheet = add_sheet(
            workbook, _("Beneficiaries"), (title for title, _value in COLUMNS)
        )
        for beneficiary in export_queryset(beneficiaries).iterator(CHUNK_SIZE):
            sheet.append([cell(sheet, value(beneficiary)) for _t, value in COLUMNS])
            rows += 1
    workbook.save(out)
    return rows
