"""Importing beneficiaries from .xlsx and .csv (P-COMPLETE, P-PRIVACY)."""

import csv
import datetime
import io
import json
import random
import re
import threading

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from mustafid.core.arabic import normalize_name
from mustafid.core.crypto import blind_index
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.core.saudi_ids import make_id
from mustafid.registry import import_files, importing
from mustafid.registry.defaults import ensure_registry_defaults
from mustafid.registry.import_files import open_table, sniff_kind
from mustafid.registry.import_models import ImportJob, ImportStatus
from mustafid.registry.import_rows import RowReader, guess_mapping, split_full_name
from mustafid.registry.models import Beneficiary
from mustafid.registry.name_keys import BeneficiaryNameKey
from tests.factories import TINY_PNG, BeneficiaryFactory

_rng = random.Random(1446)
ARABIC = re.compile("[\u0600-\u06ff]")
HEADER = [
    "الاسم الأول",
    "اسم الأب",
    "اسم الجد",
    "اسم العائلة",
    "رقم الهوية",
    "الجنس",
    "الجوال",
    "تاريخ الميلاد",
    "نوع التقويم",
    "العنوان المختصر",
    "المدينة",
    "الفئات",
]


def new_id(kind: str = "1") -> str:
    return make_id(kind, _rng)


def person(identity=None, **cells) -> dict:
    row = {
        "الاسم الأول": "محمد",
        "اسم الأب": "عبدالله",
        "اسم الجد": "سعد",
        "اسم العائلة": "القحطاني",
        "رقم الهوية": identity or new_id(),
        "الجنس": "ذكر",
        "الجوال": "0551234567",
        "تاريخ الميلاد": "1410-01-01",
        "نوع التقويم": "هجري",
        "العنوان المختصر": "RRRD2929",
        "المدينة": "الرياض",
        "الفئات": "",
    }
    return row | cells


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def registered(org) -> list[Beneficiary]:
    with scope(organization=org):
        return list(Beneficiary.objects.prefetch_related("categories"))


def the_job() -> ImportJob:
    with scopes_disabled():
        return ImportJob.objects.get()


def upload(client, content: bytes, name="beneficiaries.csv"):
    return client.post(
        reverse("registry:import_upload"),
        {"file": SimpleUploadedFile(name, content, "application/octet-stream")},
    )


def choose_columns(client, job, *, update_existing=False, mapping=None):
    data = {
        f"column_{index}": target for index, target in enumerate(mapping or job.mapping)
    }
    if update_existing:
        data["update_existing"] = "on"
    return client.post(reverse("registry:import_mapping", args=[job.pk]), data)


def checked_job(client, content, name="beneficiaries.csv", **options) -> ImportJob:
    """Upload a file and check its rows (the dry run), as a manager would."""
    response = upload(client, content, name)
    assert response.status_code == 302, response.context["form"].errors
    job = the_job()
    response = choose_columns(client, job, **options)
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def import_now(org, job):
    """What the worker does once the import is started."""
    with scope(organization=org):
        importing.queue_import(job=job, background=False)
        return importing.run_import(job)


@pytest.fixture
def manager(client_as):
    return client_as(Role.MANAGER)


# Columns ---------------------------------------------------------------------


def test_headers_are_recognised_in_arabic_and_english():
    headers = [
        "الاسم الاول",  # without hamza
        "Father's name",
        "اسم الجد",
        "Family Name",
        "رقم الهوية / الإقامة",
        "Gender",
        "رقم الجوال",
        "تاريخ الميلاد (هجري)",
        "نوع التقويم",
        "Type of ID",
        "ملاحظات",
        "Email",
    ]
    assert guess_mapping(headers) == [
        "first_name",
        "father_name",
        "grandfather_name",
        "family_name",
        "identity_number",
        "gender",
        "mobile",
        "birth_date",
        "birth_calendar",
        "",
        "",
        "email",
    ]


def test_a_full_name_column_fills_the_four_parts():
    assert guess_mapping(["الاسم الرباعي", "رقم الهوية"]) == [
        "full_name",
        "identity_number",
    ]
    assert split_full_name("محمد بن عبد الله سعد القحطاني") == [
        "محمد",
        "عبد الله",
        "سعد",
        "القحطاني",
    ]
    assert split_full_name("نورة سعد") == ["نورة", "سعد", "", ""]


