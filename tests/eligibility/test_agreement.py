"""P-GOAL, P-ELIGIBILITY: the one-query matching and the per-person evaluator
give the same answer for every person and every rule (issue 5 item 8).

One population with the awkward cases (29 February births, no birth date, no
income, empty households, documents expiring on the day, deliveries on the
boundary) is built once; hypothesis then draws rule sets and evaluation days
and both sides must list exactly the same people.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django_scopes import scope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mustafid.core.regions import Region
from mustafid.eligibility.evaluation import evaluate, facts_of
from mustafid.eligibility.matching import matching
from mustafid.eligibility.models import Combine, Subject
from mustafid.registry.models import (
    Category,
    Document,
    Education,
    Employment,
    Gender,
    HouseholdMember,
    ResidencyStatus,
    VerificationStatus,
)
from tests.cases.helpers import add_delivery, make_case, make_service
from tests.eligibility.helpers import rules
from tests.factories import BeneficiaryFactory, DocumentTypeFactory

DAYS = [
    datetime.date(2026, 11, 23),
    datetime.date(2028, 2, 29),
    datetime.date(2027, 2, 28),
    datetime.date(2026, 3, 1),
]
BIRTHS = [
    None,
    datetime.date(2000, 2, 29),
    datetime.date(2008, 11, 23),
    datetime.date(2008, 11, 24),
    datetime.date(1966, 3, 1),
    datetime.date(2010, 2, 28),
    datetime.date(1990, 7, 15),
]
CATEGORY_CODES = ["orphan", "widow", "disability"]
# With the households below, incomes per person that do not divide exactly
# (1000 / 3 = 333.333…, 333.33 / 2 = 166.665): rounding must not decide.
INCOMES = [Decimal("1000.00"), Decimal(0), None, Decimal("2500.50"), Decimal(500)]
HOUSEHOLDS = [[0, 0], ["333.33"], [], [0], ["333.33", 0, "166.67"]]


def _population(org):
    rng = random.Random(5)
    with scope(organization=org):
        categories = {
            code: Category.objects.create(organization=org, code=code, name_ar=code)
            for code in CATEGORY_CODES
        }
        id_card, medical = (
            DocumentTypeFactory(organization=org),
            DocumentTypeFactory(organization=org, code="medical"),
        )
    service = make_service(org)
    people = []
    for i in range(36):
        with scope(organization=org):
            person = BeneficiaryFactory(
                organization=org,
                birth_date=BIRTHS[i % len(BIRTHS)],
                gender=rng.choice(Gender.values),
                residency_status=rng.choice(ResidencyStatus.values),
                nationality=rng.choice(["SA", "EG", "YE"]),
                region=rng.choice([*Region.values[:3], ""]),
                education=rng.choice([*Education.values[:4], ""]),
                employment_status=rng.choice([*Employment.values[:3], ""]),
                monthly_income=INCOMES[i % len(INCOMES)],
            )
            person.categories.set(
                rng.sample(list(categories.values()), rng.randint(0, 3))
            )
            for member_income in HOUSEHOLDS[i % len(HOUSEHOLDS)]:
                HouseholdMember.objects.create(
                    organization=org,
                    beneficiary=person,
                    relation="son",
                    full_name="ابن",
                    gender=Gender.MALE,
                    monthly_income=Decimal(member_income),
                )
            for kind in rng.sample([id_card, medical], rng.randint(0, 2)):
                Document.objects.create(
                    organization=org,
                    beneficiary=person,
                    document_type=kind,
                    file="documents/x.png",
                    content_type="image/png",
                    size=1,
                    status=(status := rng.choice(VerificationStatus.values)),
                    rejection_reason="غير واضح" if status == "rejected" else "",
                    expires_on=rng.choice([None, *DAYS]),
                )
        if i % 3 == 0:
            case = make_case(org, "closed", service=service, beneficiary=person)
            delivery = add_delivery(case)
            delivery.delivered_on = rng.choice(
                [datetime.date(2026, 5, 23), datetime.date(2025, 11, 23)]
            )
            with scope(organization=org):
                delivery.save()
        people.append(person)
    return service, people, [id_card.pk, medical.pk]


def _criteria(document_types):
    amounts = st.sampled_from(
        [0, "166.66", "166.67", 250, "333.33", "333.34", 500, 1000, "1250.25"]
    )
    # The ages the population reaches on the days tested, and their neighbours.
    whole = st.sampled_from([0, 16, 17, 18, 19, 25, 26, 27, 28, 59, 60, 61])

    def pick(values):
        return st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)

    def bounded(subject, low, high):
        return (
            st.tuples(st.none() | low, st.none() | high)
            .filter(lambda b: b != (None, None) and (None in b or b[0] <= b[1]))
            .map(
                lambda b: {
                    "subject": subject,
                    "minimum": None if b[0] is None else Decimal(b[0]),
                    "maximum": None if b[1] is None else Decimal(b[1]),
                }
            )
        )

    return st.one_of(
        st.just({"subject": Subject.IN_SCOPE}),
        pick(ResidencyStatus.values).map(
            lambda v: {"subject": Subject.RESIDENCY, "values": v}
        ),
        pick(["SA", "EG", "YE", "JO"]).map(
            lambda v: {"subject": Subject.NATIONALITY, "values": v}
        ),
        pick(Gender.values).map(lambda v: {"subject": Subject.GENDER, "values": v}),
        pick(Region.values[:4]).map(lambda v: {"subject": Subject.REGION, "values": v}),
        pick(Education.values[:5]).map(
            lambda v: {"subject": Subject.EDUCATION, "values": v}
        ),
        pick(Employment.values[:4]).map(
            lambda v: {"subject": Subject.EMPLOYMENT, "values": v}
        ),
        pick(CATEGORY_CODES).map(
            lambda v: {"subject": Subject.CATEGORIES_ANY, "values": v}
        ),
        pick(CATEGORY_CODES).map(
            lambda v: {"subject": Subject.CATEGORIES_ALL, "values": v}
        ),
        bounded(Subject.AGE, whole, whole),
        bounded(
            Subject.HOUSEHOLD_SIZE,
            st.integers(min_value=1, max_value=4),
            st.integers(min_value=1, max_value=4),
        ),
        amounts.map(
            lambda a: {"subject": Subject.INCOME_PER_PERSON, "maximum": Decimal(a)}
        ),
        st.sampled_from(document_types).map(
            lambda pk: {"subject": Subject.DOCUMENT, "document_type_id": pk}
        ),
        st.sampled_from([1, 6, 12, 24]).map(
            lambda m: {"subject": Subject.NOT_RECEIVED, "months": m}
        ),
    )


@pytest.mark.django_db
def test_the_query_and_the_evaluator_choose_the_same_people(org):
    service, people, document_types = _population(org)
    facts = {}

    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(
        criteria=st.lists(_criteria(document_types), max_size=4),
        combine=st.sampled_from(Combine.values),
        on=st.sampled_from(DAYS),
        in_scope=st.booleans(),
    )
    def agree(criteria, combine, on, in_scope):
        service.in_scope = in_scope
        rule_set = rules(service, *criteria, combine=combine)
        with scope(organization=org):
            by_query = set(matching(rule_set, on).values_list("pk", flat=True))
            by_person = set()
            for person in people:
                key = (person.pk, on)
                if key not in facts:
                    facts[key] = facts_of(person, service, on)
                if evaluate(rule_set, person, on, facts[key]).eligible:
                    by_person.add(person.pk)
        assert by_query == by_person

    agree()
