"""Who holds an identity number here (P-REGISTER, P-PRIVACY): the registration
form's check, asked on every save."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from mustafid.registry.lookups import holder_of
from tests.factories import BeneficiaryFactory


@pytest.fixture
def person(org):
    with scope(organization=org):
        return BeneficiaryFactory(
            organization=org, first_name="نورة", family_name="العتيبي"
        )


def test_names_the_holder_in_one_query_without_decrypting(org, person):
    with scope(organization=org), CaptureQueriesContext(connection) as queries:
        holder = holder_of(person.identity_number)
    assert holder.pk == person.pk
    assert holder.full_name == person.full_name == "نورة عبدالله سعد العتيبي"
    [query] = queries.captured_queries
    # Only the name: the encrypted identity number and mobile are not read.
    assert '"identity_number"' not in query["sql"]
    assert '"mobile"' not in query["sql"]


def test_a_number_nobody_holds_has_no_holder(org, person):
    with scope(organization=org):
        assert holder_of("1000000008") is None


def test_another_associations_holder_is_not_found(org, other_org, person):
    with scope(organization=other_org):
        assert holder_of(person.identity_number) is None


@pytest.mark.parametrize("active", [{}, {"organization": None}], ids=repr)
def test_asking_outside_one_associations_scope_is_refused(org, person, active):
    with scope(**active), pytest.raises(ScopeError):
        holder_of(person.identity_number)
