"""Periodic re-verification (P-PERIODIC): the job that opens reviews, the stop
on deliveries, the review queue and completing a review.

"Today" is passed explicitly (`on=`) to the job; the stop on deliveries reads
the real date, so reviews for it are built around `timezone.localdate()`.
"""

import datetime
import io
import re

import pytest
from django.contrib.messages import constants, get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from mustafid.cases import services as case_services
from mustafid.cases import transitions
from mustafid.cases.models import CaseStatus, ResearchAssignment
from mustafid.contact.outbox import OutboxMessage
from mustafid.core.models import AuditEvent, Membership
from mustafid.core.roles import Role
from mustafid.eligibility import review_outcomes, reviews
from mustafid.eligibility.models import (
    Criterion,
    EligibilityCheck,
    ReviewReason,
    ReviewStatus,
    ReviewTask,
    RuleSet,
    Stage,
    Subject,
)
from tests.cases.helpers import make_case, make_service
from tests.conftest import make_organization
from tests.factories import DocumentFactory, DocumentTypeFactory

TODAY = datetime.date(2025, 6, 15)


def at(day: datetime.date) -> datetime.datetime:
    """Mid-morning of `day` in the association's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def reviewed_service(org, *, months=12, grace=30, documents=(), criteria=()):
    """A service whose current rules review those receiving it every `months`."""
    service = make_service(org)
    with scope(organization=org):
        if documents:
            service.required_documents.set(documents)
        rule_set = RuleSet.objects.create(
            organization=org,
            service=service,
            version=1,
            review_every_months=months,
            grace_days=grace,
        )
        for position, fields in enumerate(criteria):
            Criterion.objects.create(
                organization=org,
                rule_set=rule_set,
                position=position,
                reason_ar="سبب",
                reason_en="reason",
                **fields,
            )
    return service


def receiving(org, service, decided_on, status=CaseStatus.APPROVED, **fields):
    return make_case(org, status, service=service, decided_at=at(decided_on), **fields)


def open_tasks(org):
    with scope(organization=org):
        return list(
            ReviewTask.objects.filter(status=ReviewStatus.OPEN).order_by(
                "beneficiary_id"
            )
        )


def outbox(org, event="review_due"):
    with scope(organization=org):
        return list(OutboxMessage.objects.filter(event=event))


def membership_of(user, org):
    with scopes_disabled():
        return Membership.objects.get(user=user, organization=org)


def open_review(
    case, *, due_on=None, suspend_on=None, reason=ReviewReason.CYCLE, **fields
) -> ReviewTask:
    """A review of `case` as the job opens it; stopping deliveries by default."""
    today = timezone.localdate()
    due_on = due_on or today - datetime.timedelta(days=40)
    with scope(organization=case.organization):
        return ReviewTask.objects.create(
            organization=case.organization,
            beneficiary=case.beneficiary,
            service=case.service,
            case=case,
            reason=reason,
            due_on=due_on,
            suspend_on=suspend_on or today - datetime.timedelta(days=1),
            **fields,
        )


def doc_type_of(org, code):
    with scope(organization=org):
        return DocumentTypeFactory(organization=org, code=code)


def document(org, beneficiary, doc_type, expires_on, status="verified"):
    with scope(organization=org):
        return DocumentFactory(
            organization=org,
            beneficiary=beneficiary,
            document_type=doc_type,
            expires_on=expires_on,
            status=status,
        )


def error_messages(response) -> list[str]:
    return [
        str(m)
        for m in get_messages(response.wsgi_request)
        if m.level == constants.ERROR
    ]


# -- The job ------------------------------------------------------------------


def test_cycle_opens_reviews_on_and_after_the_anniversary_not_before(org):
    service = reviewed_service(org, months=12, grace=30)
    before = receiving(org, service, datetime.date(2024, 6, 16))
    on_day = receiving(org, service, datetime.date(2024, 6, 15))
    after = receiving(org, service, datetime.date(2024, 6, 14))

    counts = reviews.open_reviews(org, TODAY)

    assert counts == {"services": 1, "cycle": 2, "document": 0}
    tasks = {task.case_id: task for task in open_tasks(org)}
    assert set(tasks) == {on_day.pk, after.pk}
    assert before.pk not in tasks
    assert tasks[on_day.pk].due_on == TODAY
    assert tasks[on_day.pk].suspend_on == TODAY + datetime.timedelta(days=30)
    assert tasks[on_day.pk].reason == ReviewReason.CYCLE
    assert tasks[on_day.pk].beneficiary_id == on_day.beneficiary_id
    assert tasks[after.pk].due_on == datetime.date(2025, 6, 14)
    # Opened a day late, the beneficiary still gets the whole grace period.
    assert tasks[after.pk].suspend_on == TODAY + datetime.timedelta(days=30)
    assert all(task.notified_at for task in tasks.values())


def test_delivering_requests_are_reviewed_too(org):
    service = reviewed_service(org, months=6)
    case = receiving(org, service, datetime.date(2024, 12, 1), CaseStatus.DELIVERING)
    reviews.open_reviews(org, TODAY)
    [task] = open_tasks(org)
    assert task.case_id == case.pk
    assert task.due_on == datetime.date(2025, 6, 1)


def test_each_review_tells_the_beneficiary_once(org):
    service = reviewed_service(org, months=12)
    case = receiving(org, service, datetime.date(2024, 1, 1))

    reviews.open_reviews(org, TODAY)

    [message] = outbox(org)
    assert message.beneficiary_id == case.beneficiary_id
    assert message.channel == case.beneficiary.preferred_contact
    assert message.context == {
        "case": case.number,
        "service_ar": service.name_ar,
        "service_en": service.name_en,
        "reason": "cycle",
        "due_on": "2025-01-01",
        "suspend_on": "2025-07-15",
    }


def test_running_twice_opens_and_notifies_nothing_twice(org):
    doc_type = doc_type_of(org, "income")
    service = reviewed_service(org, documents=[doc_type])
    receiving(org, service, datetime.date(2024, 1, 1))
    case = receiving(org, service, datetime.date(2025, 1, 1))
    document(org, case.beneficiary, doc_type, TODAY + datetime.timedelta(days=10))

    first = reviews.open_reviews(org, TODAY)
    again = reviews.open_reviews(org, TODAY)
    next_day = reviews.open_reviews(org, TODAY + datetime.timedelta(days=1))

    assert (first["cycle"], first["document"]) == (1, 1)
    assert (again["cycle"], again["document"]) == (0, 0)
    assert (next_day["cycle"], next_day["document"]) == (0, 0)
    assert len(open_tasks(org)) == 2
    assert len(outbox(org)) == 2


def test_job_queries_do_not_grow_with_beneficiaries(org, django_assert_max_num_queries):
    """Set-based: a few queries per service, whatever the number due."""
    doc_type = doc_type_of(org, "income")
    service = reviewed_service(org, documents=[doc_type])

    def add(count):
        for _ in range(count):
            receiving(org, service, datetime.date(2024, 1, 1))
            case = receiving(org, service, datetime.date(2025, 3, 1))
            document(org, case.beneficiary, doc_type, TODAY)

    add(2)
    with django_assert_max_num_queries(30) as few:
        assert reviews.open_reviews(org, TODAY)["cycle"] == 2
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        counts = reviews.open_reviews(org, TODAY + datetime.timedelta(days=1))
    assert (counts["cycle"], counts["document"]) == (10, 10)


def test_batches_open_each_review_once(org, monkeypatch):
    monkeypatch.setattr(reviews, "BATCH_SIZE", 2)
    doc_type, lease = doc_type_of(org, "income"), doc_type_of(org, "lease")
    service = reviewed_service(org, documents=[doc_type, lease])
    for _ in range(5):
        receiving(org, service, datetime.date(2024, 1, 1))
    # Two documents due for one person: the soonest decides, once.
    case = receiving(org, service, datetime.date(2025, 3, 1))
    soonest = document(org, case.beneficiary, doc_type, TODAY)
    document(org, case.beneficiary, lease, TODAY + datetime.timedelta(days=3))
    for _ in range(3):
        other = receiving(org, service, datetime.date(2025, 3, 1))
        document(org, other.beneficiary, lease, TODAY)

    counts = reviews.open_reviews(org, TODAY)

    assert (counts["cycle"], counts["document"]) == (5, 4)
    assert len(outbox(org)) == 9
    by_beneficiary = {task.beneficiary_id: task for task in open_tasks(org)}
    assert by_beneficiary[case.beneficiary_id].document_id == soonest.pk


def test_a_review_opened_meanwhile_is_skipped_by_the_constraint(org):
    """Two runs at once: the database refuses the second review, and no second
    message is queued for it."""
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1))
    open_review(case)
    with scope(organization=org):
        rule_set = RuleSet.objects.select_related("service").get(service=service)
        duplicate = reviews._new_review(
            rule_set,
            TODAY,
            reason=ReviewReason.CYCLE,
            case=(case.pk, case.number),
            beneficiary=(case.beneficiary_id, "sms"),
            due_on=TODAY,
        )
        assert reviews._save_batch(rule_set, [duplicate], ReviewReason.CYCLE) == 0
    assert len(open_tasks(org)) == 1
    assert outbox(org) == []


def test_renewed_review_restarts_the_cycle(org, members):
    service = reviewed_service(org, months=12)
    case = receiving(org, service, datetime.date(2023, 3, 1))
    open_review(
        case,
        status=ReviewStatus.RENEWED,
        completed_at=at(datetime.date(2024, 6, 20)),
        completed_by=members[Role.RESEARCHER],
    )
    assert reviews.open_reviews(org, TODAY)["cycle"] == 0
    reviews.open_reviews(org, datetime.date(2025, 6, 20))
    [task] = open_tasks(org)
    assert task.due_on == datetime.date(2025, 6, 20)


def test_one_review_per_beneficiary_and_service(org):
    """Two requests of one person for the service, or a cycle and a document
    due together, open one review."""
    doc_type = doc_type_of(org, "income")
    service = reviewed_service(org, documents=[doc_type])
    older = receiving(org, service, datetime.date(2023, 1, 1))
    newer = receiving(
        org, service, datetime.date(2024, 2, 1), beneficiary=older.beneficiary
    )
    document(org, older.beneficiary, doc_type, TODAY)

    counts = reviews.open_reviews(org, TODAY)

    assert (counts["cycle"], counts["document"]) == (1, 0)
    [task] = open_tasks(org)
    # The latest decision is the last verification.
    assert task.case_id == newer.pk
    assert task.due_on == datetime.date(2025, 2, 1)


@pytest.mark.parametrize(
    ("days", "opened"),
    [(-400, True), (-1, True), (0, True), (30, True), (31, False)],
    ids=["long-expired", "expired", "expires-today", "in-30-days", "in-31-days"],
)
def test_document_expiry_opens_a_review(org, days, opened):
    doc_type = doc_type_of(org, "income")
    service = reviewed_service(org, documents=[doc_type], grace=10)
    case = receiving(org, service, datetime.date(2025, 3, 1))
    expires_on = TODAY + datetime.timedelta(days=days)
    doc = document(org, case.beneficiary, doc_type, expires_on)

    counts = reviews.open_reviews(org, TODAY)

    assert counts["document"] == int(opened)
    if opened:
        [task] = open_tasks(org)
        assert task.reason == ReviewReason.DOCUMENT
        assert task.document_id == doc.pk
        assert task.due_on == expires_on
        assert task.suspend_on == max(expires_on, TODAY) + datetime.timedelta(10)
        [message] = outbox(org)
        assert message.context["reason"] == "document"
        assert message.context["document_type_ar"] == doc_type.name_ar
        assert message.context["due_on"] == expires_on.isoformat()
    else:
        assert open_tasks(org) == []


def test_renewed_or_unverified_documents_are_not_reviewed(org):
    doc_type = doc_type_of(org, "income")
    other_type = doc_type_of(org, "lease")
    service = reviewed_service(org, documents=[doc_type])
    soon = TODAY + datetime.timedelta(days=5)
    # Renewed: a newer verified document lasts beyond the notice.
    renewed = receiving(org, service, datetime.date(2025, 3, 1))
    document(org, renewed.beneficiary, doc_type, soon)
    document(org, renewed.beneficiary, doc_type, TODAY + datetime.timedelta(400))
    # Not verified, or not a required document of the service.
    pending = receiving(org, service, datetime.date(2025, 3, 1))
    document(org, pending.beneficiary, doc_type, soon, status="pending")
    unrequired = receiving(org, service, datetime.date(2025, 3, 1))
    document(org, unrequired.beneficiary, other_type, soon)

    assert reviews.open_reviews(org, TODAY)["document"] == 0


def test_latest_document_of_a_type_decides(org):
    """An old expired document replaced by one expiring soon: the review is
    due when the newer one expires."""
    doc_type = doc_type_of(org, "income")
    service = reviewed_service(org, documents=[doc_type])
    case = receiving(org, service, datetime.date(2025, 3, 1))
    document(org, case.beneficiary, doc_type, datetime.date(2023, 1, 1))
    newer = document(org, case.beneficiary, doc_type, TODAY + datetime.timedelta(20))
    reviews.open_reviews(org, TODAY)
    [task] = open_tasks(org)
    assert task.document_id == newer.pk


def test_no_review_for_services_without_a_cycle(org):
    doc_type = doc_type_of(org, "income")
    without_rules = make_service(org)
    without_cycle = reviewed_service(org, months=None, documents=[doc_type])
    for service in (without_rules, without_cycle):
        case = receiving(org, service, datetime.date(2020, 1, 1))
        document(org, case.beneficiary, doc_type, TODAY)

    assert reviews.open_reviews(org, TODAY) == {
        "services": 0,
        "cycle": 0,
        "document": 0,
    }


@pytest.mark.parametrize(
    "status",
    [CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN, "verifying"],
)
def test_no_review_for_requests_not_being_received(org, status):
    doc_type = doc_type_of(org, "income")
    service = reviewed_service(org, documents=[doc_type])
    case = receiving(org, service, datetime.date(2020, 1, 1), status)
    document(org, case.beneficiary, doc_type, TODAY)
    assert reviews.open_reviews(org, TODAY) == {
        "services": 1,
        "cycle": 0,
        "document": 0,
    }


def test_an_ended_review_is_not_opened_again(org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2023, 1, 1))
    open_review(
        case,
        status=ReviewStatus.ENDED,
        completed_at=at(datetime.date(2024, 1, 20)),
        completed_by=members[Role.RESEARCHER],
        outcome_note="لم يعد مستحقا",
    )
    assert reviews.open_reviews(org, TODAY)["cycle"] == 0


def test_job_stays_in_its_association(org, other_org):
    mine = reviewed_service(org)
    theirs = reviewed_service(other_org)
    receiving(org, mine, datetime.date(2024, 1, 1))
    receiving(other_org, theirs, datetime.date(2024, 1, 1))
    assert reviews.open_reviews(org, TODAY)["cycle"] == 1
    assert open_tasks(other_org) == []
    assert outbox(other_org) == []


def test_review_goes_to_the_requests_researcher(org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1))
    researcher = members[Role.RESEARCHER]
    with scope(organization=org):
        ResearchAssignment.objects.create(
            organization=org, case=case, researcher=researcher, assigned_by=researcher
        )
    reviews.open_reviews(org, TODAY)
    [task] = open_tasks(org)
    assert task.assigned_to == researcher


def test_job_audits_what_it_opened(org):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1))
    reviews.open_reviews(org, TODAY)
    with scopes_disabled():
        event = AuditEvent.objects.get(actor_label="open_reviews")
    assert event.organization == org
    assert event.changes["review_tasks_opened"] == 1
    assert event.changes["beneficiaries"] == [case.beneficiary_id]


def test_task_runs_in_every_active_association(org, other_org):
    asleep = make_organization("gamma", is_active=False)
    for organization in (org, other_org, asleep):
        service = reviewed_service(organization)
        receiving(organization, service, datetime.date(2024, 1, 1))

    result = reviews.open_reviews_task.call(on=TODAY.isoformat())

    assert set(result) == {"alpha", "beta"}
    assert result["alpha"]["cycle"] == result["beta"]["cycle"] == 1
    assert open_tasks(asleep) == []


def test_command_prints_the_counts(org, other_org):
    service = reviewed_service(org)
    receiving(org, service, datetime.date(2024, 1, 1))
    out = io.StringIO()
    call_command("open_reviews", "--on", "2025-06-15", "--language", "en", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        "alpha — services with a review cycle: 1 · reviews opened for the cycle: 1"
        " · for expiring documents: 0",
        "beta — services with a review cycle: 0 · reviews opened for the cycle: 0"
        " · for expiring documents: 0",
    ]
    assert len(open_tasks(org)) == 1


def test_command_refuses_a_bad_date_or_association(org):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("open_reviews", "--on", "15/06/2025")
    with pytest.raises(CommandError):
        call_command("open_reviews", "--org", "nobody")


# -- Stopping deliveries --------------------------------------------------------


def move_to_delivering(org, case, user):
    with scope(organization=org):
        return transitions.transition(
            actor=user,
            membership=membership_of(user, org),
            case=case,
            to=CaseStatus.DELIVERING,
            expected_version=case.version,
        )


def deliver(org, case, user):
    with scope(organization=org):
        return case_services.record_delivery(
            actor=user,
            case=case,
            kind="cash",
            amount=500,
            delivered_on=timezone.localdate(),
        )


def stopped_by(review) -> str:
    """The refusal's message, in the active language, as a pattern."""
    return re.escape(review_outcomes.stop_message(review))


