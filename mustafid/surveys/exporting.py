"""The satisfaction indicators as an Excel workbook: Arabic, right to left.

Figures only: no beneficiary is named in any sheet, and the sheet by staff
member is written only for those who may see it (P-EVALCULTURE). A row of too
few anonymous answers says so instead of its figures (P-PRIVACY, indicators).
"""

from typing import IO

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
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


def _withheld(minimum: int) -> str:
    return ngettext(
        "fewer than %(count)s answer", "fewer than %(count)s answers", minimum
    ) % {"count": minimum}


def _sheet(workbook, title, first_column, rows: list[Figures], minimum: int) -> None:
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
        if figures.withheld:
            sheet.append(
                [_text(sheet, figures.label), _text(sheet, _withheld(minimum))]
            )
            continue
        sheet.append(
            [_text(sheet, figures.label), *(value(figures) for _t, value in COLUMNS)]
        )


def write_workbook(report: Report, out: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    with translation.override("ar"):
        report.total.label = str(_("All"))
        sheets = [
            (_("Summary"), "", [report.total]),
            (_("By service"), _("service"), report.by_service),
            (_("By channel"), _("channel"), report.by_channel),
            (_("By month"), _("month"), report.by_month),
        ]
        if report.by_staff is not None:
            sheets.append((_("By staff member"), _("staff member"), report.by_staff))
        for title, first_column, rows in sheets:
            _sheet(workbook, title, first_column, rows, report.min_cell)
    workbook.save(out)
