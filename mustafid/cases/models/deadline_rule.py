"""Reminders and escalations around the decision deadline, as data the
scheduler runs (P-COMMITTEE: the answer comes within the promised window)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mustafid.core.roles import Role
from mustafid.core.tenancy import TenantModel, tenant_manager


class DeadlineAction(models.TextChoices):
    REMIND = "remind", _("Remind")
    ESCALATE = "escalate", _("Escalate")


class DeadlineRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def escalations(self):
        return self.active().filter(action=DeadlineAction.ESCALATE)


class DeadlineRule(TenantModel):
    """On `days` relative to an undecided request's decision due date (negative:
    before it), remind or escalate to the staff of `notify_role`."""

    days = models.SmallIntegerField(
        _("days from the decision due date"),
        help_text=_("Negative: before the due date; 0: on it; positive: after it."),
    )
    action = models.CharField(
        _("action"), max_length=10, choices=DeadlineAction.choices
    )
    notify_role = models.CharField(
        _("notify"), max_length=20, choices=Role.choices, default=Role.MANAGER
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = tenant_manager(DeadlineRuleQuerySet)

    class Meta:
        ordering = ["days", "action", "notify_role"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "days", "action", "notify_role"],
                name="deadline_rule_unique",
            ),
            models.CheckConstraint(
                condition=Q(days__gte=-90) & Q(days__lte=90),
                name="deadline_rule_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.days:+d} {self.action} {self.notify_role}"
