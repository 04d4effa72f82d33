"""Uploaded files: the type is read from the content, the stored name is ours."""

import uuid
from dataclasses import dataclass

import filetype
from django import forms
from django.http import FileResponse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    extension: str
    mime: str


PDF = FileKind("pdf", "application/pdf")
PNG = FileKind("png", "image/png")
JPEG = FileKind("jpg", "image/jpeg")
IMAGES = (PNG, JPEG)
DOCUMENTS = (PDF, PNG, JPEG)
XLSX = FileKind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
CSV = FileKind("csv", "text/csv")  # no signature: told apart by the importer
SPREADSHEETS = (XLSX, CSV)


def check_upload(upload, *, kinds: tuple[FileKind, ...], max_mb: int) -> FileKind:
    """The upload's real kind, or a ValidationError in the reader's language."""
    if upload.size > max_mb * MEGABYTE:
        raise forms.ValidationError(
            _("The file is larger than %(max)s MB."), params={"max": max_mb}
        )
    upload.seek(0)
    guess = filetype.guess(upload.read(262))
    upload.seek(0)
    kind = next((k for k in kinds if guess and guess.mime == k.mime), None)
    if kind is None:
        raise forms.ValidationError(
            _("This file type is not accepted. Accepted: %(kinds)s."),
            params={"kinds": ", ".join(k.extension.upper() for k in kinds)},
        )
    return kind


def safe_name(kind: FileKind) -> str:
    """A random stored name: nothing of what the uploader typed reaches the disk."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def _describe_now(names: str, max_mb: int) -> str:
    return _("%(kinds)s, up to %(max)s MB.") % {"kinds": names, "max": max_mb}


_describe = lazy(_describe_now, str)


class CheckedFileField(forms.FileField):
    """A FileField that accepts only the given kinds and renames the file."""

    def __init__(self, *, kinds: tuple[FileKind, ...], max_mb: int, **kwargs):
        self.kinds, self.max_mb = kinds, max_mb
        names = ", ".join(k.extension.upper() for k in kinds)
        # Lazy: fields are built at import, the language is chosen per request.
        kwargs.setdefault("help_text", _describe(names, max_mb))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(k.mime for k in kinds))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial and hasattr(upload, "size"):
            kind = check_upload(upload, kinds=self.kinds, max_mb=self.max_mb)
            upload.name = safe_name(kind)
            upload.checked_kind = kind
        return upload


def serve_private(stored_file, *, content_type: str) -> FileResponse:
    """A private upload, shown inline and never kept by shared caches.

    Call only after the permission check and the audit event."""
    response = FileResponse(stored_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response