def test_the_mapping_page_previews_the_first_rows_with_the_guessed_columns(
    manager, org
):
    upload(manager, csv_bytes([person(identity="1000000008")]))
    job = the_job()
    assert job.status == ImportStatus.UPLOADED
    assert job.original_name == "beneficiaries.csv"
    assert job.file.name.startswith(f"imports/{org.pk}/")
    assert "beneficiaries" not in job.file.name  # a random stored name
    response = manager.get(reverse("registry:import_mapping", args=[job.pk]))
    assert response.status_code == 200
    assert "1000000008" in response.text
    column = response.context["form"]["column_4"]
    assert column.value() == "identity_number"


def test_a_mapping_without_identity_or_names_is_refused(manager, org):
    upload(manager, csv_bytes([person()]))
    job = the_job()
    mapping = ["" if t == "identity_number" else t for t in job.mapping]
    response = choose_columns(manager, job, mapping=mapping)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


# The dry run and the report ---------------------------------------------------


def test_a_dry_run_checks_every_row_and_writes_nothing(manager, org):
    job = checked_job(manager, csv_bytes([person(), person(), person()]))
    assert job.status == ImportStatus.VALIDATED
    assert (job.total_rows, job.valid_rows, job.invalid_rows) == (3, 3, 0)
    assert registered(org) == []
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()
    page = manager.get(reverse("registry:import_job", args=[job.pk]))
    assert reverse("registry:import_start", args=[job.pk]) in page.text


def test_row_errors_give_row_column_value_and_a_message_in_arabic_and_english(
    manager, org
):
    bad_check_digit = "1000000009"
    rows = [
        person(),
        person(identity=bad_check_digit),
        person(**{"الجوال": "0521234567"}),
        person(**{"العنوان المختصر": "RRR29"}),
        person(**{"تاريخ الميلاد": "1445-01-31"}),
    ]
    job = checked_job(manager, csv_bytes(rows))
    assert (job.valid_rows, job.invalid_rows) == (1, 4)
    errors = {
        row: (column, value, ar, en) for row, column, value, ar, en in job.error_rows
    }
    assert set(errors) == {3, 4, 5, 6}  # the header is row 1
    assert errors[3][:2] == ("رقم الهوية", bad_check_digit)
    assert "check digit" in errors[3][3]
    assert errors[4][:2] == ("الجوال", "0521234567")
    assert "Saudi mobiles start with 05" in errors[4][3]
    assert errors[5][:2] == ("العنوان المختصر", "RRR29")
    assert "RRRD2929" in errors[5][3]
    assert errors[6][:2] == ("تاريخ الميلاد", "1445-01-31")
    assert "no such date" in errors[6][3]
    for _column, _value, arabic, english in errors.values():
        assert ARABIC.search(arabic) and arabic != english

    report = manager.get(reverse("registry:import_errors", args=[job.pk]))
    assert report["Content-Type"].startswith("text/csv")
    assert "attachment" in report["Content-Disposition"]
    assert report.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0][0] == "الصف / Row"
    assert ["3", "رقم الهوية", bad_check_digit] == lines[1][:3]
    assert registered(org) == []


def test_a_row_missing_a_field_the_file_has_no_column_for_says_which(manager, org):
    header = [c for c in HEADER if c != "نوع التقويم"] + ["نوع الهوية"]
    row = person(**{"نوع الهوية": "جواز سفر", "رقم الهوية": "A1234567"})
    job = checked_job(manager, csv_bytes([row], header=header))
    [(row_number, column, value, _arabic, english)] = job.error_rows
    # A passport says nothing of residency, and the file has no such column.
    assert (row_number, column, value) == (2, "", "")
    assert english.startswith("Residency status:")


def test_an_identity_number_twice_in_the_file_is_an_error(manager, org):
    twice = new_id()
    job = checked_job(manager, csv_bytes([person(twice), person(), person(twice)]))
    assert (job.valid_rows, job.invalid_rows) == (2, 1)
    [(row, column, value, _ar, english)] = job.error_rows
    assert (row, column, value) == (4, "رقم الهوية", twice)
    assert "row 2" in english
    import_now(org, job)
    assert len(registered(org)) == 2


