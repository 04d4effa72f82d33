"""Writes to cases besides status changes (those are in transitions.py)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases import transitions
from mustafid.cases.models import (
    Attestation,
    AttestationMethod,
    AttestationText,
    Case,
    CaseCounter,
    CaseEvent,
    CaseStatus,
    Delivery,
)
from mustafid.catalog.models import Service
from mustafid.contact.models import Channel
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership, Organization
from mustafid.core.numbering import take_number
from mustafid.eligibility import review_outcomes
from mustafid.registry.models import Beneficiary

# P-ATTEST, as the policies word it; version 1 until the association words its own.
DEFAULT_ATTESTATION_AR = (
    "أقر أنا مقدم الطلب بأن جميع البيانات والمستندات المقدمة صحيحة وكاملة، "
    "وأتحمل المسؤولية المباشرة عن صحتها."
)
DEFAULT_ATTESTATION_EN = (
    "I, the applicant, attest that all the data and documents provided are true "
    "and complete, and I am directly responsible for their correctness."
)


def current_attestation_text(organization: Organization) -> AttestationText:
    """The wording in force; the policies' sentence becomes version 1 if none."""
    text = AttestationText.objects.filter(
        organization=organization, is_current=True
    ).first()
    if text is None:
        text, _created = AttestationText.objects.get_or_create(
            organization=organization,
            version=1,
            defaults={
                "text_ar": DEFAULT_ATTESTATION_AR,
                "text_en": DEFAULT_ATTESTATION_EN,
                "is_current": True,
            },
        )
    return text


def next_case_number(organization: Organization, day: datetime.date) -> str:
    """The next number of the association in the Hijri year of `day`: 1448-000123.

    Call inside a transaction: the counter row stays locked until it commits.
    """
    year, number = take_number(CaseCounter, organization, day, "hijri_year")
    return f"{year}-{number:06d}"


@transaction.atomic
def open_case(
    *,
    actor,
    membership: Membership,
    beneficiary: Beneficiary,
    service: Service,
    channel: Channel,
    attestation_method: str,
    attested_by_name: str,
    scan=None,
    scan_content_type: str = "",
    notes: str = "",
    request=None,
    details: dict | None = None,
) -> Case:
    """Open a request at intake and submit it with the applicant's attestation.

    `membership` is a staff Membership, or the portal's applicant (P-EONLINE:
    `actor` is then None, `details` name the beneficiary on the timeline and
    the membership's `actor_label` names them in the audit trail).
    """
    organization = beneficiary.organization
    details = details or {}
    actor_label = getattr(membership, "actor_label", "")
    case = Case.objects.create(
        organization=organization,
        number=next_case_number(organization, timezone.localdate()),
        beneficiary=beneficiary,
        service=service,
        channel=channel,
        notes=notes,
        created_by=actor,
    )
    CaseEvent.objects.create(
        organization=organization,
        case=case,
        to_status=CaseStatus.DRAFT,
        actor=actor,
        details={"channel": channel.name_ar, **details},
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=case,
        changes={
            "beneficiary": beneficiary.pk,
            "service": service.pk,
            "channel": channel.pk,
        },
        request=request,
        actor_label=actor_label,
    )
    record_attestation(
        actor=actor,
        case=case,
        method=attestation_method,
        attested_by_name=attested_by_name,
        scan=scan,
        scan_content_type=scan_content_type,
        request=request,
        actor_label=actor_label,
    )
    return transitions.transition(
        actor=actor,
        membership=membership,
        case=case,
        to=CaseStatus.SUBMITTED,
        expected_version=case.version,
        request=request,
        **details,
    )


def record_attestation(
    *,
    actor,
    case: Case,
    method: str,
    attested_by_name: str,
    scan=None,
    scan_content_type: str = "",
    request=None,
    actor_label: str = "",
) -> Attestation:
    """The applicant's attestation of the data, against the wording in force."""
    attestation = Attestation(
        organization=case.organization,
        case=case,
        text=current_attestation_text(case.organization),
        method=method,
        attested_by_name=attested_by_name,
        attested_at=timezone.now(),
        recorded_by=actor,
        scan_content_type=scan_content_type if scan else "",
    )
    if method == AttestationMethod.PAPER_SCAN and scan is not None:
        attestation.scan.save(scan.name, scan, save=False)
    # The file is stored first; if the row fails, do not leave it behind.
    try:
        attestation.save()
    except Exception:
        if attestation.scan:
            attestation.scan.delete(save=False)
        raise
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=case.organization,
        obj=attestation,
        changes={"method": method, "text_version": attestation.text.version},
        request=request,
        actor_label=actor_label,
    )
    return attestation


class DeliveryRefused(Exception):
    pass


@transaction.atomic
def record_delivery(
    *,
    actor,
    case: Case,
    kind: str,
    delivered_on: datetime.date,
    amount: Decimal | None = None,
    quantity: int | None = None,
    note: str = "",
    proof=None,
    proof_content_type: str = "",
    request=None,
) -> Delivery:
    """Record what the beneficiary received (P-DELIVER); several per request."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.DELIVERING:
        raise DeliveryRefused(
            _("Deliveries are recorded while the request is being delivered.")
        )
    review = review_outcomes.stopping_review(case)
    if review is not None:
        raise DeliveryRefused(review_outcomes.stop_message(review))
    delivery = Delivery(
        organization=case.organization,
        case=case,
        kind=kind,
        amount=amount,
        quantity=quantity,
        delivered_on=delivered_on,
        delivered_by=actor,
        note=note,
        proof_content_type=proof_content_type if proof else "",
    )
    if proof is not None:
        delivery.proof.save(proof.name, proof, save=False)
    # The file is stored first; if the row fails, do not leave it behind.
    try:
        delivery.save()
    except Exception:
        if delivery.proof:
            delivery.proof.delete(save=False)
        raise
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=case.organization,
        obj=delivery,
        changes=audit.changed_fields({}, audit.snapshot(delivery)),
        request=request,
    )
    return delivery
