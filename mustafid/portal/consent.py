"""The privacy notice and the terms a beneficiary accepts, versioned, and each
acceptance with the version accepted (P-CONSENT, P-PRIVACY).

Seed 002 5-7: applying through the association's link is a wish to benefit and
acceptance of the programme's instructions; the portal asks for that acceptance
in so many words and keeps which text was accepted, when and from where.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization, bilingual
from mustafid.core.tenancy import TenantModel
from mustafid.portal import default_texts


class ConsentKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    TERMS = "terms", _("Terms of service")


class ConsentMethod(models.TextChoices):
    PORTAL = "portal", _("Accepted in the portal")
    PAPER = "paper", _("Signed on paper")


class ConsentText(TenantModel):
    """One version of the privacy notice or of the terms, in force from a day.

    A version is never changed once written: beneficiaries accepted its words.
    A new wording is a new version (consent_versions.publish_consent_text).
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ConsentKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    text_ar = models.TextField(_("text (Arabic)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    in_force_from = models.DateField(_("in force from"))
    # Empty for version 1, written from the default wording on first use.
    summary_ar = models.CharField(
        _("what changed (Arabic)"), max_length=300, blank=True
    )
    summary_en = models.CharField(
        _("what changed (English)"), max_length=300, blank=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "version"],
                name="consent_text_version_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def text(self) -> str:
        return bilingual(self.text_ar, self.text_en)

    @property
    def summary(self) -> str:
        return bilingual(self.summary_ar, self.summary_en)


class ConsentAcceptance(TenantModel):
    """A beneficiary accepted one version of a text (P-CONSENT)."""

    # Merging two records of one person who both accepted a text keeps one.
    MERGE_SAME_WHEN = ("text_id",)

    beneficiary = models.ForeignKey(
        "registry.Beneficiary", on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(
        _("how"),
        max_length=10,
        choices=ConsentMethod.choices,
        default=ConsentMethod.PORTAL,
    )

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "text"], name="consent_accepted_once"
            ),
            models.CheckConstraint(
                condition=Q(method__in=ConsentMethod.values),
                name="consent_method_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} — {self.accepted_at:%Y-%m-%d}"


class NoticeShown(TenantModel):
    """A beneficiary was shown that a new privacy notice is in force (P-PRIVACY).

    The privacy notice informs; it is not re-accepted. Its change is shown once
    on "my page", and this row is that once.
    """

    beneficiary = models.ForeignKey(
        "registry.Beneficiary", on_delete=models.CASCADE, related_name="+"
    )
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")

    # No unique constraint on (beneficiary, text): merging two records moves
    # both rows, and two rows for one version say the same thing.
    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice shown")
        verbose_name_plural = _("notices shown")

    def __str__(self) -> str:
        return f"{self.text} — {self.created_at:%Y-%m-%d}"


def current_text(
    organization: Organization, kind: str, day: datetime.date | None = None
) -> ConsentText:
    """The version in force on `day`; the default wording becomes version 1 if
    the association has none."""
    day = day or timezone.localdate()
    found = (
        ConsentText.objects.filter(
            organization=organization, kind=kind, in_force_from__lte=day
        )
        .order_by("-in_force_from", "-version")
        .first()
    )
    if found is not None:
        return found
    text_ar, text_en = default_texts.consent_text(organization, kind)
    found, _created = ConsentText.objects.get_or_create(
        organization=organization,
        kind=kind,
        version=1,
        defaults={
            "text_ar": text_ar,
            "text_en": text_en,
            # In force from the start: no acceptance predates the first version.
            "in_force_from": datetime.date(2000, 1, 1),
        },
    )
    return found


def current_texts(organization: Organization) -> dict[str, ConsentText]:
    return {kind: current_text(organization, kind) for kind in ConsentKind.values}


@transaction.atomic
def record_acceptance(
    *, beneficiary, texts: list[ConsentText], request=None
) -> list[ConsentAcceptance]:
    """The beneficiary accepted these versions now, in the portal; audited."""
    accepted = []
    for text in texts:
        if text.organization_id != beneficiary.organization_id:
            raise ValueError("A text of another association.")
        acceptance, created = ConsentAcceptance.objects.get_or_create(
            organization=beneficiary.organization,
            beneficiary=beneficiary,
            text=text,
            defaults={"ip_address": audit.client_ip(request)},
        )
        if created:
            audit.record(
                AuditAction.CREATE,
                organization=beneficiary.organization,
                obj=acceptance,
                changes={
                    "beneficiary": beneficiary.pk,
                    "kind": text.kind,
                    "version": text.version,
                    "method": acceptance.method,
                },
                request=request,
                actor_label="portal",
            )
        accepted.append(acceptance)
    return accepted