def test_values_are_read_by_code_or_by_arabic_or_english_name(manager, org):
    ensure_registry_defaults(org)
    rows = [
        person(**{"الجنس": "أنثى", "الفئات": "الأيتام، widow"}),
        person(**{"الجنس": "F", "الفئات": "orphan", "تاريخ الميلاد": "1990-05-01",
                  "نوع التقويم": ""}),
    ]  # fmt: skip
    job = checked_job(manager, csv_bytes(rows))
    assert job.invalid_rows == 0, job.error_rows
    import_now(org, job)
    first, second = sorted(registered(org), key=lambda b: b.birth_date)
    assert first.gender == second.gender == "female"
    assert {c.code for c in first.categories.all()} == {"orphan", "widow"}
    assert {c.code for c in second.categories.all()} == {"orphan"}
    assert str(first.birth_date) == "1989-08-02"  # 1 Muharram 1410, Umm al-Qura
    assert str(second.birth_date) == "1990-05-01"  # the year says Gregorian
    assert first.nationality == "SA"  # a national ID is a Saudi's
    assert first.residency_status == "citizen"


# Importing -------------------------------------------------------------------


def test_imported_rows_get_the_derived_columns_save_would_give(manager, org):
    job = checked_job(manager, csv_bytes([person(identity="1000000008")]))
    done = import_now(org, job)
    assert done.status == ImportStatus.DONE
    assert (done.created_count, done.processed_rows) == (1, 1)
    [imported] = registered(org)
    assert imported.identity_number == "1000000008"
    assert imported.mobile == "+966551234567"
    assert imported.name_normalized == normalize_name(imported.full_name)
    assert imported.identity_hash == blind_index("1000000008")
    assert imported.mobile_hash == blind_index("+966551234567")
    with scope(organization=org):
        assert list(Beneficiary.objects.search("1000000008")) == [imported]
        assert BeneficiaryNameKey.objects.filter(beneficiary=imported).count() == 4


def test_an_imported_record_is_what_the_staff_form_would_save(manager, org):
    """P-COMPLETE: rows written in bulk (COPY on PostgreSQL) hold the form's
    cleaned values, categories, name keys and name block, tabs and
    backslashes included."""
    with scope(organization=org):
        ensure_registry_defaults(org)
    header = [*HEADER, "الشارع", "الدخل الشهري", "البريد الإلكتروني"]
    row = person(
        **{
            "الفئات": "orphan",
            "الشارع": "شارع\tالملك \\ فهد",
            "الدخل الشهري": "١٬٥٠٠",
            "البريد الإلكتروني": "a@b.sa",
        }
    )
    content = csv_bytes([row], header=header)
    done = import_now(org, checked_job(manager, content))
    assert done.created_count == 1
    [imported] = registered(org)
    with scope(organization=org):
        table = open_table(content, sniff_kind(content[:100], "x.csv"))
        reader = RowReader(table.headers, guess_mapping(table.headers))
        [(_number, values)] = table.rows()
        form = reader.form_class(reader.form_data(values))
        assert form.is_valid(), form.errors
        expected = form.registry_data()
        keys = set(imported.name_keys.values_list("position", "key", "loose_key"))
        block = imported.name_block
    categories = expected.pop("categories")
    assert [str(c.pk) for c in imported.categories.all()] == categories != []
    for name, value in expected.items():
        stored = getattr(imported, name)
        assert (stored.code if name == "nationality" else stored) == value, name
    assert imported.street == "شارع\tالملك \\ فهد"
    parts = {"first": "محمد", "father": "عبدالله", "grandfather": "سعد"}
    assert keys == {(p, k, k) for p, k in parts.items()} | {
        ("family", "القحطاني", "قحطاني")
    }
    assert (block.first, block.family) == ("محمد", "قحطاني")


def test_one_audit_event_records_the_whole_import(manager, org, members):
    job = checked_job(manager, csv_bytes([person() for _ in range(5)]))
    import_now(org, job)
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action=AuditAction.CREATE)
    assert event.actor == members[Role.MANAGER]
    assert event.object_type == "registry.importjob"
    assert event.changes["created"] == 5
    assert event.changes["status"] == "done"


