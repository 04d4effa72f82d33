"""Tenant isolation lives in the scoping mechanism, not in each view (P-PRIVACY)."""

import pytest
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from mustafid.registry.models import Beneficiary
from tests.factories import BeneficiaryFactory


def test_a_query_outside_any_association_raises(beneficiary):
    with pytest.raises(ScopeError):
        list(Beneficiary.objects.all())


def test_a_query_reads_only_the_active_association(org, other_org):
    with scope(organization=org):
        mine = BeneficiaryFactory(organization=org)
    with scope(organization=other_org):
        BeneficiaryFactory(organization=other_org)
    with scope(organization=org):
        assert list(Beneficiary.objects.all()) == [mine]


def test_writing_a_row_into_another_association_is_refused(org, other_org):
    with scope(organization=org), pytest.raises(ScopeError):
        BeneficiaryFactory(organization=other_org)


def test_the_same_identity_number_may_exist_in_two_associations(org, other_org):
    with scope(organization=org):
        first = BeneficiaryFactory(organization=org)
    with scope(organization=other_org):
        second = BeneficiaryFactory(
            organization=other_org, identity_number=first.identity_number
        )
    assert first.pk != second.pk


def test_staff_with_two_associations_work_in_the_one_they_chose(client, org, other_org):
    from mustafid.core.models import Membership
    from mustafid.core.roles import Role
    from tests.conftest import make_member

    user = make_member(org, Role.RECEPTION)
    Membership.objects.create(user=user, organization=other_org, role=Role.MANAGER)
    with scope(organization=other_org):
        theirs = BeneficiaryFactory(organization=other_org, first_name="ليلى")
    client.force_login(user)

    assert client.get(f"/beneficiaries/{theirs.pk}/").status_code == 404
    response = client.post(
        f"/switch/{other_org.pk}/", {"next": f"/beneficiaries/{theirs.pk}/"}
    )
    assert response["Location"] == f"/beneficiaries/{theirs.pk}/"
    page = client.get(f"/beneficiaries/{theirs.pk}/")
    assert page.status_code == 200
    assert "ليلى" in page.text
    assert page.context["current_membership"].role == Role.MANAGER


def test_switching_ignores_an_outside_next_address(client, org, members):
    client.force_login(members["reception"])
    response = client.post(f"/switch/{org.pk}/", {"next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"
