"""Import jobs (P-COMPLETE, P-PRIVACY): one function per step.

A file goes: uploaded -> columns mapped and rows checked (the dry run, see
`import_checks`) -> queued -> imported in batches by a background task -> done.
Nothing reaches the registry before the import is started; cancelling stops it
before its next batch; each batch is one transaction; one audit event records
the whole import with its counts.
"""

import json
import logging
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks import task

from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization
from mustafid.core.uploads import FileKind
from mustafid.registry.import_checks import (
    BATCH_SIZE,
    Checked,
    Report,
    RowError,
    batched,
    check_rows,
    dry_run,
)
from mustafid.registry.import_files import Table, open_table
from mustafid.registry.import_models import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    ImportJob,
    ImportStatus,
)
from mustafid.registry.import_rows import RowReader
from mustafid.registry.import_writing import write_new
from mustafid.registry.name_keys import refresh_name_keys

logger = logging.getLogger(__name__)

# Checked in the request up to this many rows (a few seconds); beyond, by the worker.
SYNC_CHECK_ROWS = 1000
ERRORS_KEPT = 20_000
WRITER_SWITCH_SECONDS = 0.0005  # enough to fix a file; the counts stay exact beyond it

# The pages and the command reach the dry run through this module.
__all__ = ["BATCH_SIZE", "dry_run"]

# ---------------------------------------------------------------------------
# Jobs: one function per step; each status change goes through `_move`.

ALLOWED_FROM = {
    ImportStatus.MAPPED: (ImportStatus.UPLOADED, ImportStatus.VALIDATED),
    ImportStatus.VALIDATED: (ImportStatus.MAPPED,),
    # From "mapped" only for the command, which checks the rows as it imports.
    ImportStatus.QUEUED: (ImportStatus.MAPPED, ImportStatus.VALIDATED),
    ImportStatus.RUNNING: (ImportStatus.QUEUED,),
    ImportStatus.DONE: (ImportStatus.RUNNING,),
    ImportStatus.FAILED: (ImportStatus.MAPPED, *ACTIVE_STATUSES),
    ImportStatus.CANCELLED: (*OPEN_STATUSES, *ACTIVE_STATUSES),
}


class ImportStateError(Exception):
    """The job is not in a status this step may start from."""


def _move(job: ImportJob, status: ImportStatus, *, only_from=None, **fields) -> None:
    """Change the job's status if it may; a conditional update, so two actors
    (the worker and someone cancelling) can never both win."""
    allowed = ALLOWED_FROM[status] if only_from is None else only_from
    if not set(allowed) <= set(ALLOWED_FROM[status]):
        raise ValueError(f"{status} is never reached from {allowed}.")
    fields |= {"status": status, "updated_at": timezone.now()}
    moved = ImportJob.objects.filter(pk=job.pk, status__in=allowed).update(**fields)
    if not moved:
        job.refresh_from_db(fields=["status"])
        raise ImportStateError(
            f"Import {job.pk} cannot go from {job.status} to {status}."
        )
    for name, value in fields.items():
        setattr(job, name, value)


def _errors_json(errors: list[RowError]) -> str:
    return json.dumps([e.as_list() for e in errors[:ERRORS_KEPT]], ensure_ascii=False)


def _delete_file_on_commit(job: ImportJob) -> None:
    """The uploaded file holds personal data: it goes when the job ends."""
    if job.file.name:
        transaction.on_commit(partial(job.file.storage.delete, job.file.name))


@transaction.atomic
def create_import_job(
    *,
    actor,
    organization: Organization,
    upload,
    kind: FileKind,
    original_name: str,
    headers: list[str],
    mapping: list[str],
    total_rows: int,
) -> ImportJob:
    """Keep an uploaded file in private storage, with its guessed column mapping."""
    job = ImportJob(
        organization=organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        file_kind=kind.extension,
        original_name=original_name[:255],
        headers=headers,
        mapping=mapping,
        total_rows=total_rows,
    )
    job.file.save(upload.name, upload, save=False)
    try:
        job.save()
    except Exception:
        job.file.delete(save=False)
        raise
    return job


