"""The answer page behind a survey invitation's link: no sign-in, mobile first,
under the association's public address (P-SATISFACTION, P-EONLINE)."""

import datetime

from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from mustafid.core.audit import client_ip
from mustafid.core.ratelimit import allow
from mustafid.portal.session import public_page
from mustafid.surveys import services
from mustafid.surveys.forms import AnswerForm
from mustafid.surveys.invitations import find_by_token
from mustafid.surveys.views import _questions

# Requests per address to answer pages: enough to answer, retry and correct
# mistakes several times; far too few to try tokens (256 bits) by guessing.
LINK_LIMIT = 30
LINK_WINDOW = datetime.timedelta(minutes=10)
TEMPLATE = "surveys/answer.html"


def _page(request, state: str, status: int, **context):
    context |= {"state": state, "organization": request.portal_org}
    return TemplateResponse(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
@public_page
def survey_answer(request, token: str):
    if not allow(
        f"survey-link:{client_ip(request)}", limit=LINK_LIMIT, window=LINK_WINDOW
    ):
        return _page(request, "limited", 429)
    invitation = find_by_token(token)
    if invitation is None:
        return _page(request, "unknown", 404)
    questionnaire = invitation.questionnaire
    if invitation.used_at is not None:
        return _page(request, "used", 410)
    if invitation.is_expired() or not questionnaire.is_active:
        return _page(
            request,
            "expired",
            410,
            closed_on=timezone.localdate(invitation.expires_at),
        )
    version = questionnaire.current_version()
    questions = list(_questions(version))
    form = AnswerForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_response(
                    invitation=invitation, version=version, values=form.values()
                )
            except services.SurveyClosed:
                return _page(request, "used", 410)
            return _page(request, "thanks", 200, questionnaire=questionnaire)
        status = 400
    return _page(
        request,
        "form",
        status,
        form=form,
        questionnaire=questionnaire,
        expires_on=timezone.localdate(invitation.expires_at),
    )
