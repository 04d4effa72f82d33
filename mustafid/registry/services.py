"""Writes to the registry: each one function, audited in its own transaction."""

from django.db import transaction
from django.utils import timezone

from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization
from mustafid.registry.models import (
    Beneficiary,
    Document,
    DocumentType,
    HouseholdMember,
    ReachRecord,
    VerificationStatus,
)
from mustafid.registry.name_keys import refresh_name_keys

# Encrypted at rest: their values stay out of the audit trail.
SENSITIVE = frozenset({"identity_number", "mobile"})


@transaction.atomic
def register_beneficiary(
    *, actor, organization: Organization, data: dict, request=None
) -> Beneficiary:
    """Add a direct beneficiary to the association's registry (P-REGISTER)."""
    categories = data.pop("categories", [])
    beneficiary = Beneficiary(organization=organization, **data)
    beneficiary.save()
    beneficiary.categories.set(categories)
    refresh_name_keys(beneficiary)
    after = audit.snapshot(beneficiary)
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=beneficiary,
        changes=audit.changed_fields({}, after, hidden=SENSITIVE),
        request=request,
    )
    return beneficiary


@transaction.atomic
def update_beneficiary(
    *,
    actor,
    beneficiary: Beneficiary,
    data: dict,
    request=None,
    actor_label: str = "",
) -> Beneficiary:
    """Change a beneficiary's record; each changed field is audited."""
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    before = audit.snapshot(beneficiary)
    categories = data.pop("categories", None)
    for field, value in data.items():
        setattr(beneficiary, field, value)
    beneficiary.save()
    if categories is not None:
        beneficiary.categories.set(categories)
    refresh_name_keys(beneficiary)
    changes = audit.changed_fields(
        before, audit.snapshot(beneficiary), hidden=SENSITIVE
    )
    if changes:
        audit.record(
            AuditAction.UPDATE,
            actor=actor,
            organization=beneficiary.organization,
            obj=beneficiary,
            changes=changes,
            request=request,
            actor_label=actor_label,
        )
    return beneficiary


@transaction.atomic
def save_household_member(
    *,
    actor,
    beneficiary: Beneficiary,
    data: dict,
    member: HouseholdMember | None = None,
    request=None,
) -> HouseholdMember:
    """Add a household member, or change one (P-NEEDS)."""
    before = audit.snapshot(member) if member else {}
    member = member or HouseholdMember(
        organization=beneficiary.organization, beneficiary=beneficiary
    )
    for field, value in data.items():
        setattr(member, field, value)
    member.save()
    audit.record(
        AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        organization=beneficiary.organization,
        obj=member,
        changes=audit.changed_fields(before, audit.snapshot(member), hidden=SENSITIVE),
        request=request,
    )
    return member


@transaction.atomic
def remove_household_member(*, actor, member: HouseholdMember, request=None) -> None:
    audit.record(
        AuditAction.DELETE,
        actor=actor,
        organization=member.organization,
        obj=member,
        changes={"beneficiary": member.beneficiary_id},
        request=request,
    )
    member.delete()


@transaction.atomic
def add_document(
    *,
    actor,
    beneficiary: Beneficiary,
    document_type: DocumentType,
    upload,
    content_type: str,
    expires_on=None,
    request=None,
    actor_label: str = "",
) -> Document:
    """Keep a supporting document in private storage, pending verification."""
    document = Document(
        organization=beneficiary.organization,
        beneficiary=beneficiary,
        document_type=document_type,
        content_type=content_type,
        size=upload.size,
        expires_on=expires_on,
        uploaded_by=actor,
    )
    document.file.save(upload.name, upload, save=False)
    # The file is stored first; if the row fails, do not leave it behind.
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=beneficiary.organization,
        obj=document,
        changes={"document_type": document_type.code, "beneficiary": beneficiary.pk},
        request=request,
        actor_label=actor_label,
    )
    return document


@transaction.atomic
def verify_document(
    *, actor, document: Document, verified: bool, reason: str = "", request=None
) -> Document:
    """Mark a document verified, or rejected with the reason (P-COMPLETE)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = audit.snapshot(document, ["status", "rejection_reason"])
    if not verified and not reason.strip():
        raise ValueError("A rejected document needs a reason.")
    document.status = (
        VerificationStatus.VERIFIED if verified else VerificationStatus.REJECTED
    )
    document.rejection_reason = "" if verified else reason.strip()
    document.verified_by = actor
    document.verified_at = timezone.now()
    document.save(
        update_fields=[
            "status",
            "rejection_reason",
            "verified_by",
            "verified_at",
            "updated_at",
        ]
    )
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=document.organization,
        obj=document,
        changes=audit.changed_fields(
            before, audit.snapshot(document, ["status", "rejection_reason"])
        ),
        request=request,
    )
    return document


@transaction.atomic
def record_reach(
    *, actor, organization: Organization, data: dict, request=None
) -> ReachRecord:
    """Count indirect beneficiaries reached by a publication (P-TYPES)."""
    record = ReachRecord.objects.create(
        organization=organization, recorded_by=actor, **data
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=record,
        changes=audit.changed_fields({}, audit.snapshot(record)),
        request=request,
    )
    return record
