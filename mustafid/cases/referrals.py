"""Referrals out (P-OUTOFSCOPE): writes on both sides of a referral.

A referral to an association on the platform writes into two tenants in one
transaction: the receiver's `IncomingReferral` inside the receiver's scope,
holding only what the beneficiary agreed to share, and the sender's `Referral`
inside the sender's. The case moves to "referred out" through
`transitions.transition`, which tells the beneficiary where they were sent;
each later outcome is told to them too.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from mustafid.cases import transitions
from mustafid.cases.models import (
    Case,
    CaseStatus,
    ExternalAssociation,
    IncomingReferral,
    Referral,
    ReferralStatus,
    SharedField,
)
from mustafid.cases.models.referral import ConsentMethod, ReferralProgress
from mustafid.contact.outbox import OutboxMessage
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership, Organization
from mustafid.core.roles import Perm

# The receiver can only take a referral up if it can reach the beneficiary.
REACH_FIELDS = (SharedField.IDENTITY, SharedField.MOBILE)
PROGRESS_FIELDS = [
    "status",
    "responded_at",
    "completed_at",
    "decline_reason",
    "outcome_note",
    "responded_by",
]


class ReferralError(transitions.TransitionError):
    """A referral that cannot be sent or moved on; `str(error)` is the message."""


@transaction.atomic
def send_referral(
    *,
    actor,
    membership: Membership,
    case: Case,
    expected_version: int,
    reason: str,
    shared_fields: list[str],
    consent_method: str,
    consent_given_by: str = "",
    need: str = "",
    target_organization: Organization | None = None,
    external: ExternalAssociation | None = None,
    request=None,
) -> Referral:
    """Refer a request to the competent association with the beneficiary's consent."""
    locked = (
        Case.objects.select_for_update()
        .select_related("beneficiary", "service", "organization")
        .get(pk=case.pk)
    )
    referral = None
    # Otherwise the move below refuses with the reason (stale page, wrong step,
    # role), before anything is kept.
    if (
        locked.version == expected_version
        and locked.status in transitions.REFERABLE
        and membership.organization_id == locked.organization_id
        and membership.has_perm(Perm.REFER_CASES)
    ):
        shared = _checked(locked, target_organization, external, shared_fields)
        if not reason.strip():
            raise ReferralError(
                _("Say why the service is outside the association's remit.")
            )
        if consent_method not in ConsentMethod.values:
            raise ReferralError(_("Choose how the beneficiary gave consent."))
        now = timezone.now()
        incoming = None
        if target_organization is not None:
            incoming = _deliver(
                locked, target_organization, shared, need, consent_method, now
            )
        referral = Referral.objects.create(
            organization=locked.organization,
            case=locked,
            target_organization=target_organization,
            external=external,
            incoming=incoming,
            reason=reason.strip(),
            need=need.strip(),
            shared_fields=shared,
            consent_given_by=consent_given_by.strip() or locked.beneficiary.full_name,
            consent_method=consent_method,
            consent_at=now,
            sent_by=actor,
        )
        audit.record(
            AuditAction.CREATE,
            actor=actor,
            organization=locked.organization,
            obj=referral,
            changes={
                "target_organization": target_organization.pk
                if target_organization
                else None,
                "external": external.pk if external else None,
                "shared_fields": shared,
                "consent_method": consent_method,
                "consent_given_by": referral.consent_given_by,
            },
            request=request,
        )
    transitions.transition(
        actor=actor,
        membership=membership,
        case=locked,
        to=CaseStatus.REFERRED_OUT,
        expected_version=expected_version,
        note=reason.strip(),
        request=request,
        referral=referral.pk if referral else None,
    )
    return referral


