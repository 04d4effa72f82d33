"""Each transition of a feedback item (P-COMPLAINTS, seed 004), with its
timeline event, audit event and the sender's message."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_scopes import scope

from mustafid.contact.models import Interaction
from mustafid.core.hijri import to_hijri
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Role
from mustafid.feedback import services
from mustafid.feedback.models import FeedbackEvent, Status
from tests.factories import BeneficiaryFactory
from tests.feedback.helpers import make_item, messages, reload, step

pytestmark = pytest.mark.django_db


def test_an_item_is_acknowledged_at_once_and_the_sender_gets_the_reference(org):
    """Item 2: new → acknowledged automatically, the reference sent."""
    item = make_item(org)
    year = to_hijri(timezone.localdate()).year
    assert item.reference == f"CMP-{year}-000001"
    assert item.status == Status.ACKNOWLEDGED
    assert item.acknowledged_at is not None
    with scope(organization=org):
        steps = list(
            FeedbackEvent.objects.filter(item=item).values_list(
                "from_status", "to_status"
            )
        )
        assert steps == [("", "new"), ("new", "acknowledged")]
        assert AuditEvent.objects.filter(object_id=str(item.pk)).exists()
        # The contact log shows it (P-RECEIVE).
        assert Interaction.objects.get().subject.endswith(item.reference)
    (message,) = messages(org, "complaint_acknowledged")
    assert message.address == "+966551234567"
    assert message.context["reference"] == item.reference
    assert "/feedback/t/" in message.context["link"]


def test_references_count_on_across_kinds_with_their_own_prefix(org):
    make_item(org)
    suggestion = make_item(org, kind="suggestion")
    assert suggestion.reference.startswith("SUG-")
    assert suggestion.reference.endswith("-000002")
    assert messages(org, "feedback_acknowledged")


def test_an_anonymous_item_is_acknowledged_without_a_message(org):
    item = make_item(org, sender="anonymous", sender_name="", sender_mobile="")
    assert item.status == Status.ACKNOWLEDGED
    assert messages(org) == []


def test_a_beneficiary_is_answered_by_their_preferred_way(org):
    with scope(organization=org):
        person = BeneficiaryFactory(organization=org)
    item = make_item(org, sender="beneficiary", beneficiary=person)
    (message,) = messages(org)
    assert message.beneficiary == person
    assert item.sender_name == ""


def test_bad_input_is_refused_and_nothing_is_written(org):
    for bad in (
        {"description": "  "},
        {"kind": "praise"},
        {"sender": "other", "sender_name": ""},
        {"sender_mobile": "12"},
        {"about": "staff"},
    ):
        with pytest.raises(services.FeedbackRefused):
            make_item(org, **bad)
    with scope(organization=org):
        assert not FeedbackEvent.objects.exists()


def test_starting_resolving_and_closing(org, members):
    """in progress → resolved (the resolution sent) → closed (one question)."""
    officer = members[Role.RECEPTION]
    item = make_item(org)
    item = step(org, services.start, actor=officer, item=item)
    assert (item.status, item.assigned_to) == (Status.IN_PROGRESS, officer)
    item = step(
        org, services.resolve, actor=officer, item=item, resolution="سُلّمت السلة."
    )
    assert item.status == Status.RESOLVED
    (resolved,) = messages(org, "complaint_resolved")
    assert resolved.context["resolution"] == "سُلّمت السلة."
    item = step(org, services.close, actor=officer, item=item)
    assert item.status == Status.CLOSED and item.closed_at
    (question,) = messages(org, "complaint_satisfaction")
    assert "/feedback/t/" in question.context["link"]


def test_a_resolution_must_say_what_was_done(org, members):
    item = make_item(org)
    with pytest.raises(services.FeedbackRefused):
        step(
            org,
            services.resolve,
            actor=members[Role.RECEPTION],
            item=item,
            resolution=" ",
        )
    assert reload(item).status == Status.ACKNOWLEDGED


def test_transitions_outside_the_table_are_refused(org, members):
    officer = members[Role.RECEPTION]
    item = make_item(org)
    with pytest.raises(services.FeedbackRefused):
        step(org, services.close, actor=officer, item=item)  # not resolved
    step(org, services.resolve, actor=officer, item=item, resolution="تم.")
    with pytest.raises(services.FeedbackRefused):
        step(org, services.start, actor=officer, item=item)
    with pytest.raises(services.FeedbackRefused):
        step(org, services.resolve, actor=officer, item=item, resolution="مرة أخرى")


def test_a_compliment_is_thanked_and_closed_without_a_question(org, members):
    item = make_item(org, kind="compliment")
    item = step(org, services.close, actor=members[Role.RECEPTION], item=item)
    assert item.status == Status.CLOSED
    assert messages(org, "complaint_satisfaction") == []


def test_the_sender_may_reopen_within_the_window_only(org, members, settings):
    """Item 2: the sender may reopen within N days; new targets from that day."""
    settings.FEEDBACK_REOPEN_DAYS = 14
    officer = members[Role.RECEPTION]
    item = make_item(org)
    step(org, services.resolve, actor=officer, item=item, resolution="تم.")
    later = timezone.now() + datetime.timedelta(days=10)
    with time_machine.travel(later, tick=False):
        item = step(org, services.reopen, actor=None, item=item, reason="لم تصل.")
        assert item.status == Status.IN_PROGRESS
        assert item.reopen_count == 1
        assert item.resolve_due_at > later
    assert messages(org, "complaint_reopened")
    step(org, services.resolve, actor=officer, item=item, resolution="وصلت.")
    too_late = timezone.now() + datetime.timedelta(days=15)
    with (
        time_machine.travel(too_late, tick=False),
        pytest.raises(services.FeedbackRefused),
    ):
        step(org, services.reopen, actor=None, item=item, reason="ما زالت.")
    assert reload(item).status == Status.RESOLVED


def test_satisfaction_is_answered_once_after_closing(org, members):
    """Item 4: one question on closing, answered once."""
    officer = members[Role.RECEPTION]
    item = make_item(org)
    with pytest.raises(services.FeedbackRefused):
        step(org, services.record_satisfaction, item=item, score=5)
    step(org, services.resolve, actor=officer, item=item, resolution="تم.")
    step(org, services.close, actor=officer, item=item)
    with pytest.raises(services.FeedbackRefused):
        step(org, services.record_satisfaction, item=item, score=9)
    item = step(org, services.record_satisfaction, item=item, score=4)
    assert (item.satisfaction, item.satisfaction_by_staff) == (4, False)
    with pytest.raises(services.FeedbackRefused):
        step(org, services.record_satisfaction, item=item, score=1, actor=officer)
    assert reload(item).satisfaction == 4
