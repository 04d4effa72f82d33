"""Periodic re-verification (P-PERIODIC): opening reviews, stopping deliveries,
completing a review.

`open_reviews` is the daily job. For each service whose rules set a review
cycle, it opens a review for everyone receiving the service whose eligibility
was last verified a cycle ago, or whose required document expires within
`DOCUMENT_NOTICE_DAYS`, and queues a message telling them. It reads the due
people in a few queries per service, whatever the size of the registry, and
writes them in batches, one transaction each. The database allows one open
review per beneficiary and service, so running it twice opens nothing twice.

While a review is overdue past its grace period, or after it ended with the
beneficiary no longer eligible, `stopping_review` names it and no delivery is
made (`cases.transitions`, `cases.services.record_delivery`).
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_scopes import scope
from django_tasks import task

from mustafid.cases.models import Case, CaseStatus, ResearchAssignment
from mustafid.contact.outbox import OutboxMessage
from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization
from mustafid.eligibility.dates import months_before
from mustafid.eligibility.models import (
    ReviewReason,
    ReviewStatus,
    ReviewTask,
    RuleSet,
)
from mustafid.registry.models import Document, VerificationStatus

logger = logging.getLogger(__name__)

# Requests through which a service is being received.
RECEIVING = (CaseStatus.APPROVED, CaseStatus.DELIVERING)
# A document expiring within this many days is reviewed before it lapses.
DOCUMENT_NOTICE_DAYS = 30
BATCH_SIZE = 2000


class ReviewError(Exception):
    """Refused, with a message for the user."""


# -- Reading what is due ------------------------------------------------------


def _start_of_day_after(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the association's time zone: a time
    stamp before it falls on `day` or earlier."""
    after = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(after)


def _months_after(day: datetime.date, months: int) -> datetime.date:
    return months_before(day, -months)


def live_cases(service):
    """The requests receiving `service`, with `verified` (when they were
    decided), leaving out those a review has ended since."""
    ended = ReviewTask.objects.filter(
        beneficiary=OuterRef("beneficiary"),
        service=service,
        status=ReviewStatus.ENDED,
        completed_at__gte=OuterRef("verified"),
    )
    return (
        Case.objects.filter(service=service, status__in=RECEIVING)
        .annotate(verified=Coalesce("decided_at", "created_at"))
        .filter(~Exists(ended))
    )


def _open_review(service):
    return ReviewTask.objects.filter(
        beneficiary=OuterRef("beneficiary"), service=service, status=ReviewStatus.OPEN
    )


def _researcher(case_ref: str):
    current = ResearchAssignment.objects.filter(
        case=OuterRef(case_ref), ended_at__isnull=True
    ).order_by("-created_at")
    return Subquery(current.values("researcher")[:1])


def cycle_due(rule_set: RuleSet, on: datetime.date):
    """One request per beneficiary (their latest) whose last verification, the
    decision or a renewed review, is `review_every_months` or more before `on`."""
    service = rule_set.service
    cutoff = _start_of_day_after(months_before(on, rule_set.review_every_months))
    live = live_cases(service)
    later = live.filter(beneficiary=OuterRef("beneficiary")).filter(
        Q(verified__gt=OuterRef("verified"))
        | Q(verified=OuterRef("verified"), pk__gt=OuterRef("pk"))
    )
    renewed = ReviewTask.objects.filter(
        beneficiary=OuterRef("beneficiary"),
        service=service,
        status=ReviewStatus.RENEWED,
        completed_at__isnull=False,
    )
    return live.filter(
        ~Exists(later),
        ~Exists(renewed.filter(completed_at__gte=cutoff)),
        ~Exists(_open_review(service)),
        verified__lt=cutoff,
    ).annotate(
        renewed=Subquery(renewed.order_by("-completed_at").values("completed_at")[:1])
    )


def documents_due(rule_set: RuleSet, on: datetime.date):
    """The verified required documents of those receiving the service that
    expire by `on` + `DOCUMENT_NOTICE_DAYS` (or have expired) and are the
    latest of their type: a renewed document ends the matter."""
    service = rule_set.service
    horizon = on + datetime.timedelta(days=DOCUMENT_NOTICE_DAYS)
    newer = Document.objects.filter(
        beneficiary=OuterRef("beneficiary"),
        document_type=OuterRef("document_type"),
        status=VerificationStatus.VERIFIED,
    ).filter(
        Q(expires_on__isnull=True)
        | Q(expires_on__gt=OuterRef("expires_on"))
        | Q(expires_on=OuterRef("expires_on"), pk__gt=OuterRef("pk"))
    )
    cases = live_cases(service).filter(beneficiary=OuterRef("beneficiary"))
    latest_case = cases.order_by("-verified", "-pk")
    required = list(service.required_documents.values_list("pk", flat=True))
    return (
        Document.objects.filter(
            document_type__in=required,
            status=VerificationStatus.VERIFIED,
            expires_on__lte=horizon,
        )
        .filter(Exists(cases), ~Exists(newer), ~Exists(_open_review(service)))
        .annotate(
            case_id=Subquery(latest_case.values("pk")[:1]),
            case_number=Subquery(latest_case.values("number")[:1]),
        )
    )


# -- Opening reviews ----------------------------------------------------------


def open_reviews(organization: Organization, on: datetime.date) -> dict[str, int]:
    """Open the reviews due on `on` in one association and queue their messages;
    returns how many services were looked at and reviews opened, by reason."""
    counts = {"services": 0, "cycle": 0, "document": 0}
    with scope(organization=organization):
        rule_sets = (
            RuleSet.objects.filter(
                organization=organization,
                is_current=True,
                review_every_months__isnull=False,
            )
            .select_related("service")
            .order_by("service_id")
        )
        for rule_set in rule_sets:
            counts["services"] += 1
            counts["cycle"] += _open_cycle_reviews(rule_set, on)
            counts["document"] += _open_document_reviews(rule_set, on)
    return counts