def open_job_table(job: ImportJob) -> Table:
    with job.file.open("rb") as handle:
        data = handle.read()
    return open_table(data, FileKind(job.file_kind, ""))


@transaction.atomic
def map_columns(*, job: ImportJob, mapping: list[str], update_existing: bool) -> None:
    """Keep the target chosen for each column; any earlier check is void."""
    _move(
        job,
        ImportStatus.MAPPED,
        mapping=mapping,
        update_existing=update_existing,
        processed_rows=0,
    )


def check_columns(
    *, job: ImportJob, mapping: list[str], update_existing: bool
) -> ImportJob:
    """Keep the chosen columns and check every row: at once for a small file,
    in the background worker for a larger one (the page shows its progress)."""
    map_columns(job=job, mapping=mapping, update_existing=update_existing)
    if job.total_rows <= SYNC_CHECK_ROWS:
        return check_import(job)
    transaction.on_commit(partial(_enqueue, check_task, job.pk))
    return job


class _Stopped(Exception):
    """The job left the "mapped" status while its rows were being checked."""


def check_import(job: ImportJob) -> ImportJob:
    """The dry run of a job whose columns are chosen: counts and errors kept,
    nothing written (inside the job's scope).

    Rows are checked outside any transaction (a long one would hold SQLite's
    write lock); the results are saved in one short transaction.
    """

    def on_batch(report: Report) -> None:
        still_mapped = ImportJob.objects.filter(
            pk=job.pk, status=ImportStatus.MAPPED
        ).update(processed_rows=report.total)
        if not still_mapped:
            raise _Stopped

    try:
        report = dry_run(
            open_job_table(job),
            job.mapping,
            update_existing=job.update_existing,
            on_batch=on_batch,
        )
    except _Stopped:
        job.refresh_from_db()
        return job
    except Exception:
        logger.exception("Checking import %s failed", job.pk)
        with transaction.atomic():
            _delete_file_on_commit(job)
            _move(job, ImportStatus.FAILED, finished_at=timezone.now(), file="")
        raise
    with transaction.atomic():
        _move(
            job,
            ImportStatus.VALIDATED,
            total_rows=report.total,
            processed_rows=0,
            valid_rows=report.valid,
            invalid_rows=report.invalid,
            existing_rows=report.existing,
            error_count=len(report.errors),
            errors=_errors_json(report.errors),
            validated_at=timezone.now(),
        )
    return job


@transaction.atomic
def queue_import(*, job: ImportJob, background: bool = True) -> ImportJob:
    """Hand the checked file to the background worker (or to the caller, who
    then calls `run_import` itself)."""
    _move(job, ImportStatus.QUEUED)
    if background:
        transaction.on_commit(partial(_enqueue, import_task, job.pk))
    return job


def _enqueue(job_task, job_id: int) -> None:
    try:
        result = job_task.enqueue(job_id)
    except Exception:
        logger.exception("Import %s could not be queued", job_id)
        with scopes_disabled(), transaction.atomic():
            job = ImportJob.objects.get(pk=job_id)
            _move(job, ImportStatus.FAILED, finished_at=timezone.now())
        return
    with scopes_disabled():
        ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id))


@transaction.atomic
def cancel_import(*, job: ImportJob) -> bool:
    """Cancel; True when nothing was imported, False when a running import was
    asked to stop before its next batch (what it imported stays)."""
    stored = job.file.name
    try:
        _move(
            job,
            ImportStatus.CANCELLED,
            only_from=(*OPEN_STATUSES, ImportStatus.QUEUED),
            finished_at=timezone.now(),
            file="",
        )
    except ImportStateError:
        if job.status != ImportStatus.RUNNING:
            raise
        ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
        job.cancel_requested = True
        return False
    if stored:
        transaction.on_commit(partial(job.file.storage.delete, stored))
    return True


def _write(organization: Organization, checked: Checked, reader, words) -> None:
    write_new(organization, checked.new, words)
    for form in checked.updates:
        data = form.registry_data()
        categories = data.pop("categories", None)
        beneficiary = form.instance
        for name, value in data.items():
            setattr(beneficiary, name, value)
        beneficiary.save()
        if reader.maps("categories"):
            beneficiary.categories.set(categories)
        refresh_name_keys(beneficiary)


