import datetime
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from mustafid.core.arabic import normalize_name
from mustafid.core.crypto import EncryptedCharField, blind_index
from mustafid.core.models import bilingual
from mustafid.core.regions import Region
from mustafid.core.tenancy import TenantModel, tenant_manager
from mustafid.registry import address


class IdentityType(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID")
    IQAMA = "iqama", _("Iqama (residence permit)")
    BORDER_NUMBER = "border_number", _("Border number")
    PASSPORT = "passport", _("Passport")
    GCC_ID = "gcc_id", _("GCC national ID")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ResidencyStatus(models.TextChoices):
    CITIZEN = "citizen", _("Saudi citizen")
    RESIDENT = "resident", _("Legal resident")
    GCC = "gcc", _("GCC national")
    VISITOR = "visitor", _("Visitor")
    IRREGULAR = "irregular", _("Without legal residency")


class Education(models.TextChoices):
    NONE = "none", _("No formal education")
    PRIMARY = "primary", _("Primary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    SECONDARY = "secondary", _("Secondary")
    DIPLOMA = "diploma", _("Diploma")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    JOB_SEEKER = "job_seeker", _("Looking for work")
    NOT_WORKING = "not_working", _("Not working")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    UNABLE = "unable", _("Unable to work")


class ContactMethod(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


class RegistrationStatus(models.TextChoices):
    """P-REGISTER: registration follows the completeness of the record."""

    PROSPECTIVE = "prospective", _("Prospective")
    INCOMPLETE = "incomplete", _("Incomplete")
    REGISTERED = "registered", _("Registered")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


class Category(TenantModel):
    """A beneficiary category the association serves (P-NEEDS), e.g. orphans."""

    code = models.SlugField(_("code"), max_length=40)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="category_code_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)


INCOME_CHECK = "beneficiary_income_not_negative"
IDENTITY_UNIQUE = "beneficiary_identity_unique_per_org"
NOT_VALIDATED = {INCOME_CHECK, IDENTITY_UNIQUE}


@cache
def country_codes() -> frozenset[str]:
    return frozenset(countries.countries)


class BeneficiaryQuerySet(models.QuerySet):
    def search(self, text: str):
        """By identity number or mobile (exact, through their hashes) or by name."""
        from mustafid.registry.search import search_beneficiaries

        return search_beneficiaries(self, text)

    def with_household(self):
        """Household size and income per person, computed in the database."""
        return self.annotate(
            household_size=Count("household_members", distinct=True) + 1,
            household_income=Coalesce(F("monthly_income"), Value(Decimal(0)))
            + Coalesce(Sum("household_members__monthly_income"), Value(Decimal(0))),
        )


class Beneficiary(TenantModel):
    """A direct beneficiary (مستفيد مباشر): a person with a full record (P-TYPES)."""

    first_name = models.CharField(_("first name"), max_length=50)
    father_name = models.CharField(_("father's name"), max_length=50)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=50)
    family_name = models.CharField(_("family name"), max_length=50)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    # Searched through the trigram index of migration 0002, not a btree.
    name_normalized = models.CharField(max_length=210, editable=False)

    identity_type = models.CharField(
        _("identity type"), max_length=20, choices=IdentityType.choices
    )
    identity_number = EncryptedCharField(_("identity number"))
    identity_hash = models.CharField(max_length=64, editable=False)
    identity_check_override = models.TextField(
        _("reason for accepting a failed check digit"), blank=True
    )
    nationality = CountryField(_("nationality"), blank=True)
    residency_status = models.CharField(
        _("residency status"), max_length=20, choices=ResidencyStatus.choices
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)

    mobile = EncryptedCharField(_("mobile"), blank=True)
    mobile_hash = models.CharField(max_length=64, editable=False, blank=True)
    email = models.EmailField(_("email"), blank=True)

    short_address = models.CharField(
        _("short address"),
        max_length=8,
        blank=True,
        validators=[address.short_address],
    )
    building_number = models.CharField(
        _("building number"),
        max_length=4,
        blank=True,
        validators=[address.building_number],
    )
    additional_number = models.CharField(
        _("additional number"),
        max_length=4,
        blank=True,
        validators=[address.additional_number],
    )
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[address.postal_code]
    )
    street = models.CharField(_("street"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True
    )

    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="+"
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    qualification = models.CharField(_("qualification"), max_length=150, blank=True)
    employment_status = models.CharField(
        _("employment status"), max_length=20, choices=Employment.choices, blank=True
    )
    monthly_income = models.DecimalField(
        _("monthly income (SAR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    preferred_contact = models.CharField(
        _("preferred channel"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.SMS,
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.ARABIC,
    )
    # P-GOAL, P-CONSENT: told of services they may qualify for without asking.
    contact_consent = models.BooleanField(
        _("agrees to be told about services they may qualify for"), default=False
    )
    registration_status = models.CharField(
        _("registration status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PROSPECTIVE,
    )

    objects = tenant_manager(BeneficiaryQuerySet)

    # hash column -> encrypted column it indexes (kept in step by save() and by
    # `mustafid rotate_keys`).
    BLIND_INDEXES = {"identity_hash": "identity_number", "mobile_hash": "mobile"}

    class Meta:
        ordering = ["family_name", "first_name", "id"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            # The same person may be registered in several associations.
            models.UniqueConstraint(
                fields=["organization", "identity_hash"],
                name=IDENTITY_UNIQUE,
            ),
            models.CheckConstraint(
                condition=Q(monthly_income__gte=0) | Q(monthly_income__isnull=True),
                name=INCOME_CHECK,
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "mobile_hash"]),
            models.Index(fields=["organization", "registration_status"]),
            models.Index(fields=["organization", "region"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean_fields(self, exclude=None):
        # Django checks a choice against each of the 250 countries in turn, a
        # few milliseconds a record and most of an import's checking: a set
        # lookup says the same.
        exclude = set(exclude or ())
        errors = {}
        nationality = "" if "nationality" in exclude else self.nationality.code
        if nationality and nationality not in country_codes():
            errors["nationality"] = [
                ValidationError(
                    _("Choose a nationality from the list."), code="invalid_choice"
                )
            ]
        try:
            super().clean_fields(exclude=exclude | {"nationality"})
        except ValidationError as error:
            errors |= error.error_dict
        if errors:
            raise ValidationError(errors)

    def get_constraints(self):
        # Model validation skips two constraints the database still holds:
        # - the income's CheckConstraint: the field's MinValueValidator says the
        #   same in Python, where Django would build and run a query per record;
        # - the identity number's uniqueness: its blind index is computed in
        #   save(), after validation, so the form asks the registry itself (an
        #   import, a batch at a time); validating it only built a tenant
        #   queryset per record (0.5 ms) to find the field excluded.
        return [
            (model, [c for c in constraints if c.name not in NOT_VALIDATED])
            for model, constraints in super().get_constraints()
        ]

    def save(self, *args, **kwargs):
        # Derived columns: the search key and the blind indexes of encrypted values.
        self.name_normalized = normalize_name(self.full_name)
        for hash_field, source in self.BLIND_INDEXES.items():
            setattr(self, hash_field, blind_index(getattr(self, source)))
        if kwargs.get("update_fields") is not None:
            derived = {"name_normalized", *self.BLIND_INDEXES}
            kwargs["update_fields"] = set(kwargs["update_fields"]) | derived
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        parts = (self.first_name, self.father_name, self.grandfather_name)
        return " ".join((*parts, self.family_name))

    @property
    def income_per_person(self) -> Decimal | None:
        """Household income divided by the people in it (P-NEEDS)."""
        if hasattr(self, "household_income"):
            total, size = self.household_income, self.household_size
        else:
            members = list(self.household_members.all())
            total = (self.monthly_income or 0) + sum(m.monthly_income for m in members)
            size = len(members) + 1
        return (Decimal(total) / size).quantize(Decimal("0.01"))

    def age_on(self, day: datetime.date) -> int | None:
        if not self.birth_date:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    OTHER = "other", _("Other relative")


class HouseholdMember(TenantModel):
    """Someone who lives with the beneficiary and shares the household's income."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="household_members"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    identity_type = models.CharField(
        _("identity type"), max_length=20, choices=IdentityType.choices, blank=True
    )
    identity_number = EncryptedCharField(_("identity number"), blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    has_disability = models.BooleanField(_("has a disability"), default=False)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    monthly_income = models.DecimalField(
        _("monthly income (SAR)"), max_digits=10, decimal_places=2, default=0
    )

    class Meta:
        ordering = ["birth_date", "id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_income__gte=0),
                name="household_member_income_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class DocumentType(TenantModel):
    """A kind of supporting document the association asks for (P-ELIGIBILITY)."""

    code = models.SlugField(_("code"), max_length=40)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    expires = models.BooleanField(_("has an expiry date"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="document_type_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class DocumentQuerySet(models.QuerySet):
    def expired(self, on: datetime.date | None = None):
        return self.filter(expires_on__lt=on or timezone.localdate())

    def valid(self, on: datetime.date | None = None):
        """Verified and not expired."""
        on = on or timezone.localdate()
        return self.filter(status=VerificationStatus.VERIFIED).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=on)
        )


def document_path(document: "Document", filename: str) -> str:
    # The file name is already random (core.uploads.safe_name).
    return f"documents/{document.organization_id}/{filename}"


class Document(TenantModel):
    """A supporting document, kept in private storage (P-COMPLETE, P-PRIVACY)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="documents"
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, verbose_name=_("document type")
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    status = models.CharField(
        _("verification"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager(DocumentQuerySet)

    class Meta:
        ordering = ["document_type__position", "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="document_rejection_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_type} — {self.beneficiary}"

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_on and self.expires_on < timezone.localdate())


class ReachRecord(TenantModel):
    """Indirect beneficiaries reached by content, counted without personal data.

    P-TYPES (seed 002): people who benefit from publications or content online.
    """

    channel = models.ForeignKey(
        "contact.Channel", on_delete=models.PROTECT, verbose_name=_("channel")
    )
    content = models.CharField(_("content or publication"), max_length=200)
    link = models.URLField(_("link"), blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    count = models.PositiveIntegerField(_("people reached"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period_end", "id"]
        verbose_name = _("reach record")
        verbose_name_plural = _("reach records")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="reach_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content} ({self.count})"


from mustafid.registry.import_models import ImportJob  # noqa: E402,F401
from mustafid.registry.name_keys import (  # noqa: E402,F401
    BeneficiaryNameKey,
    NameBlock,
    NameWord,
)
