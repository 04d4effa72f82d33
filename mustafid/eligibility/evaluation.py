"""Evaluating one beneficiary against a service's rules (P-ELIGIBILITY).

`facts_of` reads what the rules may use in a fixed handful of queries;
`evaluate` applies each criterion in Python and keeps, for each, whether it
passed and the values it used. `matching` holds the same rules as one database
query for a whole registry; a property-based test keeps the two in agreement.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from mustafid.catalog.models import Service
from mustafid.eligibility.dates import months_before, years_before
from mustafid.eligibility.models import Combine, Criterion, RuleSet, Subject
from mustafid.registry.models import (
    Beneficiary,
    Category,
    Document,
    HouseholdMember,
)


@dataclass(frozen=True)
class Facts:
    """What the rules may know of a beneficiary, and nothing else."""

    residency_status: str
    nationality: str
    birth_date: datetime.date | None
    gender: str
    region: str
    education: str
    employment_status: str
    monthly_income: Decimal | None
    household_size: int
    household_income: Decimal
    category_codes: frozenset[str]
    valid_document_types: frozenset[int]
    last_received: datetime.date | None

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def facts_of(beneficiary: Beneficiary, service: Service, on: datetime.date) -> Facts:
    """Four queries, whatever the size of the household or the registry."""
    from mustafid.cases.models import Delivery

    household = HouseholdMember.objects.filter(beneficiary=beneficiary).aggregate(
        members=Count("pk"), income=Sum("monthly_income")
    )
    documents = Document.objects.filter(beneficiary=beneficiary).valid(on)
    last_received = Delivery.objects.filter(
        case__beneficiary=beneficiary, case__service=service
    ).aggregate(last=Max("delivered_on"))["last"]
    codes = beneficiary.categories.values_list("code", flat=True)
    own_income = beneficiary.monthly_income
    return Facts(
        residency_status=beneficiary.residency_status,
        nationality=beneficiary.nationality.code or "",
        birth_date=beneficiary.birth_date,
        gender=beneficiary.gender,
        region=beneficiary.region,
        education=beneficiary.education,
        employment_status=beneficiary.employment_status,
        monthly_income=own_income,
        household_size=household["members"] + 1,
        household_income=(own_income or 0) + (household["income"] or 0),
        category_codes=frozenset(codes),
        valid_document_types=frozenset(
            documents.values_list("document_type_id", flat=True)
        ),
        last_received=last_received,
    )


@dataclass
class Line:
    """One criterion's result."""

    subject: str
    passed: bool
    values: dict
    reason_ar: str
    reason_en: str

    def as_dict(self) -> dict:
        return {
            "subject": self.subject,
            "passed": self.passed,
            "values": self.values,
            "reason_ar": self.reason_ar,
            "reason_en": self.reason_en,
        }


@dataclass
class Evaluation:
    rule_set: RuleSet
    on: datetime.date
    eligible: bool
    lines: list[Line] = field(default_factory=list)

    @property
    def failed(self) -> list[Line]:
        return [line for line in self.lines if not line.passed]


def _in_range(value, criterion: Criterion) -> bool:
    if value is None:
        return False
    low, high = criterion.minimum, criterion.maximum
    return (low is None or value >= low) and (high is None or value <= high)


def check(
    criterion: Criterion, facts: Facts, service: Service, on: datetime.date
) -> tuple[bool, dict]:
    """Whether one criterion holds, and the values it looked at."""
    subject = criterion.subject
    wanted = set(criterion.values)
    if subject == Subject.IN_SCOPE:
        return service.in_scope, {"in_scope": service.in_scope}
    if subject in PLAIN_FIELDS:
        value = getattr(facts, PLAIN_FIELDS[subject])
        return value in wanted, {subject: value}
    if subject == Subject.AGE:
        age = facts.age_on(on)
        return _in_range(age, criterion), {"age": age}
    if subject == Subject.CATEGORIES_ANY:
        shared = sorted(facts.category_codes & wanted)
        return bool(shared), {"categories": shared}
    if subject == Subject.CATEGORIES_ALL:
        missing = sorted(wanted - facts.category_codes)
        return not missing, {"missing_categories": missing}
    if subject == Subject.INCOME_PER_PERSON:
        size, total = facts.household_size, facts.household_income
        per_person = (Decimal(total) / size).quantize(Decimal("0.01"))
        values = {"income_per_person": str(per_person), "household_size": size}
        if facts.monthly_income is None:
            return False, values | {"income_per_person": None}
        # Compared without rounding, as the database compares it.
        return Decimal(total) <= criterion.maximum * size, values
    if subject == Subject.HOUSEHOLD_SIZE:
        return _in_range(facts.household_size, criterion), {
            "household_size": facts.household_size
        }
    if subject == Subject.DOCUMENT:
        has = criterion.document_type_id in facts.valid_document_types
        return has, {"document_type": criterion.document_type_id, "valid": has}
    if subject == Subject.NOT_RECEIVED:
        last = facts.last_received
        since = months_before(on, criterion.months)
        values = {"last_received": last.isoformat() if last else None}
        return last is None or last <= since, values
    raise ValueError(f"Unknown eligibility subject {subject!r}")


