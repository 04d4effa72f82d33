"""The periodic review queue and a review's page (P-PERIODIC)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.eligibility import review_outcomes, reviews
from mustafid.eligibility.evaluation import evaluate
from mustafid.eligibility.models import ReviewStatus, ReviewTask
from mustafid.eligibility.review_forms import ReviewCompleteForm, ReviewFilterForm
from mustafid.eligibility.services import current_rules

PAGE_SIZE = 50


def _review_for(request, pk: int) -> ReviewTask:
    return get_for_org(
        request,
        ReviewTask.objects.select_related(
            "beneficiary",
            "service",
            "case",
            "document__document_type",
            "assigned_to",
            "completed_by",
            "evaluation",
        ),
        pk=pk,
    )


@require_GET
@staff_view(Perm.REVIEW_ELIGIBILITY)
def review_queue(request):
    """Open reviews, those stopping deliveries first."""
    form = ReviewFilterForm(request.GET or None)
    open_reviews = ReviewTask.objects.filter(status=ReviewStatus.OPEN).select_related(
        "beneficiary", "service", "case", "document__document_type", "assigned_to"
    )
    if form.is_valid():
        open_reviews = form.filter(open_reviews, request.user)
    open_reviews = open_reviews.order_by("suspend_on", "due_on", "id")
    page = Paginator(open_reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "eligibility/review_queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


@require_GET
@staff_view(Perm.REVIEW_ELIGIBILITY)
@transaction.atomic
def review_detail(request, pk: int):
    review = _review_for(request, pk)
    # P-PRIVACY: the page shows the beneficiary's data; opening it is audited.
    record_for_request(request, AuditAction.VIEW, obj=review)
    today = timezone.localdate()
    rules = current_rules(review.service)
    evaluation = evaluate(rules, review.beneficiary, today)
    return TemplateResponse(
        request,
        "eligibility/review_detail.html",
        {
            "review": review,
            "rules": rules,
            "evaluation": evaluation,
            "stopped": review.status == ReviewStatus.OPEN and review.suspend_on < today,
            "can_override": request.membership.has_perm(Perm.OVERRIDE_ELIGIBILITY),
            "form": ReviewCompleteForm()
            if review.status == ReviewStatus.OPEN
            else None,
        },
    )


@require_POST
@staff_view(Perm.REVIEW_ELIGIBILITY)
def review_complete(request, pk: int):
    review = _review_for(request, pk)
    form = ReviewCompleteForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("eligibility:review_detail", pk=review.pk)
    try:
        review_outcomes.complete_review(
            actor=request.user,
            membership=request.membership,
            review=review,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            request=request,
        )
    except reviews.ReviewError as error:
        messages.error(request, str(error))
        return redirect("eligibility:review_detail", pk=review.pk)
    if form.cleaned_data["outcome"] == ReviewStatus.RENEWED:
        messages.success(request, _("The review is complete: the service continues."))
    else:
        messages.success(request, _("The review is complete: the service has ended."))
    return redirect("eligibility:review_queue")