def _checked(case, target_organization, external, shared_fields) -> list[str]:
    """The consented fields in a fixed order, or a ReferralError."""
    if (target_organization is None) == (external is None):
        raise ReferralError(
            _("Choose one association: on the platform or from the directory.")
        )
    if target_organization is not None and (
        target_organization.pk == case.organization_id
        or not target_organization.is_active
    ):
        raise ReferralError(_("Choose another active association on the platform."))
    if external is not None and (
        external.organization_id != case.organization_id or not external.is_active
    ):
        raise ReferralError(_("Choose an active association of the directory."))
    unknown = set(shared_fields) - set(SharedField.values)
    if unknown:
        raise ReferralError(_("Only the listed facts can be shared."))
    shared = [field for field in SharedField.values if field in shared_fields]
    if target_organization is not None and (
        SharedField.NAME not in shared
        or not any(field in shared for field in REACH_FIELDS)
    ):
        raise ReferralError(
            _(
                "An association on the platform needs at least the name and the "
                "mobile or identity number. Without that consent, refer to a "
                "directory association and give the beneficiary its contact."
            )
        )
    return shared


def consented_facts(case: Case, shared: list[str]) -> dict:
    """The beneficiary's facts the receiver may see; nothing else is copied.

    Read in the sender's scope: inside the receiver's, the related rows are not
    visible.
    """
    beneficiary = case.beneficiary
    facts = {}
    if SharedField.NAME in shared:
        facts["full_name"] = beneficiary.full_name
    if SharedField.IDENTITY in shared:
        facts["identity_type"] = beneficiary.identity_type
        facts["identity_number"] = beneficiary.identity_number
    if SharedField.MOBILE in shared:
        facts["mobile"] = beneficiary.mobile
    if SharedField.ADDRESS in shared:
        facts["city"] = beneficiary.city
        facts["region"] = beneficiary.region
    if SharedField.HOUSEHOLD in shared:
        members = list(beneficiary.household_members.all())
        facts["household"] = {
            "size": len(members) + 1,
            "with_disability": sum(member.has_disability for member in members),
            "income_per_person": str(beneficiary.income_per_person),
        }
    if SharedField.DOCUMENTS in shared:
        documents = beneficiary.documents.select_related("document_type")
        facts["documents"] = [
            {
                "type_ar": document.document_type.name_ar,
                "type_en": document.document_type.name_en,
                "status": document.status,
                "expires_on": document.expires_on.isoformat()
                if document.expires_on
                else None,
            }
            for document in documents
        ]
    if SharedField.NOTES in shared:
        facts["request_notes"] = case.notes
    return facts


def _deliver(case, target, shared, need, consent_method, now):
    """The receiver's copy, written inside the receiver's own scope."""
    facts = consented_facts(case, shared)
    with scope(organization=target):
        incoming = IncomingReferral.objects.create(
            organization=target,
            source_organization=case.organization,
            service_name_ar=case.service.name_ar,
            service_name_en=case.service.name_en,
            need=need.strip(),
            shared_fields=shared,
            consent_method=consent_method,
            consent_at=now,
            **facts,
        )
        # The receiver's trail says what arrived and from which association,
        # not the values nor the sender's staff.
        audit.record(
            AuditAction.CREATE,
            actor_label=case.organization.slug,
            organization=target,
            obj=incoming,
            changes={
                "source_organization": case.organization_id,
                "shared_fields": shared,
            },
        )
    return incoming


@transaction.atomic
def respond_to_referral(
    *,
    actor,
    membership: Membership,
    incoming: IncomingReferral,
    outcome: str,
    reason: str = "",
    note: str = "",
    request=None,
) -> IncomingReferral:
    """The receiving association accepts, declines (with the reason) or completes
    a referral; the sender's record follows and the beneficiary is told."""
    if membership.organization_id != incoming.organization_id or not (
        membership.has_perm(Perm.REFER_CASES)
    ):
        raise transitions.NotPermitted(_("Your role may not answer referrals."))
    incoming = IncomingReferral.objects.select_for_update().get(pk=incoming.pk)
    changes = _advance(incoming, outcome, reason, note, actor)
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=incoming.organization,
        obj=incoming,
        changes=changes,
        request=request,
    )
    # The sender's side, in the sender's scope; its rows name the receiving
    # association, not its staff.
    with scope(organization=incoming.source_organization):
        referral = Referral.objects.select_for_update().get(incoming=incoming)
        changes = _advance(referral, outcome, reason, note, actor=None)
        audit.record(
            AuditAction.UPDATE,
            actor_label=incoming.organization.slug,
            organization=referral.organization,
            obj=referral,
            changes=changes,
            request=request,
        )
        _tell_beneficiary(referral)
    return incoming


