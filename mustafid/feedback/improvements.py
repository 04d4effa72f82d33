"""Improvement actions made from suggestions and complaints (P-IMPROVE), and
the "you said, we did" list an association may publish (P-TRANSPARENCY)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mustafid.core.tenancy import TenantModel, tenant_manager


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ImprovementQuerySet(models.QuerySet):
    def published(self):
        """What the public page shows: done, with both public texts written."""
        return self.filter(is_published=True, status=ActionStatus.DONE).exclude(
            Q(you_said="") | Q(we_did="")
        )


class ImprovementAction(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what will be done"), blank=True)
    items = models.ManyToManyField(
        "feedback.FeedbackItem",
        related_name="improvement_actions",
        blank=True,
        verbose_name=_("from the items"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActionStatus.choices,
        default=ActionStatus.PLANNED,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The public wording: no names, no case details (P-PRIVACY).
    you_said = models.TextField(_("you said (public)"), blank=True)
    we_did = models.TextField(_("we did (public)"), blank=True)
    is_published = models.BooleanField(_("publish on the public page"), default=False)

    objects = tenant_manager(ImprovementQuerySet)

    class Meta:
        app_label = "feedback"
        ordering = ["-created_at", "-id"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(outcome=""),
                name="improvement_done_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.title
