import itertools

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled

from mustafid.core.models import Membership, Organization
from mustafid.core.roles import Role
from tests.factories import BeneficiaryFactory, UserFactory

_counter = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` check PostgreSQL-only guarantees (e.g. the audit
    trigger); on SQLite they are deselected, not skipped: CI runs them on PG."""
    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if "postgresql" not in item.keywords]
    deselected = [item for item in items if "postgresql" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


def make_organization(slug: str | None = None, **fields) -> Organization:
    slug = slug or f"org-{next(_counter)}"
    defaults = {"name_ar": f"جمعية {slug}", "name_en": f"Association {slug}"}
    return Organization.objects.create(slug=slug, **(defaults | fields))


def make_member(organization: Organization, role: Role, **user_fields):
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def org(db):
    return make_organization("alpha", name_ar="جمعية ألفا", name_en="Alpha Association")


@pytest.fixture
def other_org(db):
    return make_organization("beta", name_ar="جمعية بيتا", name_en="Beta Association")


@pytest.fixture
def members(org):
    """One staff user per role in `org`."""
    return {role: make_member(org, role) for role in Role}


@pytest.fixture
def client_as(client, members):
    """A test client signed in as the staff member of `org` with the given role."""

    def sign_in(role: Role):
        client.force_login(members[role])
        return client

    return sign_in


@pytest.fixture
def beneficiary(org):
    with scope(organization=org):
        return BeneficiaryFactory(organization=org)


@pytest.fixture
def unscoped():
    """Test code reading tenant tables directly, outside any request."""
    with scopes_disabled():
        yield
