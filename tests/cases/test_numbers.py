"""Case numbers: per association and per Hijri year, never given twice."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django_scopes import scope

from mustafid.cases.services import next_case_number
from mustafid.core.hijri import to_hijri
from tests.cases.helpers import make_case

IN_1446 = datetime.date(2025, 1, 2)
IN_1447 = datetime.date(2025, 7, 10)


def test_numbers_follow_each_other_within_a_year(org):
    with scope(organization=org), transaction.atomic():
        numbers = [next_case_number(org, IN_1446) for _ in range(3)]
    assert to_hijri(IN_1446).year == 1446
    assert numbers == ["1446-000001", "1446-000002", "1446-000003"]


def test_a_new_hijri_year_starts_again(org):
    with scope(organization=org), transaction.atomic():
        next_case_number(org, IN_1446)
        assert next_case_number(org, IN_1447) == "1447-000001"
        assert next_case_number(org, IN_1446) == "1446-000002"


def test_each_association_counts_its_own(org, other_org):
    with scope(organization=org), transaction.atomic():
        assert next_case_number(org, IN_1446) == "1446-000001"
    with scope(organization=other_org), transaction.atomic():
        assert next_case_number(other_org, IN_1446) == "1446-000001"


def test_the_database_refuses_a_duplicate_number(org):
    case = make_case(org)
    with scope(organization=org), pytest.raises(IntegrityError):
        type(case).objects.create(
            organization=org,
            number=case.number,
            beneficiary=case.beneficiary,
            service=case.service,
            channel=case.channel,
            created_by=case.created_by,
        )
