"""A complaint about a staff member is never assigned to that staff member,
nor shown to them, in any queue, page, figure or list (P-EVALCULTURE); only
managers handle complaints about staff."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.feedback import escalation, services
from mustafid.feedback.models import Level
from tests.conftest import make_member
from tests.factories import BeneficiaryFactory
from tests.feedback.helpers import make_item, reload, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(org):
    """A manager a beneficiary complains about."""
    return make_member(org, Role.MANAGER, first_name="ناصر", last_name="المطيري")


@pytest.fixture
def person(org):
    with scope(organization=org):
        return BeneficiaryFactory(organization=org)


@pytest.fixture
def about_them(org, subject, person):
    return make_item(
        org,
        sender="beneficiary",
        beneficiary=person,
        about="staff",
        about_staff=subject,
        received_at=timezone.now() - datetime.timedelta(days=60),
    )


def test_the_staff_member_concerned_sees_it_nowhere(
    client, org, subject, person, about_them
):
    client.force_login(subject)
    pages = [
        reverse("feedback:item_list"),
        reverse("feedback:item_list") + "?status=any&show=overdue",
        reverse("feedback:board"),
        reverse("registry:beneficiary_detail", args=[person.pk]) + "?tab=complaints",
    ]
    escalation.escalate_all()
    escalation.escalate_all()
    assert reload(about_them).level == Level.BOARD
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert about_them.reference not in html.unescape(response.content.decode())
    detail = reverse("feedback:item_detail", args=[about_them.pk])
    assert client.get(detail).status_code == 404
    assert (
        client.post(
            reverse("feedback:item_resolve", args=[about_them.pk]), {"text": "لا شيء"}
        ).status_code
        == 404
    )
    figures = client.get(reverse("feedback:figures"))
    assert figures.context["period"]["received"] == 0
    assert figures.context["open"]["open"] == 0


def test_another_manager_handles_it_and_cannot_give_it_to_the_subject(
    client, org, members, subject, about_them
):
    manager = members[Role.MANAGER]
    client.force_login(manager)
    detail = client.get(reverse("feedback:item_detail", args=[about_them.pk]))
    assert detail.status_code == 200
    choices = detail.context["assign_form"].fields["assigned_to"].queryset
    assert subject not in choices
    assert manager in choices
    assert members[Role.RECEPTION] not in choices  # not a manager
    response = client.post(
        reverse("feedback:item_assign", args=[about_them.pk]),
        {"assigned_to": subject.pk},
    )
    assert response.status_code == 400
    with pytest.raises(services.FeedbackRefused):
        step(org, services.assign, actor=manager, item=about_them, assignee=subject)
    assert reload(about_them).assigned_to is None


def test_officers_do_not_see_complaints_about_staff(client_as, about_them):
    client = client_as(Role.RECEPTION)
    page = client.get(reverse("feedback:item_list"))
    assert about_them.reference not in page.content.decode()
    detail = reverse("feedback:item_detail", args=[about_them.pk])
    assert client.get(detail).status_code == 404


def test_the_subject_cannot_take_it_in_hand(org, subject, about_them):
    with pytest.raises(services.FeedbackRefused):
        step(org, services.start, actor=subject, item=about_them)


def test_auditors_are_not_told_of_complaints_about_staff(org, members, about_them):
    """P-EVALCULTURE: raised to the board, it reaches managers only."""
    from tests.feedback.helpers import messages

    escalation.escalate_all()
    escalation.escalate_all()
    told = {m.staff for m in messages(org, "feedback_escalated")}
    assert members[Role.AUDITOR] not in told
    assert members[Role.MANAGER] in told
