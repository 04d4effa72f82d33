"""The committee's decision rule, as a table (P-COMMITTEE). No database."""

import pytest
from django.utils import translation

from mustafid.cases.committee_rule import (
    APPROVED,
    NO_DECISION,
    REJECTED,
    NoQuorum,
    decide,
)

A, R, X = "approve", "reject", "abstain"
CHAIR = 1


def votes(*choices):
    """Member ids 1, 2, 3… in order; member 1 is the chair."""
    return dict(enumerate(choices, start=1))


@pytest.mark.parametrize(
    "cast,outcome,broke_tie",
    [
        # A majority of the votes cast decides.
        (votes(A, A, R), APPROVED, False),
        (votes(R, R, A), REJECTED, False),
        (votes(A, A, A, A, A), APPROVED, False),
        # Abstentions are not counted: 1 against 0 decides.
        (votes(X, X, A), APPROVED, False),
        (votes(X, R, X, X), REJECTED, False),
        (votes(A, X, R, R), REJECTED, False),
        # A tie: the chair's side wins.
        (votes(A, R), APPROVED, True),
        (votes(R, A), REJECTED, True),
        (votes(A, R, X, A, R), APPROVED, True),
        # A tie the chair did not break: the chair abstained or did not vote.
        (votes(X, A, R), NO_DECISION, False),
        ({2: A, 3: R}, NO_DECISION, False),
        # Everyone abstained, or nobody voted.
        (votes(X, X, X), NO_DECISION, False),
        ({}, NO_DECISION, False),
    ],
)
def test_the_decision_rule_table(cast, outcome, broke_tie):
    """P-COMMITTEE: majority of votes cast, abstentions aside, chair breaks ties."""
    decision = decide(cast, present=max(len(cast), 3), quorum=3, chair=CHAIR)
    assert decision.outcome == outcome
    assert decision.chair_broke_tie is broke_tie
    assert decision.is_decided is (outcome != NO_DECISION)
    assert decision.approve + decision.reject + decision.abstain == len(cast)


def test_an_absent_chair_breaks_no_tie():
    """P-COMMITTEE: only a chair present (chair=None) has a casting vote."""
    decision = decide(votes(A, R), present=2, quorum=2, chair=None)
    assert decision.outcome == NO_DECISION
    assert decision.why_none


@pytest.mark.parametrize("present,quorum", [(0, 1), (2, 3), (4, 5)])
def test_no_decision_without_quorum(present, quorum):
    """P-COMMITTEE: fewer members present than the quorum cannot decide, even
    with a unanimous vote."""
    with pytest.raises(NoQuorum) as refused:
        decide(votes(*[A] * present), present=present, quorum=quorum, chair=CHAIR)
    assert str(quorum) in str(refused.value)


def test_the_quorum_itself_is_enough():
    decision = decide(votes(A, R, R), present=3, quorum=3, chair=CHAIR)
    assert decision.outcome == REJECTED


def test_the_no_quorum_message_is_plain_arabic():
    with translation.override("ar"), pytest.raises(NoQuorum) as refused:
        decide({}, present=1, quorum=3, chair=None)
    assert "3" in str(refused.value)
    assert str(refused.value) != ""


def test_why_there_is_no_decision_is_said():
    everyone_abstained = decide(votes(X, X), present=2, quorum=2, chair=CHAIR)
    tie = decide(votes(X, A, R), present=3, quorum=2, chair=CHAIR)
    assert everyone_abstained.why_none and tie.why_none
    assert everyone_abstained.why_none != tie.why_none
    assert everyone_abstained.as_dict() == {"approve": 0, "reject": 0, "abstain": 2}