def test_overdue_review_stops_moving_to_delivering(org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1))
    review = open_review(
        case, suspend_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(transitions.GuardFailed, match=stopped_by(review)):
        move_to_delivering(org, case, members[Role.SERVICES])
    with scope(organization=org):
        case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED


def test_review_within_its_grace_period_stops_nothing(org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1))
    # Deliveries stop once `suspend_on` has passed, not on the day itself.
    open_review(case, suspend_on=timezone.localdate())
    case = move_to_delivering(org, case, members[Role.SERVICES])
    assert case.status == CaseStatus.DELIVERING
    deliver(org, case, members[Role.SERVICES])


def test_overdue_review_stops_recording_deliveries(org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1), CaseStatus.DELIVERING)
    deliver(org, case, members[Role.SERVICES])
    review = open_review(case)
    with pytest.raises(case_services.DeliveryRefused, match=stopped_by(review)):
        deliver(org, case, members[Role.SERVICES])
    with scope(organization=org):
        assert case.deliveries.count() == 1


def test_stop_covers_every_request_of_the_person_for_the_service(org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1), CaseStatus.DELIVERING)
    other = receiving(
        org, service, datetime.date(2024, 2, 1), beneficiary=case.beneficiary
    )
    unrelated = receiving(org, make_service(org), datetime.date(2024, 2, 1))
    open_review(case)
    with pytest.raises(transitions.GuardFailed):
        move_to_delivering(org, other, members[Role.SERVICES])
    move_to_delivering(org, unrelated, members[Role.SERVICES])


