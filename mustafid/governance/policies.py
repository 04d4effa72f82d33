"""Which policy version is in force (P-APPROVAL, P-REVIEW)."""

import datetime

from mustafid.core.models import Organization
from mustafid.governance.models import PolicyVersion


def policy_in_force(
    organization: Organization, day: datetime.date
) -> PolicyVersion | None:
    """The latest version the board approved on or before `day`; a version
    without a board meeting date is not approved yet."""
    return (
        PolicyVersion.objects.filter(
            organization=organization,
            board_meeting_date__isnull=False,
            board_meeting_date__lte=day,
        )
        .order_by("-board_meeting_date", "-id")
        .first()
    )
