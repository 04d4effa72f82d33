"""Spreadsheet files for imports: the kind read from the content, rows as values.

.xlsx is read with python-calamine (about 20 times faster than openpyxl); .csv
with the csv module, in UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") or, failing those, Windows-1256 (older Arabic Excel on Windows).
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineError, CalamineWorkbook

from mustafid.core.uploads import CSV, SPREADSHEETS, XLSX, FileKind

ZIP_SIGNATURE = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
EXCEL_NAMES = {"xlsx", "xlsm", "xls", "ods"}
DELIMITERS = (",", ";", "\t", "|")
# A workbook is a zip: refuse one that unpacks to more than this (a "zip bomb").
MAX_UNPACKED_MB = 200


class UnreadableFile(ValueError):
    """The file cannot be read as a spreadsheet; `message` says why, translatably."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def not_accepted() -> ValidationError:
    return ValidationError(
        _("This file type is not accepted. Accepted: %(kinds)s."),
        params={"kinds": ", ".join(k.extension.upper() for k in SPREADSHEETS)},
    )


def sniff_kind(head: bytes, name: str) -> FileKind:
    """XLSX or CSV, judged from the first bytes; the name may only veto.

    A file named .xlsx must really be a workbook: a text file renamed .xlsx is
    refused rather than read as CSV, since its author meant something else.
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    guess = filetype.guess(head)
    if (guess and guess.mime == XLSX.mime) or head.startswith(ZIP_SIGNATURE):
        # Some writers order the zip differently; calamine has the last word.
        return XLSX
    if extension == "xls":
        raise ValidationError(
            _("Old Excel files (.xls) are not accepted: save the file as .xlsx.")
        )
    if guess is not None:
        raise not_accepted()
    if extension in EXCEL_NAMES:
        raise ValidationError(
            _(
                "This file is named .%(extension)s but is not an Excel workbook. "
                "Save it again from Excel as .xlsx or as CSV."
            ),
            params={"extension": extension},
        )
    if b"\x00" in head and not head.startswith(UTF16_BOMS):
        raise not_accepted()
    return CSV


def cell_text(value: Any) -> str:
    """A cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # Excel keeps every number as a float: 1012345674.0 is an identity number.
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _is_blank(values: Iterable[Any]) -> bool:
    return all(cell_text(v) == "" for v in values)


@dataclass
class Table:
    """The first sheet of a file: its header row and an iterator of its rows.

    Rows are (row number as the spreadsheet shows it, values); blank rows are
    left out but keep their numbers, so a reported row is found where it says.
    """

    headers: list[str]
    _rows: Any  # () -> iterator of (number, values)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        width = len(self.headers)
        for number, values in self._rows():
            values = list(values[:width]) + [""] * (width - len(values))
            yield number, values

    def count(self) -> int:
        return sum(1 for _row in self.rows())

    def preview(self, size: int = 5) -> list[list[str]]:
        rows = []
        for _number, values in self.rows():
            rows.append([cell_text(v) for v in values])
            if len(rows) == size:
                break
        return rows


def open_table(data: bytes, kind: FileKind) -> Table:
    """The file's table, or UnreadableFile saying what is wrong with it."""
    if kind.extension == XLSX.extension:
        return _xlsx_table(data)
    return _csv_table(data)


def _with_header(numbered: Iterator[tuple[int, list[Any]]]) -> tuple[list, int]:
    for number, values in numbered:
        if not _is_blank(values):
            return [cell_text(v) for v in values], number
    raise UnreadableFile(_("The file is empty."))


def _unpacked_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(
            _("The file cannot be opened as an Excel workbook (.xlsx).")
        ) from exc


def _xlsx_table(data: bytes) -> Table:
    if _unpacked_size(data) > MAX_UNPACKED_MB * 1024 * 1024:
        raise UnreadableFile(
            _("The workbook is too large once unpacked: split it into smaller files.")
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError, IndexError) as exc:
        raise UnreadableFile(
            _("The file cannot be opened as an Excel workbook (.xlsx).")
        ) from exc

    def numbered():
        # Calamine yields rows from the sheet's first row, as Excel numbers them.
        yield from enumerate(sheet.iter_rows(), start=1)

    headers, header_number = _with_header(numbered())

    def rows():
        for number, values in numbered():
            if number > header_number and not _is_blank(values):
                yield number, values

    return Table(headers, rows)


def decode_text(data: bytes) -> str:
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1256")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _("The file's text encoding is not recognised: save it as CSV UTF-8.")
        ) from exc


def _csv_table(data: bytes) -> Table:
    text = decode_text(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first_line.count)

    def numbered():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise UnreadableFile(_("The file cannot be read as CSV.")) from exc

    headers, header_number = _with_header(numbered())

    def rows():
        for number, values in numbered():
            if number > header_number and not _is_blank(values):
                yield number, values

    return Table(headers, rows)


def spreadsheet_safe(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


REPORT_HEADERS = (
    "الصف / Row",
    "العمود / Column",
    "القيمة / Value",
    "الخطأ / Error",
    "Error (English)",
)


def error_report_csv(errors: Iterable[list]) -> bytes:
    """The row errors as CSV, UTF-8 with a byte-order mark so Excel shows Arabic."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(REPORT_HEADERS)
    for row, column, value, message_ar, message_en in errors:
        writer.writerow(
            [
                row,
                spreadsheet_safe(column),
                spreadsheet_safe(value),
                message_ar,
                message_en,
            ]
        )
    return out.getvalue().encode("utf-8")
