import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core.crypto import EncryptedCharField
from mustafid.core.models import bilingual
from mustafid.core.tenancy import TenantModel, tenant_manager


class ChannelKind(models.TextChoices):
    """What a channel is, so channels named differently by each policy compare."""

    INTERVIEW = "interview", _("Interview")
    PHONE = "phone", _("Phone")
    SOCIAL_MEDIA = "social_media", _("Social media")
    LETTERS = "letters", _("Letters")
    ASSISTANCE_REQUEST = "assistance_request", _("Assistance-request service")
    VOLUNTEERING = "volunteering", _("Volunteering service / platform")
    WEBSITE = "website", _("Website")
    BRANCH_REPRESENTATIVES = (
        "branch_representatives",
        _("Branch-office representatives"),
    )
    SOCIAL_RESEARCHER = "social_researcher", _("Social researcher")
    OTHER = "other", _("Other")


class ChannelQuerySet(models.QuerySet):
    def enabled(self):
        """The channels offered in pickers; disabled ones stay on old records."""
        return self.filter(is_enabled=True)


class Channel(TenantModel):
    """A way beneficiaries reach the association, as its policy names it.

    P-CHANNELS.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=ChannelKind.choices)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_enabled = models.BooleanField(_("enabled"), default=True)

    objects = tenant_manager(ChannelQuerySet)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name_ar"], name="channel_name_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")


class Interaction(TenantModel):
    """One contact with someone through a channel: a call, a visit, a letter.

    P-RECEIVE, P-CHANNELS. With a beneficiary, or with someone not registered
    (a name and a phone, or nothing when the caller stays unidentified).
    """

    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        related_name="interactions",
        verbose_name=_("channel"),
    )
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.INCOMING,
    )
    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("beneficiary"),
    )
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_phone = EncryptedCharField(_("phone"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    # Empty for what arrived by itself (an inquiry sent from the website).
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("request"),
    )
    inquiry = models.ForeignKey(
        "contact.Inquiry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("inquiry"),
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(
                fields=["beneficiary", "-occurred_at"],
                name="interaction_timeline_idx",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def who(self) -> str:
        if self.beneficiary_id:
            return self.beneficiary.full_name
        return self.contact_name


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class ReplyMethod(models.TextChoices):
    """How the answer reaches the inquirer (the outbox's methods)."""

    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class InquiryCounter(TenantModel):
    """The last inquiry number of an association in one Hijri year, locked while
    taken."""

    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="inquiry_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class InquiryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=InquiryStatus.OPEN)

    def overdue(self, now: datetime.datetime):
        return self.open().filter(due_at__lt=now)

    def for_queue(self):
        return self.select_related("channel", "beneficiary", "assigned_to")


class Inquiry(TenantModel):
    """A question someone asked, answered within the association's target.

    P-INFO (seed 004: "answer inquiries without delay"), P-RECEIVE.
    """

    reference = models.CharField(_("reference"), max_length=20, editable=False)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("channel"),
    )
    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("beneficiary"),
    )
    # Someone not registered; encrypted at rest like a beneficiary's contacts.
    inquirer_name = models.CharField(_("inquirer's name"), max_length=200, blank=True)
    inquirer_mobile = EncryptedCharField(_("mobile"), blank=True)
    inquirer_email = EncryptedCharField(_("email"), blank=True)
    reply_method = models.CharField(
        _("reply by"), max_length=10, choices=ReplyMethod.choices
    )
    language = models.CharField(_("language"), max_length=5, default="ar")
    question = models.TextField(_("question"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InquiryStatus.choices,
        default=InquiryStatus.OPEN,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    due_at = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Why it was closed without an answer (a duplicate, the inquirer unreachable).
    close_reason = models.TextField(_("reason for closing"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = tenant_manager(InquiryQuerySet)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"],
                name="inquiry_reference_unique_per_org",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""),
                name="inquiry_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(answer="") | ~Q(close_reason=""),
                name="inquiry_closed_unanswered_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "due_at"], name="inquiry_queue_idx"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def inquirer(self) -> str:
        if self.beneficiary_id:
            return self.beneficiary.full_name
        return self.inquirer_name

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.status == InquiryStatus.OPEN and self.due_at < (
            now or timezone.now()
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at


from mustafid.contact.notification_template import NotificationTemplate  # noqa: E402,F401
from mustafid.contact.outbox import OutboxMessage  # noqa: E402,F401
