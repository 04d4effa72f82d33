"""Import jobs: one uploaded file of beneficiaries on its way into the registry."""

import json

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mustafid.core.crypto import EncryptedCharField
from mustafid.core.tenancy import TenantModel


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    MAPPED = "mapped", _("Checking the rows")
    VALIDATED = "validated", _("Checked")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (ImportStatus.UPLOADED, ImportStatus.MAPPED, ImportStatus.VALIDATED)
ACTIVE_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)
FINISHED_STATUSES = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED)


def import_path(job: "ImportJob", filename: str) -> str:
    # The file name is already random (core.uploads.safe_name).
    return f"imports/{job.organization_id}/{filename}"


class ImportJob(TenantModel):
    """A spreadsheet of beneficiaries: mapped, checked, then imported in batches.

    The uploaded file stays in private storage until the import ends. Row errors
    quote the file's values (identity numbers among them), so they are kept
    encrypted like the registry's own identity numbers (P-PRIVACY).
    """

    file = models.FileField(
        _("file"), upload_to=import_path, max_length=200, blank=True
    )
    file_kind = models.CharField(max_length=4)
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImportStatus.choices,
        default=ImportStatus.UPLOADED,
    )
    update_existing = models.BooleanField(
        _("update beneficiaries already registered"), default=False
    )
    headers = models.JSONField(default=list)
    # One target per column of the file ("" = ignored), see importing.TARGETS.
    mapping = models.JSONField(default=list)

    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    invalid_rows = models.PositiveIntegerField(default=0)
    existing_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = EncryptedCharField(blank=True)  # JSON list of importing.RowError

    cancel_requested = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")),
                name="import_progress_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def error_rows(self) -> list[list]:
        """[row, column, value, message_ar, message_en] for each error found."""
        return json.loads(self.errors) if self.errors else []

    @property
    def new_rows(self) -> int:
        """Checked rows that would register someone new."""
        return self.valid_rows - (self.existing_rows if self.update_existing else 0)

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def can_change_mapping(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.VALIDATED)

    @property
    def can_start(self) -> bool:
        return self.status == ImportStatus.VALIDATED and self.valid_rows > 0

    @property
    def can_cancel(self) -> bool:
        return self.status in (*OPEN_STATUSES, *ACTIVE_STATUSES) and not (
            self.cancel_requested
        )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_working(self) -> bool:
        """Rows are being checked or imported: the page follows the progress."""
        return self.status in (ImportStatus.MAPPED, *ACTIVE_STATUSES)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES
