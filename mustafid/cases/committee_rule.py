"""How the research committee decides one request (P-COMMITTEE): one plain rule.

- No decision without quorum: fewer members present than the quorum is refused.
- A majority of the votes cast decides; abstentions are not counted.
- A tie is broken by the chair's vote; a chair who is absent or abstained leaves
  the request undecided (it can go on a later agenda).
- When every vote is an abstention (or none was cast) there is no decision.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

APPROVE, REJECT, ABSTAIN = "approve", "reject", "abstain"
APPROVED, REJECTED, NO_DECISION = "approved", "rejected", "no_decision"


class NoQuorum(Exception):
    """Too few members present; `str(error)` says how many were needed."""


@dataclass(frozen=True)
class Decision:
    outcome: str  # APPROVED, REJECTED or NO_DECISION
    approve: int
    reject: int
    abstain: int
    chair_broke_tie: bool = False
    why_none: str = ""  # for NO_DECISION, in the reader's language

    @property
    def is_decided(self) -> bool:
        return self.outcome != NO_DECISION

    def as_dict(self) -> dict:
        return {"approve": self.approve, "reject": self.reject, "abstain": self.abstain}


def check_quorum(*, present: int, quorum: int) -> None:
    if present < quorum:
        raise NoQuorum(
            ngettext(
                "No quorum: %(present)s member is present and %(quorum)s are "
                "needed. The committee cannot decide.",
                "No quorum: %(present)s members are present and %(quorum)s are "
                "needed. The committee cannot decide.",
                present,
            )
            % {"present": present, "quorum": quorum}
        )


def decide(
    votes: Mapping[int, str], *, present: int, quorum: int, chair: int | None
) -> Decision:
    """The decision of votes {member id: choice} at a meeting with `present`
    members; `chair` is the chair's member id when the chair attends."""
    check_quorum(present=present, quorum=quorum)
    choices = list(votes.values())
    approve, reject = choices.count(APPROVE), choices.count(REJECT)
    counts = {"approve": approve, "reject": reject, "abstain": choices.count(ABSTAIN)}
    if approve > reject:
        return Decision(APPROVED, **counts)
    if reject > approve:
        return Decision(REJECTED, **counts)
    if approve == 0:
        return Decision(
            NO_DECISION, **counts, why_none=_("No vote for or against was cast.")
        )
    chair_vote = votes.get(chair) if chair is not None else None
    if chair_vote == APPROVE:
        return Decision(APPROVED, **counts, chair_broke_tie=True)
    if chair_vote == REJECT:
        return Decision(REJECTED, **counts, chair_broke_tie=True)
    return Decision(
        NO_DECISION,
        **counts,
        why_none=_("The votes are tied and the chair cast no deciding vote."),
    )
