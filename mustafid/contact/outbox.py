"""Messages to beneficiaries (and to inquirers or staff), queued by the change
that causes them.

The row is written in the transaction of that change, so a message exists if and
only if the change happened (`queue_message`). The worker sends it later
(`contact.sending`) through the backend of its method, retrying with back-off;
the row keeps every attempt's outcome, so nothing is lost when a provider is down.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mustafid.core.crypto import EncryptedCharField
from mustafid.core.tenancy import TenantModel, tenant_manager


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    # Not sent on purpose: no consent, opted out, or no address for any method.
    SKIPPED = "skipped", _("Not sent")


class Method(models.TextChoices):
    """How a message travels; a beneficiary's preferred "phone call" is sent by SMS."""

    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class OutboxMessage(TenantModel):
    """One message to send: what happened (`event`) and the facts to tell."""

    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # A staff member told (deadline reminders), instead of a beneficiary.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # A code the sender turns into the wording, in the recipient's language:
    # "case_received", "documents_missing", "decision", "delivery_scheduled",
    # "permit_result", "case_reopened", "referred_out", "referral_accepted",
    # "referral_declined", "referral_completed", "review_due", "review_completed",
    # "service_match", "inquiry_answered", "deadline_reminder", ...
    event = models.CharField(_("event"), max_length=50)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # The method asked for when the message was queued (the beneficiary's
    # preferred one unless the cause chose); the sender may fall back.
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    # Where to send when there is no beneficiary (an inquirer who is not
    # registered): a mobile in E.164 or an email address. Encrypted at rest.
    address = EncryptedCharField(_("address"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.QUEUED,
    )
    # What was sent: the method used, the rendered text, the provider's id.
    method = models.CharField(
        _("sent by"), max_length=10, choices=Method.choices, blank=True
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    provider_id = models.CharField(
        _("provider's message id"), max_length=200, blank=True, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Not before: back-off after a failure, or the end of quiet hours.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A worker holds the message until then; a worker killed mid-send lets go.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set by periodic jobs ("deadline:<rule>:<case>:<user>:<day>"): running a job
    # twice queues nothing twice (unique per association when not empty).
    dedupe_key = models.CharField(max_length=200, blank=True, default="")

    objects = tenant_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="outbox_dedupe_unique",
            )
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="queued"),
                name="outbox_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.beneficiary_id or self.staff_id or '-'}"

    @property
    def event_label(self) -> str:
        """What happened, in words (the wording catalogue's label)."""
        from mustafid.contact.wording import UnknownEvent, get_event

        try:
            return get_event(self.event).label
        except UnknownEvent:
            return self.event


def queue_message(
    *,
    organization,
    event: str,
    context: dict | None = None,
    beneficiary=None,
    staff=None,
    method: str = "",
    address: str = "",
    language: str = "",
    dedupe_key: str = "",
) -> OutboxMessage | None:
    """Queue one message in the caller's transaction; the worker sends it.

    Give a beneficiary (their preferred method and language are used unless
    `method` / `language` say otherwise), a staff member, or an `address`
    (mobile in E.164 or email) for someone who is not registered. With a
    `dedupe_key` already used in the association, nothing is queued (None).
    """
    if beneficiary is not None:
        method = method or beneficiary.preferred_contact
        language = language or beneficiary.preferred_language
    if dedupe_key:
        same = OutboxMessage.objects.filter(
            organization=organization, dedupe_key=dedupe_key
        )
        if same.exists():
            return None
    return OutboxMessage.objects.create(
        organization=organization,
        beneficiary=beneficiary,
        staff=staff,
        event=event,
        context=context or {},
        channel=method,
        address=address,
        language=language,
        dedupe_key=dedupe_key,
    )
