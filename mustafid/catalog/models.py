from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mustafid.core.models import Organization, bilingual
from mustafid.core.tenancy import TenantModel, tenant_manager


class ServiceKind(models.TextChoices):
    FINANCIAL_AID = "financial_aid", _("Financial aid")
    IN_KIND = "in_kind", _("In-kind aid")
    TRAINING = "training", _("Training")
    HEALTH = "health", _("Health service")
    COUNSELLING = "counselling", _("Counselling")
    OTHER = "other", _("Other")


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def open_for_intake(self):
        """Services a request may be opened for: active and within the remit.

        Out-of-scope services are referred to another association (P-OUTOFSCOPE).
        """
        return self.active().filter(in_scope=True)


class Service(TenantModel):
    """A service the association provides, with what a request for it needs."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    in_scope = models.BooleanField(
        _("within the association's remit"),
        default=True,
        help_text=_("Requests for services outside the remit are referred out."),
    )
    required_documents = models.ManyToManyField(
        "registry.DocumentType",
        verbose_name=_("required documents"),
        blank=True,
        related_name="+",
    )
    needs_research = models.BooleanField(_("needs social research"), default=True)
    needs_committee = models.BooleanField(
        _("needs the research committee"), default=True
    )
    decision_window_days = models.PositiveSmallIntegerField(
        _("decision window (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the association's window."),
    )
    needs_external_permit = models.BooleanField(
        _("needs a permit from another authority"), default=False
    )
    permit_authority = models.CharField(
        _("permit authority"), max_length=200, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = tenant_manager(ServiceQuerySet)

    class Meta:
        ordering = ["name_ar", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name_ar"], name="service_name_unique_per_org"
            ),
            models.CheckConstraint(
                condition=Q(decision_window_days__isnull=True)
                | Q(decision_window_days__gte=1, decision_window_days__lte=90),
                name="service_decision_window_range",
            ),
            models.CheckConstraint(
                condition=Q(needs_external_permit=False) | ~Q(permit_authority=""),
                name="service_permit_names_authority",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)

    def window_days(self, organization: Organization) -> int:
        """The decision window of this service, else the association's (P-COMMITTEE)."""
        return self.decision_window_days or organization.decision_window_days
