"""Building research data for tests (shared with the permission matrix)."""

from django.core.files.base import ContentFile
from django_scopes import scope, scopes_disabled

from mustafid.cases.models import (
    ResearchAssignment,
    ResearchAttachment,
    ResearchQuestion,
)
from mustafid.core.models import Membership
from mustafid.core.roles import Role
from tests.cases.helpers import add_research_report, make_case
from tests.conftest import make_member
from tests.factories import TINY_PNG, BeneficiaryFactory


def latest_researcher(org):
    """The researcher who joined the association last (made if there is none)."""
    with scopes_disabled():
        membership = (
            Membership.objects.filter(organization=org, role=Role.RESEARCHER)
            .order_by("-id")
            .first()
        )
    return membership.user if membership else make_member(org, Role.RESEARCHER)


def assign(case, researcher) -> ResearchAssignment:
    with scope(organization=case.organization):
        return ResearchAssignment.objects.create(
            organization=case.organization,
            case=case,
            researcher=researcher,
            assigned_by=case.created_by,
        )


def make_researching_case(org, researcher=None, **fields):
    case = make_case(org, "researching", **fields)
    assign(case, researcher or latest_researcher(org))
    return case


def add_attachment(report) -> ResearchAttachment:
    with scope(organization=report.organization):
        attachment = ResearchAttachment(
            organization=report.organization,
            report=report,
            content_type="image/png",
            size=len(TINY_PNG),
            uploaded_by=report.researcher,
        )
        attachment.file.save("visit.png", ContentFile(TINY_PNG), save=False)
        attachment.save()
    return attachment


def make_question(org, researcher=None, **fields) -> ResearchQuestion:
    with scope(organization=org):
        beneficiary = fields.pop("beneficiary", None) or BeneficiaryFactory(
            organization=org
        )
        researcher = researcher or latest_researcher(org)
        return ResearchQuestion.objects.create(
            organization=org,
            beneficiary=beneficiary,
            question=fields.pop("question", "متى يصرف الدعم؟"),
            referred_by=researcher,
            researcher=researcher,
            **fields,
        )


# The permission matrix's URL kwargs.


def researching_case_kwargs(org):
    return {"pk": make_researching_case(org).pk}


def attachment_kwargs(org):
    report = add_research_report(make_case(org, "in_committee"))
    return {"pk": add_attachment(report).pk}


def question_kwargs(org):
    return {"pk": make_question(org).pk}