def _open_cycle_reviews(rule_set: RuleSet, on: datetime.date) -> int:
    due = cycle_due(rule_set, on).annotate(researcher=_researcher("pk"))
    columns = (
        "pk",
        "number",
        "beneficiary_id",
        "beneficiary__preferred_contact",
        "verified",
        "renewed",
        "researcher",
    )
    opened, last = 0, 0
    while rows := _batch(due, columns, last, "beneficiary_id"):
        last = rows[-1][2]
        reviews = []
        for case_id, number, beneficiary_id, contact, verified, renewed, user in rows:
            checked = max(verified, renewed) if renewed else verified
            due_on = _months_after(
                timezone.localdate(checked), rule_set.review_every_months
            )
            reviews.append(
                _new_review(
                    rule_set,
                    on,
                    reason=ReviewReason.CYCLE,
                    case=(case_id, number),
                    beneficiary=(beneficiary_id, contact),
                    due_on=due_on,
                    assigned_to_id=user,
                )
            )
        opened += _save_batch(rule_set, reviews, ReviewReason.CYCLE)
        if len(rows) < BATCH_SIZE:
            break
    return opened


def _open_document_reviews(rule_set: RuleSet, on: datetime.date) -> int:
    # Ordered so that each beneficiary's first row is the soonest to expire.
    due = documents_due(rule_set, on).annotate(researcher=_researcher("case_id"))
    columns = (
        "pk",
        "expires_on",
        "document_type__name_ar",
        "document_type__name_en",
        "case_id",
        "case_number",
        "beneficiary_id",
        "beneficiary__preferred_contact",
        "researcher",
    )
    opened, last = 0, 0
    while rows := _batch(due, columns, last, "beneficiary_id", "expires_on", "pk"):
        # A beneficiary cut off at the end of the batch was opened by its
        # first (soonest) row.
        last = rows[-1][6]
        reviews, seen = [], set()
        for (
            document_id,
            expires_on,
            name_ar,
            name_en,
            case_id,
            number,
            beneficiary_id,
            contact,
            user,
        ) in rows:
            if beneficiary_id in seen:
                continue
            seen.add(beneficiary_id)
            review = _new_review(
                rule_set,
                on,
                reason=ReviewReason.DOCUMENT,
                case=(case_id, number),
                beneficiary=(beneficiary_id, contact),
                due_on=expires_on,
                assigned_to_id=user,
                document_id=document_id,
            )
            review.message_context |= {
                "document_type_ar": name_ar,
                "document_type_en": name_en,
            }
            reviews.append(review)
        opened += _save_batch(rule_set, reviews, ReviewReason.DOCUMENT)
        if len(rows) < BATCH_SIZE:
            break
    return opened


def _batch(due, columns, last: int, *order: str) -> list[tuple]:
    """The next rows, by beneficiary after `last` (keyset: each batch reads on
    from where the previous stopped, not from the start)."""
    after = due.filter(beneficiary_id__gt=last).order_by(*order)
    return list(after.values_list(*columns)[:BATCH_SIZE])


def _new_review(
    rule_set, on, *, reason, case, beneficiary, due_on, **fields
) -> ReviewTask:
    """An unsaved review, carrying its message's context and channel."""
    service = rule_set.service
    # The beneficiary always has the whole grace period after being told,
    # also when the job opens a review late (a first run, a missed day).
    suspend_on = max(due_on, on) + datetime.timedelta(days=rule_set.grace_days)
    review = ReviewTask(
        organization_id=rule_set.organization_id,
        beneficiary_id=beneficiary[0],
        service_id=service.pk,
        case_id=case[0],
        reason=reason,
        due_on=due_on,
        suspend_on=suspend_on,
        notified_at=timezone.now(),
        **fields,
    )
    review.channel = beneficiary[1]
    review.message_context = {
        "case": case[1],
        "service_ar": service.name_ar,
        "service_en": service.name_en,
        "reason": str(reason),
        "due_on": due_on.isoformat(),
        "suspend_on": suspend_on.isoformat(),
    }
    return review


@transaction.atomic
def _save_batch(rule_set: RuleSet, reviews: list[ReviewTask], reason: str) -> int:
    """Write a batch of reviews and their messages; a review another run opened
    meanwhile is refused by the database and skipped, with no message."""
    try:
        with transaction.atomic():
            ReviewTask.objects.bulk_create(reviews)
        opened = reviews
    except IntegrityError:
        opened = []
        for review in reviews:
            review.pk = None
            try:
                with transaction.atomic():
                    review.save()
            except IntegrityError:
                continue
            opened.append(review)
    if not opened:
        return 0
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                organization_id=review.organization_id,
                beneficiary_id=review.beneficiary_id,
                event="review_due",
                context=review.message_context,
                channel=review.channel,
            )
            for review in opened
        ]
    )
    audit.record(
        AuditAction.CREATE,
        organization=rule_set.organization,
        obj=rule_set.service,
        actor_label="open_reviews",
        changes={
            "review_tasks_opened": len(opened),
            "reason": str(reason),
            "rule_set": rule_set.pk,
            "beneficiaries": [review.beneficiary_id for review in opened],
        },
    )
    return len(opened)


@task()
def open_reviews_task(on: str | None = None) -> dict:
    """The daily job: open the reviews due in every active association."""
    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    results = {}
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        try:
            results[organization.slug] = open_reviews(organization, day)
        except Exception:
            # One association's failure does not hold up the others.
            logger.exception("Opening reviews failed in %s", organization.slug)
            results[organization.slug] = {"failed": 1}
    return results


# -- Stopping deliveries ------------------------------------------------------
