from django.db import models
from django.utils.translation import gettext_lazy as _

from mustafid.core.models import bilingual
from mustafid.core.tenancy import TenantModel


class PolicyVersion(TenantModel):
    """A board-approved version of the beneficiary relationship policy (P-APPROVAL)."""

    number = models.CharField(_("version / issue number"), max_length=20)
    title_ar = models.CharField(_("title (Arabic)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    text = models.TextField(_("policy text"))
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    board_meeting_number = models.CharField(
        _("board meeting number"), max_length=20, blank=True
    )
    board_meeting_date = models.DateField(
        _("board meeting date"), null=True, blank=True
    )
    board_term = models.CharField(_("board term"), max_length=100, blank=True)
    signatory = models.CharField(_("signed by"), max_length=150, blank=True)
    approval_note = models.TextField(_("approval note"), blank=True)

    class Meta:
        ordering = ["-board_meeting_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="policy_version_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.number})"

    @property
    def title(self) -> str:
        return bilingual(self.title_ar, self.title_en)


class StaffTool(TenantModel):
    """A document staff use with beneficiaries, as the policy lists it (P-TOOLS)."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    file = models.FileField(_("file"), upload_to="tools/", blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name_ar"], name="staff_tool_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)
