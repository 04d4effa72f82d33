from django.db import models
from django.utils.translation import gettext_lazy as _

from mustafid.core.arabic import normalize_name
from mustafid.core.regions import Region
from mustafid.core.tenancy import TenantModel, tenant_manager


class IdentityType(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID")
    IQAMA = "iqama", _("Iqama (residence permit)")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class RegistrationStatus(models.TextChoices):
    """P-REGISTER: registration follows the completeness of the record."""

    PROSPECTIVE = "prospective", _("Prospective")
    INCOMPLETE = "incomplete", _("Incomplete")
    REGISTERED = "registered", _("Registered")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


class BeneficiaryQuerySet(models.QuerySet):
    def search(self, text: str):
        text = normalize_name(text)
        if not text:
            return self
        if text.isdigit():
            return self.filter(identity_number__startswith=text)
        return self.filter(name_normalized__contains=text)


class Beneficiary(TenantModel):
    """A direct beneficiary (مستفيد مباشر): a person with a full record (P-TYPES)."""

    first_name = models.CharField(_("first name"), max_length=50)
    father_name = models.CharField(_("father's name"), max_length=50)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=50)
    family_name = models.CharField(_("family name"), max_length=50)
    name_normalized = models.CharField(max_length=210, editable=False, db_index=True)
    identity_type = models.CharField(
        _("identity type"), max_length=20, choices=IdentityType.choices
    )
    identity_number = models.CharField(_("identity number"), max_length=20)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    registration_status = models.CharField(
        _("registration status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PROSPECTIVE,
    )

    objects = tenant_manager(BeneficiaryQuerySet)

    class Meta:
        ordering = ["organization", "family_name", "first_name", "id"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "identity_number"],
                name="beneficiary_identity_unique_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = (self.first_name, self.father_name, self.grandfather_name)
        return " ".join((*parts, self.family_name))

    def save(self, *args, **kwargs):
        self.name_normalized = normalize_name(self.full_name)
        super().save(*args, **kwargs)