def test_case_page_shows_that_deliveries_are_stopped(client_as, org):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1), CaseStatus.DELIVERING)
    client = client_as(Role.SERVICES)
    url = reverse("cases:case_detail", args=[case.pk])
    assert "review-notice-heading" not in client.get(url).content.decode()
    review = open_review(case)
    page = client.get(url).content.decode()
    assert 'role="alert"' in page
    assert reverse("eligibility:review_detail", args=[review.pk]) in page


# -- Completing a review ------------------------------------------------------


def complete(client, review, **data):
    return client.post(reverse("eligibility:review_complete", args=[review.pk]), data)


def test_renewing_stores_the_evaluation_and_lifts_the_stop(client_as, org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1), CaseStatus.DELIVERING)
    review = open_review(case)

    response = complete(client_as(Role.RESEARCHER), review, outcome="renewed")

    assert response.status_code == 302
    assert response["Location"] == reverse("eligibility:review_queue")
    with scope(organization=org):
        review.refresh_from_db()
        check = review.evaluation
        assert check.stage == Stage.REVIEW
        assert check.case_id == case.pk
        assert check.eligible
        assert check.evaluated_by == members[Role.RESEARCHER]
    assert review.status == ReviewStatus.RENEWED
    assert review.completed_by == members[Role.RESEARCHER]
    assert review.completed_at is not None
    with scopes_disabled():
        event = AuditEvent.objects.get(
            object_type="eligibility.reviewtask", object_id=str(review.pk)
        )
    assert event.changes["status"] == ["open", "renewed"]
    deliver(org, case, members[Role.SERVICES])
    assert outbox(org, "review_completed")[0].context["outcome"] == "renewed"


