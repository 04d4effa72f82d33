"""Eligibility data: versioned rules, stored evaluations, reviews, invitations."""

from mustafid.eligibility.models.checks import EligibilityCheck, Stage
from mustafid.eligibility.models.outreach import (
    MatchInvitation,
    ReviewReason,
    ReviewStatus,
    ReviewTask,
)
from mustafid.eligibility.models.rules import (
    CHOICE_SUBJECTS,
    FIELDS_READ,
    RANGE_SUBJECTS,
    Combine,
    Criterion,
    RuleSet,
    RuleSetQuerySet,
    Subject,
    shape_problem,
)

__all__ = [
    "CHOICE_SUBJECTS",
    "FIELDS_READ",
    "RANGE_SUBJECTS",
    "Combine",
    "Criterion",
    "EligibilityCheck",
    "MatchInvitation",
    "ReviewReason",
    "ReviewStatus",
    "ReviewTask",
    "RuleSet",
    "RuleSetQuerySet",
    "Stage",
    "Subject",
    "shape_problem",
]
