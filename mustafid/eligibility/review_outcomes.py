"""The periodic review's effects (P-PERIODIC): deliveries stopped while a
review is overdue or ended, and completing a review with a fresh evaluation."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases.models import Case
from mustafid.contact.outbox import OutboxMessage
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership
from mustafid.core.roles import Perm
from mustafid.eligibility.evaluation import evaluate
from mustafid.eligibility.models import (
    EligibilityCheck,
    ReviewStatus,
    ReviewTask,
    Stage,
)
from mustafid.eligibility.reviews import ReviewError
from mustafid.eligibility.services import saved_rules


def stopping_review(case: Case, on: datetime.date | None = None) -> ReviewTask | None:
    """The review that stops deliveries on this request on `on` (today): one
    still open after its grace period, or one that ended since the decision."""
    on = on or timezone.localdate()
    verified = case.decided_at or case.created_at
    return (
        ReviewTask.objects.filter(
            beneficiary_id=case.beneficiary_id, service_id=case.service_id
        )
        .filter(
            Q(status=ReviewStatus.OPEN, suspend_on__lt=on)
            | Q(status=ReviewStatus.ENDED, completed_at__gte=verified)
        )
        .order_by("-status", "suspend_on", "-id")
        .first()
    )


def stop_message(review: ReviewTask) -> str:
    if review.status == ReviewStatus.ENDED:
        return _(
            "The periodic review found the beneficiary no longer eligible: "
            "deliveries are stopped."
        )
    return _("Deliveries are stopped until the periodic review is completed.")


# -- Completing a review ------------------------------------------------------

OUTCOMES = (ReviewStatus.RENEWED, ReviewStatus.ENDED)


@transaction.atomic
def complete_review(
    *,
    actor,
    membership: Membership,
    review: ReviewTask,
    outcome: str,
    note: str = "",
    request=None,
) -> ReviewTask:
    """Record a review's outcome with the evaluation of the rules in force now;
    renewing lifts the stop on deliveries."""
    if not membership.has_perm(Perm.REVIEW_ELIGIBILITY):
        raise ReviewError(_("Your role may not complete a periodic review."))
    review = (
        ReviewTask.objects.select_for_update()
        .select_related("service", "beneficiary", "organization")
        .get(pk=review.pk)
    )
    if review.status != ReviewStatus.OPEN:
        raise ReviewError(
            _("This review is already “%(status)s”; nothing was changed.")
            % {"status": review.get_status_display()}
        )
    if outcome not in OUTCOMES:
        raise ReviewError(_("Choose whether the service is renewed or ended."))
    note = (note or "").strip()
    if outcome == ReviewStatus.ENDED and not note:
        raise ReviewError(_("Write why the beneficiary is no longer eligible."))
    today = timezone.localdate()
    rules = saved_rules(review.service)
    evaluation = evaluate(rules, review.beneficiary, today)
    overridden = outcome == ReviewStatus.RENEWED and not evaluation.eligible
    if overridden and not membership.has_perm(Perm.OVERRIDE_ELIGIBILITY):
        raise ReviewError(
            _(
                "The beneficiary no longer meets the conditions: only the "
                "executive manager may renew the service, with a written reason."
            )
        )
    if overridden and not note:
        raise ReviewError(
            _("Write why the service continues although a condition is not met.")
        )
    now = timezone.now()
    check = EligibilityCheck.objects.create(
        organization_id=review.organization_id,
        case_id=review.case_id,
        beneficiary_id=review.beneficiary_id,
        rule_set=rules,
        stage=Stage.REVIEW,
        evaluated_on=today,
        eligible=evaluation.eligible,
        results=[line.as_dict() for line in evaluation.lines],
        evaluated_by=actor,
        override_reason=note if overridden else "",
        overridden_by=actor if overridden else None,
        overridden_at=now if overridden else None,
    )
    review.status = outcome
    review.evaluation = check
    review.outcome_note = note
    review.completed_by = actor
    review.completed_at = now
    review.save(
        update_fields=[
            "status",
            "evaluation",
            "outcome_note",
            "completed_by",
            "completed_at",
            "updated_at",
        ]
    )
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=review.organization,
        obj=review,
        changes={
            "status": [ReviewStatus.OPEN, outcome],
            "eligible": evaluation.eligible,
            "eligibility_check": check.pk,
            "failed": [line.subject for line in evaluation.failed],
        }
        | ({"note": note} if note else {})
        | ({"eligibility_override": note} if overridden else {}),
        request=request,
    )
    OutboxMessage.objects.create(
        organization_id=review.organization_id,
        beneficiary=review.beneficiary,
        event="review_completed",
        context={
            "service_ar": review.service.name_ar,
            "service_en": review.service.name_en,
            "outcome": outcome,
        }
        | (
            {
                "reasons": note,
                "failed": [
                    {"reason_ar": line.reason_ar, "reason_en": line.reason_en}
                    for line in evaluation.failed
                ],
            }
            if outcome == ReviewStatus.ENDED
            else {}
        ),
        channel=review.beneficiary.preferred_contact,
    )
    return review
