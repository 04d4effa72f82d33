"""Writing an import batch's new beneficiaries (P-COMPLETE, P-PRIVACY).

Each new row arrives as the form's cleaned values. The columns `save()` derives
(the normalised name, the identity number's and mobile's keyed hashes, the
encrypted values) and the name keys and name block the duplicate check reads
are computed here, once per row, from those values.

On PostgreSQL the rows are written with COPY: the batch's ids are taken from
the table's sequence first (one query), so the keys, blocks and categories can
name their beneficiary in the same pass, without reading anything back.
`bulk_create` assembled each value of each row into SQL in Python, which was a
sixth of an import's time. Elsewhere (SQLite) the batch goes through the ORM.
Either way it runs inside the caller's transaction (one per batch); a row
registered meanwhile breaks the unique identity constraint and rolls it back.
"""

import datetime

from django.db import connection
from django.utils import timezone

from mustafid.core.arabic import normalize_name
from mustafid.core.crypto import EncryptedCharField, blind_index, encrypt
from mustafid.core.models import Organization
from mustafid.core.tenancy import check_write_scope
from mustafid.registry.models import Beneficiary
from mustafid.registry.name_keys import (
    PART_FIELDS,
    PARTS,
    BeneficiaryNameKey,
    NameBlock,
    NameWord,
    add_name_keys,
    keys_of,
)

DERIVED = {"name_normalized", "identity_hash", "mobile_hash"}


def _derived(data: dict) -> dict:
    """What Beneficiary.save() computes."""
    full_name = " ".join(data[field] for field in PART_FIELDS.values())
    return {
        "name_normalized": normalize_name(full_name),
        "identity_hash": blind_index(data["identity_number"]),
        "mobile_hash": blind_index(data["mobile"]),
    }


def _category_ids(data: dict) -> set[int]:
    return {int(pk) for pk in data.get("categories") or ()}


def write_new(organization: Organization, rows: list[dict], words: set[str]) -> None:
    """Register the new rows with their categories, name keys and name block.

    `words` are the name words already known to the association (filled here,
    so a long import asks for each word once).
    """
    if not rows:
        return
    check_write_scope(organization.pk)
    if connection.vendor == "postgresql":
        _copy(organization, rows, words)
    else:
        _orm(organization, rows)


def _orm(organization: Organization, rows: list[dict]) -> None:
    new = []
    for data in rows:
        fields = {k: v for k, v in data.items() if k != "categories"}
        beneficiary = Beneficiary(organization=organization, **fields)
        for name, value in _derived(data).items():
            setattr(beneficiary, name, value)
        new.append(beneficiary)
    Beneficiary.objects.bulk_create(new)
    through = Beneficiary.categories.through
    through.objects.bulk_create(
        through(beneficiary_id=beneficiary.pk, category_id=pk)
        for data, beneficiary in zip(rows, new, strict=True)
        for pk in _category_ids(data)
    )
    add_name_keys(new)


# ---------------------------------------------------------------------------
# PostgreSQL: COPY


def _columns(model, *names: str) -> str:
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)} ({', '.join(map(quote, names))})"


def _beneficiary_columns() -> list[tuple[str, object]]:
    """(column, how to get its value from a row) for every concrete field."""
    columns = []
    for field in Beneficiary._meta.concrete_fields:
        name = field.attname
        if name in ("id", "organization_id", "created_at", "updated_at"):
            source = name  # the same for the whole batch
        elif name in DERIVED:
            source = ("derived", name)
        elif isinstance(field, EncryptedCharField):
            source = ("encrypted", field.name)
        else:
            source = ("data", field.name, field.get_default())
        columns.append((field.column, source))
    return columns


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in COPY's text format (psycopg's write_row took 70 µs a row)."""
    if type(value) is str:  # most values: tested first
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_ESCAPES)
        return value
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return _copy_text(str(value))
    if isinstance(value, datetime.date):  # and datetime
        return value.isoformat()
    return str(value)  # int, Decimal


def _copy_lines(rows) -> str:
    return "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)


def _reserve_ids(count: int) -> list[int]:
    table = Beneficiary._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _copy(organization: Organization, rows: list[dict], words: set[str]) -> None:
    # The values every row shares, formatted once.
    org_id, now = str(organization.pk), timezone.now().isoformat()
    columns = _beneficiary_columns()
    ids = _reserve_ids(len(rows))
    beneficiaries, keys, blocks, links = [], [], [], []
    new_words = set()
    batch = {"organization_id": org_id, "created_at": now, "updated_at": now}
    for pk, data in zip(map(str, ids), rows, strict=True):
        batch["id"] = pk
        derived = _derived(data)
        line = []
        for _column, source in columns:
            if isinstance(source, str):
                line.append(batch[source])
            elif source[0] == "derived":
                line.append(derived[source[1]])
            elif source[0] == "encrypted":
                value = data.get(source[1], "")
                line.append(encrypt(value) if value else value)
            else:
                line.append(data.get(source[1], source[2]))
        beneficiaries.append(line)
        parts = {part: data[field] for part, field in PART_FIELDS.items()}
        own = keys_of(parts)
        for position, (key, loose) in own.items():
            keys.append((org_id, pk, now, now, position, key, loose))
            if loose not in words:
                new_words.add(loose)
        loose = [own[part][1] if part in own else "" for part in PARTS]
        blocks.append((org_id, pk, *loose, now, now))
        links += [(pk, category) for category in _category_ids(data)]
    through = Beneficiary.categories.through
    with connection.cursor() as cursor, connection.wrap_database_errors:
        copies = [
            (_columns(Beneficiary, *(c for c, _s in columns)), beneficiaries),
            (
                _columns(
                    BeneficiaryNameKey,
                    "organization_id",
                    "beneficiary_id",
                    "created_at",
                    "updated_at",
                    "position",
                    "key",
                    "loose_key",
                ),
                keys,
            ),
            (
                _columns(
                    NameBlock,
                    "organization_id",
                    "beneficiary_id",
                    *PARTS,
                    "created_at",
                    "updated_at",
                ),
                blocks,
            ),
            (_columns(through, "beneficiary_id", "category_id"), links),
        ]
        for target, lines in copies:
            if not lines:
                continue
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                copy.write(_copy_lines(lines))
    if new_words:
        NameWord.objects.bulk_create(
            [NameWord(organization=organization, word=word) for word in new_words],
            ignore_conflicts=True,
        )
        words |= new_words
