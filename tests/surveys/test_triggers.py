"""What invites a beneficiary (P-SATISFACTION): a request reaching delivery or
closure, a programme ending, a manual campaign; once per trigger, through the
outbox."""

import pytest
from django.urls import reverse
from django_scopes import scope

from mustafid.cases import transitions
from mustafid.cases.hooks import case_moved
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import Membership
from mustafid.core.roles import Role
from mustafid.surveys import tokens
from mustafid.surveys.models import Campaign, Invitation
from mustafid.surveys.triggers import programme_ended
from tests.cases.helpers import add_delivery, make_case, make_service
from tests.conftest import make_member
from tests.factories import BeneficiaryFactory
from tests.surveys.helpers import make_questionnaire

pytestmark = pytest.mark.django_db


def close(org, case, user, capture):
    with scope(organization=org), capture(execute=True):
        case.refresh_from_db()
        transitions.transition(
            actor=user,
            membership=Membership.objects.get(user=user, organization=org),
            case=case,
            to="closed",
            expected_version=case.version,
        )


def invitations(org, **lookup):
    with scope(organization=org):
        return list(Invitation.objects.filter(**lookup).select_related("staff"))


def messages(org, event="survey_invitation"):
    with scope(organization=org):
        return list(OutboxMessage.objects.filter(event=event))


def test_closing_a_request_of_a_configured_service_invites_once(
    org, django_capture_on_commit_callbacks
):
    service = make_service(org)
    questionnaire = make_questionnaire(org, services_=[service], trigger="closed")
    case = make_case(org, "delivering", service=service)
    add_delivery(case)
    officer = make_member(org, Role.SERVICES)
    close(org, case, officer, django_capture_on_commit_callbacks)

    [invitation] = invitations(org)
    assert invitation.questionnaire == questionnaire
    assert invitation.case_id == case.pk
    assert invitation.service == service
    # The staff member who served: the one who delivered.
    assert invitation.staff_id == case.created_by_id
    [message] = messages(org)
    assert message.beneficiary_id == case.beneficiary_id
    assert message.context["link"] == tokens.link_for(invitation)
    assert message.context["link"].endswith(
        reverse(
            "portal:survey_answer",
            kwargs={"org_slug": org.slug, "token": tokens.token_for(invitation.salt)},
        )
    )
    # The token itself is never stored: only its hash.
    token = tokens.token_for(invitation.salt)
    assert invitation.token_hash == tokens.hash_token(token) != token

    # The same move announced again (a retry, a second worker) invites nobody.
    case_moved.send(
        sender=type(case),
        case_id=case.pk,
        organization_id=org.pk,
        origin="delivering",
        to="closed",
        actor_id=officer.pk,
    )
    assert len(invitations(org)) == 1
    assert len(messages(org)) == 1


def test_other_services_statuses_and_inactive_questionnaires_invite_nobody(
    org, django_capture_on_commit_callbacks
):
    service, other = make_service(org), make_service(org)
    make_questionnaire(org, services_=[other], trigger="closed")
    make_questionnaire(org, services_=[service], trigger="delivering")
    make_questionnaire(org, services_=[service], trigger="closed", is_active=False)
    case = make_case(org, "delivering", service=service)
    add_delivery(case)
    close(
        org, case, make_member(org, Role.SERVICES), django_capture_on_commit_callbacks
    )
    assert invitations(org) == []
    assert messages(org) == []


def test_a_refused_move_invites_nobody(org, django_capture_on_commit_callbacks):
    service = make_service(org)
    make_questionnaire(org, services_=[service], trigger="closed")
    case = make_case(org, "delivering", service=service)  # no delivery recorded
    with pytest.raises(transitions.GuardFailed):
        close(
            org,
            case,
            make_member(org, Role.SERVICES),
            django_capture_on_commit_callbacks,
        )
    assert invitations(org) == []


def test_programme_end_invites_each_direct_beneficiary_once(org, other_org):
    """Seed 002: satisfaction is measured after the programme ends."""
    questionnaire = make_questionnaire(org, on_programme_end=True)
    make_questionnaire(org, on_programme_end=False)
    with scope(organization=org):
        people = BeneficiaryFactory.create_batch(3, organization=org)
    with scope(organization=other_org):
        stranger = BeneficiaryFactory(organization=other_org)

    assert programme_ended("programme:7", org, [*people, stranger]) == 3
    assert programme_ended("programme:7", org, people) == 0
    found = invitations(org)
    assert {i.beneficiary_id for i in found} == {p.pk for p in people}
    assert {i.questionnaire_id for i in found} == {questionnaire.pk}
    assert {i.programme_key for i in found} == {"programme:7"}
    assert len(messages(org)) == 3
    # Another programme is another trigger.
    assert programme_ended("programme:8", org, people[:1]) == 1


def test_programme_end_needs_a_key(org):
    with pytest.raises(ValueError):
        programme_ended("", org, [])


def test_a_campaign_invites_the_filtered_list_once_each(client_as, org):
    questionnaire = make_questionnaire(org)
    with scope(organization=org):
        riyadh = BeneficiaryFactory.create_batch(2, organization=org, region="riyadh")
        BeneficiaryFactory(organization=org, region="makkah")
    client = client_as(Role.MANAGER)
    url = reverse("surveys:campaign_create")
    data = {"questionnaire": questionnaire.pk, "name": "رضا الرياض", "region": "riyadh"}

    preview = client.post(url, data | {"preview": "1"})
    assert preview.status_code == 200
    assert preview.context["count"] == 2
    assert invitations(org) == []

    sent = client.post(url, data | {"send": "1"})
    assert sent.status_code == 302
    assert {i.beneficiary_id for i in invitations(org)} == {p.pk for p in riyadh}
    with scope(organization=org):
        campaign = Campaign.objects.get()
        assert campaign.invited == 2
        # The same campaign cannot invite anyone twice (the database refuses).
        from mustafid.surveys.invitations import invite

        assert (
            invite(
                questionnaire=questionnaire, beneficiary=riyadh[0], campaign=campaign
            )
            is None
        )
    assert len(messages(org)) == 2


def test_a_campaign_without_a_questionnaire_writes_nothing(client_as, org):
    response = client_as(Role.MANAGER).post(
        reverse("surveys:campaign_create"), {"name": "x", "send": "1"}
    )
    assert response.status_code == 400
    assert invitations(org) == []
