"""The values a criterion may list, per subject, with their labels."""

from django_countries import countries

from mustafid.core.regions import Region
from mustafid.eligibility.models import Subject
from mustafid.registry.models import (
    Category,
    Education,
    Employment,
    Gender,
    ResidencyStatus,
)

FIXED_CHOICES = {
    Subject.RESIDENCY: ResidencyStatus.choices,
    Subject.GENDER: Gender.choices,
    Subject.REGION: Region.choices,
    Subject.EDUCATION: Education.choices,
    Subject.EMPLOYMENT: Employment.choices,
}

# Legal residency in Saudi Arabia (seed 004): the default of every service.
LEGAL_RESIDENCY = (
    ResidencyStatus.CITIZEN,
    ResidencyStatus.RESIDENT,
    ResidencyStatus.GCC,
)


def value_choices(subject: str) -> list[tuple[str, str]]:
    """(code, label) pairs a criterion on `subject` may list (inside a scope)."""
    if subject in FIXED_CHOICES:
        return [(str(code), str(label)) for code, label in FIXED_CHOICES[subject]]
    if subject == Subject.NATIONALITY:
        return [(code, str(name)) for code, name in countries]
    if subject in (Subject.CATEGORIES_ANY, Subject.CATEGORIES_ALL):
        return [(c.code, c.name) for c in Category.objects.filter(is_active=True)]
    return []
