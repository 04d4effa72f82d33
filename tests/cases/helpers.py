"""Building cases in any status for tests (shared with the permission matrix)."""

import itertools

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from mustafid.cases.models import (
    Attestation,
    AttestationMethod,
    Case,
    Delivery,
    ExternalPermit,
    ResearchReport,
)
from mustafid.cases.services import current_attestation_text, next_case_number
from mustafid.catalog.models import Service
from mustafid.contact.models import Channel
from tests.factories import TINY_PNG, BeneficiaryFactory, UserFactory

_n = itertools.count(1)


def make_channel(org, **fields) -> Channel:
    with scope(organization=org):
        return Channel.objects.get_or_create(
            organization=org,
            name_ar=fields.pop("name_ar", "مقابلة شخصية"),
            defaults={"kind": "interview", **fields},
        )[0]


def make_service(org, **fields) -> Service:
    defaults = {
        "name_ar": f"خدمة {next(_n)}",
        "kind": "financial_aid",
        "needs_research": True,
        "needs_committee": True,
    }
    with scope(organization=org):
        return Service.objects.create(organization=org, **(defaults | fields))


def make_case(
    org,
    status: str = "submitted",
    *,
    service=None,
    beneficiary=None,
    attested: bool = True,
    scan: bool = False,
    **fields,
) -> Case:
    """A case put straight into `status`, as if the lifecycle had led there."""
    with scope(organization=org), transaction.atomic():
        user = UserFactory()
        case = Case.objects.create(
            organization=org,
            number=next_case_number(org, timezone.localdate()),
            beneficiary=beneficiary or BeneficiaryFactory(organization=org),
            service=service or make_service(org),
            channel=make_channel(org),
            status=status,
            created_by=user,
            decision_reasons="سبب" if status in ("approved", "rejected") else "",
            **fields,
        )
        if attested:
            attestation = Attestation(
                organization=org,
                case=case,
                text=current_attestation_text(org),
                method=AttestationMethod.PAPER_SCAN
                if scan
                else AttestationMethod.PORTAL_OTP,
                attested_by_name=case.beneficiary.full_name,
                attested_at=timezone.now(),
                recorded_by=user,
            )
            if scan:
                attestation.scan.save("form.png", ContentFile(TINY_PNG), save=False)
                attestation.scan_content_type = "image/png"
            attestation.save()
    return case


def add_delivery(case) -> Delivery:
    with scope(organization=case.organization):
        return Delivery.objects.create(
            organization=case.organization,
            case=case,
            kind="cash",
            amount=500,
            delivered_on=timezone.localdate(),
            delivered_by=case.created_by,
        )


def add_permit(case, outcome: str = "pending") -> ExternalPermit:
    """The permit of a wait (P-PERMITS): pending to enter it, answered to leave."""
    today = timezone.localdate()
    with scope(organization=case.organization):
        return ExternalPermit.objects.create(
            organization=case.organization,
            case=case,
            authority="الدفاع المدني",
            sent_on=today,
            outcome=outcome,
            outcome_on=None if outcome == "pending" else today,
            raised_by=case.created_by,
        )


def add_research_report(case, *, completed: bool = True):
    """The researcher's report (P-REFER-RESEARCH); completed, it lets research end."""
    with scope(organization=case.organization):
        return ResearchReport.objects.create(
            organization=case.organization,
            case=case,
            researcher=case.created_by,
            status="completed" if completed else "draft",
            researched_on=timezone.localdate(),
            visit_type="field",
            findings="الأسرة تسكن في شقة مستأجرة",
            household_situation="خمسة أفراد، دخل شهري ٣٠٠٠ ريال",
            recommendation="approve",
            recommendation_text="مستحق للمساعدة",
            completed_at=timezone.now() if completed else None,
        )