def test_ending_keeps_the_request_stopped(client_as, org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1), CaseStatus.DELIVERING)
    # Ended before the grace period ran out: the stop starts at once.
    review = open_review(case, suspend_on=timezone.localdate())
    deliver(org, case, members[Role.SERVICES])

    complete(client_as(Role.SERVICES), review, outcome="ended", note="انتقل للعمل")

    with scope(organization=org):
        review.refresh_from_db()
    assert review.status == ReviewStatus.ENDED
    assert review.outcome_note == "انتقل للعمل"
    with pytest.raises(case_services.DeliveryRefused, match=stopped_by(review)):
        deliver(org, case, members[Role.SERVICES])
    # Nor does the next run open the review again (and so lift the stop).
    reviews.open_reviews(org, timezone.localdate() + datetime.timedelta(days=1))
    assert open_tasks(org) == []
    [message] = outbox(org, "review_completed")
    assert message.context["outcome"] == "ended"
    assert message.context["reasons"] == "انتقل للعمل"


def test_a_new_decision_after_an_ended_review_is_not_stopped(org, members):
    service = reviewed_service(org)
    case = receiving(org, service, datetime.date(2024, 1, 1))
    open_review(
        case,
        status=ReviewStatus.ENDED,
        completed_at=timezone.now() - datetime.timedelta(days=10),
        completed_by=members[Role.RESEARCHER],
    )
    fresh = receiving(
        org,
        service,
        timezone.localdate() - datetime.timedelta(days=2),
        beneficiary=case.beneficiary,
    )
    with scope(organization=org):
        assert review_outcomes.stopping_review(case) is not None
        assert review_outcomes.stopping_review(fresh) is None


