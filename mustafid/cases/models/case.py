import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core.models import bilingual
from mustafid.core.tenancy import TenantModel, tenant_manager


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INCOMPLETE = "incomplete", _("Incomplete")
    VERIFYING = "verifying", _("Verifying documents")
    RESEARCHING = "researching", _("Social research")
    IN_COMMITTEE = "in_committee", _("Before the committee")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DELIVERING = "delivering", _("Delivering")
    CLOSED = "closed", _("Closed")
    AWAITING_EXTERNAL_APPROVAL = (
        "awaiting_external_approval",
        _("Awaiting an external permit"),
    )
    REFERRED_OUT = "referred_out", _("Referred out")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINISHED = frozenset(
    {
        CaseStatus.CLOSED,
        CaseStatus.REFERRED_OUT,
        CaseStatus.WITHDRAWN,
    }
)
# Once decided, the decision deadline no longer runs.
UNDECIDED = frozenset(
    {
        CaseStatus.SUBMITTED,
        CaseStatus.INCOMPLETE,
        CaseStatus.VERIFYING,
        CaseStatus.RESEARCHING,
        CaseStatus.IN_COMMITTEE,
        CaseStatus.AWAITING_EXTERNAL_APPROVAL,
    }
)
DUE_SOON_DAYS = 3


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=FINISHED)

    def undecided(self):
        return self.filter(status__in=UNDECIDED)

    def overdue(self, on: datetime.date | None = None):
        return self.undecided().filter(decision_due__lt=on or timezone.localdate())

    def due_before(self, day: datetime.date):
        return self.undecided().filter(decision_due__lte=day)

    def for_queue(self):
        """What a queue row shows, in one query."""
        return self.select_related("beneficiary", "service", "channel")


class CaseCounter(TenantModel):
    """The last case number given in an association in one Hijri year.

    Locked with SELECT ... FOR UPDATE while a number is taken, so two intakes at
    the same moment never get the same number.
    """

    hijri_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["hijri_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "hijri_year"], name="case_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hijri_year}: {self.last_number}"


