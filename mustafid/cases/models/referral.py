"""Referrals out (P-OUTOFSCOPE): a request outside the association's remit goes
to the competent association, with the beneficiary's consent for what is shared.

Two rows per referral to an association on the platform, one in each tenant:
the sender's `Referral` (the case, the consent, the outcome) and the receiver's
`IncomingReferral` (only the consented facts, copied at sending). The receiver
never reads the sender's rows; cases/referrals.py keeps the two in step in one
transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mustafid.cases.models.case import Case
from mustafid.core.crypto import EncryptedCharField
from mustafid.core.models import bilingual
from mustafid.core.regions import Region
from mustafid.core.tenancy import TenantModel, tenant_manager
from mustafid.registry.models import IdentityType


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


# sent → accepted | declined; accepted → completed. Declined and completed end it.
NEXT_STATUSES = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (ReferralStatus.COMPLETED,),
}
LIVE = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class SharedField(models.TextChoices):
    """What the beneficiary may agree to share with the receiving association."""

    NAME = "name", _("Full name")
    IDENTITY = "identity", _("Identity number")
    MOBILE = "mobile", _("Mobile")
    ADDRESS = "address", _("City and region")
    HOUSEHOLD = "household", _("Household summary (size, disabilities, income)")
    DOCUMENTS = "documents", _("List of documents (names and verification, no files)")
    NOTES = "notes", _("The request's notes")


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", _("Signed form")
    IN_PERSON = "in_person", _("Verbally, in person")
    PHONE = "phone", _("Verbally, by phone")


class ExternalAssociation(TenantModel):
    """An association outside the platform that requests can be referred to."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True
    )
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    services = models.TextField(_("services it provides"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_ar", "id"]
        verbose_name = _("association in the referral directory")
        verbose_name_plural = _("referral directory")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name_ar"],
                name="external_association_name_unique_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)


class ReferralProgress(TenantModel):
    """Where a referral stands, kept the same on both sides."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    # Who recorded the last outcome, always a member of this row's association.
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return NEXT_STATUSES.get(self.status, ())

    @property
    def is_live(self) -> bool:
        return self.status in LIVE


class IncomingReferral(ReferralProgress):
    """A referral received from another association on the platform.

    Owned by the receiving association; holds only what the beneficiary agreed
    to share (the other columns stay empty), copied when it was sent.
    """

    source_organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from"),
    )
    service_name_ar = models.CharField(_("service asked for"), max_length=150)
    service_name_en = models.CharField(max_length=150, blank=True)
    need = models.TextField(_("what the beneficiary needs"), blank=True)
    shared_fields = models.JSONField(_("shared with consent"), default=list)
    consent_method = models.CharField(
        _("consent given"), max_length=10, choices=ConsentMethod.choices
    )
    consent_at = models.DateTimeField(_("consent recorded at"))
    full_name = models.CharField(_("full name"), max_length=210, blank=True)
    identity_type = models.CharField(
        _("identity type"), max_length=20, choices=IdentityType.choices, blank=True
    )
    identity_number = EncryptedCharField(_("identity number"), blank=True)
    mobile = EncryptedCharField(_("mobile"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True
    )
    household = models.JSONField(_("household"), default=dict, blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    request_notes = models.TextField(_("the request's notes"), blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("incoming referral")
        verbose_name_plural = _("incoming referrals")
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="incoming_referral_decline_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_organization_id}: {self.get_status_display()}"

    @property
    def service_name(self) -> str:
        return bilingual(self.service_name_ar, self.service_name_en)

    def shares(self, field: str) -> bool:
        return field in self.shared_fields


class Referral(ReferralProgress):
    """A request referred out by this association, with the consent behind it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    # Exactly one of: an association on the platform, or one from the directory.
    target_organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("association on the platform"),
    )
    external = models.ForeignKey(
        ExternalAssociation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("association from the directory"),
    )
    # The receiver's copy; no reverse accessor, so the receiver cannot reach this row.
    incoming = models.OneToOneField(
        IncomingReferral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("why it is outside the association's remit"))
    need = models.TextField(_("what the beneficiary needs"), blank=True)
    shared_fields = models.JSONField(_("shared with consent"), default=list)
    consent_given_by = models.CharField(_("consent given by"), max_length=200)
    consent_method = models.CharField(
        _("consent given"), max_length=10, choices=ConsentMethod.choices
    )
    consent_at = models.DateTimeField(_("consent recorded at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_organization__isnull=False, external__isnull=True)
                | Q(target_organization__isnull=True, external__isnull=False),
                name="referral_has_one_target",
            ),
            models.CheckConstraint(
                condition=Q(target_organization__isnull=True)
                | Q(incoming__isnull=False),
                name="platform_referral_has_incoming",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_decline_has_reason",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="referral_has_reason"),
            # A request is in one association's hands at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["sent", "accepted"]),
                name="one_live_referral_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.target_name}"

    @property
    def on_platform(self) -> bool:
        return self.target_organization_id is not None

    @property
    def target_name(self) -> str:
        target = self.target_organization or self.external
        return target.name if target else ""

    def message_context(self) -> dict:
        """What the beneficiary is told about where they were referred."""
        target = self.target_organization or self.external
        return {
            "referred_to_ar": target.name_ar,
            "referred_to_en": target.name_en,
            "referred_to_phone": target.phone,
            "referred_to_email": target.email,
            "referred_to_city": target.city,
            "referral_status": self.status,
        }