@transaction.atomic
def record_directory_outcome(
    *,
    actor,
    membership: Membership,
    referral: Referral,
    outcome: str,
    reason: str = "",
    note: str = "",
    request=None,
) -> Referral:
    """Staff record by hand what an association outside the platform answered."""
    if membership.organization_id != referral.organization_id or not (
        membership.has_perm(Perm.REFER_CASES)
    ):
        raise transitions.NotPermitted(_("Your role may not record referrals."))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.on_platform:
        raise ReferralError(
            _("The receiving association records the outcome of this referral.")
        )
    changes = _advance(referral, outcome, reason, note, actor)
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=referral.organization,
        obj=referral,
        changes=changes,
        request=request,
    )
    _tell_beneficiary(referral)
    return referral


def _advance(row: ReferralProgress, outcome, reason, note, actor) -> dict:
    """Move one side of a referral on; return the audited changes."""
    if outcome not in row.next_statuses:
        raise ReferralError(
            _("A referral that is “%(status)s” cannot be marked “%(outcome)s”.")
            % {
                "status": row.get_status_display(),
                "outcome": ReferralStatus(outcome).label
                if outcome in ReferralStatus.values
                else outcome,
            }
        )
    reason = (reason or "").strip()
    if outcome == ReferralStatus.DECLINED and not reason:
        raise ReferralError(
            _("Give the reason for declining: the beneficiary is told it.")
        )
    before = audit.snapshot(row, fields=PROGRESS_FIELDS)
    now = timezone.now()
    row.status = outcome
    if outcome == ReferralStatus.COMPLETED:
        row.completed_at = now
    else:
        row.responded_at = now
    if outcome == ReferralStatus.DECLINED:
        row.decline_reason = reason
    row.outcome_note = (note or "").strip() or row.outcome_note
    row.responded_by = actor
    row.save(update_fields=[*PROGRESS_FIELDS, "updated_at"])
    return audit.changed_fields(before, audit.snapshot(row, fields=PROGRESS_FIELDS))


def _tell_beneficiary(referral: Referral) -> OutboxMessage:
    """P-OUTOFSCOPE: the beneficiary hears each outcome of their referral."""
    case = Case.objects.select_related("beneficiary", "service").get(
        pk=referral.case_id
    )
    context = {
        "case": case.number,
        "service_ar": case.service.name_ar,
        "service_en": case.service.name_en,
    } | referral.message_context()
    if referral.status == ReferralStatus.DECLINED:
        context["decline_reason"] = referral.decline_reason
    return OutboxMessage.objects.create(
        organization=referral.organization,
        beneficiary=case.beneficiary,
        event=f"referral_{referral.status}",
        context=context,
        channel=case.beneficiary.preferred_contact,
    )


@transaction.atomic
def save_external_association(
    *,
    actor,
    organization: Organization,
    data: dict,
    association: ExternalAssociation | None = None,
    request=None,
) -> ExternalAssociation:
    """Add an association outside the platform to the directory, or change one."""
    if association is not None:
        association = ExternalAssociation.objects.select_for_update().get(
            pk=association.pk
        )
    before = audit.snapshot(association) if association else {}
    association = association or ExternalAssociation(organization=organization)
    for field, value in data.items():
        setattr(association, field, value)
    association.save()
    audit.record(
        AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=association,
        changes=audit.changed_fields(before, audit.snapshot(association)),
        request=request,
    )
    return association
