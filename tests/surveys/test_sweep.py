"""The daily sweep creates the invitations a request's move should have
created when the process stopped between the commit and the receiver, once,
within SURVEY_SWEEP_DAYS, each association on its own (P-SATISFACTION)."""

import datetime

import pytest
import time_machine
from django_scopes import scope

from mustafid.cases import transitions
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import Membership
from mustafid.core.roles import Role
from mustafid.core.scheduling import JOBS
from mustafid.surveys.models import Invitation
from mustafid.surveys.tasks import survey_sweep_task
from mustafid.surveys.triggers import sweep_missed_invitations
from tests.cases.helpers import add_delivery, make_case, make_service
from tests.conftest import make_member
from tests.surveys.helpers import make_questionnaire

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def now():
    return datetime.datetime.now(datetime.UTC)


def close_unannounced(org, case, user):
    """Close the request; its on-commit announcement never runs, as when the
    process stops right after the commit."""
    with scope(organization=org):
        case.refresh_from_db()
        transitions.transition(
            actor=user,
            membership=Membership.objects.get(user=user, organization=org),
            case=case,
            to="closed",
            expected_version=case.version,
        )


def delivered_case(org, service):
    case = make_case(org, "delivering", service=service)
    add_delivery(case)
    return case


def invitations(org):
    with scope(organization=org):
        return list(Invitation.objects.select_related("staff"))


def invitation_messages(org):
    with scope(organization=org):
        return list(OutboxMessage.objects.filter(event="survey_invitation"))


def test_the_sweep_is_a_daily_job():
    assert JOBS["survey_sweep"].task == survey_sweep_task.module_path
    assert JOBS["survey_sweep"].at is not None


def test_a_request_closed_without_its_announcement_is_invited_by_the_sweep(org):
    service = make_service(org)
    questionnaire = make_questionnaire(org, services_=[service], trigger="closed")
    case = delivered_case(org, service)
    close_unannounced(org, case, make_member(org, Role.SERVICES))
    assert invitations(org) == []

    assert sweep_missed_invitations(now()) == {org.slug: 1}

    [invitation] = invitations(org)
    assert invitation.questionnaire == questionnaire
    assert invitation.case_id == case.pk
    assert invitation.beneficiary_id == case.beneficiary_id
    assert invitation.service == service
    # The same rule as the trigger: the staff member who delivered.
    assert invitation.staff_id == case.created_by_id
    [message] = invitation_messages(org)
    assert message.beneficiary_id == case.beneficiary_id
    # A second run invites nobody again.
    assert sweep_missed_invitations(now()) == {org.slug: 0}
    assert len(invitations(org)) == 1
    assert len(invitation_messages(org)) == 1


def test_a_request_invited_by_its_trigger_gets_nothing_more(
    org, django_capture_on_commit_callbacks
):
    service = make_service(org)
    make_questionnaire(org, services_=[service], trigger="closed")
    case = delivered_case(org, service)
    with django_capture_on_commit_callbacks(execute=True):
        close_unannounced(org, case, make_member(org, Role.SERVICES))
    assert len(invitations(org)) == 1

    assert sweep_missed_invitations(now()) == {org.slug: 0}
    assert len(invitations(org)) == 1
    assert len(invitation_messages(org)) == 1


def test_the_sweep_follows_the_trigger_rules(org):
    """Only active questionnaires of the request's service and of the status
    entered; a questionnaire created after the move would not have invited."""
    service, other = make_service(org), make_service(org)
    make_questionnaire(org, services_=[other], trigger="closed")
    make_questionnaire(org, services_=[service], trigger="delivering")
    make_questionnaire(org, services_=[service], trigger="closed", is_active=False)
    case = delivered_case(org, service)
    close_unannounced(org, case, make_member(org, Role.SERVICES))
    with time_machine.travel(now() + datetime.timedelta(minutes=5)):
        make_questionnaire(org, services_=[service], trigger="closed")
        assert sweep_missed_invitations(now()) == {org.slug: 0}
    assert invitations(org) == []


def test_a_move_older_than_the_sweep_window_is_left_alone(org, settings):
    service = make_service(org)
    with time_machine.travel(now() - 10 * DAY):
        make_questionnaire(org, services_=[service], trigger="closed")
    case = delivered_case(org, service)
    with time_machine.travel(now() - 8 * DAY):
        close_unannounced(org, case, make_member(org, Role.SERVICES))

    assert settings.SURVEY_SWEEP_DAYS == 7
    assert sweep_missed_invitations(now()) == {org.slug: 0}
    assert invitations(org) == []
    # The window is the setting's.
    settings.SURVEY_SWEEP_DAYS = 9
    assert sweep_missed_invitations(now()) == {org.slug: 1}


def test_each_association_is_swept_in_its_own_scope(org, other_org):
    service, theirs = make_service(org), make_service(other_org)
    mine_q = make_questionnaire(org, services_=[service], trigger="closed")
    their_q = make_questionnaire(other_org, services_=[theirs], trigger="closed")
    mine = delivered_case(org, service)
    close_unannounced(org, mine, make_member(org, Role.SERVICES))
    # Another association's request: a missed move too, and one already invited.
    their_missed = delivered_case(other_org, theirs)
    close_unannounced(other_org, their_missed, make_member(other_org, Role.SERVICES))

    assert survey_sweep_task.call() == {org.slug: 1, other_org.slug: 1}

    [my_invitation] = invitations(org)
    assert (my_invitation.case_id, my_invitation.questionnaire) == (mine.pk, mine_q)
    [their_invitation] = invitations(other_org)
    assert their_invitation.case_id == their_missed.pk
    assert their_invitation.questionnaire == their_q
    assert their_invitation.organization_id == other_org.pk
