"""Evaluating a beneficiary against a service's rules: each criterion with its
values and reason, the defaults, versions, non-discrimination (P-ELIGIBILITY,
P-PRIVACY)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope

from mustafid.core.models import AuditEvent
from mustafid.eligibility import services
from mustafid.eligibility.evaluation import describe, evaluate
from mustafid.eligibility.models import (
    FIELDS_READ,
    Combine,
    Criterion,
    RuleSet,
    Subject,
)
from mustafid.registry.models import HouseholdMember, ResidencyStatus
from tests.cases.helpers import add_delivery, make_case, make_service
from tests.eligibility.helpers import age, income, rules
from tests.factories import BeneficiaryFactory, DocumentFactory, DocumentTypeFactory

ON = datetime.date(2026, 11, 23)


@pytest.fixture
def service(org):
    return make_service(org)


def person(org, **fields):
    with scope(organization=org):
        return BeneficiaryFactory(organization=org, **fields)


def result(org, rule_set, beneficiary, on=ON):
    with scope(organization=org):
        return evaluate(rule_set, beneficiary, on)


def test_each_failed_condition_carries_its_reason_and_the_values_used(org, service):
    someone = person(
        org, birth_date=datetime.date(2010, 1, 1), monthly_income=Decimal(3000)
    )
    outcome = result(org, rules(service, age(18, 60), income(1500)), someone)
    assert not outcome.eligible
    assert [(line.subject, line.passed) for line in outcome.lines] == [
        (Subject.AGE, False),
        (Subject.INCOME_PER_PERSON, False),
    ]
    assert outcome.lines[0].values == {"age": 16}
    assert outcome.lines[0].reason_ar == "سبب 0"
    assert outcome.lines[1].values == {
        "income_per_person": "3000.00",
        "household_size": 1,
    }


def test_age_is_counted_on_the_evaluation_day(org, service):
    someone = person(org, birth_date=datetime.date(2008, 11, 24))
    adults = rules(service, age(18))
    assert not result(org, adults, someone, ON).eligible
    assert result(org, adults, someone, ON + datetime.timedelta(days=1)).eligible


def test_household_income_is_shared_by_everyone_in_it(org, service):
    someone = person(org, monthly_income=Decimal(3000))
    with scope(organization=org):
        for _ in range(2):
            HouseholdMember.objects.create(
                organization=org,
                beneficiary=someone,
                relation="son",
                full_name="ابن",
                gender="male",
                monthly_income=Decimal(0),
            )
    outcome = result(org, rules(service, income(1000)), someone)
    assert outcome.eligible  # 3,000 for three people
    assert outcome.lines[0].values["household_size"] == 3


def test_an_unknown_income_or_birth_date_does_not_pass(org, service):
    someone = person(org, monthly_income=None, birth_date=None)
    outcome = result(org, rules(service, income(1000), age(18)), someone)
    assert [line.passed for line in outcome.lines] == [False, False]


def test_categories_any_and_all(org, service):
    from mustafid.registry.models import Category

    with scope(organization=org):
        orphan = Category.objects.create(
            organization=org, code="orphan", name_ar="يتيم"
        )
        Category.objects.create(organization=org, code="widow", name_ar="أرملة")
    someone = person(org)
    with scope(organization=org):
        someone.categories.set([orphan])
    both = ["orphan", "widow"]
    any_of = {"subject": Subject.CATEGORIES_ANY, "values": both}
    all_of = {"subject": Subject.CATEGORIES_ALL, "values": both}
    assert result(org, rules(service, any_of), someone).eligible
    outcome = result(org, rules(service, all_of), someone)
    assert not outcome.eligible
    assert outcome.lines[0].values == {"missing_categories": ["widow"]}


def test_a_document_counts_only_verified_and_unexpired(org, service):
    someone = person(org)
    with scope(organization=org):
        kind = DocumentTypeFactory(organization=org, expires=True)
        document = DocumentFactory(
            organization=org,
            beneficiary=someone,
            document_type=kind,
            status="verified",
            expires_on=ON,
        )
    needs = rules(service, {"subject": Subject.DOCUMENT, "document_type": kind})
    assert result(org, needs, someone, ON).eligible
    assert not result(org, needs, someone, ON + datetime.timedelta(days=1)).eligible
    with scope(organization=org):
        type(document).objects.filter(pk=document.pk).update(status="pending")
    assert not result(org, needs, someone, ON).eligible


def test_not_received_within_months_reads_the_deliveries(org, service):
    someone = person(org)
    delivery = add_delivery(
        make_case(org, "closed", service=service, beneficiary=someone)
    )
    with scope(organization=org):
        type(delivery).objects.filter(pk=delivery.pk).update(
            delivered_on=datetime.date(2026, 5, 23)
        )
    six = rules(service, {"subject": Subject.NOT_RECEIVED, "months": 6})
    twelve = rules(service, {"subject": Subject.NOT_RECEIVED, "months": 12})
    assert result(org, six, someone).eligible  # exactly six months ago
    outcome = result(org, twelve, someone)
    assert not outcome.eligible
    assert outcome.lines[0].values == {"last_received": "2026-05-23"}
    other_service = make_service(org)
    assert result(
        org,
        rules(other_service, {"subject": Subject.NOT_RECEIVED, "months": 12}),
        someone,
    ).eligible


def test_any_needs_one_condition_all_needs_every_one(org, service):
    someone = person(
        org, birth_date=datetime.date(1990, 1, 1), monthly_income=Decimal(9000)
    )
    criteria = (age(18, 60), income(1000))
    assert not result(org, rules(service, *criteria), someone).eligible
    assert result(org, rules(service, *criteria, combine=Combine.ANY), someone).eligible


def test_defaults_require_the_remit_and_legal_residency(org, service):
    """Seed 004: within scope, legal residency in Saudi Arabia."""
    with scope(organization=org):
        defaults = services.current_rules(service)
    assert defaults.pk is None
    assert [c.subject for c in defaults.conditions()] == [
        Subject.IN_SCOPE,
        Subject.RESIDENCY,
    ]
    resident = person(org, residency_status=ResidencyStatus.RESIDENT)
    irregular = person(org, residency_status=ResidencyStatus.IRREGULAR)
    assert result(org, defaults, resident).eligible
    refused = result(org, defaults, irregular)
    assert not refused.eligible
    assert "إقامة نظامية" in refused.failed[0].reason_ar
    service.in_scope = False
    assert not result(org, defaults, resident).eligible


def test_publishing_makes_a_new_version_and_keeps_the_old(org, service, members):
    from mustafid.core.roles import Role

    admin = members[Role.ADMIN]
    with scope(organization=org):
        first = services.publish_rules(
            actor=admin,
            service=service,
            combine="all",
            criteria=[age(18) | {"reason_ar": "قاصر", "reason_en": "Minor"}],
        )
        second = services.publish_rules(
            actor=admin,
            service=service,
            combine="any",
            criteria=[income(800) | {"reason_ar": "دخل", "reason_en": "Income"}],
            review_every_months=12,
        )
        first.refresh_from_db()
        assert (first.version, first.is_current) == (1, False)
        assert (second.version, second.is_current) == (2, True)
        assert [c.subject for c in first.conditions()] == [Subject.AGE]
        assert services.current_rules(service) == second
        assert AuditEvent.objects.filter(object_type="eligibility.ruleset").count() == 2


def test_a_bad_criterion_publishes_nothing(org, service, members):
    from mustafid.core.roles import Role

    with scope(organization=org), pytest.raises(ValidationError):
        services.publish_rules(
            actor=members[Role.ADMIN],
            service=service,
            combine="all",
            criteria=[
                age(18) | {"reason_ar": "قاصر", "reason_en": "Minor"},
                age(60, 18) | {"reason_ar": "x", "reason_en": "x"},
            ],
        )
    with scope(organization=org):
        assert not RuleSet.objects.exists()


def test_only_allowed_subjects_reach_a_rule(org, service):
    """Non-discrimination (P-PRIVACY): no name, family or tribe in a rule."""
    read = {name for names in FIELDS_READ.values() for name in names}
    forbidden = {"first_name", "father_name", "grandfather_name", "family_name"}
    assert not read & (forbidden | {"name_en", "name_normalized", "tribe"})
    assert set(FIELDS_READ) == set(Subject)
    criterion = Criterion(
        organization=org, subject="family_name", values=["القحطاني"], reason_ar="x"
    )
    with pytest.raises(ValidationError):
        criterion.full_clean(exclude=["rule_set"])
    with scope(organization=org):
        rule_set = RuleSet.objects.create(organization=org, service=service, version=1)
        criterion.rule_set = rule_set
        with transaction.atomic(), pytest.raises(IntegrityError):
            criterion.save()


def test_conditions_read_plainly(org, service):
    from django.utils import translation

    with translation.override("ar"):
        assert describe(Criterion(**age(18, 60))) == "العمر من 18 إلى 60 سنة"


def test_the_default_services_get_sample_rules_once(org):
    from mustafid.catalog.defaults import DEFAULT_SERVICES, ensure_default_services
    from mustafid.eligibility.defaults import SAMPLE_RULES, ensure_sample_rules

    assert set(SAMPLE_RULES) == {s["name_ar"] for s in DEFAULT_SERVICES}
    with scope(organization=org):
        ensure_default_services(org)
        assert ensure_sample_rules(org) == 3
        assert ensure_sample_rules(org) == 0
        assert RuleSet.objects.filter(is_current=True).count() == 3
        food = RuleSet.objects.get(service__name_ar="سلة غذائية")
        assert Subject.HOUSEHOLD_SIZE in {c.subject for c in food.conditions()}
