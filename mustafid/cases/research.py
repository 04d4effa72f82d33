"""Social research (P-REFER-RESEARCH): assigning researchers, writing their
reports and answering the questions reception refers to them.

Reads used by the forms and pages (`researchers_with_workload`, `current_researcher`,
`may_write_research`) sit beside the writes they guard.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases.models import (
    UNDECIDED,
    Case,
    CaseStatus,
    QuestionStatus,
    ReportStatus,
    ResearchAssignment,
    ResearchAttachment,
    ResearchQuestion,
    ResearchReport,
)
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership, Organization
from mustafid.core.roles import Perm, Role
from mustafid.registry.models import Beneficiary

# A researcher can be given a request until the committee has it.
ASSIGNABLE = UNDECIDED - {CaseStatus.IN_COMMITTEE}
REPORT_FIELDS = [
    "researched_on",
    "visit_type",
    "findings",
    "household_situation",
    "recommendation",
    "recommendation_text",
]
# What a completed report must say (the database checks it too).
REQUIRED_TO_COMPLETE = REPORT_FIELDS[2:]


class ResearchRefused(Exception):
    """A refused research step; `str(error)` is the message to show."""


def _researchers(organization: Organization):
    return get_user_model().objects.filter(
        is_active=True,
        memberships__organization=organization,
        memberships__role=Role.RESEARCHER,
        memberships__is_active=True,
    )


def researchers_with_workload(organization: Organization):
    """The association's active researchers, each with `workload`: the undecided
    requests currently assigned to them."""
    open_work = (
        ResearchAssignment.objects.current()
        .filter(
            organization=organization,
            researcher=OuterRef("pk"),
            case__status__in=UNDECIDED,
        )
        .values("researcher")
        .annotate(total=Count("id"))
        .values("total")
    )
    return (
        _researchers(organization)
        .annotate(
            workload=Coalesce(
                Subquery(open_work, output_field=IntegerField()), Value(0)
            )
        )
        .order_by("workload", "first_name", "last_name", "username")
    )


def _is_researcher(organization: Organization, user) -> bool:
    return _researchers(organization).filter(pk=user.pk).exists()


def current_researcher(case: Case):
    """The researcher studying the request now, or None."""
    assignment = (
        case.research_assignments.current().select_related("researcher").first()
    )
    return assignment.researcher if assignment else None


def may_write_research(membership: Membership, user, researcher) -> bool:
    """Only the researcher given the work, or a manager, writes it."""
    if not membership.has_perm(Perm.RESEARCH_CASES):
        return False
    return membership.has_perm(Perm.OVERSEE_CASES) or (
        researcher is not None and researcher.pk == user.pk
    )


@transaction.atomic
def assign_researcher(
    *, actor, case: Case, researcher, note: str = "", request=None
) -> ResearchAssignment:
    """Give the request to a researcher of the association; the previous one ends."""
    case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    if not case.service.needs_research:
        raise ResearchRefused(_("This service does not need social research."))
    if case.status not in ASSIGNABLE:
        raise ResearchRefused(
            _("A researcher can no longer be assigned to a request that is “%(s)s”.")
            % {"s": case.get_status_display()}
        )
    if not _is_researcher(case.organization, researcher):
        raise ResearchRefused(_("Choose a social researcher of the association."))
    current = case.research_assignments.current().first()
    if current and current.researcher_id == researcher.pk:
        raise ResearchRefused(_("This researcher is already studying the request."))
    if current:
        current.ended_at = timezone.now()
        current.save(update_fields=["ended_at", "updated_at"])
    assignment = ResearchAssignment.objects.create(
        organization=case.organization,
        case=case,
        researcher=researcher,
        assigned_by=actor,
        note=note,
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=case.organization,
        obj=assignment,
        changes={
            "case": case.number,
            "researcher": [
                current.researcher.get_username() if current else None,
                researcher.get_username(),
            ],
        },
        request=request,
    )
    return assignment


@transaction.atomic
def save_research_report(
    *,
    actor,
    membership: Membership,
    case: Case,
    data: dict,
    complete: bool,
    attachment=None,
    attachment_content_type: str = "",
    request=None,
) -> ResearchReport:
    """Save the request's draft report, or complete it (then it is frozen)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.RESEARCHING:
        raise ResearchRefused(
            _("A research report is written while the request is in social research.")
        )
    if not may_write_research(membership, actor, current_researcher(case)):
        raise ResearchRefused(
            _("Only the researcher assigned to the request, or a manager, writes it.")
        )
    report = case.research_reports.filter(status=ReportStatus.DRAFT).first()
    created = report is None
    before = {} if created else audit.snapshot(report, REPORT_FIELDS)
    if created:
        report = ResearchReport(organization=case.organization, case=case)
    for field in REPORT_FIELDS:
        setattr(report, field, data.get(field) or "")
    report.researcher = actor
    if complete:
        if any(not str(getattr(report, f)).strip() for f in REQUIRED_TO_COMPLETE):
            raise ResearchRefused(
                _(
                    "A completed report needs the findings, the household situation "
                    "and the recommendation with its grounds."
                )
            )
        report.status = ReportStatus.COMPLETED
        report.completed_at = timezone.now()
    report.save()
    changes = audit.changed_fields(before, audit.snapshot(report, REPORT_FIELDS))
    if complete:
        changes["status"] = [ReportStatus.DRAFT, ReportStatus.COMPLETED]
    audit.record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        organization=case.organization,
        obj=report,
        changes=changes | {"case": case.number},
        request=request,
    )
    if attachment is not None:
        _attach(actor, report, attachment, attachment_content_type, request)
    return report


