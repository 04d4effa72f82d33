"""Merging two records of one person (P-COMPLETE, P-PRIVACY)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.registry.merge import MergeError, merge_beneficiaries
from mustafid.registry.models import (
    Beneficiary,
    Category,
    Document,
    HouseholdMember,
)
from mustafid.registry.name_keys import (
    BeneficiaryNameKey,
    NameBlock,
    refresh_name_keys,
)
from tests.factories import BeneficiaryFactory, DocumentFactory


@pytest.fixture
def pair(org):
    """The same man registered twice: the second time with an email and papers."""
    with scope(organization=org):
        keep = BeneficiaryFactory(
            organization=org, family_name="القحطاني", mobile="", email=""
        )
        remove = BeneficiaryFactory(
            organization=org,
            family_name="قحطاني",
            mobile="+966501234567",
            email="m@example.org",
            city="الرياض",
        )
        for beneficiary in (keep, remove):
            refresh_name_keys(beneficiary)
        orphans = Category.objects.create(
            organization=org, code="orphans", name_ar="أيتام"
        )
        widows = Category.objects.create(
            organization=org, code="widows", name_ar="أرامل"
        )
        keep.categories.add(orphans)
        remove.categories.add(orphans, widows)
        DocumentFactory(organization=org, beneficiary=remove)
        DocumentFactory(organization=org, beneficiary=keep)
        HouseholdMember.objects.create(
            organization=org,
            beneficiary=remove,
            relation="son",
            full_name="سعد محمد القحطاني",
            gender="male",
        )
    return keep, remove


def test_merge_moves_documents_and_household_and_fills_empty_fields(org, members, pair):
    keep, remove = pair
    removed_pk = remove.pk
    with scope(organization=org):
        merged = merge_beneficiaries(
            actor=members[Role.MANAGER], keep=keep, remove=remove
        )
        assert not Beneficiary.objects.filter(pk=removed_pk).exists()
        assert Document.objects.filter(beneficiary=merged).count() == 2
        assert HouseholdMember.objects.filter(beneficiary=merged).count() == 1
        assert {c.code for c in merged.categories.all()} == {"orphans", "widows"}
        merged.refresh_from_db()
        assert merged.email == "m@example.org"
        assert merged.city == "الرياض"
        assert merged.mobile == "+966501234567"
        # The kept record's own identity and name stay as they were.
        assert merged.identity_number == keep.identity_number
        assert merged.family_name == "القحطاني"
        assert not BeneficiaryNameKey.objects.filter(beneficiary_id=removed_pk).exists()
        assert merged.name_keys.count() == 4


def test_merge_is_audited_as_an_update_and_a_deletion(org, members, pair):
    keep, remove = pair
    removed_pk = remove.pk
    manager = members[Role.MANAGER]
    with scope(organization=org):
        merge_beneficiaries(actor=manager, keep=keep, remove=remove)
    with scopes_disabled():
        update = AuditEvent.objects.get(
            action=AuditAction.UPDATE, object_id=str(keep.pk)
        )
        deletion = AuditEvent.objects.get(
            action=AuditAction.DELETE, object_id=str(removed_pk)
        )
    assert update.actor == deletion.actor == manager
    assert update.organization == org
    assert update.changes["merged_from"] == removed_pk
    assert update.changes["moved"] == {
        "registry.document": 1,
        "registry.householdmember": 1,
    }
    assert update.changes["email"] == ["", "m@example.org"]
    # Encrypted values never reach the audit trail.
    assert update.changes["mobile"] == ["•••", "•••"]
    assert "+966501234567" not in str(update.changes)
    assert deletion.changes == {"merged_into": keep.pk}


def test_merge_refuses_a_record_and_itself(org, members, pair):
    keep, _ = pair
    with (
        scope(organization=org),
        translation.override("en"),
        pytest.raises(MergeError, match="itself"),
    ):
        merge_beneficiaries(actor=members[Role.MANAGER], keep=keep, remove=keep)


def test_merge_refuses_records_of_two_associations(org, other_org, members, pair):
    keep, _ = pair
    with scope(organization=other_org):
        stranger = BeneficiaryFactory(organization=other_org)
    with (
        scopes_disabled(),
        translation.override("en"),
        pytest.raises(MergeError, match="different associations"),
    ):
        merge_beneficiaries(actor=members[Role.MANAGER], keep=keep, remove=stranger)
    with scopes_disabled():
        assert Beneficiary.objects.filter(pk=stranger.pk).exists()


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.RESEARCHER, Role.AUDITOR])
def test_only_a_manager_may_merge(org, members, pair, role):
    keep, remove = pair
    with scope(organization=org), pytest.raises(PermissionDenied):
        merge_beneficiaries(actor=members[role], keep=keep, remove=remove)
    with scope(organization=org):
        assert Beneficiary.objects.filter(pk=remove.pk).exists()


def test_an_admin_may_merge(org, members, pair):
    keep, remove = pair
    with scope(organization=org):
        merge_beneficiaries(actor=members[Role.ADMIN], keep=keep, remove=remove)
        assert not Beneficiary.objects.filter(pk=remove.pk).exists()


def merge_url(keep, remove):
    return reverse("registry:beneficiary_merge", args=[keep.pk, remove.pk])


def test_the_merge_page_shows_both_records_and_audits_the_views(client_as, org, pair):
    keep, remove = pair
    response = client_as(Role.MANAGER).get(merge_url(keep, remove))
    assert response.status_code == 200
    assert keep.identity_number in response.text
    assert remove.identity_number in response.text
    assert merge_url(remove, keep) in response.text  # keep the other one instead
    with scopes_disabled():
        viewed = set(
            AuditEvent.objects.filter(action=AuditAction.VIEW).values_list(
                "object_id", flat=True
            )
        )
    assert viewed == {str(keep.pk), str(remove.pk)}


def test_confirming_on_the_page_merges(client_as, org, pair):
    keep, remove = pair
    response = client_as(Role.MANAGER).post(merge_url(keep, remove), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "registry:beneficiary_detail", args=[keep.pk]
    )
    with scope(organization=org):
        assert not Beneficiary.objects.filter(pk=remove.pk).exists()


def test_without_confirming_nothing_is_merged(client_as, org, pair):
    keep, remove = pair
    response = client_as(Role.MANAGER).post(merge_url(keep, remove), {})
    assert response.status_code == 200
    with scope(organization=org):
        assert Beneficiary.objects.filter(pk=remove.pk).exists()


def test_the_page_refuses_a_record_and_itself(client_as, org, pair):
    keep, _ = pair
    response = client_as(Role.MANAGER).post(merge_url(keep, keep), {"confirm": "on"})
    assert response.status_code == 400
    with scope(organization=org):
        assert Beneficiary.objects.filter(pk=keep.pk).exists()


def test_a_non_manager_gets_403(client_as, org, pair):
    keep, remove = pair
    response = client_as(Role.RECEPTION).post(
        merge_url(keep, remove), {"confirm": "on"}
    )
    assert response.status_code == 403
    with scope(organization=org):
        assert Beneficiary.objects.filter(pk=remove.pk).exists()


def test_another_associations_record_is_not_found(client_as, org, other_org, pair):
    keep, _ = pair
    with scope(organization=other_org):
        stranger = BeneficiaryFactory(organization=other_org)
    response = client_as(Role.MANAGER).post(
        merge_url(keep, stranger), {"confirm": "on"}
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert Beneficiary.objects.filter(pk=stranger.pk).exists()


def test_every_record_pointing_at_a_beneficiary_moves_with_a_merge():
    """Cases, interactions and whatever comes later: found, not listed."""
    from django.apps import apps

    from mustafid.registry.merge import _relations_to_beneficiary

    moved = {(model, fk.name) for model, fk in _relations_to_beneficiary()}
    pointing = {
        (model, field.name)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Beneficiary
    }
    rebuilt = {(BeneficiaryNameKey, "beneficiary"), (NameBlock, "beneficiary")}
    own_categories = {
        (Beneficiary.categories.through, "beneficiary"),
    }
    assert moved == pointing - rebuilt - own_categories
    assert (Document, "beneficiary") in moved


def test_records_that_cannot_be_joined_stop_the_merge(org, members, pair):
    """Both invited to the same service (one invitation each, by rule): the
    merge is refused with a message and nothing moves."""
    from mustafid.eligibility.models import MatchInvitation
    from mustafid.eligibility.services import saved_rules
    from tests.cases.helpers import make_service

    keep, remove = pair
    service = make_service(org)
    with scope(organization=org):
        rules = saved_rules(service)
        for beneficiary in (keep, remove):
            MatchInvitation.objects.create(
                organization=org,
                beneficiary=beneficiary,
                service=service,
                rule_set=rules,
            )
        with translation.override("en"), pytest.raises(MergeError, match="joined"):
            merge_beneficiaries(actor=members[Role.MANAGER], keep=keep, remove=remove)
        assert Beneficiary.objects.filter(pk=remove.pk).exists()
        assert Document.objects.filter(beneficiary=remove).count() == 1


def test_both_records_accepting_the_same_terms_keep_one_acceptance(org, members, pair):
    """Registered twice, accepted the portal's terms twice (P-CONSENT): the
    merge keeps one acceptance per text instead of refusing."""
    from mustafid.portal.consent import (
        ConsentAcceptance,
        ConsentKind,
        current_text,
        record_acceptance,
    )

    keep, remove = pair
    with scope(organization=org):
        terms = current_text(org, ConsentKind.TERMS)
        privacy = current_text(org, ConsentKind.PRIVACY)
        record_acceptance(beneficiary=keep, texts=[terms])
        record_acceptance(beneficiary=remove, texts=[terms, privacy])
        merge_beneficiaries(actor=members[Role.MANAGER], keep=keep, remove=remove)
        accepted = ConsentAcceptance.objects.filter(beneficiary=keep)
        assert sorted(a.text_id for a in accepted) == sorted([terms.pk, privacy.pk])
    with scopes_disabled():
        update = AuditEvent.objects.get(
            action=AuditAction.UPDATE, object_id=str(keep.pk)
        )
    assert update.changes["moved"]["portal.consentacceptance"] == 1
    assert (
        update.changes["moved"]["portal.consentacceptance: same as the kept record's"]
        == 1
    )
