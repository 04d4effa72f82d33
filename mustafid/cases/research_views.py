"""Pages of social research (P-REFER-RESEARCH)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mustafid.cases import research
from mustafid.cases.models import (
    Case,
    CaseStatus,
    ReportStatus,
    ResearchAttachment,
    ResearchQuestion,
)
from mustafid.cases.research_forms import (
    AnswerQuestionForm,
    AssignResearcherForm,
    ReferQuestionForm,
    ResearchReportForm,
)
from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.core.uploads import serve_private
from mustafid.registry.models import Beneficiary


def _case_for(request, pk):
    return get_for_org(
        request, Case.objects.select_related("beneficiary", "service"), pk=pk
    )


def _refused(request, message: str):
    # Like staff_view's refusals: the role may, but not for this request.
    record_for_request(
        request, AuditAction.PERMISSION_DENIED, changes={"path": request.path}
    )
    messages.error(request, message)
    return TemplateResponse(request, "403.html", status=403)


@require_http_methods(["GET", "POST"])
@staff_view(Perm.ASSIGN_RESEARCHERS)
def research_assign(request, pk: int):
    case = _case_for(request, pk)
    form = AssignResearcherForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            research.assign_researcher(
                actor=request.user,
                case=case,
                researcher=form.cleaned_data["researcher"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except research.ResearchRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The researcher was assigned."))
            return redirect("cases:case_detail", pk=case.pk)
    return TemplateResponse(
        request,
        "cases/research_assign.html",
        {
            "case": case,
            "form": form,
            "current": research.current_researcher(case),
            "assignable": case.status in research.ASSIGNABLE
            and case.service.needs_research,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.RESEARCH_CASES)
def research_report(request, pk: int):
    case = _case_for(request, pk)
    researcher = research.current_researcher(case)
    if not research.may_write_research(request.membership, request.user, researcher):
        return _refused(
            request,
            _("Only the researcher assigned to the request, or a manager, writes it."),
        )
    draft = case.research_reports.filter(status=ReportStatus.DRAFT).first()
    complete = "complete" in request.POST
    form = ResearchReportForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial(draft),
        complete=complete,
    )
    writable = case.status == CaseStatus.RESEARCHING
    if request.method == "GET":
        record_for_request(request, AuditAction.VIEW, obj=case)
    elif not writable:
        messages.error(
            request,
            _("A research report is written while the request is in social research."),
        )
    elif form.is_valid():
        upload = form.cleaned_data.pop("attachment")
        try:
            research.save_research_report(
                actor=request.user,
                membership=request.membership,
                case=case,
                data=form.cleaned_data,
                complete=complete,
                attachment=upload,
                attachment_content_type=upload.checked_kind.mime if upload else "",
                request=request,
            )
        except research.ResearchRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The research report was completed.")
                if complete
                else _("The draft was saved."),
            )
            if complete:
                return redirect("cases:case_detail", pk=case.pk)
            return redirect("cases:research_report", pk=case.pk)
    return TemplateResponse(
        request,
        "cases/research_report.html",
        {
            "case": case,
            "form": form,
            "draft": draft,
            "writable": writable,
            "attachments": draft.attachments.all() if draft else [],
        },
    )


def _initial(draft) -> dict:
    if draft is None:
        return {}
    return {field: getattr(draft, field) for field in research.REPORT_FIELDS}


@require_GET
@staff_view(Perm.VIEW_CASES)
def research_attachment(request, pk: int):
    """A research attachment, only after the permission check and audited."""
    attachment = get_for_org(request, ResearchAttachment, pk=pk)
    record_for_request(request, AuditAction.VIEW, obj=attachment)
    return serve_private(attachment.file, content_type=attachment.content_type)


@require_http_methods(["GET", "POST"])
@staff_view(Perm.REFER_QUESTIONS)
def question_refer(request, beneficiary_pk: int):
    beneficiary = get_for_org(request, Beneficiary, pk=beneficiary_pk)
    form = ReferQuestionForm(request.POST or None, beneficiary=beneficiary)
    if request.method == "POST" and form.is_valid():
        try:
            research.refer_question(
                actor=request.user,
                beneficiary=beneficiary,
                request=request,
                **form.cleaned_data,
            )
        except research.ResearchRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question was referred to the researcher."))
            return redirect(
                reverse("registry:beneficiary_detail", args=[beneficiary.pk])
                + "?tab=questions"
            )
    return TemplateResponse(
        request,
        "cases/research_question_refer.html",
        {"beneficiary": beneficiary, "form": form},
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.RESEARCH_CASES)
def question_answer(request, pk: int):
    question = get_for_org(
        request,
        ResearchQuestion.objects.for_queue().select_related("answered_by"),
        pk=pk,
    )
    if not research.may_write_research(
        request.membership, request.user, question.researcher
    ):
        return _refused(
            request,
            _("Only the researcher it was referred to, or a manager, answers it."),
        )
    form = AnswerQuestionForm(request.POST or None)
    if request.method == "GET":
        # P-PRIVACY: the page shows a beneficiary's question.
        record_for_request(request, AuditAction.VIEW, obj=question)
    elif form.is_valid():
        try:
            research.answer_question(
                actor=request.user,
                membership=request.membership,
                question=question,
                answer=form.cleaned_data["answer"],
                request=request,
            )
        except research.ResearchRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect("cases:work_queue", name="research")
    return TemplateResponse(
        request,
        "cases/research_question_answer.html",
        {"question": question, "form": form},
    )


def research_context(request, case) -> dict:
    """What the request's page shows of its research (cases/research_section.html)."""
    assignments = list(
        case.research_assignments.select_related("researcher", "assigned_by")
    )
    current = next((a.researcher for a in assignments if a.ended_at is None), None)
    membership = request.membership
    return {
        "research_assignments": assignments,
        "research_current": current,
        "research_reports": case.research_reports.select_related(
            "researcher"
        ).prefetch_related("attachments"),
        "can_assign_researcher": membership.has_perm(Perm.ASSIGN_RESEARCHERS)
        and case.service.needs_research
        and case.status in research.ASSIGNABLE,
        "can_write_research": case.status == CaseStatus.RESEARCHING
        and research.may_write_research(membership, request.user, current),
    }