class Case(TenantModel):
    """A beneficiary's request for one service (طلب)."""

    number = models.CharField(_("request number"), max_length=20, editable=False)
    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("beneficiary"),
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("service"),
    )
    channel = models.ForeignKey(
        "contact.Channel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("channel"),
    )
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=CaseStatus.choices,
        default=CaseStatus.DRAFT,
    )
    # Where an external permit wait returns to (P-PERMITS).
    return_status = models.CharField(
        max_length=30, choices=CaseStatus.choices, blank=True
    )
    # Optimistic concurrency: every transition names the version it saw.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    # The policy in force when the request was decided (P-APPROVAL, P-REVIEW).
    policy_version = models.ForeignKey(
        "governance.PolicyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policy version"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Empty for a request the beneficiary sent through the portal (P-EONLINE):
    # no staff member took it; the timeline names the applicant.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = tenant_manager(CaseQuerySet)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="case_number_unique_per_org"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"])
                | ~Q(decision_reasons=""),
                name="case_decision_has_reasons",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "decision_due"]),
            models.Index(fields=["organization", "decision_due"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in UNDECIDED
            and self.decision_due is not None
            and self.decision_due < timezone.localdate()
        )

    @property
    def is_due_soon(self) -> bool:
        if self.status not in UNDECIDED or self.decision_due is None:
            return False
        today = timezone.localdate()
        return today <= self.decision_due <= today + datetime.timedelta(DUE_SOON_DAYS)

    def document_checklist(self) -> list[dict]:
        """Each required document type with the beneficiary's best document of it.

        `state`: verified (and unexpired), pending, rejected, expired or missing.
        """
        from mustafid.registry.models import Document, VerificationStatus

        required = list(self.service.required_documents.all())
        documents = Document.objects.filter(
            beneficiary_id=self.beneficiary_id, document_type__in=required
        ).order_by("-created_at", "-id")
        today = timezone.localdate()
        rank = {"verified": 0, "pending": 1, "expired": 2, "rejected": 3}
        best: dict[int, tuple[str, object]] = {}
        for document in documents:
            if document.expires_on and document.expires_on < today:
                state = "expired"
            elif document.status == VerificationStatus.VERIFIED:
                state = "verified"
            else:
                state = str(document.status)
            kept = best.get(document.document_type_id)
            if kept is None or rank[state] < rank[kept[0]]:
                best[document.document_type_id] = (state, document)
        return [
            {
                "type": doc_type,
                "state": best.get(doc_type.pk, ("missing", None))[0],
                "document": best.get(doc_type.pk, ("missing", None))[1],
            }
            for doc_type in required
        ]

    def missing_documents(self) -> list:
        """Required document types without a verified, unexpired document."""
        return [
            row["type"]
            for row in self.document_checklist()
            if row["state"] != "verified"
        ]


class AttestationText(TenantModel):
    """The association's wording of the applicant's attestation, versioned."""

    version = models.PositiveSmallIntegerField(_("version"))
    text_ar = models.TextField(_("text (Arabic)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("attestation text")
        verbose_name_plural = _("attestation texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "version"], name="attestation_text_version"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_current=True),
                name="one_current_attestation_text",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    @property
    def text(self) -> str:
        return bilingual(self.text_ar, self.text_en)


class AttestationMethod(models.TextChoices):
    PAPER_SCAN = "paper_scan", _("Signed paper form, scanned")
    PORTAL_OTP = "portal_otp", _("Portal checkbox confirmed by a one-time code")


def attestation_path(attestation: "Attestation", filename: str) -> str:
    # The file name is already random (core.uploads.safe_name).
    return f"attestations/{attestation.organization_id}/{filename}"


class Attestation(TenantModel):
    """The applicant vouches for the data and answers for it (P-ATTEST)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="attestation"
    )
    text = models.ForeignKey(
        AttestationText, on_delete=models.PROTECT, verbose_name=_("text version")
    )
    method = models.CharField(
        _("method"), max_length=20, choices=AttestationMethod.choices
    )
    scan = models.FileField(
        _("signed form"), upload_to=attestation_path, max_length=200, blank=True
    )
    scan_content_type = models.CharField(max_length=50, blank=True)
    attested_by_name = models.CharField(_("attested by"), max_length=200)
    attested_at = models.DateTimeField(_("attested at"))
    # Empty when the applicant attested in the portal with a one-time code.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["case"]
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="paper_scan") | ~Q(scan=""),
                name="paper_attestation_has_scan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.attested_by_name} ({self.get_method_display()})"


class CaseEvent(TenantModel):
    """One step on a case's timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("from"), max_length=30, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=30, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    # Whether the beneficiary may see this step (portal, letters).
    public = models.BooleanField(_("shown to the beneficiary"), default=False)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class Holiday(TenantModel):
    """A day off of the association, skipped when counting working days."""

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date"], name="holiday_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class DeliveryKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")
    SERVICE_SESSION = "service_session", _("Service session")
    PROGRAMME_SEAT = "programme_seat", _("Programme seat")


def delivery_proof_path(delivery: "Delivery", filename: str) -> str:
    # The file name is already random (core.uploads.safe_name).
    return f"deliveries/{delivery.organization_id}/{filename}"


class Delivery(TenantModel):
    """What the beneficiary received; several per case, e.g. instalments."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deliveries")
    kind = models.CharField(_("kind"), max_length=20, choices=DeliveryKind.choices)
    amount = models.DecimalField(
        _("amount (SAR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    # A receipt or signed handover (P-DELIVER); private, served after a check.
    proof = models.FileField(
        _("proof of delivery"),
        upload_to=delivery_proof_path,
        max_length=200,
        blank=True,
    )
    proof_content_type = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["case", "delivered_on", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(quantity__isnull=False),
                name="delivery_has_amount_or_quantity",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="delivery_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delivered_on}"
