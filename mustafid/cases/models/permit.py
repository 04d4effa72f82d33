from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mustafid.cases.models.case import Case
from mustafid.core.tenancy import TenantModel


class PermitOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the answer")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ExternalPermit(TenantModel):
    """A request raised to another authority for its permit (P-PERMITS).

    One per wait: a case may wait more than once, each time with its own row.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="permits")
    authority = models.CharField(_("authority"), max_length=200)
    reference = models.CharField(_("authority's reference"), max_length=100, blank=True)
    sent_on = models.DateField(_("sent on"))
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=PermitOutcome.choices,
        default=PermitOutcome.PENDING,
    )
    outcome_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome_note = models.TextField(_("note on the answer"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("external permit")
        verbose_name_plural = _("external permits")
        constraints = [
            models.CheckConstraint(
                condition=~Q(authority=""), name="permit_names_authority"
            ),
            # An answer has a date, a pending permit has none.
            models.CheckConstraint(
                condition=Q(outcome="pending", outcome_on__isnull=True)
                | (~Q(outcome="pending") & Q(outcome_on__isnull=False)),
                name="permit_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=F("sent_on")),
                name="permit_answered_after_sent",
            ),
            # A case waits for one permit at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(outcome="pending"),
                name="one_pending_permit_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} ({self.get_outcome_display()})"

    @property
    def is_pending(self) -> bool:
        return self.outcome == PermitOutcome.PENDING
