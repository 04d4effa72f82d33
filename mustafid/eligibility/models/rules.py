"""Eligibility rules per service, versioned, and their stored results
(P-ELIGIBILITY, P-PERIODIC, P-PRIVACY).

A service's rules are a numbered version holding criteria, combined with
"all" or "any". Saving the rules publishes a new version; an older version is
never changed, so a stored result always says which rules it applied.

Only the subjects in `Subject` can be used in a criterion, and each reads only
the beneficiary fields listed in `FIELDS_READ`: nothing about a family, a tribe
or a name can enter a rule (non-discrimination). The database refuses any other
subject too.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mustafid.core.tenancy import TenantModel, tenant_manager


class Subject(models.TextChoices):
    IN_SCOPE = "in_scope", _("The service is within the association's remit")
    RESIDENCY = "residency", _("Residency status")
    NATIONALITY = "nationality", _("Nationality")
    AGE = "age", _("Age")
    GENDER = "gender", _("Gender")
    REGION = "region", _("Region")
    CATEGORIES_ANY = "categories_any", _("In any of these categories")
    CATEGORIES_ALL = "categories_all", _("In all of these categories")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment status")
    INCOME_PER_PERSON = "income_per_person", _("Household income per person")
    HOUSEHOLD_SIZE = "household_size", _("Household size")
    DOCUMENT = "document", _("Has a verified, unexpired document")
    NOT_RECEIVED = "not_received", _("Has not received this service recently")


# The allowed list: what each subject may read of a beneficiary. A test keeps
# names, family and tribe out of it.
FIELDS_READ = {
    Subject.IN_SCOPE: (),
    Subject.RESIDENCY: ("residency_status",),
    Subject.NATIONALITY: ("nationality",),
    Subject.AGE: ("birth_date",),
    Subject.GENDER: ("gender",),
    Subject.REGION: ("region",),
    Subject.CATEGORIES_ANY: ("categories",),
    Subject.CATEGORIES_ALL: ("categories",),
    Subject.EDUCATION: ("education",),
    Subject.EMPLOYMENT: ("employment_status",),
    Subject.INCOME_PER_PERSON: ("monthly_income", "household_members"),
    Subject.HOUSEHOLD_SIZE: ("household_members",),
    Subject.DOCUMENT: ("documents",),
    Subject.NOT_RECEIVED: ("cases",),
}

# How each subject is given: a list of values, a range, a document type, months.
CHOICE_SUBJECTS = frozenset(
    {
        Subject.RESIDENCY,
        Subject.NATIONALITY,
        Subject.GENDER,
        Subject.REGION,
        Subject.CATEGORIES_ANY,
        Subject.CATEGORIES_ALL,
        Subject.EDUCATION,
        Subject.EMPLOYMENT,
    }
)
RANGE_SUBJECTS = frozenset({Subject.AGE, Subject.HOUSEHOLD_SIZE})


class Combine(models.TextChoices):
    ALL = "all", _("All the conditions")
    ANY = "any", _("Any one of the conditions")


class RuleSetQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class RuleSet(TenantModel):
    """One version of a service's eligibility rules; never edited once saved."""

    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="rule_sets"
    )
    version = models.PositiveIntegerField(_("version"))
    combine = models.CharField(
        _("eligible when"), max_length=3, choices=Combine.choices, default=Combine.ALL
    )
    is_current = models.BooleanField(default=True)
    # P-PERIODIC: how often those receiving the service are checked again.
    review_every_months = models.PositiveSmallIntegerField(
        _("review every (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no periodic review."),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=30,
        help_text=_("Deliveries stop when a review is this many days overdue."),
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = tenant_manager(RuleSetQuerySet)

    class Meta:
        ordering = ["service", "-version"]
        verbose_name = _("eligibility rules")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "version"], name="rule_set_version_unique"
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(is_current=True),
                name="one_current_rule_set_per_service",
            ),
            models.CheckConstraint(
                condition=Q(review_every_months__isnull=True)
                | Q(review_every_months__gte=1, review_every_months__lte=60),
                name="rule_set_review_cycle_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.version}"

    def conditions(self) -> list["Criterion"]:
        """The criteria in order (also for the defaults, not yet saved)."""
        if self.pk is None:
            return list(getattr(self, "unsaved_criteria", []))
        return list(self.criteria.all())


class Criterion(TenantModel):
    """One condition of a rule set, with the reason told when it is not met."""

    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(
        _("condition on"), max_length=20, choices=Subject.choices
    )
    # Codes of the allowed values (residency, nationality, region, categories…).
    values = models.JSONField(_("values"), default=list, blank=True)
    minimum = models.DecimalField(
        _("at least"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("at most"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    document_type = models.ForeignKey(
        "registry.DocumentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document type"),
    )
    months = models.PositiveSmallIntegerField(_("months"), null=True, blank=True)
    reason_ar = models.CharField(_("reason when not met (Arabic)"), max_length=300)
    reason_en = models.CharField(_("reason when not met (English)"), max_length=300)

    class Meta:
        ordering = ["rule_set", "position", "id"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        constraints = [
            # Non-discrimination, in the database too (P-PRIVACY).
            models.CheckConstraint(
                condition=Q(subject__in=Subject.values),
                name="criterion_allowed_subject",
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name="criterion_minimum_not_above_maximum",
            ),
        ]

    def __str__(self) -> str:
        return self.get_subject_display()

    def clean(self) -> None:
        problem = shape_problem(self)
        if problem:
            raise ValidationError(problem)

    def reason(self, language: str) -> str:
        return self.reason_en if language == "en" and self.reason_en else self.reason_ar


def shape_problem(criterion: Criterion) -> str | None:
    """What is missing or contradictory in a criterion, if anything."""
    subject = criterion.subject
    if subject not in Subject.values:
        return _("This condition is not one a rule may use.")
    if subject in CHOICE_SUBJECTS and not criterion.values:
        return _("Choose at least one value.")
    if subject in RANGE_SUBJECTS:
        low, high = criterion.minimum, criterion.maximum
        if low is None and high is None:
            return _("Give a minimum, a maximum or both.")
        if any(v is not None and (v < 0 or v != int(v)) for v in (low, high)):
            return _("Use whole numbers of zero or more.")
        if low is not None and high is not None and low > high:
            return _("The minimum is above the maximum.")
    if subject == Subject.INCOME_PER_PERSON and (
        criterion.maximum is None or criterion.maximum < 0
    ):
        return _("Give the highest income per person, zero or more.")
    if subject == Subject.DOCUMENT and criterion.document_type_id is None:
        return _("Choose the document type.")
    if subject == Subject.NOT_RECEIVED and not criterion.months:
        return _("Give the number of months.")
    return None