def test_reimporting_the_same_file_creates_no_duplicates(manager, org):
    content = csv_bytes([person(), person(), person()])
    import_now(org, checked_job(manager, content))
    with scopes_disabled():
        ImportJob.objects.all().delete()
    job = checked_job(manager, content)
    assert (job.valid_rows, job.existing_rows) == (0, 3)
    assert not job.can_start
    assert len(registered(org)) == 3


def test_update_existing_changes_registered_records_and_keeps_empty_cells(manager, org):
    identity = new_id()
    with scope(organization=org):
        BeneficiaryFactory(
            organization=org, identity_number=identity, city="جدة", email="a@b.sa"
        )
    row = person(identity, **{"المدينة": "الدمام", "الجوال": ""})
    job = checked_job(manager, csv_bytes([row]), update_existing=True)
    assert (job.valid_rows, job.existing_rows, job.new_rows) == (1, 1, 0)
    done = import_now(org, job)
    assert (done.created_count, done.updated_count) == (0, 1)
    [updated] = registered(org)
    assert updated.city == "الدمام"
    assert updated.email == "a@b.sa"  # not in the file: unchanged
    assert updated.mobile.startswith("+96650")  # empty cell: unchanged


def test_a_registration_made_meanwhile_is_skipped_not_duplicated(manager, org):
    identity = new_id()
    job = checked_job(manager, csv_bytes([person(identity), person()]))
    with scope(organization=org):
        BeneficiaryFactory(organization=org, identity_number=identity)
    done = import_now(org, job)
    assert (done.created_count, done.skipped_count) == (1, 1)
    assert len(registered(org)) == 2


def test_an_xlsx_file_with_numbers_and_dates_imports(manager, org):
    header = ["الاسم الرباعي", "رقم الهوية", "الجنس", "الجوال", "تاريخ الميلاد"]
    row = {
        "الاسم الرباعي": "فاطمة بنت علي حسن الشهري",
        "رقم الهوية": 2000000006,  # Excel keeps it as a number
        "الجنس": "أنثى",
        "الجوال": 501234567,  # the leading zero lost
        "تاريخ الميلاد": datetime.date(1995, 3, 4),
    }
    job = checked_job(manager, xlsx_bytes([row], header), name="people.xlsx")
    assert job.file_kind == "xlsx"
    assert job.invalid_rows == 0, job.error_rows
    import_now(org, job)
    [imported] = registered(org)
    assert (imported.first_name, imported.family_name) == ("فاطمة", "الشهري")
    assert imported.identity_type == "iqama"
    assert imported.residency_status == "resident"
    assert imported.mobile == "+966501234567"
    assert str(imported.birth_date) == "1995-03-04"


def test_a_windows_arabic_csv_is_read(manager, org):
    content = csv_bytes([person()], encoding="cp1256")
    job = checked_job(manager, content)
    assert job.valid_rows == 1
    import_now(org, job)
    assert registered(org)[0].first_name == "محمد"


# Starting, progress, cancelling ------------------------------------------------