# Subjects that compare one beneficiary field with the listed values (the
# query in matching.py reads the same fields).
PLAIN_FIELDS = {
    Subject.RESIDENCY: "residency_status",
    Subject.NATIONALITY: "nationality",
    Subject.GENDER: "gender",
    Subject.REGION: "region",
    Subject.EDUCATION: "education",
    Subject.EMPLOYMENT: "employment_status",
}


def evaluate(
    rule_set: RuleSet,
    beneficiary: Beneficiary,
    on: datetime.date,
    facts: Facts | None = None,
) -> Evaluation:
    service = rule_set.service
    facts = facts or facts_of(beneficiary, service, on)
    lines = []
    for criterion in rule_set.conditions():
        passed, values = check(criterion, facts, service, on)
        reasons = (criterion.reason_ar, criterion.reason_en)
        lines.append(Line(criterion.subject, passed, values, *reasons))
    results = [line.passed for line in lines]
    if not results:
        eligible = True
    elif rule_set.combine == Combine.ANY:
        eligible = any(results)
    else:
        eligible = all(results)
    return Evaluation(rule_set, on, eligible, lines)


def age_bounds(criterion: Criterion, on: datetime.date):
    """Birth dates that make the age criterion hold: (born on or before, born after)."""
    low, high = criterion.minimum, criterion.maximum
    latest = years_before(on, int(low)) if low is not None else None
    earliest = years_before(on, int(high) + 1) if high is not None else None
    return latest, earliest


def describe(criterion: Criterion, labels: dict[str, str] | None = None) -> str:
    """The condition in plain words, in the active language; `labels` names
    the listed values (read from the choices when not given)."""
    subject = criterion.subject
    low, high = criterion.minimum, criterion.maximum
    if subject in (Subject.AGE, Subject.HOUSEHOLD_SIZE):
        unit = _("years") if subject == Subject.AGE else _("people")
        label = criterion.get_subject_display()
        if low is not None and high is not None:
            return _("%(label)s from %(low)s to %(high)s %(unit)s") % {
                "label": label,
                "low": int(low),
                "high": int(high),
                "unit": unit,
            }
        if low is not None:
            return _("%(label)s at least %(low)s %(unit)s") % {
                "label": label,
                "low": int(low),
                "unit": unit,
            }
        return _("%(label)s at most %(high)s %(unit)s") % {
            "label": label,
            "high": int(high),
            "unit": unit,
        }
    if subject == Subject.INCOME_PER_PERSON:
        return _("Household income per person at most %(amount)s SAR a month") % {
            "amount": f"{criterion.maximum:,.2f}"
        }
    if subject == Subject.DOCUMENT:
        return _("Has a verified, unexpired %(document)s") % {
            "document": criterion.document_type.name if criterion.document_type else ""
        }
    if subject == Subject.NOT_RECEIVED:
        return _("Has not received this service in the last %(months)s months") % {
            "months": criterion.months
        }
    if subject == Subject.IN_SCOPE:
        return criterion.get_subject_display()
    from mustafid.eligibility.choices import value_choices

    labels = labels if labels is not None else dict(value_choices(subject))
    values = _(", ").join(labels.get(code, code) for code in criterion.values)
    return f"{criterion.get_subject_display()}: {values}"


CATEGORY_SUBJECTS = (Subject.CATEGORIES_ANY, Subject.CATEGORIES_ALL)


def describe_all(criteria, category_labels: dict | None = None) -> list[str]:
    """`describe` for many conditions, the category names read once, inactive
    categories included (older rules may name them)."""
    criteria = list(criteria)
    if category_labels is None and any(
        c.subject in CATEGORY_SUBJECTS for c in criteria
    ):
        category_labels = category_names()
    return [
        describe(c, category_labels if c.subject in CATEGORY_SUBJECTS else None)
        for c in criteria
    ]


def category_names() -> dict[str, str]:
    """Every category's name by code, the inactive too (old rules name them)."""
    return {c.code: c.name for c in Category.objects.all()}
