"""The surveys tab of a beneficiary's profile: their answers to questionnaires
that are not anonymous, never an anonymous one (P-PRIVACY)."""

from django.db.models import Prefetch

from mustafid.surveys.models import Answer, Response


def tab_context(beneficiary) -> dict:
    answers = Answer.objects.select_related("question", "choice").order_by(
        "question__position", "id"
    )
    responses = (
        Response.objects.filter(
            beneficiary=beneficiary, questionnaire__is_anonymous=False
        )
        .select_related("questionnaire", "version", "service", "entered_by")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("-answered_on", "-id")[:50]
    )
    return {"survey_responses": responses}
