from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mustafid.core.regions import Region
from mustafid.core.roles import Perm, Role, role_has_perm
from mustafid.core.slugs import validate_slug_not_reserved
from mustafid.core.tenancy import tenant_manager


def bilingual(ar: str, en: str) -> str:
    """The English text when English is active and given, else the Arabic."""
    return en if en and (get_language() or "ar").startswith("en") else ar


class DecisionDays(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Saudi working days (Sunday to Thursday)")


class Organization(models.Model):
    """An association (الجمعية): the tenant."""

    # P-TRANSPARENCY: the first segment of the association's public pages.
    slug = models.SlugField(
        _("short name"), unique=True, validators=[validate_slug_not_reserved]
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    licence_number = models.CharField(
        _("licence / registration number"), max_length=50, blank=True
    )
    supervising_body_ar = models.CharField(
        _("supervising body (Arabic)"), max_length=200, blank=True
    )
    supervising_body_en = models.CharField(
        _("supervising body (English)"), max_length=200, blank=True
    )
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    decision_window_days = models.PositiveSmallIntegerField(
        _("committee decision window (days)"),
        default=14,
        help_text=_("P-COMMITTEE: the committee answers within this many days."),
    )
    decision_days_kind = models.CharField(
        _("decision window counts"),
        max_length=10,
        choices=DecisionDays.choices,
        default=DecisionDays.CALENDAR,
    )
    # P-INFO (seed 004: "answer inquiries without delay"): an inquiry is due
    # this many days after it is received.
    inquiry_target_days = models.PositiveSmallIntegerField(
        _("inquiry response target (days)"),
        default=1,
        help_text=_("P-INFO: inquiries are answered within this many days."),
    )
    inquiry_days_kind = models.CharField(
        _("inquiry target counts"),
        max_length=10,
        choices=DecisionDays.choices,
        default=DecisionDays.WORKING,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision_window_days__gte=1)
                & models.Q(decision_window_days__lte=90),
                name="organization_decision_window_range",
            ),
            models.CheckConstraint(
                condition=models.Q(inquiry_target_days__gte=1)
                & models.Q(inquiry_target_days__lte=30),
                name="organization_inquiry_target_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)

    @property
    def supervising_body(self) -> str:
        return bilingual(self.supervising_body_ar, self.supervising_body_en)

    @property
    def initials(self) -> str:
        """Two letters for the badge shown where the association has no logo."""
        words = [w for w in self.name_ar.split() if w != "جمعية"]
        word = words[0] if words else self.slug
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]  # the article, not the name
        return word[:2].upper()


class Membership(models.Model):
    """A staff member's role in one association."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="one_membership_per_association"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization.slug} ({self.role})"

    def has_perm(self, perm: Perm) -> bool:
        return self.is_active and role_has_perm(self.role, perm)


class AuditAction(models.TextChoices):
    VIEW = "view", _("View")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Sign-in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Sign-out")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")


class AppendOnlyError(Exception):
    """Audit events are never changed or removed."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who saw or changed what, when and from where. Append-only (P-PRIVACY)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as typed for failed sign-ins, where there may be no such user.
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = tenant_manager(AuditEventQuerySet)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action", "actor_label", "created_at"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.action} {self.object_type}:{self.object_id} by {self.actor_label}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def object_label(self) -> str:
        """What kind of record the event is about, in the reader's language."""
        if not self.object_type:
            return ""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type

    @property
    def change_rows(self):
        """(field, before, after, is_change) rows; plain details have no before."""
        for field, value in self.changes.items():
            if isinstance(value, list) and len(value) == 2:
                yield field, value[0], value[1], True
            else:
                yield field, None, value, False


from mustafid.core.ratelimit import RateHit  # noqa: E402,F401
from mustafid.core.scheduling import ScheduledJob  # noqa: E402,F401