@dataclass
class Progress:
    processed: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)

    def plus(self, batch: list, checked: Checked) -> "Progress":
        """The counts once this checked batch is written (errors added then)."""
        return Progress(
            processed=self.processed + len(batch),
            created=self.created + len(checked.new),
            updated=self.updated + len(checked.updates),
            skipped=self.skipped + checked.skipped,
            invalid=self.invalid + checked.invalid,
        )

    def counts(self) -> dict:
        return {
            "processed_rows": self.processed,
            "created_count": self.created,
            "updated_count": self.updated,
            "skipped_count": self.skipped,
            "invalid_rows": self.invalid,
        }


def _import_batch(job, batch, reader, seen, words, progress: Progress) -> None:
    """Check and write one batch in one transaction, with the job's progress.

    A row registered meanwhile by someone else breaks the unique constraint:
    the batch is rolled back and checked again (that row is then "existing").
    """
    for attempt in (1, 2):
        seen_before, words_before = dict(seen), set(words)
        try:
            with transaction.atomic():
                checked = check_rows(
                    batch, reader, update_existing=job.update_existing, seen=seen
                )
                _write(job.organization, checked, reader, words)
                after = progress.plus(batch, checked)
                ImportJob.objects.filter(pk=job.pk).update(**after.counts())
        except IntegrityError:
            seen.clear()
            seen.update(seen_before)
            words.clear()
            words.update(words_before)
            if attempt == 2:
                raise
            continue
        after.errors = progress.errors + checked.errors
        progress.__dict__.update(after.__dict__)
        return


def run_import(
    job: ImportJob, *, batch_size: int = BATCH_SIZE, on_batch=None
) -> ImportJob:
    """Import the valid rows of a queued job, batch by batch (inside its scope).

    `on_batch(progress)` is called after each batch, e.g. to print progress.
    """
    try:
        with transaction.atomic():
            _move(
                job, ImportStatus.RUNNING, started_at=timezone.now(), processed_rows=0
            )
    except ImportStateError:
        return job  # cancelled before it started, or already run: nothing to do
    progress = Progress()
    try:
        reader = RowReader(job.headers, job.mapping)
        batches = batched(open_job_table(job).rows(), batch_size)
        run = _overlapping if _can_overlap() else _one_by_one
        finished = run(job, batches, reader, progress, on_batch or _nothing)
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, progress)
        raise
    return _finish(job, finished, progress)


def _nothing(_progress: Progress) -> None:
    pass


def _cancel_requested(job: ImportJob) -> bool:
    return ImportJob.objects.filter(pk=job.pk, cancel_requested=True).exists()


def _one_by_one(job, batches, reader, progress, on_batch) -> ImportStatus:
    seen: dict[str, int] = {}
    words: set[str] = set()  # name words known to be in NameWord
    for batch in batches:
        if _cancel_requested(job):
            return ImportStatus.CANCELLED
        _import_batch(job, batch, reader, seen, words, progress)
        on_batch(progress)
    return ImportStatus.DONE


def _can_overlap() -> bool:
    # A second connection writes while this one checks: on PostgreSQL, and only
    # outside a transaction (the writer could not see rows one holds).
    return connection.vendor == "postgresql" and not connection.in_atomic_block


@dataclass
class _Pending:
    """A batch handed to the writer, with what to restore if it is refused."""

    batch: list
    checked: Checked
    after: Progress
    written: Future
    seen_before: dict
    words_before: set


