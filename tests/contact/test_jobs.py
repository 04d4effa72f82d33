"""The periodic jobs through the real queue and worker (issue 6 item 7):
deadline reminders (P-COMMITTEE) are queued once however often the job runs,
and the scheduler, the database queue and `mustafid worker` carry a message to
the SMS gateway."""

import datetime

import pytest
from django.core.management import call_command
from django_scopes import scope

from mustafid.cases.escalation import ensure_default_rules
from mustafid.contact.outbox import OutboxMessage, OutboxStatus
from mustafid.contact.reminders import queue_deadline_reminders
from mustafid.core.roles import Role
from mustafid.core.scheduling import Job, tick
from tests.cases.helpers import make_case
from tests.conftest import make_member

TODAY = datetime.date(2026, 11, 22)


def reminders(org) -> list[OutboxMessage]:
    with scope(organization=org):
        return list(
            OutboxMessage.objects.filter(event="deadline_reminder").order_by("id")
        )


@pytest.mark.django_db
def test_the_committee_is_reminded_the_day_before_once_however_often_it_runs(org):
    """The default rules: the researcher three days ahead, the committee the day
    before, the manager on the day. A second run the same day queues nothing."""
    ensure_default_rules(org)
    members = [make_member(org, Role.COMMITTEE) for _ in range(2)]
    make_member(org, Role.MANAGER)
    due_tomorrow = make_case(
        org, "in_committee", decision_due=TODAY + datetime.timedelta(days=1)
    )
    make_case(org, "in_committee", decision_due=TODAY + datetime.timedelta(days=9))
    make_case(org, "approved", decision_due=TODAY + datetime.timedelta(days=1))
    assert queue_deadline_reminders(TODAY) == {org.slug: 2}
    assert queue_deadline_reminders(TODAY) == {org.slug: 0}
    told = reminders(org)
    assert {m.staff for m in told} == set(members)
    assert {m.context["case"] for m in told} == {due_tomorrow.number}
    # The next day brings the manager's escalation, not the committee's again.
    assert queue_deadline_reminders(TODAY + datetime.timedelta(days=1)) == {org.slug: 1}


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_queue_and_worker_carry_a_message_to_the_gateway(
    org, sms_gateway, settings
):
    settings.QUIET_HOURS = (0, 0)  # whatever the hour the suite runs at
    case = make_case(org, "submitted", decision_due=TODAY)
    with scope(organization=org):
        from mustafid.cases.transitions import _queue_message

        message = _queue_message(case, "case_received", {})
    jobs = {
        "send_messages": Job(
            "mustafid.contact.tasks.send_messages_task",
            every=datetime.timedelta(minutes=1),
        )
    }
    assert tick(jobs=jobs) == ["send_messages"]
    assert sms_gateway.requests == []  # queued, not yet run
    call_command("worker", batch=True)
    assert len(sms_gateway.requests) == 1
    assert case.number in sms_gateway.last.body["body"]
    with scope(organization=org):
        assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT


@pytest.mark.django_db
def test_overdue_inquiries_remind_the_assignee_or_the_managers_once_a_day(org):
    """P-INFO (seed 004, "without delay"): an inquiry past its target is
    brought to whoever holds it, else to the managers; each day once."""
    from mustafid.contact import services
    from mustafid.contact.reminders import queue_inquiry_reminders
    from tests.contact.helpers import make_inquiry
    from tests.contact.test_inquiries import THURSDAY, at

    managers = [make_member(org, Role.MANAGER) for _ in range(2)]
    officer = make_member(org, Role.RECEPTION)
    unassigned = make_inquiry(org, received_at=at(THURSDAY))
    assigned = make_inquiry(org, received_at=at(THURSDAY))
    answered = make_inquiry(org, received_at=at(THURSDAY))
    with scope(organization=org):
        services.assign_inquiry(actor=None, inquiry=assigned, assignee=officer)
        services.answer_inquiry(actor=None, inquiry=answered, answer="نعم")
    monday = at(THURSDAY + datetime.timedelta(days=4), 9)
    assert queue_inquiry_reminders(monday) == {org.slug: 3}
    assert queue_inquiry_reminders(monday) == {org.slug: 0}
    with scope(organization=org):
        told = OutboxMessage.objects.filter(event="inquiry_overdue")
        by_reference = {(m.context["reference"], m.staff) for m in told}
    assert by_reference == {
        (unassigned.reference, managers[0]),
        (unassigned.reference, managers[1]),
        (assigned.reference, officer),
    }
    tuesday = monday + datetime.timedelta(days=1)
    assert queue_inquiry_reminders(tuesday) == {org.slug: 3}


@pytest.mark.django_db
def test_the_yearly_policy_review_reminds_managers_and_admins_monthly(org, other_org):
    """P-REVIEW (seed 002, "annual update"): a year after the board approved the
    current policy, the managers and admins are reminded, once a month until a
    newer version is approved."""
    from mustafid.contact.reminders import queue_policy_reviews
    from mustafid.governance.models import PolicyVersion

    manager = make_member(org, Role.MANAGER)
    admin = make_member(org, Role.ADMIN)
    make_member(org, Role.RECEPTION)
    make_member(other_org, Role.MANAGER)
    with scope(organization=org):
        PolicyVersion.objects.create(
            organization=org,
            number="1",
            title_ar="سياسة تنظيم العلاقة مع المستفيدين",
            text="…",
            board_meeting_date=datetime.date(2025, 11, 20),
        )
    with scope(organization=other_org):
        PolicyVersion.objects.create(
            organization=other_org,
            number="3",
            title_ar="سياسة تنظيم العلاقة مع المستفيدين",
            text="…",
            board_meeting_date=datetime.date(2026, 6, 1),
        )
    assert queue_policy_reviews(datetime.date(2026, 11, 19)) == {
        org.slug: 0,
        other_org.slug: 0,
    }
    assert queue_policy_reviews(TODAY) == {org.slug: 2, other_org.slug: 0}
    assert queue_policy_reviews(TODAY + datetime.timedelta(days=5)) == {
        org.slug: 0,
        other_org.slug: 0,
    }
    with scope(organization=org):
        told = OutboxMessage.objects.filter(event="policy_review_due")
        assert {m.staff for m in told} == {manager, admin}
        PolicyVersion.objects.create(
            organization=org,
            number="2",
            title_ar="سياسة تنظيم العلاقة مع المستفيدين",
            text="…",
            board_meeting_date=datetime.date(2026, 11, 30),
        )
    assert queue_policy_reviews(datetime.date(2026, 12, 22))[org.slug] == 0