def test_starting_queues_the_import_and_the_page_follows_it(
    manager, org, django_capture_on_commit_callbacks
):
    job = checked_job(manager, csv_bytes([person()]))
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(reverse("registry:import_start", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    assert job.task_id
    page = manager.get(reverse("registry:import_job", args=[job.pk]))
    assert 'hx-trigger="every 2s"' in page.text
    partial = manager.get(
        reverse("registry:import_job", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.text
    assert 'id="import-status"' in partial.text
    assert registered(org) == []


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker_run_the_import(client_as, org):
    """Through the real django-tasks-db queue, not the immediate backend."""
    manager = client_as(Role.MANAGER)
    job = checked_job(manager, csv_bytes([person(), person()]))
    manager.post(reverse("registry:import_start", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.created_count == 2
    assert not job.file  # the uploaded file is gone with the job
    assert len(registered(org)) == 2
    page = manager.get(reverse("registry:import_job", args=[job.pk]))
    assert "hx-trigger" not in page.text  # finished: the page stops polling


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_by_the_worker(client_as, org, monkeypatch):
    monkeypatch.setattr(importing, "SYNC_CHECK_ROWS", 1)
    manager = client_as(Role.MANAGER)
    job = checked_job(manager, csv_bytes([person(), person(identity="1000000009")]))
    assert job.status == ImportStatus.MAPPED
    page = manager.get(reverse("registry:import_job", args=[job.pk]))
    assert 'hx-trigger="every 2s"' in page.text
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert (job.valid_rows, job.invalid_rows) == (1, 1)
    assert registered(org) == []


@pytest.mark.django_db(transaction=True)
def test_cancelling_before_the_worker_runs_writes_nothing(client_as, org):
    manager = client_as(Role.MANAGER)
    job = checked_job(manager, csv_bytes([person(), person()]))
    manager.post(reverse("registry:import_start", args=[job.pk]))
    response = manager.post(reverse("registry:import_cancel", args=[job.pk]))
    assert response.status_code == 302
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert registered(org) == []
    assert not job.file
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_cancelling_a_checked_file_writes_nothing(
    manager, org, django_capture_on_commit_callbacks
):
    job = checked_job(manager, csv_bytes([person()]))
    stored = job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("registry:import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert not job.file.storage.exists(stored)
    response = manager.post(reverse("registry:import_start", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert registered(org) == []


def test_cancelling_a_running_import_stops_before_its_next_batch(manager, org):
    job = checked_job(manager, csv_bytes([person() for _ in range(5)]))

    def cancel_after_first_batch(progress):
        if progress.processed == 2:
            with scope(organization=org):
                assert importing.cancel_import(job=ImportJob.objects.get()) is False

    with scope(organization=org):
        importing.queue_import(job=job, background=False)
        done = importing.run_import(
            job, batch_size=2, on_batch=cancel_after_first_batch
        )
    assert done.status == ImportStatus.CANCELLED
    assert (done.processed_rows, done.created_count) == (2, 2)
    assert len(registered(org)) == 2
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action=AuditAction.CREATE)
    assert event.changes["status"] == "cancelled"


def test_batches_commit_their_progress(manager, org):
    job = checked_job(manager, csv_bytes([person() for _ in range(5)]))
    seen = []

    def record(progress):
        with scopes_disabled():
            seen.append(ImportJob.objects.get().processed_rows)

    with scope(organization=org):
        importing.queue_import(job=job, background=False)
        importing.run_import(job, batch_size=2, on_batch=record)
    assert seen == [2, 4, 5]


# On PostgreSQL a writer thread writes each batch while the next is checked.
# Only outside a transaction, so these tests commit for real.


def _import_in_batches_of_two(org, job, on_batch=None):
    with scope(organization=org):
        importing.queue_import(job=job, background=False)
        return importing.run_import(job, batch_size=2, on_batch=on_batch)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_batches_are_written_in_order_while_the_next_is_checked(
    client_as, org, monkeypatch
):
    writers, seen = [], []
    write = importing._write

    def recording_write(*args):
        writers.append(threading.current_thread().name)
        return write(*args)

    def record(progress):
        with scopes_disabled():
            seen.append(ImportJob.objects.get().processed_rows)

    monkeypatch.setattr(importing, "_write", recording_write)
    rows = [person() for _ in range(5)]
    job = checked_job(client_as(Role.MANAGER), csv_bytes(rows))
    done = _import_in_batches_of_two(org, job, on_batch=record)
    assert done.status == ImportStatus.DONE
    assert (done.processed_rows, done.created_count) == (5, 5)
    assert seen == [2, 4, 5]  # each batch's progress committed with it
    assert len(writers) == 3
    assert all(name.startswith("import-writer") for name in writers)
    people = registered(org)
    wanted = {row["رقم الهوية"] for row in rows}
    assert {p.identity_number for p in people} == wanted
    with scopes_disabled():
        assert BeneficiaryNameKey.objects.filter(beneficiary__in=people).count() == 20


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_person_registered_while_their_batch_waits_is_skipped_not_duplicated(
    client_as, org, monkeypatch
):
    rows = [person() for _ in range(5)]
    late = rows[2]["رقم الهوية"]  # in the second batch
    check_rows = importing.check_rows

    def register_meanwhile(batch, *args, **kwargs):
        checked = check_rows(batch, *args, **kwargs)
        if any(late in values for _number, values in batch):
            with scope(organization=org), scopes_disabled():
                if not Beneficiary.objects.filter(identity_hash=blind_index(late)):
                    BeneficiaryFactory(organization=org, identity_number=late)
        return checked

    monkeypatch.setattr(importing, "check_rows", register_meanwhile)
    job = checked_job(client_as(Role.MANAGER), csv_bytes(rows))
    done = _import_in_batches_of_two(org, job)
    assert done.status == ImportStatus.DONE
    assert (done.created_count, done.skipped_count) == (4, 1)
    people = registered(org)
    assert len(people) == 5
    assert sorted(p.identity_number for p in people) == sorted(
        row["رقم الهوية"] for row in rows
    )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_cancelling_stops_the_writer_before_the_next_batch(client_as, org):
    job = checked_job(client_as(Role.MANAGER), csv_bytes([person() for _ in range(5)]))

    def cancel_after_first_batch(progress):
        if progress.processed == 2:
            with scope(organization=org):
                assert importing.cancel_import(job=ImportJob.objects.get()) is False

    done = _import_in_batches_of_two(org, job, on_batch=cancel_after_first_batch)
    assert done.status == ImportStatus.CANCELLED
    assert (done.processed_rows, done.created_count) == (2, 2)
    assert len(registered(org)) == 2


# Bad files -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", TINY_PNG, "not accepted"),
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n \n", "empty"),
        ("notes.csv", "ملاحظات,تاريخ\nx,y\n".encode(), "No column"),
        ("header-only.csv", "رقم الهوية,الجنس\n".encode(), "no rows"),
        ("fake.xlsx", b"first name,identity number\nx,1\n", "not an Excel"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "cannot be opened"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_and_nothing_is_kept(
    client, members, org, name, content, message
):
    client.force_login(members[Role.MANAGER])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = upload(client, content, name)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors
    with scopes_disabled():
        assert not ImportJob.objects.exists()


def test_the_refusal_is_in_arabic_by_default(manager):
    response = upload(manager, b"first name,identity number\nx,1\n", "fake.xlsx")
    assert ARABIC.search(" ".join(response.context["form"].errors["file"]))


def test_sniffing_tells_xlsx_from_csv():
    assert sniff_kind(xlsx_bytes([person()])[:8192], "x.bin").extension == "xlsx"
    assert sniff_kind(csv_bytes([person()])[:8192], "x.txt").extension == "csv"
    table = open_table(csv_bytes([person()], header=HEADER), sniff_kind(b"a", "x.csv"))
    assert table.headers == HEADER


# The command -----------------------------------------------------------------


def write(tmp_path, content: bytes, name="people.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_the_command_dry_run_writes_nothing_but_the_error_report(tmp_path, org):
    path = write(tmp_path, csv_bytes([person(), person(identity="1000000009")]))
    errors = tmp_path / "errors.csv"
    out = io.StringIO()
    call_command(
        "import_beneficiaries",
        path,
        "--org",
        org.slug,
        "--dry-run",
        "--errors",
        str(errors),
        "--language",
        "en",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "2 rows, 1 valid" in out.getvalue()
    lines = list(csv.reader(io.StringIO(errors.read_text("utf-8-sig"))))
    assert lines[1][:3] == ["3", "رقم الهوية", "1000000009"]
    assert registered(org) == []
    with scopes_disabled():
        assert not ImportJob.objects.exists()


def test_the_command_imports_and_a_second_run_skips_everyone(tmp_path, org):
    path = write(tmp_path, xlsx_bytes([person(), person()]), "people.xlsx")
    out = io.StringIO()
    call_command(
        "import_beneficiaries", path, "--org", org.slug, "--language", "en", stdout=out
    )
    assert "2 registered" in out.getvalue()
    out = io.StringIO()
    call_command(
        "import_beneficiaries", path, "--org", org.slug, "--language", "en", stdout=out
    )
    assert "0 registered" in out.getvalue()
    assert "2 already registered and skipped" in out.getvalue()
    assert len(registered(org)) == 2
    with scopes_disabled():
        events = AuditEvent.objects.filter(action=AuditAction.CREATE)
        assert [e.actor_label for e in events] == ["import_beneficiaries"] * 2


@pytest.mark.parametrize(
    "content", [b"", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, b"PK\x03\x04broken"]
)
def test_the_command_fails_on_a_file_it_cannot_read(tmp_path, org, content):
    path = write(tmp_path, content, "people.xlsx")
    with pytest.raises(CommandError):
        call_command("import_beneficiaries", path, "--org", org.slug)
    assert registered(org) == []


def test_the_command_fails_on_a_missing_file_or_association(tmp_path, org):
    missing = str(tmp_path / "none.csv")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "import_beneficiaries", missing, "--org", "alpha", "--language", "en"
        )
    path = write(tmp_path, csv_bytes([person()]))
    with pytest.raises(CommandError, match="No association"):
        call_command("import_beneficiaries", path, "--org", "nowhere")


# Access ----------------------------------------------------------------------


def test_another_associations_import_is_not_found(client_as, org, other_org):
    with scope(organization=other_org):
        job = importing.create_import_job(
            actor=None,
            organization=other_org,
            upload=SimpleUploadedFile("x.csv", csv_bytes([person()])),
            kind=sniff_kind(b"a", "x.csv"),
            original_name="x.csv",
            headers=HEADER,
            mapping=guess_mapping(HEADER),
            total_rows=1,
        )
    manager = client_as(Role.MANAGER)
    for name in ("import_job", "import_mapping", "import_errors"):
        assert (
            manager.get(reverse(f"registry:{name}", args=[job.pk])).status_code == 404
        )
    for name in ("import_start", "import_cancel"):
        assert (
            manager.post(reverse(f"registry:{name}", args=[job.pk])).status_code == 404
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


def test_reception_cannot_import(client_as):
    response = client_as(Role.RECEPTION).get(reverse("registry:import_upload"))
    assert response.status_code == 403


@pytest.mark.parametrize("status", list(ImportStatus))
def test_the_pages_show_an_import_in_every_status(manager, org, status):
    with scope(organization=org):
        job = ImportJob.objects.create(
            organization=org,
            file_kind="csv",
            original_name="الأسر.csv",
            status=status,
            total_rows=4,
            processed_rows=2,
            valid_rows=3,
            started_at=timezone.now() if status != ImportStatus.UPLOADED else None,
            errors=json.dumps([[2, "الجوال", "052", "خطأ", "wrong"]]),
            error_count=1,
        )
    page = manager.get(reverse("registry:import_job", args=[job.pk]))
    assert page.status_code == 200
    assert "الأسر.csv" in page.text
    assert ("hx-trigger" in page.text) == job.is_working
    assert manager.get(reverse("registry:import_list")).status_code == 200


def test_a_workbook_that_unpacks_too_large_is_refused(manager, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_UNPACKED_MB", 0)
    response = upload(manager, xlsx_bytes([person()]), "big.xlsx")
    assert response.context["form"].errors["file"]
    with scopes_disabled():
        assert not ImportJob.objects.exists()


def test_nationalities_are_read_from_names_and_adjectives(org):
    with scope(organization=org):
        reader = RowReader(["الجنسية"], ["nationality"])
        values = ("يمنية", "Egypt", "sa", "السعودية", "مريخي")
        found = [reader.form_data([v])["nationality"] for v in values]
    assert found == ["YE", "EG", "SA", "SA", "مريخي"]  # the form refuses the last


def test_a_negative_income_or_unknown_nationality_is_a_row_error(manager, org):
    """Checked in Python for every row, not by a query per row."""
    header = [*HEADER, "الدخل الشهري", "الجنسية"]
    rows = [
        person(**{"الدخل الشهري": "-50", "الجنسية": "سعودي"}),
        person(**{"الدخل الشهري": "1200", "الجنسية": "XX"}),
        person(**{"الدخل الشهري": "1200", "الجنسية": "مصر"}),
    ]
    job = checked_job(manager, csv_bytes(rows, header=header))
    assert (job.valid_rows, job.invalid_rows) == (1, 2)
    errors = {
        row: (column, english) for row, column, _v, _ar, english in job.error_rows
    }
    assert (
        errors[2][0] == "الدخل الشهري" and "greater than or equal to 0" in errors[2][1]
    )
    assert errors[3][0] == "الجنسية"
