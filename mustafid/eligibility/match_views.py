"""P-GOAL pages: who qualifies for a service and never asked, and telling them."""

from functools import cached_property
from math import ceil

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mustafid.catalog.models import Service
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.eligibility import invitations
from mustafid.eligibility.evaluation import describe_all
from mustafid.eligibility.models import MatchInvitation, RuleSet
from mustafid.eligibility.services import current_rules
from mustafid.registry.models import Category

PAGE_SIZE = 25
# What a row shows; the rest of the record (40 columns, a second encrypted
# value) is not read.
ROW_FIELDS = (
    "first_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "identity_number",
    "region",
    "contact_consent",
    "preferred_contact",
    "created_at",
)


class _CountedPaginator(Paginator):
    """A paginator given the count already made, not counting again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def _service_for(request, pk) -> Service:
    """An active service within the remit of the current association, or 404:
    nobody is told of a service the association does not offer."""
    return get_for_org(request, Service.objects.open_for_intake(), pk=pk)


@require_GET
@staff_view(Perm.MATCH_BENEFICIARIES)
def match_services(request):
    current = RuleSet.objects.filter(service=OuterRef("pk"), is_current=True)
    invited = (
        MatchInvitation.objects.filter(service=OuterRef("pk"))
        .order_by()
        .values("service")
        .annotate(n=Count("pk"))
        .values("n")
    )
    services = (
        Service.objects.open_for_intake()
        .annotate(
            rules_version=Subquery(current.values("version")[:1]),
            invited=Subquery(invited),
        )
        .order_by("name_ar", "id")
    )
    return TemplateResponse(
        request, "eligibility/match_services.html", {"services": services}
    )


def _page_number(value) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def _page_of_matches(rows, number: int) -> tuple[Page, invitations.MatchSlice]:
    """One page of `rows` and the counts, in one pass over the registry (two when
    a stale link asks for a page past the end: the last page is shown)."""
    start = (number - 1) * PAGE_SIZE
    found = invitations.slice_of_matches(rows, start, start + PAGE_SIZE)
    if found is None:
        first = invitations.slice_of_matches(rows, 0, PAGE_SIZE)
        number = max(ceil(first.total / PAGE_SIZE), 1)
        start = (number - 1) * PAGE_SIZE
        if number > 1:
            found = invitations.slice_of_matches(rows, start, start + PAGE_SIZE)
        if found is None:  # one page only, or the list shrank meanwhile
            number, found = 1, first
    paginator = _CountedPaginator(rows, PAGE_SIZE, count=found.total)
    return Page(found.rows, number, paginator), found


@require_GET
@staff_view(Perm.MATCH_BENEFICIARIES)
def match_list(request, service_pk: int):
    service = _service_for(request, service_pk)
    rule_set = current_rules(service)
    matches = invitations.unapplied_matches(service, timezone.localdate(), rule_set)
    rows = matches.only(*ROW_FIELDS).prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "id"))
    )
    page, found = _page_of_matches(rows, _page_number(request.GET.get("page")))
    return TemplateResponse(
        request,
        "eligibility/match_list.html",
        {
            "service": service,
            "rule_set": rule_set,
            "conditions": describe_all(rule_set.conditions()),
            "counts": {"total": found.total, "consented": found.consented},
            "page": page,
            "per_run": invitations.INVITATIONS_PER_RUN,
            "recent_months": invitations.RECENT_REQUEST_MONTHS,
        },
    )


@require_POST
@staff_view(Perm.MATCH_BENEFICIARIES)
def match_invite(request, service_pk: int):
    service = _service_for(request, service_pk)
    run = invitations.invite_matches(
        actor=request.user, service=service, request=request
    )
    if run.invited:
        messages.success(
            request,
            ngettext(
                "%(count)s beneficiary will be told about the service.",
                "%(count)s beneficiaries will be told about the service.",
                run.invited,
            )
            % {"count": run.invited},
        )
    else:
        messages.info(
            request, _("Nobody left to tell: everyone who agreed was told already.")
        )
    if run.remaining:
        messages.info(
            request,
            ngettext(
                "%(count)s more agreed to be contacted; they are told in the next run.",
                "%(count)s more agreed to be contacted; they are told in the next run.",
                run.remaining,
            )
            % {"count": run.remaining},
        )
    return redirect("eligibility:match_list", service_pk=service.pk)
