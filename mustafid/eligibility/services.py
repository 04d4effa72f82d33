"""Writes about eligibility: publishing rules, storing results, exceptions.

Each function is one transaction and is audited (P-ELIGIBILITY).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mustafid.catalog.models import Service
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership
from mustafid.core.roles import Perm
from mustafid.eligibility.choices import LEGAL_RESIDENCY
from mustafid.eligibility.evaluation import Evaluation, evaluate
from mustafid.eligibility.models import (
    Combine,
    Criterion,
    EligibilityCheck,
    RuleSet,
    Stage,
    Subject,
)


class EligibilityError(Exception):
    """Refused, with a message for the user."""


def default_rules(service: Service) -> RuleSet:
    """What a service requires before the association writes its own rules:
    the service within the remit, and legal residency in Saudi Arabia (seed 004).
    Not saved; the first stored result saves it as version 1."""
    rule_set = RuleSet(
        organization_id=service.organization_id,
        service=service,
        version=1,
        combine=Combine.ALL,
        note="default",
    )
    rule_set.unsaved_criteria = [
        Criterion(
            organization_id=service.organization_id,
            subject=Subject.IN_SCOPE,
            position=0,
            reason_ar="الخدمة خارج نطاق عمل الجمعية، وتُحال إلى الجهة المختصة.",
            reason_en="The service is outside the association's remit; "
            "it is referred to the competent body.",
        ),
        Criterion(
            organization_id=service.organization_id,
            subject=Subject.RESIDENCY,
            values=[str(status) for status in LEGAL_RESIDENCY],
            position=1,
            reason_ar="يشترط وجود إقامة نظامية في المملكة العربية السعودية.",
            reason_en="Legal residency in Saudi Arabia is required.",
        ),
    ]
    return rule_set


def current_rules(service: Service) -> RuleSet:
    """The rules in force for a service (the defaults until it has its own)."""
    found = (
        RuleSet.objects.filter(service=service, is_current=True)
        .select_related("service")
        .prefetch_related("criteria__document_type")
        .first()
    )
    return found or default_rules(service)


CRITERION_FIELDS = (
    "subject",
    "values",
    "minimum",
    "maximum",
    "document_type",
    "months",
    "reason_ar",
    "reason_en",
)


@transaction.atomic
def publish_rules(
    *,
    actor,
    service: Service,
    combine: str,
    criteria: list[dict],
    review_every_months: int | None = None,
    grace_days: int = 30,
    note: str = "",
    based_on: int | None = None,
    request=None,
) -> RuleSet:
    """Save the rules as the service's next version; the older stays as it was.

    `based_on`: the version the rules were edited from (0 for the defaults);
    if another was published meanwhile, nothing is saved.
    """
    service = Service.objects.select_for_update().get(pk=service.pk)
    previous = RuleSet.objects.filter(service=service).aggregate(v=Max("version"))
    if based_on is not None and based_on != (previous["v"] or 0):
        raise ValidationError(
            _(
                "Version %(version)s of these rules was published meanwhile; "
                "reload the page to see it before changing them."
            )
            % {"version": previous["v"]}
        )
    RuleSet.objects.filter(service=service, is_current=True).update(is_current=False)
    rule_set = RuleSet.objects.create(
        organization_id=service.organization_id,
        service=service,
        version=(previous["v"] or 0) + 1,
        combine=combine,
        review_every_months=review_every_months,
        grace_days=grace_days,
        note=note,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    saved = []
    for position, data in enumerate(criteria):
        criterion = Criterion(
            organization_id=service.organization_id,
            rule_set=rule_set,
            position=position,
            **{name: data.get(name) for name in CRITERION_FIELDS if name in data},
        )
        criterion.full_clean(exclude=["rule_set", "organization"])
        criterion.save()
        # JSON-ready: a document type by its id, an amount as text.
        saved.append(audit.snapshot(criterion, fields=list(CRITERION_FIELDS)))
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=service.organization,
        obj=rule_set,
        changes={
            "service": service.pk,
            "version": rule_set.version,
            "combine": combine,
            "criteria": [{k: v for k, v in c.items() if v} for c in saved],
            "review_every_months": review_every_months,
            "grace_days": grace_days,
        },
        request=request,
    )
    return rule_set


def saved_rules(service: Service) -> RuleSet:
    """The rules in force, saved: the defaults become version 1 the first time
    a stored result or an invitation refers to them. Under the service's row
    lock (as publish_rules), so two first uses cannot both save them."""
    rules = current_rules(service)
    if rules.pk is not None:
        return rules
    list(Service.objects.select_for_update().filter(pk=service.pk))
    rules = current_rules(service)
    if rules.pk is None:
        criteria = rules.conditions()
        rules.save()
        for criterion in criteria:
            criterion.rule_set = rules
            criterion.save()
    return rules


def evaluate_case(case, on: datetime.date | None = None) -> Evaluation:
    """The request's beneficiary against its service's rules, without storing."""
    on = on or timezone.localdate()
    return evaluate(current_rules(case.service), case.beneficiary, on)


def record_check(case, stage: Stage, *, actor=None) -> EligibilityCheck:
    """Evaluate a request now and keep the result on it (call inside the
    transaction of the step that asks for it)."""
    on = timezone.localdate()
    rules = saved_rules(case.service)
    evaluation = evaluate(rules, case.beneficiary, on)
    return EligibilityCheck.objects.create(
        organization_id=case.organization_id,
        case=case,
        beneficiary_id=case.beneficiary_id,
        rule_set=rules,
        stage=stage,
        evaluated_on=on,
        eligible=evaluation.eligible,
        results=[line.as_dict() for line in evaluation.lines],
        evaluated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def latest_check(case) -> EligibilityCheck | None:
    return (
        EligibilityCheck.objects.filter(case=case)
        .select_related("rule_set", "overridden_by")
        .order_by("-created_at", "-id")
        .first()
    )


OVERRIDE_REASON_REQUIRED = gettext_lazy(
    "Write why this request goes ahead although a condition is not met."
)


@transaction.atomic
def override_check(
    *, actor, membership: Membership, check: EligibilityCheck, reason: str, request=None
) -> EligibilityCheck:
    """A manager lets a request go ahead despite a failed rule, in writing."""
    if not membership.has_perm(Perm.OVERRIDE_ELIGIBILITY):
        raise EligibilityError(_("Only the executive manager may make this exception."))
    reason = (reason or "").strip()
    if not reason:
        raise EligibilityError(str(OVERRIDE_REASON_REQUIRED))
    check = EligibilityCheck.objects.select_for_update().get(pk=check.pk)
    if check.eligible:
        raise EligibilityError(_("The request meets the conditions already."))
    if check.overridden:
        raise EligibilityError(_("An exception is already recorded for this check."))
    check.override_reason = reason
    check.overridden_by = actor
    check.overridden_at = timezone.now()
    check.save(update_fields=["override_reason", "overridden_by", "overridden_at"])
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=check.organization,
        obj=check,
        changes={
            "eligibility_override": reason,
            "case": check.case_id,
            "failed": [line["subject"] for line in check.failed],
        },
        request=request,
    )
    return check


def failed_conditions(case) -> list[dict]:
    """The reasons of the conditions the request's last evaluation failed,
    [{"ar", "en"}], for telling the beneficiary; none if it passed."""
    check = latest_check(case)
    if check is None or check.eligible:
        return []
    return [{"ar": line["reason_ar"], "en": line["reason_en"]} for line in check.failed]
