"""A beneficiary's request about their own data (P-PRIVACY, the PDPL's
data-subject rights): a correction, a deletion, or a copy.

Sent from the portal's "My data" page; answered by staff within 30 days from
the back office; the answer reaches the beneficiary through the outbox.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core.tenancy import TenantModel, tenant_manager

# The PDPL's implementing regulation: a data subject's request is answered
# within 30 days.
ANSWER_WITHIN_DAYS = 30


class DataRequestKind(models.TextChoices):
    CORRECTION = "correction", _("Correct my data")
    DELETION = "deletion", _("Delete my data")
    COPY = "copy", _("A copy of my data")


class DataRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Answered")
    REFUSED = "refused", _("Refused")


class DataRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=DataRequestStatus.OPEN)


class DataRequest(TenantModel):
    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.PROTECT,
        related_name="data_requests",
        verbose_name=_("beneficiary"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DataRequestKind.choices)
    # The field to correct, or empty for the record as a whole.
    field = models.CharField(_("what to correct"), max_length=50, blank=True)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DataRequestStatus.choices,
        default=DataRequestStatus.OPEN,
    )
    due_on = models.DateField(_("answer due on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = tenant_manager(DataRequestQuerySet)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""),
                name="data_request_answer_given",
            )
        ]
        indexes = [models.Index(fields=["organization", "status", "due_on"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"DR-{self.pk:06d}"

    @property
    def is_overdue(self) -> bool:
        return self.status == DataRequestStatus.OPEN and self.due_on < (
            timezone.localdate()
        )

    @staticmethod
    def due_from(day: datetime.date) -> datetime.date:
        return day + datetime.timedelta(days=ANSWER_WITHIN_DAYS)
