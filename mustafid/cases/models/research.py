"""Social research (P-REFER-RESEARCH): who studies a request, what they found,
and the beneficiaries' questions referred to a researcher."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mustafid.core.tenancy import TenantModel, tenant_manager


class ResearchAssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class ResearchAssignment(TenantModel):
    """A researcher given a request to study; ended, not deleted, on reassignment."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="research_assignments"
    )
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("researcher"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager(ResearchAssignmentQuerySet)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("research assignment")
        verbose_name_plural = _("research assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="one_current_researcher_per_case",
            )
        ]
        indexes = [models.Index(fields=["researcher", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.researcher_id}"


class VisitType(models.TextChoices):
    FIELD = "field", _("Field visit")
    PHONE = "phone", _("Phone call")
    OFFICE = "office", _("Interview at the office")


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REFER = "refer", _("Refer to another association")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", pgettext_lazy("research report", "Completed")


class ResearchReportQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(status=ReportStatus.COMPLETED)


class ResearchReport(TenantModel):
    """The researcher's study of a request; frozen once completed."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="research_reports"
    )
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("researcher"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
    )
    researched_on = models.DateField(_("date of the research"))
    visit_type = models.CharField(
        _("how the research was done"), max_length=10, choices=VisitType.choices
    )
    findings = models.TextField(_("findings"), blank=True)
    household_situation = models.TextField(_("household situation"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    recommendation_text = models.TextField(
        _("grounds of the recommendation"), blank=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = tenant_manager(ResearchReportQuerySet)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
        constraints = [
            # One draft at a time: the researcher keeps editing the same one.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="draft"),
                name="one_draft_research_report_per_case",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(completed_at__isnull=False)
                    & ~Q(findings="")
                    & ~Q(household_situation="")
                    & ~Q(recommendation="")
                    & ~Q(recommendation_text="")
                ),
                name="completed_research_report_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_visit_type_display()} {self.researched_on}"

    @property
    def is_completed(self) -> bool:
        return self.status == ReportStatus.COMPLETED


def research_attachment_path(attachment: "ResearchAttachment", filename: str) -> str:
    # The file name is already random (core.uploads.safe_name).
    return f"research/{attachment.organization_id}/{filename}"


class ResearchAttachment(TenantModel):
    """A photo or paper from the research, in private storage (P-PRIVACY)."""

    report = models.ForeignKey(
        ResearchReport, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(
        _("file"), upload_to=research_attachment_path, max_length=200
    )
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["report", "created_at", "id"]
        verbose_name = _("research attachment")
        verbose_name_plural = _("research attachments")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.file.name}"


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class ResearchQuestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=QuestionStatus.OPEN)

    def for_queue(self):
        return self.select_related("beneficiary", "case", "referred_by", "researcher")


class ResearchQuestion(TenantModel):
    """A beneficiary whose questions reception could not settle, referred to a
    researcher (P-REFER-RESEARCH), with or without a request."""

    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.CASCADE,
        related_name="research_questions",
        verbose_name=_("beneficiary"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_questions",
        verbose_name=_("request"),
    )
    question = models.TextField(_("question"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("researcher"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.OPEN,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = tenant_manager(ResearchQuestionQuerySet)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question referred to a researcher")
        verbose_name_plural = _("questions referred to researchers")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open")
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="answered_question_has_answer",
            )
        ]
        indexes = [models.Index(fields=["researcher", "status"])]

    def __str__(self) -> str:
        return f"{self.beneficiary_id}: {self.question[:50]}"
