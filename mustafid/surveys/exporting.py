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

from mustafid.core.spreadsheets import add_sheet, text_cell
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


def _withheld(minimum: int) -> str:
    return ngettext(
        "fewer than %(count)s answer", "fewer than %(count)s answers", minimum
    ) % {"count": minimum}


def _sheet(workbook, title, first_column, rows: list[Figures], minimum: int) -> None:
    sheet = add_sheet(workbook, title, [first_column, *(t for t, _v in COLUMNS)])
    for figures in rows:
        # A label is text, never a formula.
        label = text_cell(sheet, figures.label)
        if figures.withheld:
            sheet.append([label, text_cell(sheet, _withheld(minimum))])
            continue
        sheet.append([label, *(value(figures) for _t, value in COLUMNS)])


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