def nothing_changed(org, review):
    with scope(organization=org):
        review.refresh_from_db()
        assert review.status == ReviewStatus.OPEN
        assert review.completed_at is None
        assert not EligibilityCheck.objects.exists()
    with scopes_disabled():
        assert not AuditEvent.objects.filter(
            object_type="eligibility.reviewtask", action="update"
        ).exists()
    assert outbox(org, "review_completed") == []


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "ended", "note": "   "},
        {"outcome": "cancelled"},
        {},
        {"outcome": "renewed", "note": "x" * 2001},
    ],
    ids=["ended-without-note", "not-an-outcome", "empty", "note-too-long"],
)
def test_bad_input_is_refused_and_changes_nothing(client_as, org, data):
    service = reviewed_service(org)
    review = open_review(receiving(org, service, datetime.date(2024, 1, 1)))
    response = complete(client_as(Role.RESEARCHER), review, **data)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "eligibility:review_detail", args=[review.pk]
    )
    assert error_messages(response)
    nothing_changed(org, review)


def test_completing_a_review_that_is_not_open_is_refused(client_as, org, members):
    service = reviewed_service(org)
    review = open_review(
        receiving(org, service, datetime.date(2024, 1, 1)),
        status=ReviewStatus.CANCELLED,
    )
    response = complete(client_as(Role.MANAGER), review, outcome="renewed")
    assert error_messages(response)
    with scope(organization=org):
        review.refresh_from_db()
        assert review.status == ReviewStatus.CANCELLED
        assert not EligibilityCheck.objects.exists()


