"""External permits (P-PERMITS): a request raised to another authority, its answer.

The permit row and the status change happen in one transaction: the lifecycle's
guards want a pending permit to enter the wait and an answered one to leave it,
and `transitions.transition` stays the only writer of the case's status.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mustafid.cases import transitions
from mustafid.cases.models import Case, CaseStatus, ExternalPermit, PermitOutcome
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership

AWAITING = CaseStatus.AWAITING_EXTERNAL_APPROVAL


class PermitError(transitions.TransitionError):
    """A permit detail that cannot be recorded; `str(error)` is the message."""


def pending_permit(case: Case) -> ExternalPermit | None:
    return ExternalPermit.objects.filter(
        case=case, outcome=PermitOutcome.PENDING
    ).first()


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def raise_permit(
    *,
    actor,
    membership: Membership,
    case: Case,
    authority: str,
    sent_on: datetime.date,
    expected_version: int,
    reference: str = "",
    note: str = "",
    request=None,
) -> ExternalPermit:
    """Record the permit asked of another authority and put the case on hold."""
    locked = _locked(case)
    permit = None
    # Otherwise the move below refuses with the reason (stale page, wrong step).
    if locked.version == expected_version and locked.status in transitions.WAIT_FROM:
        if not authority.strip():
            raise PermitError(_("Name the authority the request was sent to."))
        permit = ExternalPermit.objects.create(
            organization=locked.organization,
            case=locked,
            authority=authority.strip(),
            reference=reference.strip(),
            sent_on=sent_on,
            raised_by=actor,
        )
    transitions.transition(
        actor=actor,
        membership=membership,
        case=locked,
        to=AWAITING,
        expected_version=expected_version,
        note=note,
        request=request,
        authority=authority.strip(),
        reference=reference.strip(),
        sent_on=sent_on.isoformat(),
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=permit.organization,
        obj=permit,
        changes=audit.changed_fields({}, audit.snapshot(permit)),
        request=request,
    )
    return permit


@transaction.atomic
def record_permit_answer(
    *,
    actor,
    membership: Membership,
    case: Case,
    outcome: str,
    answered_on: datetime.date,
    expected_version: int,
    reference: str = "",
    note: str = "",
    request=None,
) -> ExternalPermit:
    """Record the authority's answer; the case returns where it left and the
    beneficiary is told the result (the transition queues the message)."""
    locked = _locked(case)
    if locked.version == expected_version and locked.status != AWAITING:
        raise PermitError(_("The request is not waiting for a permit."))
    permit = pending_permit(locked)
    if locked.version == expected_version:
        if permit is None:
            raise PermitError(_("The request has no permit awaiting an answer."))
        if outcome not in (PermitOutcome.GRANTED, PermitOutcome.REFUSED):
            raise PermitError(_("Choose whether the permit was granted or refused."))
        if answered_on < permit.sent_on:
            raise PermitError(
                _("The answer cannot come before the request was sent (%(day)s).")
                % {"day": permit.sent_on.isoformat()}
            )
        before = audit.snapshot(permit)
        permit.outcome = outcome
        permit.outcome_on = answered_on
        permit.outcome_note = note.strip()
        permit.answered_by = actor
        permit.reference = reference.strip() or permit.reference
        permit.save(
            update_fields=[
                "outcome",
                "outcome_on",
                "outcome_note",
                "answered_by",
                "reference",
                "updated_at",
            ]
        )
    # A stale page is refused here, before anything is kept.
    transitions.transition(
        actor=actor,
        membership=membership,
        case=locked,
        to=locked.return_status or AWAITING,
        expected_version=expected_version,
        request=request,
        authority=permit.authority if permit else "",
        outcome=outcome,
        answered_on=answered_on.isoformat(),
    )
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=permit.organization,
        obj=permit,
        changes=audit.changed_fields(before, audit.snapshot(permit)),
        request=request,
    )
    return permit
