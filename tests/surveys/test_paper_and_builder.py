"""The questionnaire builder, the printable questionnaire and paper answers
typed in by staff (P-TOOLS, P-SATISFACTION)."""

import pytest
from django.urls import reverse
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.surveys.models import Answer, Questionnaire, Response, Source
from tests.surveys.helpers import (
    answer_data,
    ar,
    make_questionnaire,
    questions,
)

pytestmark = pytest.mark.django_db


def test_a_manager_builds_a_bilingual_questionnaire_with_choices(client_as, org):
    client = client_as(Role.MANAGER)
    created = client.post(
        reverse("surveys:questionnaire_create"),
        {
            "title_ar": "رضا المستفيدين عن السلة الغذائية",
            "title_en": "Food basket satisfaction",
            "is_active": "on",
            "trigger": "closed",
            "valid_days": 10,
            "reminder_days": 3,
        },
    )
    assert created.status_code == 302
    with scope(organization=org):
        questionnaire = Questionnaire.objects.get()
    added = client.post(
        reverse("surveys:question_add", args=[questionnaire.pk]),
        {
            "new-kind": "single",
            "new-text_ar": "كيف وصلت إلينا؟",
            "new-text_en": "How did you reach us?",
            "new-required": "on",
            "new-choices": "الهاتف | Phone\nالزيارة | Visit",
        },
    )
    assert added.status_code == 302
    with scope(organization=org):
        [question] = questionnaire.current_version().questions.all()
        assert question.required and question.text_en == "How did you reach us?"
        assert [c.text_en for c in question.choices.all()] == ["Phone", "Visit"]


def test_a_choice_question_needs_two_choices(client_as, org):
    questionnaire = make_questionnaire(org)
    page = client_as(Role.MANAGER).post(
        reverse("surveys:question_add", args=[questionnaire.pk]),
        {"new-kind": "multiple", "new-text_ar": "؟", "new-choices": "واحد"},
    )
    assert page.status_code == 200
    assert ar("Give at least two choices, one per line.") in page.content.decode()
    assert len(questions(questionnaire)) == 6


def test_the_reminder_must_come_before_the_link_closes(client_as, org):
    page = client_as(Role.MANAGER).post(
        reverse("surveys:questionnaire_create"),
        {"title_ar": "س", "valid_days": 3, "reminder_days": 5},
    )
    assert page.status_code == 200
    assert "reminder_days" in page.context["form"].errors


def test_the_printable_questionnaire_shows_every_question_right_to_left(client_as, org):
    questionnaire = make_questionnaire(org)
    page = client_as(Role.RECEPTION).get(
        reverse("surveys:questionnaire_print", args=[questionnaire.pk])
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert 'dir="rtl"' in content and "css/surveys.css" in content
    for question in questions(questionnaire).values():
        assert question.text_ar in content
    assert "☐ 10" in content  # the NPS scale


def test_reception_types_in_paper_answers(client_as, org, beneficiary, members):
    questionnaire = make_questionnaire(org)
    url = reverse("surveys:paper_entry", args=[questionnaire.pk])
    data = answer_data(questionnaire, rating=3, text="خدمة جيدة") | {
        "answered_on": "2025-03-01",
        "beneficiary": beneficiary.pk,
        "staff": members[Role.SERVICES].pk,
    }
    saved = client_as(Role.RECEPTION).post(url, data)
    assert saved.status_code == 302
    with scope(organization=org):
        response = Response.objects.get()
        assert response.source == Source.PAPER
        assert response.channel == "paper"
        assert response.entered_by == members[Role.RECEPTION]
        assert response.staff == members[Role.SERVICES]
        assert response.beneficiary == beneficiary
        assert str(response.answered_on) == "2025-03-01"
        assert Answer.objects.get(question__kind="rating").number == 3

    # The answers appear on the beneficiary's profile.
    profile = client_as(Role.RECEPTION).get(
        reverse("registry:beneficiary_detail", args=[beneficiary.pk]) + "?tab=surveys"
    )
    assert "خدمة جيدة" in profile.content.decode()


def test_bad_paper_input_writes_nothing(client_as, org):
    questionnaire = make_questionnaire(org)
    url = reverse("surveys:paper_entry", args=[questionnaire.pk])
    client = client_as(Role.SERVICES)
    future = client.post(
        url, answer_data(questionnaire) | {"answered_on": "2999-01-01"}
    )
    assert future.status_code == 400
    empty = client.post(url, {"answered_on": "2025-01-01"})
    assert empty.status_code == 400
    with scope(organization=org):
        assert not Response.objects.exists()


def test_another_associations_questionnaire_is_not_found(client_as, org, other_org):
    theirs = make_questionnaire(other_org)
    client = client_as(Role.MANAGER)
    for name in ("questionnaire_edit", "questionnaire_print", "paper_entry"):
        assert client.get(reverse(f"surveys:{name}", args=[theirs.pk])).status_code == (
            404
        )
