"""Complaints, suggestions, compliments, remarks and disputes, and the
improvement actions they lead to.

P-COMPLAINTS (seed 004: remarks, complaints and disputes handled by approved
rules), P-IMPROVE, P-EVALCULTURE, P-TRANSPARENCY.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core.crypto import EncryptedCharField
from mustafid.core.models import bilingual
from mustafid.core.tenancy import TenantModel, tenant_manager
from mustafid.feedback.choices import (  # noqa: F401 (the app's vocabulary)
    COMPLAINT_KINDS,
    OPEN_STATUSES,
    REFERENCE_PREFIX,
    About,
    DisputeParty,
    Kind,
    Level,
    Priority,
    Sender,
    Status,
)


class FeedbackCategory(TenantModel):
    """What an item is about, as the association sorts them."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_enabled = models.BooleanField(_("enabled"), default=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name_ar"],
                name="feedback_category_unique_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)


class FeedbackTarget(TenantModel):
    """How fast an item of one priority is acknowledged and resolved, in Saudi
    working days, and how long past the resolution target before the board
    hears of it."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    acknowledge_days = models.PositiveSmallIntegerField(_("acknowledge within"))
    resolve_days = models.PositiveSmallIntegerField(_("resolve within"))
    board_after_days = models.PositiveSmallIntegerField(
        _("raise to the board after a further")
    )

    objects = tenant_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("feedback target")
        verbose_name_plural = _("feedback targets")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "priority"],
                name="feedback_target_per_priority",
            ),
            models.CheckConstraint(
                condition=Q(acknowledge_days__gte=1)
                & Q(acknowledge_days__lte=models.F("resolve_days"))
                & Q(resolve_days__lte=60)
                & Q(board_after_days__gte=1)
                & Q(board_after_days__lte=60),
                name="feedback_target_ranges",
            ),
        ]

    def __str__(self) -> str:
        return self.get_priority_display()


class FeedbackCounter(TenantModel):
    """The last feedback number of an association in one Hijri year."""

    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="feedback_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class FeedbackQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def visible_to(self, membership):
        """What this staff member may see (P-EVALCULTURE): never an item about
        themselves; items about any staff member only with HANDLE_STAFF_FEEDBACK."""
        from mustafid.core.roles import Perm

        items = self.exclude(about_staff=membership.user_id)
        if not membership.has_perm(Perm.HANDLE_STAFF_FEEDBACK):
            items = items.exclude(about=About.STAFF)
        return items

    def overdue(self, now: datetime.datetime):
        return self.open().filter(resolve_due_at__lt=now)

    def for_queue(self):
        return self.select_related("category", "channel", "beneficiary", "assigned_to")

    def in_queue_order(self, now: datetime.datetime):
        """Past the resolution target first, then the soonest due."""
        return self.annotate(
            late=models.Case(
                models.When(status__in=OPEN_STATUSES, resolve_due_at__lt=now, then=0),
                default=1,
                output_field=models.IntegerField(),
            )
        ).order_by("late", "resolve_due_at", "id")


class FeedbackItem(TenantModel):
    """One complaint, suggestion, compliment, remark or dispute."""

    reference = models.CharField(_("reference"), max_length=24, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        FeedbackCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("category"),
    )
    channel = models.ForeignKey(
        "contact.Channel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("channel"),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.NEW
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # Who sent it.
    sender = models.CharField(_("from"), max_length=12, choices=Sender.choices)
    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("beneficiary"),
    )
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    sender_mobile = EncryptedCharField(_("mobile"), blank=True)
    sender_email = EncryptedCharField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="ar")
    # What it is about.
    about = models.CharField(
        _("about"), max_length=10, choices=About.choices, default=About.GENERAL
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("request"),
    )
    # P-EVALCULTURE: never assigned to, nor shown to, this person.
    about_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member concerned"),
    )
    description = models.TextField(_("description"))
    interaction = models.ForeignKey(
        "contact.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Handling.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=Level.choices, default=Level.OFFICER
    )
    acknowledge_due_at = models.DateTimeField(_("acknowledgement due"))
    resolve_due_at = models.DateTimeField(_("resolution due"))
    board_due_at = models.DateTimeField(_("raised to the board after"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Item 4: "how satisfied are you with how your complaint was handled?" 1-5.
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction with the handling"), null=True, blank=True
    )
    satisfaction_at = models.DateTimeField(null=True, blank=True)
    satisfaction_by_staff = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = tenant_manager(FeedbackQuerySet)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"],
                name="feedback_reference_unique_per_org",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"])
                | ~Q(resolution="")
                | Q(kind="compliment"),
                name="feedback_resolved_has_resolution",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                name="feedback_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=~Q(about="staff") | Q(about_staff__isnull=False),
                name="feedback_about_staff_names_them",
            ),
            models.CheckConstraint(
                condition=Q(assigned_to__isnull=True)
                | Q(about_staff__isnull=True)
                | ~Q(assigned_to=models.F("about_staff")),
                name="feedback_never_assigned_to_its_subject",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "resolve_due_at"],
                name="feedback_queue_idx",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_complaint(self) -> bool:
        return self.kind in COMPLAINT_KINDS

    @property
    def is_dispute(self) -> bool:
        return self.kind == Kind.DISPUTE

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def sender_label(self) -> str:
        if self.beneficiary_id:
            return self.beneficiary.full_name
        if self.sender == Sender.ANONYMOUS:
            return str(Sender.ANONYMOUS.label)
        return self.sender_name

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.is_open and self.resolve_due_at < (now or timezone.now())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


def attachment_path(attachment: "FeedbackAttachment", filename: str) -> str:
    # The file name is already random (core.uploads.safe_name).
    return f"feedback/{attachment.organization_id}/{filename}"


class FeedbackAttachment(TenantModel):
    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=50)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file.name


class FeedbackEvent(TenantModel):
    """One step on an item's timeline."""

    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=14, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=14, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["item", "created_at", "id"]
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"


class Escalation(TenantModel):
    """An item raised to a level because a target passed; once per level and
    round (a reopened item starts a new round)."""

    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="escalations"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    round = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "round", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "round", "level"], name="feedback_escalation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.level}"


class DisputeStatement(TenantModel):
    """What one party to a dispute says (seed 004)."""

    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="statements"
    )
    party = models.CharField(_("party"), max_length=12, choices=DisputeParty.choices)
    name = models.CharField(_("name"), max_length=200)
    # Where the outcome is sent (the complainant's own address is on the item).
    mobile = EncryptedCharField(_("mobile"), blank=True)
    statement = models.TextField(_("statement"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["item", "created_at", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.name}"


from mustafid.feedback.improvements import ImprovementAction  # noqa: E402,F401
