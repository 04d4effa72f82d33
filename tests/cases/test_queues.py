"""Work queues per role (item 13) and deadline rules as data (item 8)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from mustafid.cases import escalation
from mustafid.cases.models import DeadlineRule
from mustafid.core.roles import Role
from tests.cases.helpers import make_case, make_channel, make_service
from tests.cases.research_helpers import assign, make_question

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def queue(client, name, **params):
    return client.get(reverse("cases:work_queue", args=[name]), params)


def numbers(response) -> set[str]:
    return {case.number for case in response.context["page"]}


@pytest.mark.parametrize(
    "name,inside,outside",
    [
        ("reception", ["submitted", "incomplete"], ["verifying", "approved"]),
        ("committee", ["in_committee"], ["researching", "approved"]),
        ("delivery", ["approved", "delivering"], ["rejected", "closed"]),
    ],
)
def test_each_role_sees_what_waits_for_it(client_as, org, name, inside, outside):
    shown = {make_case(org, status).number for status in inside}
    for status in outside:
        make_case(org, status)
    assert numbers(queue(client_as(Role.MANAGER), name)) == shown


def test_the_researcher_sees_the_undecided_requests_assigned_to_them(
    client_as, org, members
):
    """P-REFER-RESEARCH: the researcher's queue is their studies and questions."""
    me = members[Role.RESEARCHER]
    mine = make_case(org, "researching")
    assign(mine, me)
    decided = make_case(org, "approved")
    assign(decided, me)
    reassigned = make_case(org, "researching")
    with scope(organization=org):
        old = assign(reassigned, me)
        old.ended_at = timezone.now()
        old.save()
    assign(make_case(org, "researching"), members[Role.MANAGER])
    question = make_question(org, me)
    make_question(org, members[Role.MANAGER])
    response = queue(client_as(Role.RESEARCHER), "research")
    assert numbers(response) == {mine.number}
    assert list(response.context["questions"]) == [question]


def test_the_manager_sees_overdue_and_escalated_requests(client_as, org):
    """P-COMMITTEE: the manager is told when the promised answer is late."""
    escalation.ensure_default_rules(org)  # escalate on the due day
    late = make_case(org, "in_committee", decision_due=days(-1))
    due_today = make_case(org, "verifying", decision_due=days(0))
    make_case(org, "researching", decision_due=days(1))
    make_case(org, "approved", decision_due=days(-5))  # decided: not late
    client = client_as(Role.MANAGER)
    assert numbers(queue(client, "overdue")) == {late.number}
    assert numbers(queue(client, "escalated")) == {late.number, due_today.number}


def test_queues_sort_by_due_date_and_filter_by_service_and_channel(client_as, org):
    service = make_service(org)
    phone = make_channel(org, name_ar="الهاتف", kind="phone")
    later = make_case(org, "submitted", decision_due=days(9), service=service)
    sooner = make_case(org, "submitted", decision_due=days(2))
    with scope(organization=org):
        sooner.channel = phone
        sooner.save()
    client = client_as(Role.RECEPTION)
    response = queue(client, "reception")
    assert "status" not in response.context["form"].fields  # the queue chooses
    assert list(response.context["page"]) == [sooner, later]
    rows = list(queue(client, "reception", sort="-due").context["page"])
    assert rows == [later, sooner]
    assert numbers(queue(client, "reception", service=service.pk)) == {later.number}
    assert numbers(queue(client, "reception", channel=phone.pk)) == {sooner.number}


def test_a_bad_filter_is_shown_and_the_queue_still_answers(client_as, org, other_org):
    foreign = make_service(other_org)
    response = queue(client_as(Role.RECEPTION), "reception", service=foreign.pk)
    assert response.status_code == 200
    assert "service" in response.context["form"].errors


