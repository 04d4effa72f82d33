"""Excel workbooks written the same way by every export.

openpyxl's write-only workbook spills rows to a temporary file as it goes, so
memory stays bounded whatever the number of rows; the finished file is sent
from a temporary file too. Text is never written as a formula.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterable
from typing import IO, TypeVar

from django.http import FileResponse
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses longer sheet names.
SHEET_TITLE_MAX = 31

T = TypeVar("T")


def add_sheet(workbook, title, headers: Iterable, *, rtl: bool = True):
    """A sheet with its header row in bold, frozen above the rows."""
    sheet = workbook.create_sheet(str(title)[:SHEET_TITLE_MAX])
    sheet.sheet_view.rightToLeft = rtl
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    row = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        row.append(cell)
    sheet.append(row)
    return sheet


def text_cell(sheet, value) -> WriteOnlyCell:
    """`value` as text, even when it looks like a formula or a number."""
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"
    return cell


def cell(sheet, value):
    """A value for `sheet.append`: dates as real dates shown as ISO, text that
    starts with "=" kept as text (openpyxl would write a formula)."""
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str) and value.startswith("="):
        return text_cell(sheet, value)
    return value


def write_to_temporary_file(write: Callable[[IO[bytes]], T]) -> tuple[IO[bytes], T]:
    """Call `write(out)` on a temporary file; the file, rewound, and its result.

    No transaction around the writing: on SQLite it would hold the write lock.
    """
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    try:
        result = write(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out, result


def download(out: IO[bytes], filename: str) -> FileResponse:
    """The written workbook as an attachment no cache keeps."""
    response = FileResponse(
        out, as_attachment=True, filename=filename, content_type=XLSX
    )
    response["Cache-Control"] = "private, no-store"
    return response
