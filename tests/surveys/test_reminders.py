"""One reminder, some days before the link closes, by an idempotent periodic
job (P-SATISFACTION)."""

import datetime

import pytest
import time_machine
from django_scopes import scope

from mustafid.contact.outbox import OutboxMessage
from mustafid.core.scheduling import JOBS
from mustafid.surveys import tokens
from mustafid.surveys.invitations import queue_reminders
from mustafid.surveys.models import Invitation
from mustafid.surveys.tasks import survey_reminders_task
from tests.surveys.helpers import (
    answer_data,
    answer_url,
    make_invitation,
    make_questionnaire,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def reminders(org):
    with scope(organization=org):
        return list(OutboxMessage.objects.filter(event="survey_reminder"))


def test_the_job_is_scheduled():
    assert JOBS["survey_reminders"].task == survey_reminders_task.module_path


def test_one_reminder_inside_the_window_with_the_same_link(org):
    questionnaire = make_questionnaire(org, valid_days=14, reminder_days=3)
    invitation, token = make_invitation(org, questionnaire)
    with time_machine.travel(invitation.expires_at - 4 * DAY):
        assert queue_reminders(datetime.datetime.now(datetime.UTC))[org.slug] == 0
    with time_machine.travel(invitation.expires_at - 2 * DAY):
        now = datetime.datetime.now(datetime.UTC)
        assert queue_reminders(now)[org.slug] == 1
        assert queue_reminders(now)[org.slug] == 0  # a second run: nothing twice
    with time_machine.travel(invitation.expires_at - DAY):
        assert queue_reminders(datetime.datetime.now(datetime.UTC))[org.slug] == 0
    [message] = reminders(org)
    assert message.beneficiary_id == invitation.beneficiary_id
    assert token in message.context["link"]
    assert message.context["link"] == tokens.link_for(invitation)
    with scope(organization=org):
        assert Invitation.objects.get(pk=invitation.pk).reminded_at is not None


def test_no_reminder_once_answered_expired_or_switched_off(client, org):
    questionnaire = make_questionnaire(org, valid_days=14, reminder_days=3)
    answered, token = make_invitation(org, questionnaire)
    client.post(answer_url(org, token), answer_data(questionnaire))
    silent = make_questionnaire(org, valid_days=14, reminder_days=0)
    make_invitation(org, silent)
    with time_machine.travel(answered.expires_at + DAY):
        assert queue_reminders(datetime.datetime.now(datetime.UTC))[org.slug] == 0
    with time_machine.travel(answered.expires_at - DAY):
        assert queue_reminders(datetime.datetime.now(datetime.UTC))[org.slug] == 0
    assert reminders(org) == []


def test_no_reminder_after_the_link_closed(org):
    questionnaire = make_questionnaire(org, valid_days=14, reminder_days=3)
    invitation, _token = make_invitation(org, questionnaire)
    with time_machine.travel(invitation.expires_at + datetime.timedelta(minutes=1)):
        assert queue_reminders(datetime.datetime.now(datetime.UTC))[org.slug] == 0
    assert reminders(org) == []
