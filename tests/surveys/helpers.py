"""Questionnaires, invitations and answers for the survey tests (and the matrix)."""

from django.utils import translation
from django_scopes import scope

from mustafid.surveys import invitations, services, tokens
from mustafid.surveys.models import Choice, Question
from tests.factories import BeneficiaryFactory


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def make_questionnaire(org, *, anonymous=False, services_=(), trigger="", **fields):
    """A questionnaire with one question of each kind (version 1, a draft)."""
    with scope(organization=org):
        questionnaire = services.create_questionnaire(
            actor=None,
            organization=org,
            data={
                "title_ar": "استبيان رضا المستفيدين",
                "title_en": "Beneficiary satisfaction",
                "is_anonymous": anonymous,
                "trigger": trigger,
            }
            | fields,
            services=services_,
        )
        version = questionnaire.current_version()
        kinds = [
            ("rating", "ما مدى رضاك عن الخدمة؟", True),
            ("nps", "ما احتمال أن توصي بنا؟", False),
            ("single", "كيف عرفت عنا؟", False),
            ("multiple", "ما الذي أعجبك؟", False),
            ("yes_no", "هل أُبلغت بالإجراءات بوضوح؟", False),
            ("text", "اقتراحاتك", False),
        ]
        for position, (kind, text, required) in enumerate(kinds, start=1):
            question = Question.objects.create(
                organization=org,
                version=version,
                position=position,
                kind=kind,
                text_ar=text,
                required=required,
            )
            if kind in ("single", "multiple"):
                for n, label in enumerate(("أ", "ب", "ج"), start=1):
                    Choice.objects.create(
                        organization=org, question=question, position=n, text_ar=label
                    )
    return questionnaire


def questions(questionnaire) -> dict:
    with scope(organization=questionnaire.organization):
        version = questionnaire.current_version()
        return {q.kind: q for q in version.questions.prefetch_related("choices")}


def make_invitation(org, questionnaire=None, beneficiary=None, **kwargs):
    """(invitation, token) for a fresh beneficiary by campaign-less programme."""
    questionnaire = questionnaire or make_questionnaire(org)
    with scope(organization=org):
        beneficiary = beneficiary or BeneficiaryFactory(organization=org)
        invitation = invitations.invite(
            questionnaire=questionnaire,
            beneficiary=beneficiary,
            programme_key=kwargs.pop("programme_key", f"test-{beneficiary.pk}"),
            **kwargs,
        )
    return invitation, tokens.token_for(invitation.salt)


def answer_data(questionnaire, rating=5, nps=9, text="") -> dict:
    q = questions(questionnaire)
    with scope(organization=questionnaire.organization):
        choice = next(iter(q["single"].choices.all()))
        many = [c.pk for c in q["multiple"].choices.all()][:2]
    data = {
        f"q{q['rating'].pk}": str(rating),
        f"q{q['nps'].pk}": str(nps),
        f"q{q['single'].pk}": str(choice.pk),
        f"q{q['multiple'].pk}": [str(pk) for pk in many],
        f"q{q['yes_no'].pk}": "yes",
    }
    if text:
        data[f"q{q['text'].pk}"] = text
    return data


def answer_url(org, token) -> str:
    from django.urls import reverse

    return reverse(
        "portal:survey_answer", kwargs={"org_slug": org.slug, "token": token}
    )
