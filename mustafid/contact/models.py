from django.db import models
from django.utils.translation import gettext_lazy as _

from mustafid.core.models import bilingual
from mustafid.core.tenancy import TenantModel


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


class Channel(TenantModel):
    """A way beneficiaries reach the association, as its policy names it.

    P-CHANNELS.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=ChannelKind.choices)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_enabled = models.BooleanField(_("enabled"), default=True)

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


from mustafid.contact.notification_template import NotificationTemplate  # noqa: E402,F401
from mustafid.contact.outbox import OutboxMessage  # noqa: E402,F401