def test_completing_twice_is_refused_the_second_time(org, members):
    service = reviewed_service(org)
    review = open_review(receiving(org, service, datetime.date(2024, 1, 1)))
    user = members[Role.RESEARCHER]
    with scope(organization=org):
        review_outcomes.complete_review(
            actor=user,
            membership=membership_of(user, org),
            review=review,
            outcome="renewed",
        )
        with pytest.raises(reviews.ReviewError):
            review_outcomes.complete_review(
                actor=user,
                membership=membership_of(user, org),
                review=review,
                outcome="ended",
                note="لا",
            )
        assert EligibilityCheck.objects.count() == 1


FAILING = [{"subject": Subject.AGE, "minimum": 150}]


def test_renewing_someone_who_fails_the_rules_is_refused(client_as, org):
    service = reviewed_service(org, criteria=FAILING)
    review = open_review(receiving(org, service, datetime.date(2024, 1, 1)))
    response = complete(
        client_as(Role.RESEARCHER), review, outcome="renewed", note="مستحق"
    )
    assert error_messages(response)
    nothing_changed(org, review)


def test_manager_may_renew_by_exception_with_a_note(client_as, org, members):
    service = reviewed_service(org, criteria=FAILING)
    review = open_review(receiving(org, service, datetime.date(2024, 1, 1)))
    client = client_as(Role.MANAGER)

    complete(client, review, outcome="renewed")
    nothing_changed(org, review)

    complete(client, review, outcome="renewed", note="حالة إنسانية")
    with scope(organization=org):
        review.refresh_from_db()
        check = review.evaluation
    assert review.status == ReviewStatus.RENEWED
    assert not check.eligible
    assert check.overridden_by == members[Role.MANAGER]
    assert check.override_reason == "حالة إنسانية"
    assert check.failed[0]["subject"] == Subject.AGE


# -- The pages ----------------------------------------------------------------


