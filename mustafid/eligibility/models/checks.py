"""A stored evaluation of a request against its service's rules (P-ELIGIBILITY)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mustafid.core.tenancy import TenantModel
from mustafid.eligibility.models.rules import RuleSet


class Stage(models.TextChoices):
    PRECHECK = "precheck", _("Before submission")
    SUBMISSION = "submission", _("At submission")
    COMMITTEE = "committee", _("Before the committee")
    RECHECK = "recheck", _("Checked again by staff")
    REVIEW = "review", _("Periodic review")


class EligibilityCheck(TenantModel):
    """A stored evaluation: each criterion passed or failed with the values used
    and the rules' version (P-ELIGIBILITY). Kept on the request it was made for."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="eligibility_checks",
    )
    beneficiary = models.ForeignKey(
        "registry.Beneficiary", on_delete=models.CASCADE, related_name="+"
    )
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    evaluated_on = models.DateField(_("evaluated on"))
    eligible = models.BooleanField(_("eligible"))
    # [{"subject", "passed", "values", "reason_ar", "reason_en"}], in order.
    results = models.JSONField(default=list)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # P-ELIGIBILITY: only a manager, only with a written reason (audited).
    override_reason = models.TextField(_("reason for the exception"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        indexes = [models.Index(fields=["case", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(overridden_at__isnull=True) | ~Q(override_reason=""),
                name="eligibility_override_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.eligible}"

    @property
    def overridden(self) -> bool:
        return self.overridden_at is not None

    @property
    def allows(self) -> bool:
        """Eligible, or not but excepted by a manager."""
        return self.eligible or self.overridden

    @property
    def failed(self) -> list[dict]:
        return [line for line in self.results if not line["passed"]]