def _overlapping(job, batches, reader, progress, on_batch) -> ImportStatus:
    """Check each batch while the batch before it is being written.

    Checking is Python's work and writing mostly PostgreSQL's (COPY and index
    upkeep), so overlapping them takes an import of 100,000 rows from about
    the sum of the two to about the larger. The writer is one thread with its
    own connection; each batch is still one transaction, written in order, and
    cancelling still stops before the next batch is written. A batch the
    database refuses (someone registered one of its people meanwhile) is
    checked and written again alone, as `_one_by_one` does.
    """
    seen: dict[str, int] = {}
    words: set[str] = set()
    pending = None
    with (
        _switching_every(WRITER_SWITCH_SECONDS),
        ThreadPoolExecutor(1, thread_name_prefix="import-writer") as writer,
    ):
        try:
            for batch in batches:
                seen_before = dict(seen)
                checked = check_rows(
                    batch, reader, update_existing=job.update_existing, seen=seen
                )
                if pending and not _settle(pending, progress, seen, words):
                    # Refused: redo it and this batch alone, from before it.
                    _import_batch(job, pending.batch, reader, seen, words, progress)
                    on_batch(progress)
                    pending = None
                    if _cancel_requested(job):
                        return ImportStatus.CANCELLED
                    _import_batch(job, batch, reader, seen, words, progress)
                    on_batch(progress)
                    continue
                if pending:
                    on_batch(progress)
                    pending = None
                if _cancel_requested(job):
                    return ImportStatus.CANCELLED
                after = progress.plus(batch, checked)
                pending = _Pending(
                    batch,
                    checked,
                    after,
                    writer.submit(
                        _write_batch, job, checked, reader, words, after.counts()
                    ),
                    seen_before,
                    set(words),
                )
            if pending and not _settle(pending, progress, seen, words):
                _import_batch(job, pending.batch, reader, seen, words, progress)
            if pending:
                on_batch(progress)
                pending = None
        finally:
            # An error here: the batch in flight ends first, and counts if written.
            if pending and pending.written.exception() is None:
                _settle(pending, progress, seen, words)
            writer.submit(connections.close_all).result()
    return ImportStatus.DONE


@contextmanager
def _switching_every(seconds: float):
    """The interpreter changes threads this often, then as before, even on error.

    The writer waits on the database many times a batch; at the default 5 ms
    it waited as long again for the checker to hand over the interpreter.
    """
    before = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _settle(pending: _Pending, progress: Progress, seen: dict, words: set) -> bool:
    """Wait for the batch in flight: True once written and counted; False when
    refused, with `seen` and `words` back as they were before it."""
    try:
        pending.written.result()
    except IntegrityError:
        seen.clear()
        seen.update(pending.seen_before)
        words.clear()
        words.update(pending.words_before)
        return False
    pending.after.errors = progress.errors + pending.checked.errors
    progress.__dict__.update(pending.after.__dict__)
    return True


def _write_batch(job, checked: Checked, reader, words: set, counts: dict) -> None:
    """In the writer thread: one batch and the job's progress, one transaction."""
    with scope(organization=job.organization), transaction.atomic():
        _write(job.organization, checked, reader, words)
        ImportJob.objects.filter(pk=job.pk).update(**counts)


@transaction.atomic
def _finish(job: ImportJob, status: ImportStatus, progress: Progress) -> ImportJob:
    """End the job and write its one audit event, with the counts."""
    _delete_file_on_commit(job)
    _move(
        job,
        status,
        finished_at=timezone.now(),
        file="",
        error_count=len(progress.errors),
        errors=_errors_json(progress.errors),
        **progress.counts(),
    )
    audit.record(
        AuditAction.CREATE,
        actor=job.created_by,
        actor_label="" if job.created_by else "import_beneficiaries",
        organization=job.organization,
        obj=job,
        changes={
            "status": status.value,
            "rows": job.total_rows,
            "created": progress.created,
            "updated": progress.updated,
            "skipped": progress.skipped,
            "invalid": progress.invalid,
            "update_existing": job.update_existing,
        },
    )
    return job


def _job_for_task(job_id: int) -> ImportJob:
    with scopes_disabled():
        return ImportJob.objects.select_related("organization", "created_by").get(
            pk=job_id
        )


@task()
def check_task(job_id: int) -> dict:
    """The dry run of a large file, in the background, in the job's association."""
    job = _job_for_task(job_id)
    with scope(organization=job.organization):
        job = check_import(job)
    return {"status": job.status, "valid": job.valid_rows}


@task()
def import_task(job_id: int) -> dict:
    """The import itself, in the background, in the job's association."""
    job = _job_for_task(job_id)
    with scope(organization=job.organization):
        job = run_import(job)
    return {"status": job.status, "created": job.created_count}
