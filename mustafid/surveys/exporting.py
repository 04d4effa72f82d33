"""The satisfaction indicators as an Excel workbook: Arabic, right to left.

Figures only: no beneficiary is named in any sheet, and the sheet by staff
member is written only for those who may see it (P-EVALCULTURE).
"""

from typing import IO

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from mustafid.surveys.indicators import Figures, Report

COLUMNS = [
    (_("responses"), lambda f: f.responses),
    (_("satisfaction rate (%)"), lambda f: f.satisfaction_rate),
    (_("mean score (1–5)"), lambda f: f.mean_score),
    (_("ratings"), lambda f: f.ratings),
    (_("NPS"), lambda f: f.nps),
    (_("invitations sent"), lambda f: f.invited),
    (_("invitations answered"), lambda f: f.answered),
    (_("response rate (%)"), lambda f: f.response_rate),
]


def _text(sheet, value):
    # A label is text, never a formula.
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"
    return cell


def _sheet(workbook, title, first_column, rows: list[Figures]) -> None:
    sheet = workbook.create_sheet(str(title)[:31])
    sheet.sheet_view.rightToLeft = True
    bold = Font(bold=True)
    header = []
    for name in [first_column, *(title for title, _value in COLUMNS)]:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for figures in rows:
        sheet.append(
            [_text(sheet, figures.label), *(value(figures) for _t, value in COLUMNS)]
        )


def write_workbook(report: Report, out: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    with translation.override("ar"):
        report.total.label = str(_("All"))
        _sheet(workbook, _("Summary"), "", [report.total])
        _sheet(workbook, _("By service"), _("service"), report.by_service)
        _sheet(workbook, _("By channel"), _("channel"), report.by_channel)
        _sheet(workbook, _("By month"), _("month"), report.by_month)
        if report.by_staff is not None:
            _sheet(workbook, _("By staff member"), _("staff member"), report.by_staff)
    workbook.save(out)
