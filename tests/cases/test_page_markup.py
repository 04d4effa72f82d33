"""Markup faults the browser journey found (tests/e2e/test_case_journey.py):
each label must name its own field, and the meeting's status must not borrow
the request page's label of the decision's date, nor the link to a file the
adjective of an open question."""

import re
from collections import Counter

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from mustafid.cases.models import MeetingStatus, QuestionStatus
from mustafid.core.roles import Role
from tests.cases.committee_helpers import add_item, held_meeting, seat
from tests.cases.helpers import add_delivery, make_case
from tests.factories import TINY_PNG

ID = re.compile(r'\sid="([^"]+)"')


def duplicate_ids(html: str) -> list[str]:
    return [id_ for id_, count in Counter(ID.findall(html)).items() if count > 1]


def test_the_request_page_gives_each_form_its_own_ids(client_as, org):
    """Several next steps (each a form with a note) and the delivery form share
    the page: a repeated id made every "Note" label name the first one only."""
    verifying = make_case(org, "verifying")
    page = (
        client_as(Role.RECEPTION)
        .get(reverse("cases:case_detail", args=[verifying.pk]))
        .text
    )
    assert page.count('name="note"') > 1
    assert duplicate_ids(page) == []

    delivering = make_case(org, "delivering")
    page = (
        client_as(Role.SERVICES)
        .get(reverse("cases:case_detail", args=[delivering.pk]))
        .text
    )
    assert 'id="id_delivery_note"' in page
    assert duplicate_ids(page) == []


def test_the_committee_item_page_gives_each_form_its_own_ids(client, org, members):
    """The vote, the reasons and setting aside each have a note."""
    chair = seat(org, members[Role.MANAGER], chair=True)
    item = add_item(held_meeting(org, [chair, seat(org)], chair=chair))
    client.force_login(members[Role.MANAGER])
    page = client.get(reverse("cases:committee_item", args=[item.pk])).text
    assert page.count('name="note"') == 3
    assert duplicate_ids(page) == []


def test_messages_keep_their_list_semantics(client_as, org):
    """role="status" on the <ul> itself hid its items' list from assistive
    technology (axe: listitem); the live region wraps the list instead."""
    case = make_case(org, "submitted")
    client = client_as(Role.RECEPTION)
    response = client.post(
        reverse("cases:case_move", args=[case.pk, "verifying"]),
        {"version": case.version},
        follow=True,
    )
    html = response.text
    assert '<div role="status"><ul class="messages">' in html
    assert '<ul class="messages" role="status">' not in html


def test_a_decided_meeting_is_not_labelled_with_the_decision_date():
    """In Arabic the plain "Decided" is the request page's "date of the
    decision" (تاريخ القرار); the meeting's status has its own context."""
    with translation.override("ar"):
        assert str(MeetingStatus.DECIDED.label) != translation.gettext("Decided")
        assert str(MeetingStatus.DECIDED.label) != "تاريخ القرار"


def test_the_link_to_a_delivery_proof_is_not_the_open_question_status(client_as, org):
    """In Arabic the plain "Open" is a question's state (مفتوح); the link that
    opens the receipt has its own context."""
    delivery = add_delivery(make_case(org, "delivering"))
    with scope(organization=org):
        delivery.proof.save("receipt.png", ContentFile(TINY_PNG))
    page = client_as(Role.SERVICES).get(
        reverse("cases:case_detail", args=[delivery.case_id])
    )
    link = re.search(r'/proof/"[^>]*>([^<]+)</a>', page.text).group(1)
    with translation.override("ar"):
        assert link != str(QuestionStatus.OPEN.label)
