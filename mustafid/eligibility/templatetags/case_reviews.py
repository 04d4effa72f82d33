"""`{% case_review_notice case %}`: the case page tells when a periodic review
is due or stops deliveries (P-PERIODIC), without widening the case view."""

from django import template
from django.utils import timezone

from mustafid.core.roles import Perm
from mustafid.eligibility import review_outcomes, reviews
from mustafid.eligibility.models import ReviewStatus, ReviewTask

register = template.Library()


@register.inclusion_tag("eligibility/review_case_notice.html", takes_context=True)
def case_review_notice(context, case):
    if case.status not in reviews.RECEIVING:
        return {}
    today = timezone.localdate()
    stopping = review_outcomes.stopping_review(case, today)
    review = stopping or (
        ReviewTask.objects.filter(
            beneficiary_id=case.beneficiary_id,
            service_id=case.service_id,
            status=ReviewStatus.OPEN,
        ).first()
    )
    membership = context["request"].membership
    return {
        "review": review,
        "stop_message": review_outcomes.stop_message(stopping) if stopping else "",
        "can_review": membership is not None
        and membership.has_perm(Perm.REVIEW_ELIGIBILITY),
    }