@pytest.mark.parametrize(
    "name,status,extra",
    [
        ("reception", "submitted", {}),
        ("research", "researching", {}),
        ("committee", "in_committee", {}),
        ("delivery", "approved", {}),
        ("overdue", "verifying", {"decision_due": days(-3)}),
        ("escalated", "verifying", {"decision_due": days(-3)}),
    ],
)
def test_queue_queries_do_not_grow_with_cases(
    client_as, org, members, django_assert_max_num_queries, name, status, extra
):
    """DESIGN §4: a page issues a bounded number of queries, whatever the rows."""
    escalation.ensure_default_rules(org)
    client = client_as(Role.MANAGER)

    def add(count):
        for _ in range(count):
            case = make_case(org, status, service=service, **extra)
            assign(case, members[Role.MANAGER])
            make_question(org, members[Role.MANAGER])

    service = make_service(org)
    add(3)
    with django_assert_max_num_queries(20) as few:
        response = queue(client, name)
    assert len(response.context["page"]) == 3
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = queue(client, name)
    assert response.context["page"].paginator.count == 30


@pytest.mark.parametrize(
    "role,home",
    [
        (Role.RECEPTION, "reception"),
        (Role.RESEARCHER, "research"),
        (Role.COMMITTEE, "committee"),
        (Role.SERVICES, "delivery"),
        (Role.MANAGER, "escalated"),
        (Role.ADMIN, "reception"),
    ],
)
def test_my_work_leads_each_role_to_its_queue(client_as, org, role, home):
    response = client_as(role).get(reverse("cases:queue_home"))
    assert response["Location"] == reverse("cases:work_queue", args=[home])


def test_the_auditor_has_no_queue_and_unknown_queues_are_not_found(client_as, org):
    client = client_as(Role.AUDITOR)
    assert client.get(reverse("cases:queue_home")).status_code == 403
    assert queue(client_as(Role.MANAGER), "nowhere").status_code == 404


def test_the_dashboard_links_the_roles_queues_with_their_sizes(client_as, org):
    make_case(org, "submitted")
    make_case(org, "incomplete")
    response = client_as(Role.RECEPTION).get(reverse("core:dashboard"))
    body = response.content.decode()
    assert reverse("cases:work_queue", args=["reception"]) in body
    assert reverse("cases:work_queue", args=["committee"]) not in body
    assert "<strong>2</strong>" in body
    assert reverse("cases:queue_home") in body  # the navigation


# Deadline rules (item 8)


def test_default_rules_are_seeded_once_and_edits_are_kept(org, other_org):
    with scope(organization=org):
        rules = escalation.ensure_default_rules(org)
        assert {(r.days, r.action, r.notify_role) for r in rules} == set(
            escalation.DEFAULT_RULES
        )
        DeadlineRule.objects.filter(action="remind").delete()
        escalation.ensure_default_rules(org)
        assert DeadlineRule.objects.count() == 1
    with scope(organization=other_org):
        assert len(escalation.ensure_default_rules(other_org)) == 3


def test_escalation_follows_the_associations_rules(org, other_org):
    """P-COMMITTEE: when the manager is told is the association's own data."""
    two_days_left = make_case(org, "in_committee", decision_due=days(2))
    make_case(other_org, "in_committee", decision_due=days(-9))
    with scope(organization=org):
        assert not escalation.escalated().exists()  # no rules, no escalation
        rule = DeadlineRule.objects.create(
            organization=org, days=-2, action="escalate", notify_role=Role.MANAGER
        )
        assert list(escalation.escalated()) == [two_days_left]
        assert not escalation.escalated(on=days(-1)).exists()
        rule.is_active = False
        rule.save()
        assert not escalation.escalated().exists()


def test_a_rule_fires_on_its_day_only(org):
    case = make_case(org, "researching", decision_due=days(3))
    with scope(organization=org):
        rule = DeadlineRule.objects.create(
            organization=org, days=-3, action="remind", notify_role=Role.RESEARCHER
        )
        assert list(escalation.cases_for_rule(rule, on=TODAY)) == [case]
        assert not escalation.cases_for_rule(rule, on=days(1)).exists()
