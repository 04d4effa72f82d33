"""The import pages' forms: the file, and the target of each of its columns."""

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.core.uploads import (
    MEGABYTE,
    SPREADSHEETS,
    CheckedFileField,
    safe_name,
)
from mustafid.registry.import_files import UnreadableFile, open_table, sniff_kind
from mustafid.registry.import_rows import (
    guess_mapping,
    mapping_problems,
    target_choices,
)

MAX_MB = 10
# Checked in the request: beyond this, split the file or use the command.
MAX_ROWS = 20_000


class SpreadsheetField(CheckedFileField):
    """An .xlsx or .csv file, told apart by its content (CSV has no signature)."""

    def __init__(self, **kwargs):
        super().__init__(kinds=SPREADSHEETS, max_mb=MAX_MB, **kwargs)
        self.widget.attrs["accept"] = ".xlsx,.csv," + ",".join(
            k.mime for k in SPREADSHEETS
        )

    def clean(self, data, initial=None):
        upload = forms.FileField.clean(self, data, initial)
        if upload and upload is not initial and hasattr(upload, "size"):
            if upload.size > self.max_mb * MEGABYTE:
                raise forms.ValidationError(
                    _("The file is larger than %(max)s MB."),
                    params={"max": self.max_mb},
                )
            upload.seek(0)
            head = upload.read(8192)
            upload.seek(0)
            kind = sniff_kind(head, upload.name or "")
            upload.original_name = PurePath(upload.name or "").name[:255]
            upload.name = safe_name(kind)
            upload.checked_kind = kind
        return upload


class ImportUploadForm(forms.Form):
    file = SpreadsheetField(label=_("File"))

    def clean_file(self):
        """Read the file now, so a file that cannot be imported is refused here
        and nothing is kept of it."""
        upload = self.cleaned_data["file"]
        upload.seek(0)
        try:
            table = open_table(upload.read(), upload.checked_kind)
            self.total_rows = table.count()
        except UnreadableFile as exc:
            raise forms.ValidationError(exc.message) from exc
        finally:
            upload.seek(0)
        if not self.total_rows:
            raise forms.ValidationError(
                _("The file has a header row but no rows of data.")
            )
        if self.total_rows > MAX_ROWS:
            raise forms.ValidationError(
                _(
                    "The file has %(count)s rows; import at most %(max)s at a time "
                    "(split the file, or ask an administrator to use the "
                    "import_beneficiaries command)."
                ),
                params={"count": self.total_rows, "max": MAX_ROWS},
            )
        self.headers = table.headers
        self.mapping = guess_mapping(table.headers)
        if not any(self.mapping):
            raise forms.ValidationError(
                _(
                    "No column of this file was recognised. Its first row must name "
                    "the columns, e.g. “رقم الهوية” or “identity number”."
                )
            )
        return upload


class ImportMappingForm(forms.Form):
    """One choice per column of the file: the field it fills, or nothing."""

    update_existing = forms.BooleanField(
        label=_("Update beneficiaries who are already registered"),
        help_text=_(
            "Otherwise rows whose identity number is already registered are "
            "skipped. When updating, empty cells keep the current value."
        ),
        required=False,
    )

    def __init__(self, *args, headers: list[str], mapping: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— not imported —")), *target_choices()]
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=mapping[index] if index < len(mapping) else "",
            )

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.headers))]

    def mapping(self) -> list[str]:
        return [
            self.cleaned_data.get(f"column_{index}") or ""
            for index in range(len(self.headers))
        ]

    def clean(self):
        cleaned = super().clean()
        for problem in mapping_problems(self.mapping()):
            self.add_error(None, problem)
        return cleaned
