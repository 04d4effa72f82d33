"""Periodic reviews (P-PERIODIC) and invitations to services (P-GOAL)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mustafid.core.tenancy import TenantModel
from mustafid.eligibility.models.checks import EligibilityCheck
from mustafid.eligibility.models.rules import RuleSet


class ReviewReason(models.TextChoices):
    CYCLE = "cycle", _("Periodic review is due")
    DOCUMENT = "document", _("A required document expires")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RENEWED = "renewed", _("Renewed: still eligible")
    ENDED = "ended", _("Ended: no longer eligible")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewTask(TenantModel):
    """P-PERIODIC: check again that someone receiving a service still qualifies.

    Opened by the scheduled job when the service's review cycle or a required
    document falls due; after `suspend_on` no delivery is made until renewed.
    At most one open task per beneficiary and service, so running the job
    twice opens nothing twice.
    """

    beneficiary = models.ForeignKey(
        "registry.Beneficiary", on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_tasks",
        help_text=_("The request through which the service is received."),
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ReviewReason.choices)
    document = models.ForeignKey(
        "registry.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    suspend_on = models.DateField(_("deliveries stop on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.OPEN,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    evaluation = models.ForeignKey(
        EligibilityCheck,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The evaluation made when the review was completed."),
    )
    outcome_note = models.TextField(_("note"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "service"],
                condition=Q(status="open"),
                name="one_open_review_per_service",
            ),
            models.CheckConstraint(
                condition=Q(suspend_on__gte=models.F("due_on")),
                name="review_suspends_after_due",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status", "suspend_on"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.due_on}"


class MatchInvitation(TenantModel):
    """P-GOAL: a beneficiary who qualifies for a service and never asked was
    told of it. One per beneficiary and service: nobody is told twice."""

    beneficiary = models.ForeignKey(
        "registry.Beneficiary", on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="+"
    )
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(
        "contact.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation to a service")
        verbose_name_plural = _("invitations to a service")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "service"], name="one_invitation_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} → {self.service_id}"
