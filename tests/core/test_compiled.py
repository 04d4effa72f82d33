"""Statements compiled once: the ORM's own SQL, new values each run."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from mustafid.core.compiled import CompiledQuery
from mustafid.core.crypto import blind_index
from mustafid.registry.models import Beneficiary
from tests.factories import BeneficiaryFactory


def by_hash(organization_id, identity_hash):
    return Beneficiary.objects.filter(
        organization_id=organization_id, identity_hash=identity_hash
    ).values_list("pk", "family_name")


@pytest.fixture
def people(org):
    with scope(organization=org):
        return BeneficiaryFactory.create_batch(3, organization=org)


def test_it_sends_the_statement_the_orm_sends_for_the_same_values(org, people):
    compiled = CompiledQuery(by_hash, organization_id=int, identity_hash=str)
    wanted = blind_index(people[1].identity_number)
    with scopes_disabled(), CaptureQueriesContext(connection) as orm:
        orm_rows = list(by_hash(org.pk, wanted))
    with CaptureQueriesContext(connection) as queries:
        rows = compiled.rows(organization_id=org.pk, identity_hash=wanted)
    assert rows == orm_rows == [(people[1].pk, people[1].family_name)]
    # Seen by query counters, and the very statement the ORM sent.
    assert [q["sql"] for q in queries] == [q["sql"] for q in orm]


def test_each_run_takes_its_own_values(org, other_org, people):
    compiled = CompiledQuery(by_hash, organization_id=int, identity_hash=str)
    for person in people:
        wanted = blind_index(person.identity_number)
        rows = compiled.rows(organization_id=org.pk, identity_hash=wanted)
        assert rows == [(person.pk, person.family_name)]
        # The association is a value like any other: another one finds no one.
        assert compiled.rows(organization_id=other_org.pk, identity_hash=wanted) == []


def test_it_compiles_once_per_database(org, people):
    calls = []

    def build(organization_id, identity_hash):
        calls.append(organization_id)
        return by_hash(organization_id, identity_hash)

    compiled = CompiledQuery(build, organization_id=int, identity_hash=str)
    for person in people:
        compiled.rows(
            organization_id=org.pk, identity_hash=blind_index(person.identity_number)
        )
    assert len(calls) == 1


@pytest.mark.parametrize(
    "build",
    [
        # A value used twice, or not at all, cannot be put in one place.
        lambda organization_id, identity_hash: Beneficiary.objects.filter(
            organization_id=organization_id, identity_hash=identity_hash
        ).exclude(mobile_hash=identity_hash),
        lambda organization_id, identity_hash: Beneficiary.objects.filter(
            organization_id=organization_id
        ),
    ],
    ids=["twice", "never"],
)
def test_a_value_must_be_used_exactly_once(db, build):
    compiled = CompiledQuery(build, organization_id=int, identity_hash=str)
    with pytest.raises(ImproperlyConfigured):
        compiled.rows(organization_id=1, identity_hash="x")


def test_missing_or_unknown_values_are_refused(db):
    compiled = CompiledQuery(by_hash, organization_id=int, identity_hash=str)
    with pytest.raises(TypeError):
        compiled.rows(organization_id=1)
    with pytest.raises(TypeError):
        compiled.rows(organization_id=1, identity_hash="x", mobile_hash="y")


def test_only_ints_and_strings_can_be_parameters(db):
    compiled = CompiledQuery(by_hash, organization_id=float, identity_hash=str)
    with pytest.raises(ImproperlyConfigured):
        compiled.rows(organization_id=1.0, identity_hash="x")
