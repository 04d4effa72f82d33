"""Checking import rows by the staff form's rules (P-COMPLETE).

An import obeys exactly the rules of a registration typed by hand: a new row is
checked by the form's rules compiled once per import (`import_validation`), and
a row they refuse, or an update, is bound to `BeneficiaryForm` itself; errors
are kept with their row, column and value, and the form's message in Arabic
and in English. A row whose identity number is already
registered is skipped, or checked as an update when asked; a number seen twice
in the file is an error.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mustafid.core.crypto import blind_index
from mustafid.registry.forms import BeneficiaryForm
from mustafid.registry.identity import clean_identity
from mustafid.registry.import_files import Table, cell_text
from mustafid.registry.import_rows import RowReader
from mustafid.registry.models import Beneficiary

BATCH_SIZE = 500


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message_ar: str
    message_en: str

    def as_list(self) -> list:
        return [self.row, self.column, self.value, self.message_ar, self.message_en]


def _in_both_languages(render) -> tuple[str, str]:
    texts = []
    for language in ("ar", "en"):
        with translation.override(language):
            texts.append(str(render()))
    return texts[0], texts[1]


@dataclass
class Checked:
    """What a batch of rows would do, and what is wrong with the rest.

    `new` holds each new row's cleaned values (`BeneficiaryForm.registry_data`).
    """

    new: list[dict] = field(default_factory=list)
    updates: list[BeneficiaryForm] = field(default_factory=list)
    skipped: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return len(self.new) + len(self.updates)


def _identity_hash(data: dict) -> str:
    try:
        number = clean_identity(
            data.get("identity_type") or "", str(data.get("identity_number") or "")
        )
    except ValidationError:  # the form says what is wrong
        return ""
    return blind_index(number)


def check_rows(
    rows: list[tuple[int, list]],
    reader: RowReader,
    *,
    update_existing: bool,
    seen: dict[str, int],
) -> Checked:
    """Validate rows with BeneficiaryForm; `seen` maps identity hashes to rows."""
    checked = Checked()
    prepared = []
    for number, values in rows:
        data = reader.form_data(values)
        prepared.append((number, values, data, _identity_hash(data)))
    hashes = {h for *_rest, h in prepared if h}
    existing = {}
    if hashes:
        found = Beneficiary.objects.filter(identity_hash__in=hashes).order_by()
        if update_existing:
            found = found.prefetch_related("categories")
            existing = {b.identity_hash: b for b in found}
        else:  # only whether they are registered: no record read and decrypted
            existing = dict.fromkeys(
                found.values_list("identity_hash", flat=True), True
            )
    for number, values, data, identity_hash in prepared:
        if identity_hash and identity_hash in seen:
            checked.invalid += 1
            first = seen[identity_hash]
            ar, en = _in_both_languages(
                lambda first=first: (
                    _("This identity number is also in row %(row)s of the file.")
                    % {"row": first}
                )
            )
            column = reader.column_of("identity_number")
            checked.errors.append(
                RowError(
                    number,
                    reader.headers[column],
                    reader.text(values, "identity_number"),
                    ar,
                    en,
                )
            )
            continue
        if identity_hash:
            seen[identity_hash] = number
        instance = existing.get(identity_hash)
        if instance is not None and not update_existing:
            checked.skipped += 1
            continue
        if instance is None:
            cleaned, failed = reader.validator.check(data)
            if not failed:
                checked.new.append(cleaned)
                continue
        else:
            data = reader.form_data(values, instance=instance)
        # An update, or a row refused: the form itself says what is wrong.
        form = reader.form_class(data, instance=instance)
        if form.is_valid():
            if instance is None:
                checked.new.append(form.registry_data())
            else:
                checked.updates.append(form)
        else:
            checked.invalid += 1
            checked.errors.extend(_row_errors(number, values, form, reader))
    return checked


def _row_errors(number, values, form, reader: RowReader) -> list[RowError]:
    errors = []
    for name, field_errors in form.errors.as_data().items():
        column = reader.column_of(name)
        form_field = form.fields.get(name)
        for error in field_errors:
            if column is None and form_field is not None:
                ar, en = _in_both_languages(
                    lambda e=error, f=form_field: f"{f.label}: {' '.join(e.messages)}"
                )
            else:
                ar, en = _in_both_languages(lambda e=error: " ".join(e.messages))
            header = reader.headers[column] if column is not None else ""
            value = cell_text(values[column]) if column is not None else ""
            errors.append(RowError(number, header, value, ar, en))
    return errors


def batched(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class Report:
    total: int = 0
    valid: int = 0
    invalid: int = 0
    existing: int = 0
    errors: list[RowError] = field(default_factory=list)


def dry_run(
    table: Table, mapping: list[str], *, update_existing: bool = False, on_batch=None
) -> Report:
    """Check every row as the import would, writing nothing (call inside a scope).

    `on_batch(report)` is called after each batch, e.g. to show progress.
    """
    reader = RowReader(table.headers, mapping)
    report, seen = Report(), {}
    for batch in batched(table.rows(), BATCH_SIZE):
        checked = check_rows(batch, reader, update_existing=update_existing, seen=seen)
        report.total += len(batch)
        report.valid += checked.valid
        report.invalid += checked.invalid
        report.existing += checked.skipped + len(checked.updates)
        report.errors.extend(checked.errors)
        if on_batch:
            on_batch(report)
    return report
