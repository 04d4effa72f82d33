"""An anonymous questionnaire's answers are never linked to the beneficiary:
not stored, not in any page, not in the export (issue 9 item 5, P-PRIVACY)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from openpyxl import load_workbook

from mustafid.core.models import AuditEvent
from mustafid.core.roles import Role
from mustafid.surveys import services
from mustafid.surveys.models import Answer, Invitation, Response
from tests.factories import BeneficiaryFactory
from tests.surveys.helpers import (
    answer_data,
    answer_url,
    make_invitation,
    make_questionnaire,
)

pytestmark = pytest.mark.django_db
COMMENT = "تعليق خاص جدًا"


@pytest.fixture
def answered(client, org):
    questionnaire = make_questionnaire(org, anonymous=True)
    with scope(organization=org):
        person = BeneficiaryFactory(
            organization=org, first_name="فاطمة", family_name="الزهراني"
        )
    invitation, token = make_invitation(org, questionnaire, person)
    page = client.post(answer_url(org, token), answer_data(questionnaire, text=COMMENT))
    assert page.status_code == 200
    return questionnaire, person, invitation


def test_nothing_stored_links_the_response_to_the_person(org, answered):
    _questionnaire, _person, invitation = answered
    with scope(organization=org):
        response = Response.objects.get()
        invitation = Invitation.objects.get(pk=invitation.pk)
        answers = list(Answer.objects.all())
        # The audit trail records an answer, not which one.
        event = AuditEvent.objects.filter(actor_label="survey link").get()
    assert response.beneficiary_id is None
    assert response.invitation_id is None
    assert response.case_id is None
    # The invitation is only marked used, at the start of the day, as are the
    # response's times: they cannot be matched to the second.
    assert invitation.used_at is not None
    assert invitation.used_at == response.created_at == invitation.updated_at
    assert timezone.localtime(invitation.used_at).time() == datetime.time.min
    assert {a.created_at for a in answers} == {response.created_at}
    assert event.object_id == ""


def test_the_profile_never_shows_anonymous_answers(client_as, org, answered):
    _questionnaire, person, _invitation = answered
    page = client_as(Role.MANAGER).get(
        reverse("registry:beneficiary_detail", args=[person.pk]) + "?tab=surveys"
    )
    assert page.status_code == 200
    assert list(page.context["survey_responses"]) == []
    assert COMMENT not in page.content.decode()


def test_the_indicators_and_export_name_nobody(client_as, org, answered, settings):
    _questionnaire, person, _invitation = answered
    # Even with figures shown for a single answer (test_min_cell withholds them).
    settings.SURVEY_MIN_CELL = 1
    client = client_as(Role.MANAGER)
    page = client.get(reverse("surveys:indicators")).content.decode()
    assert COMMENT in page  # the comment is shown, without a name
    for identity in (person.first_name, person.family_name, person.identity_number):
        assert identity not in page
    export = client.get(reverse("surveys:indicators_export"))
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    for identity in (person.first_name, person.family_name, person.identity_number):
        assert not any(identity in value for value in cells)


def test_paper_answers_to_an_anonymous_questionnaire_keep_no_name(org, members):
    questionnaire = make_questionnaire(org, anonymous=True)
    with scope(organization=org):
        person = BeneficiaryFactory(organization=org)
        response = services.enter_paper_response(
            actor=members[Role.RECEPTION],
            questionnaire=questionnaire,
            version=questionnaire.current_version(),
            values={},
            answered_on=timezone.localdate(),
            beneficiary=person,
        )
    assert response.beneficiary_id is None


def test_anonymity_cannot_change_once_answered(org, answered, members):
    questionnaire, _person, _invitation = answered
    with scope(organization=org), pytest.raises(services.SurveyRefused):
        services.update_questionnaire(
            actor=members[Role.MANAGER],
            questionnaire=questionnaire,
            data={"is_anonymous": False},
        )
    with scope(organization=org):
        questionnaire.refresh_from_db()
    assert questionnaire.is_anonymous
