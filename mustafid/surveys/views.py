"""Staff pages: the questionnaire builder, the printable questionnaire and the
entry of paper answers (P-SATISFACTION, P-TOOLS)."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.registry.models import Beneficiary
from mustafid.surveys import services
from mustafid.surveys.forms import (
    AnswerForm,
    PaperForm,
    QuestionForm,
    QuestionnaireForm,
)
from mustafid.surveys.models import (
    Choice,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)


def _questions(version):
    return version.questions.prefetch_related(
        Prefetch("choices", queryset=Choice.objects.all())
    )


@require_GET
@staff_view(Perm.ENTER_PAPER_SURVEYS)
def questionnaire_list(request):
    questionnaires = Questionnaire.objects.annotate(
        response_count=Count("responses", distinct=True),
        invitation_count=Count("invitations", distinct=True),
        answered_count=Count(
            "invitations", filter=Q(invitations__used_at__isnull=False), distinct=True
        ),
    )
    return TemplateResponse(
        request,
        "surveys/questionnaire_list.html",
        {
            "questionnaires": questionnaires,
            "can_manage": request.membership.has_perm(Perm.MANAGE_SURVEYS),
            # From a profile's surveys tab: the paper entry names the person.
            "for_beneficiary": request.GET.get("beneficiary", "")
            if request.GET.get("beneficiary", "").isdigit()
            else "",
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_SURVEYS)
def questionnaire_create(request):
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questionnaire = services.create_questionnaire(
            actor=request.user,
            organization=request.organization,
            data=form.settings_data(),
            services=form.cleaned_data["services"],
            request=request,
        )
        messages.success(
            request, _("The questionnaire was created: add its questions.")
        )
        return redirect("surveys:questionnaire_edit", pk=questionnaire.pk)
    return TemplateResponse(request, "surveys/questionnaire_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_SURVEYS)
def questionnaire_edit(request, pk: int):
    questionnaire = get_for_org(request, Questionnaire, pk=pk)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_questionnaire(
                actor=request.user,
                questionnaire=questionnaire,
                data=form.settings_data(),
                services=form.cleaned_data["services"],
                request=request,
            )
        except services.SurveyRefused as error:
            form.add_error("is_anonymous", str(error))
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("surveys:questionnaire_edit", pk=questionnaire.pk)
    if request.method == "POST":
        questionnaire.refresh_from_db()
    version = questionnaire.current_version()
    return TemplateResponse(
        request,
        "surveys/questionnaire_edit.html",
        {
            "questionnaire": questionnaire,
            "form": form,
            "version": version,
            "questions": _questions(version),
            "question_form": QuestionForm(prefix="new"),
            "versions": questionnaire.versions.annotate(
                response_count=Count("responses")
            ).order_by("-number"),
        },
    )


def _question_form_view(request, questionnaire, question=None):
    form = QuestionForm(
        request.POST or None,
        instance=question,
        prefix=None if question else "new",
    )
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data.get(key) for key in form.Meta.fields}
        try:
            services.save_question(
                actor=request.user,
                questionnaire=questionnaire,
                data=data,
                choices=form.cleaned_data["choice_list"],
                question=question,
                request=request,
            )
        except services.SurveyRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question was saved."))
            return redirect("surveys:questionnaire_edit", pk=questionnaire.pk)
    if question is not None:
        # The bound form changed the instance; show the stored question.
        question.refresh_from_db()
    return TemplateResponse(
        request,
        "surveys/question_form.html",
        {"questionnaire": questionnaire, "question": question, "form": form},
        status=200,
    )


@require_POST
@staff_view(Perm.MANAGE_SURVEYS)
def question_add(request, pk: int):
    questionnaire = get_for_org(request, Questionnaire, pk=pk)
    return _question_form_view(request, questionnaire)


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_SURVEYS)
def question_edit(request, pk: int, question_pk: int):
    questionnaire = get_for_org(request, Questionnaire, pk=pk)
    question = get_for_org(
        request, Question, pk=question_pk, version=questionnaire.current_version()
    )
    return _question_form_view(request, questionnaire, question)


@require_POST
@staff_view(Perm.MANAGE_SURVEYS)
def question_delete(request, pk: int, question_pk: int):
    questionnaire = get_for_org(request, Questionnaire, pk=pk)
    question = get_for_org(
        request, Question, pk=question_pk, version=questionnaire.current_version()
    )
    services.remove_question(
        actor=request.user,
        questionnaire=questionnaire,
        question=question,
        request=request,
    )
    messages.success(request, _("The question was removed."))
    return redirect("surveys:questionnaire_edit", pk=questionnaire.pk)


def _version(request, questionnaire) -> QuestionnaireVersion:
    wanted = request.GET.get("version") or request.POST.get("version")
    if wanted:
        return get_for_org(
            request, QuestionnaireVersion, questionnaire=questionnaire, number=wanted
        )
    return questionnaire.current_version()


@require_GET
@staff_view(Perm.ENTER_PAPER_SURVEYS)
def questionnaire_print(request, pk: int):
    """The paper questionnaire (P-TOOLS): one page per version, to print."""
    questionnaire = get_for_org(request, Questionnaire, pk=pk)
    version = _version(request, questionnaire)
    return TemplateResponse(
        request,
        "surveys/questionnaire_print.html",
        {
            "questionnaire": questionnaire,
            "version": version,
            "questions": _questions(version),
            "organization": request.organization,
            "scale": range(1, 6),
            "nps_scale": range(11),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.ENTER_PAPER_SURVEYS)
def paper_entry(request, pk: int):
    """Type in the answers of a paper questionnaire (source: paper)."""
    questionnaire = get_for_org(request, Questionnaire, pk=pk)
    version = _version(request, questionnaire)
    questions = list(_questions(version))
    wanted = request.GET.get("beneficiary") or request.POST.get("beneficiary")
    beneficiary = None
    if wanted and not questionnaire.is_anonymous:
        beneficiary = get_for_org(request, Beneficiary, pk=wanted)
    data = request.POST or None
    meta = PaperForm(data)
    answers = AnswerForm(data, questions=questions)
    status = 200
    if request.method == "POST":
        if meta.is_valid() and answers.is_valid():
            try:
                services.enter_paper_response(
                    actor=request.user,
                    questionnaire=questionnaire,
                    version=version,
                    values=answers.values(),
                    answered_on=meta.cleaned_data["answered_on"],
                    beneficiary=beneficiary,
                    service=meta.cleaned_data["service"],
                    staff=meta.cleaned_data["staff"],
                    request=request,
                )
            except services.SurveyRefused as error:
                meta.add_error(None, str(error))
            else:
                messages.success(request, _("The paper answers were saved."))
                return redirect("surveys:paper_entry", pk=questionnaire.pk)
        status = 400
    return TemplateResponse(
        request,
        "surveys/paper_entry.html",
        {
            "questionnaire": questionnaire,
            "version": version,
            "meta": meta,
            "form": answers,
            "beneficiary": beneficiary,
        },
        status=status,
    )
