"""Messages to beneficiaries, queued by the change that causes them.

The row is written in the transaction of that change, so a message exists if and
only if the change happened; the notifications issue sends them (SMS, email,
WhatsApp, letter) with retries.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mustafid.core.tenancy import TenantModel, tenant_manager


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxQuerySet(models.QuerySet):
    def queued(self):
        return self.filter(status=OutboxStatus.QUEUED)


class OutboxMessage(TenantModel):
    """One message to send: what happened (`event`) and the facts to tell."""

    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # A code the sender turns into the wording, in the beneficiary's language:
    # "case_received", "documents_missing", "decision", "delivery_scheduled",
    # "permit_result", "case_reopened", "referred_out", "referral_accepted",
    # "referral_declined", "referral_completed", "review_due", "review_completed".
    event = models.CharField(_("event"), max_length=50)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # The beneficiary's preferred method when the message was queued.
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.QUEUED,
    )

    objects = tenant_manager(OutboxQuerySet)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.beneficiary_id}"