def _attach(actor, report, upload, content_type, request) -> ResearchAttachment:
    attachment = ResearchAttachment(
        organization=report.organization,
        report=report,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    # The file is stored first; if the row fails, do not leave it behind.
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=report.organization,
        obj=attachment,
        changes={"report": report.pk, "content_type": content_type},
        request=request,
    )
    return attachment


@transaction.atomic
def refer_question(
    *,
    actor,
    beneficiary: Beneficiary,
    researcher,
    question: str,
    case: Case | None = None,
    request=None,
) -> ResearchQuestion:
    """Refer a beneficiary whose questions reception cannot settle to a researcher."""
    if not question.strip():
        raise ResearchRefused(_("Write the beneficiary's question."))
    if not _is_researcher(beneficiary.organization, researcher):
        raise ResearchRefused(_("Choose a social researcher of the association."))
    if case is not None and case.beneficiary_id != beneficiary.pk:
        raise ResearchRefused(_("The request is not this beneficiary's."))
    referred = ResearchQuestion.objects.create(
        organization=beneficiary.organization,
        beneficiary=beneficiary,
        case=case,
        question=question.strip(),
        referred_by=actor,
        researcher=researcher,
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=beneficiary.organization,
        obj=referred,
        changes={
            "beneficiary": beneficiary.pk,
            "researcher": researcher.get_username(),
            "case": case.number if case else None,
        },
        request=request,
    )
    return referred


@transaction.atomic
def answer_question(
    *,
    actor,
    membership: Membership,
    question: ResearchQuestion,
    answer: str,
    request=None,
) -> ResearchQuestion:
    """The researcher's answer to a referred question; answered once."""
    question = ResearchQuestion.objects.select_for_update().get(pk=question.pk)
    if question.status != QuestionStatus.OPEN:
        raise ResearchRefused(_("This question was already answered."))
    if not may_write_research(membership, actor, question.researcher):
        raise ResearchRefused(
            _("Only the researcher it was referred to, or a manager, answers it.")
        )
    if not answer.strip():
        raise ResearchRefused(_("Write the answer."))
    question.status = QuestionStatus.ANSWERED
    question.answer = answer.strip()
    question.answered_at = timezone.now()
    question.answered_by = actor
    question.save(
        update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"]
    )
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=question.organization,
        obj=question,
        changes={"status": [QuestionStatus.OPEN, QuestionStatus.ANSWERED]},
        request=request,
    )
    return question
