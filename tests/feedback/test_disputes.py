"""Disputes (seed 004): the parties' statements, the designated authority's
decision, the outcome told to every party (P-COMPLAINTS item 3)."""

import pytest

from mustafid.core.roles import Role
from mustafid.feedback import disputes, services
from mustafid.feedback.models import Status
from tests.feedback.helpers import make_item, messages, reload, step

pytestmark = pytest.mark.django_db


def _hear(org, officer, item):
    step(
        org,
        disputes.add_statement,
        actor=officer,
        item=item,
        party="complainant",
        name="فهد الدوسري",
        statement="سُجلت في الدورة ثم أُلغي تسجيلي دون سبب.",
    )
    step(
        org,
        disputes.add_statement,
        actor=officer,
        item=item,
        party="other",
        name="مدرب الدورة",
        mobile="0559876543",
        statement="تغيب المستفيد ثلاث مرات متتالية.",
    )


def test_a_dispute_is_decided_after_hearing_both_parties(org, members):
    officer, manager = members[Role.RECEPTION], members[Role.MANAGER]
    item = make_item(org, kind="dispute")
    assert item.reference.startswith("DSP-")
    with pytest.raises(services.FeedbackRefused):
        step(org, services.resolve, actor=officer, item=item, resolution="تم.")
    with pytest.raises(services.FeedbackRefused):
        step(org, disputes.decide_dispute, actor=manager, item=item, decision="ق")
    _hear(org, officer, item)
    assert reload(item).status == Status.IN_PROGRESS
    decision = "يُعاد تسجيل المستفيد في الدورة القادمة دون رسوم."
    item = step(
        org, disputes.decide_dispute, actor=manager, item=item, decision=decision
    )
    assert item.status == Status.RESOLVED
    assert item.resolution == decision
    outcomes = messages(org, "dispute_outcome")
    assert {m.address for m in outcomes} == {"+966551234567", "+966559876543"}
    assert all(m.context["decision"] == decision for m in outcomes)


def test_only_the_designated_authority_decides(org, members):
    officer = members[Role.RECEPTION]
    item = make_item(org, kind="dispute")
    _hear(org, officer, item)
    with pytest.raises(services.FeedbackRefused):
        step(org, disputes.decide_dispute, actor=officer, item=item, decision="ق")
    assert reload(item).status == Status.IN_PROGRESS


def test_statements_are_for_open_disputes_only(org, members):
    item = make_item(org)  # a complaint
    with pytest.raises(services.FeedbackRefused):
        _hear(org, members[Role.RECEPTION], item)
