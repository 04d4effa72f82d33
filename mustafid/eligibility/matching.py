"""A service's rules as one database query over the registry (P-GOAL).

`matching_filter` turns each criterion into a condition on Beneficiary; the
database then finds everyone who qualifies in one statement, never a Python
loop over people. It must agree with `evaluation.check` for every person: a
property-based test (tests/eligibility/test_agreement.py) holds them together.
"""

import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from mustafid.catalog.models import Service
from mustafid.eligibility.dates import months_before
from mustafid.eligibility.evaluation import PLAIN_FIELDS, age_bounds
from mustafid.eligibility.models import Combine, Criterion, RuleSet, Subject
from mustafid.registry.models import Beneficiary, Document, HouseholdMember

EVERYONE = Q(pk__isnull=False)
NOBODY = Q(pk__isnull=True)


def _members():
    return HouseholdMember.objects.filter(beneficiary=OuterRef("pk")).order_by()


def _member_count():
    counted = _members().values("beneficiary").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _member_income():
    summed = (
        _members()
        .values("beneficiary")
        .annotate(total=Sum("monthly_income"))
        .values("total")
    )
    return Coalesce(
        Subquery(summed, output_field=DecimalField(max_digits=14, decimal_places=2)),
        Value(Decimal(0)),
    )


def _range(expression, criterion: Criterion) -> Q:
    found = Q()
    if criterion.minimum is not None:
        found &= Q(GreaterThanOrEqual(expression, Value(criterion.minimum)))
    if criterion.maximum is not None:
        found &= Q(LessThanOrEqual(expression, Value(criterion.maximum)))
    return found


def condition(criterion: Criterion, service: Service, on: datetime.date) -> Q:
    """One criterion as a condition on Beneficiary."""
    subject = criterion.subject
    if subject == Subject.IN_SCOPE:
        return EVERYONE if service.in_scope else NOBODY
    if subject in PLAIN_FIELDS:
        return Q(**{f"{PLAIN_FIELDS[subject]}__in": list(criterion.values)})
    if subject == Subject.AGE:
        latest, earliest = age_bounds(criterion, on)
        found = Q(birth_date__isnull=False)
        if latest is not None:
            found &= Q(birth_date__lte=latest)
        if earliest is not None:
            found &= Q(birth_date__gt=earliest)
        return found
    if subject == Subject.CATEGORIES_ANY:
        return Q(Exists(_in_categories(criterion.values)))
    if subject == Subject.CATEGORIES_ALL:
        found = Q()
        for code in criterion.values:
            found &= Q(Exists(_in_categories([code])))
        return found
    if subject == Subject.HOUSEHOLD_SIZE:
        return _range(_member_count() + Value(1), criterion)
    if subject == Subject.INCOME_PER_PERSON:
        # income / size <= maximum, without a division: size * maximum.
        total = Coalesce(F("monthly_income"), Value(Decimal(0))) + _member_income()
        limit = (_member_count() + Value(1)) * Value(criterion.maximum)
        return Q(monthly_income__isnull=False) & Q(LessThanOrEqual(total, limit))
    if subject == Subject.DOCUMENT:
        documents = (
            Document.objects.filter(
                beneficiary=OuterRef("pk"), document_type_id=criterion.document_type_id
            )
            .valid(on)
            .order_by()
        )
        return Q(Exists(documents))
    if subject == Subject.NOT_RECEIVED:
        from mustafid.cases.models import Delivery

        since = months_before(on, criterion.months)
        received = Delivery.objects.filter(
            case__beneficiary=OuterRef("pk"),
            case__service=service,
            delivered_on__gt=since,
        ).order_by()
        return ~Q(Exists(received))
    raise ValueError(f"Unknown eligibility subject {subject!r}")


def _in_categories(codes: list[str]):
    through = Beneficiary.categories.through
    return through.objects.filter(
        beneficiary_id=OuterRef("pk"), category__code__in=list(codes)
    ).order_by()


def matching_filter(rule_set: RuleSet, on: datetime.date) -> Q:
    """The whole rule set as one condition on Beneficiary."""
    service = rule_set.service
    conditions = [condition(c, service, on) for c in rule_set.conditions()]
    if not conditions:
        return EVERYONE
    combined = conditions[0]
    for other in conditions[1:]:
        if rule_set.combine == Combine.ANY:
            combined |= other
        else:
            combined &= other
    return combined


def matching(rule_set: RuleSet, on: datetime.date, beneficiaries=None):
    """The beneficiaries who satisfy the rules on `on` (inside a scope)."""
    if beneficiaries is None:
        beneficiaries = Beneficiary.objects.all()
    return beneficiaries.filter(matching_filter(rule_set, on))
