from django.core.paginator import Paginator
from django.db import transaction
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.registry.models import Beneficiary

PAGE_SIZE = 25


@require_GET
@staff_view(Perm.VIEW_BENEFICIARIES)
def beneficiary_list(request):
    query = request.GET.get("q", "").strip()[:100]
    beneficiaries = Beneficiary.objects.search(query)
    page = Paginator(beneficiaries, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "registry/beneficiary_list.html", {"page": page, "query": query}
    )


@require_GET
@staff_view(Perm.VIEW_BENEFICIARIES)
@transaction.atomic
def beneficiary_detail(request, pk: int):
    beneficiary = get_for_org(request, Beneficiary, pk=pk)
    # P-PRIVACY: every opening of a beneficiary's record is audited.
    record_for_request(request, AuditAction.VIEW, obj=beneficiary)
    return TemplateResponse(
        request, "registry/beneficiary_detail.html", {"beneficiary": beneficiary}
    )