def test_queue_lists_open_reviews_stopped_first(client_as, org, members):
    service = reviewed_service(org)
    today = timezone.localdate()
    later = open_review(
        receiving(org, service, datetime.date(2024, 1, 1)),
        due_on=today,
        suspend_on=today + datetime.timedelta(days=30),
    )
    stopped = open_review(receiving(org, service, datetime.date(2024, 1, 1)))
    open_review(
        receiving(org, service, datetime.date(2024, 1, 1)),
        status=ReviewStatus.RENEWED,
        completed_at=timezone.now(),
    )

    response = client_as(Role.RESEARCHER).get(reverse("eligibility:review_queue"))

    assert [r.pk for r in response.context["page"]] == [stopped.pk, later.pk]
    page = response.content.decode()
    assert page.count('class="expired"') == 1
    assert "dual-date" in page


def test_queue_filters_by_service_and_mine(client_as, org, members):
    first, second = reviewed_service(org), reviewed_service(org)
    mine = open_review(
        receiving(org, first, datetime.date(2024, 1, 1)),
        assigned_to=members[Role.RESEARCHER],
    )
    theirs = open_review(receiving(org, second, datetime.date(2024, 1, 1)))
    client = client_as(Role.RESEARCHER)
    url = reverse("eligibility:review_queue")

    def listed(**query):
        return [r.pk for r in client.get(url, query).context["page"]]

    assert set(listed()) == {mine.pk, theirs.pk}
    assert listed(service=second.pk) == [theirs.pk]
    assert listed(mine="on") == [mine.pk]
    # A service id of nothing (or of another association) filters nothing.
    assert set(listed(service=999999)) == {mine.pk, theirs.pk}


def test_queue_queries_do_not_grow_with_reviews(
    client_as, org, members, django_assert_max_num_queries
):
    doc_type = doc_type_of(org, "income")
    service = reviewed_service(org, documents=[doc_type])
    client = client_as(Role.MANAGER)

    def add(count):
        for _ in range(count):
            case = receiving(org, service, datetime.date(2024, 1, 1))
            doc = document(org, case.beneficiary, doc_type, timezone.localdate())
            open_review(
                case,
                reason=ReviewReason.DOCUMENT,
                document=doc,
                assigned_to=members[Role.RESEARCHER],
            )

    url = reverse("eligibility:review_queue")
    add(3)
    with django_assert_max_num_queries(20) as few:
        response = client.get(url)
    assert len(response.context["page"]) == 3
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 15


def test_review_page_shows_the_evaluation_now(client_as, org):
    service = reviewed_service(
        org,
        criteria=[
            {"subject": Subject.AGE, "minimum": 150},
            {"subject": Subject.RESIDENCY, "values": ["citizen"]},
        ],
    )
    case = receiving(org, service, datetime.date(2024, 1, 1))
    review = open_review(case)

    response = client_as(Role.RESEARCHER).get(
        reverse("eligibility:review_detail", args=[review.pk])
    )

    assert response.status_code == 200
    evaluation = response.context["evaluation"]
    assert not evaluation.eligible
    assert [line.passed for line in evaluation.lines] == [False, True]
    page = response.content.decode()
    assert case.beneficiary.full_name in page
    assert service.name_ar in page
    assert response.context["form"] is not None
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action="view", object_type="eligibility.reviewtask"
        ).exists()


def test_completed_review_page_has_no_form(client_as, org):
    service = reviewed_service(org)
    review = open_review(
        receiving(org, service, datetime.date(2024, 1, 1)),
        status=ReviewStatus.RENEWED,
        completed_at=timezone.now(),
    )
    response = client_as(Role.RESEARCHER).get(
        reverse("eligibility:review_detail", args=[review.pk])
    )
    assert response.context["form"] is None


def test_another_associations_review_is_not_found(client_as, org, other_org):
    service = reviewed_service(other_org)
    review = open_review(receiving(other_org, service, datetime.date(2024, 1, 1)))
    client = client_as(Role.MANAGER)
    detail = reverse("eligibility:review_detail", args=[review.pk])
    assert client.get(detail).status_code == 404
    assert complete(client, review, outcome="renewed").status_code == 404
    with scopes_disabled():
        review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.COMMITTEE, Role.AUDITOR])
def test_roles_without_reviews_are_refused(client_as, org, role):
    service = reviewed_service(org)
    review = open_review(receiving(org, service, datetime.date(2024, 1, 1)))
    client = client_as(role)
    assert client.get(reverse("eligibility:review_queue")).status_code == 403
    assert complete(client, review, outcome="renewed").status_code == 403
    nothing_changed(org, review)
