"""The eligibility review routes in the permission matrix."""

import datetime

from django.utils import timezone
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.eligibility.models import ReviewReason, ReviewTask
from tests.cases.helpers import make_case

# Roles holding Perm.REVIEW_ELIGIBILITY.
REVIEWERS = frozenset({Role.RESEARCHER, Role.SERVICES, Role.MANAGER})


def _review(org):
    case = make_case(org, "approved")
    today = timezone.localdate()
    with scope(organization=org):
        review = ReviewTask.objects.create(
            organization=org,
            beneficiary=case.beneficiary,
            service=case.service,
            case=case,
            reason=ReviewReason.CYCLE,
            due_on=today,
            suspend_on=today + datetime.timedelta(days=30),
        )
    return {"pk": review.pk}


def routes(Route) -> list:
    return [
        Route("eligibility:review_queue", REVIEWERS),
        Route("eligibility:review_detail", REVIEWERS, kwargs=_review),
        # Posted empty, the form is refused with a message and a redirect.
        Route("eligibility:review_complete", REVIEWERS, "post", _review, (302,)),
    ]
