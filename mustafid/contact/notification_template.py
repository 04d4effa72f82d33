"""An association's own wording of one event, for one method and language.

No row means the default wording of `contact.wording.events` applies; deleting
the row restores it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mustafid.contact.outbox import Method
from mustafid.core.tenancy import TenantModel, tenant_manager


class TemplateLanguage(models.TextChoices):
    AR = "ar", _("Arabic")
    EN = "en", _("English")


class NotificationTemplate(TenantModel):
    event = models.CharField(_("event"), max_length=50)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=TemplateLanguage.choices
    )
    # Email and letters only.
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = tenant_manager()

    class Meta:
        ordering = ["event", "method", "language"]
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "event", "method", "language"],
                name="notification_template_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.method} / {self.language}"
