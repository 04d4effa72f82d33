"""Answering through the invitation's link (P-SATISFACTION, P-EONLINE): no
sign-in, single use, expiring, versioned, guessing limited."""

import datetime

import pytest
import time_machine
from django_scopes import scope

from mustafid.surveys.models import Answer, Invitation, Response, Source
from mustafid.surveys.public_views import LINK_LIMIT
from tests.factories import BeneficiaryFactory
from tests.surveys.helpers import (
    answer_data,
    answer_url,
    ar,
    make_invitation,
    make_questionnaire,
    questions,
)

pytestmark = pytest.mark.django_db


def responses(org):
    with scope(organization=org):
        return list(Response.objects.select_related("version"))


def test_the_link_opens_the_questionnaire_without_signing_in(client, org):
    _invitation, token = make_invitation(org)
    page = client.get(answer_url(org, token))
    assert page.status_code == 200
    assert "ما مدى رضاك عن الخدمة؟" in page.content.decode()
    assert page.context["state"] == "form"


def test_answers_are_saved_with_their_version_and_the_link_is_used(client, org):
    questionnaire = make_questionnaire(org)
    invitation, token = make_invitation(org, questionnaire)
    page = client.post(
        answer_url(org, token), answer_data(questionnaire, rating=4, text="شكرًا")
    )
    assert page.status_code == 200
    assert ar("Your answers were received. They help us improve our services.") in (
        page.content.decode()
    )
    [response] = responses(org)
    assert response.source == Source.ELECTRONIC
    assert response.channel == "sms"
    assert response.beneficiary_id == invitation.beneficiary_id
    assert response.invitation_id == invitation.pk
    assert response.version.number == 1 and response.version.is_frozen
    with scope(organization=org):
        kinds = {a.question.kind: a for a in Answer.objects.select_related("question")}
        assert kinds["rating"].number == 4
        assert kinds["yes_no"].number == 1
        assert kinds["text"].text == "شكرًا"
        assert Answer.objects.filter(question__kind="multiple").count() == 2
        invitation.refresh_from_db()
    assert invitation.used_at is not None


def test_a_used_link_is_refused_and_writes_nothing(client, org):
    questionnaire = make_questionnaire(org)
    _invitation, token = make_invitation(org, questionnaire)
    client.post(answer_url(org, token), answer_data(questionnaire))
    again = client.post(answer_url(org, token), answer_data(questionnaire, rating=1))
    assert again.status_code == 410
    assert client.get(answer_url(org, token)).status_code == 410
    assert len(responses(org)) == 1


def test_an_expired_link_is_refused_and_writes_nothing(client, org):
    questionnaire = make_questionnaire(org, valid_days=14)
    invitation, token = make_invitation(org, questionnaire)
    with time_machine.travel(invitation.expires_at + datetime.timedelta(seconds=1)):
        page = client.get(answer_url(org, token))
        assert page.status_code == 410
        assert page.context["state"] == "expired"
        posted = client.post(answer_url(org, token), answer_data(questionnaire))
        assert posted.status_code == 410
    assert responses(org) == []
    # The day before it closes, it still opens.
    with time_machine.travel(invitation.expires_at - datetime.timedelta(days=1)):
        assert client.get(answer_url(org, token)).status_code == 200


def test_an_unknown_token_or_another_associations_link_is_not_found(
    client, org, other_org
):
    _invitation, token = make_invitation(org)
    assert client.get(answer_url(org, "x" * 43)).status_code == 404
    assert client.get(answer_url(other_org, token)).status_code == 404
    assert client.get(answer_url(org, token[:-1])).status_code == 404


def test_guessing_tokens_is_limited_per_address(client, org):
    _invitation, token = make_invitation(org)
    for n in range(LINK_LIMIT):
        client.get(answer_url(org, f"guess-{n}"))
    limited = client.get(answer_url(org, token))
    assert limited.status_code == 429
    # Another address is not held back.
    assert client.get(answer_url(org, token), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_missing_or_invalid_answers_are_shown_and_nothing_is_written(client, org):
    questionnaire = make_questionnaire(org)
    invitation, token = make_invitation(org, questionnaire)
    q = questions(questionnaire)
    data = answer_data(questionnaire)
    data.pop(f"q{q['rating'].pk}")  # required
    data[f"q{q['nps'].pk}"] = "11"
    data[f"q{q['single'].pk}"] = "999999"
    page = client.post(answer_url(org, token), data)
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert {f"q{q['rating'].pk}", f"q{q['nps'].pk}", f"q{q['single'].pk}"} <= set(
        errors
    )
    assert responses(org) == []
    with scope(organization=org):
        assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_editing_an_answered_questionnaire_starts_a_new_version(client, client_as, org):
    """An answer keeps the version it answered (issue 9, item 1)."""
    questionnaire = make_questionnaire(org)
    _first, token = make_invitation(org, questionnaire)
    client.post(answer_url(org, token), answer_data(questionnaire))
    text_question = questions(questionnaire)["text"]

    manager = client_as("manager")
    changed = manager.post(
        f"/surveys/{questionnaire.pk}/questions/{text_question.pk}/",
        {"kind": "text", "text_ar": "ما الذي نحسّنه؟", "required": "", "position": 6},
    )
    assert changed.status_code == 302
    with scope(organization=org):
        versions = list(questionnaire.versions.order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        old_texts = set(versions[0].questions.values_list("text_ar", flat=True))
        new_texts = set(versions[1].questions.values_list("text_ar", flat=True))
    assert "اقتراحاتك" in old_texts and "ما الذي نحسّنه؟" not in old_texts
    assert "ما الذي نحسّنه؟" in new_texts and "اقتراحاتك" not in new_texts

    with scope(organization=org):
        second_person = BeneficiaryFactory(organization=org)
    _second, token2 = make_invitation(org, questionnaire, second_person)
    client.post(answer_url(org, token2), answer_data(questionnaire))
    by_version = sorted(r.version.number for r in responses(org))
    assert by_version == [1, 2]


def test_a_questionnaire_taken_out_of_use_closes_its_links(client, org):
    questionnaire = make_questionnaire(org)
    _invitation, token = make_invitation(org, questionnaire)
    with scope(organization=org):
        questionnaire.is_active = False
        questionnaire.save()
    page = client.get(answer_url(org, token))
    assert page.status_code == 410
    assert "form" not in page.context or page.context.get("form") is None
