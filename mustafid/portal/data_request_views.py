"""The back office's queue of beneficiaries' data requests (P-PRIVACY).

Corrections, deletions and copies asked for in the portal, each due 30 days
after it was asked; staff answer or refuse with the reason, and the
beneficiary is told through the outbox.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.portal import data_rights
from mustafid.portal.apply_forms import CORRECTABLE, StaffAnswerForm
from mustafid.portal.rights_models import DataRequest, DataRequestStatus

PAGE_SIZE = 100


@staff_view(Perm.HANDLE_DATA_REQUESTS)
def request_list(request):
    """Open requests first, the soonest due first; then the latest answered."""
    waiting = DataRequest.objects.open().select_related("beneficiary")
    answered = (
        DataRequest.objects.exclude(status=DataRequestStatus.OPEN)
        .select_related("beneficiary")
        .order_by("-answered_at", "-id")
    )
    return TemplateResponse(
        request,
        "portal/staff_requests.html",
        {
            "waiting": waiting[:PAGE_SIZE],
            "answered": answered[:PAGE_SIZE],
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.HANDLE_DATA_REQUESTS)
def request_detail(request, pk: int):
    data_request = get_for_org(
        request, DataRequest.objects.select_related("beneficiary"), pk=pk
    )
    form = StaffAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        refused = request.POST.get("action") == "refuse"
        try:
            data_rights.answer(
                actor=request.user,
                data_request=data_request,
                text=form.cleaned_data["answer"],
                refused=refused,
                request=request,
            )
        except data_rights.DataRequestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("The answer was saved and sent to the beneficiary."),
            )
            return redirect("data_requests:list")
    else:
        record_for_request(request, AuditAction.VIEW, obj=data_request)
    return TemplateResponse(
        request,
        "portal/staff_request.html",
        {
            "item": data_request,
            "form": form,
            "field_label": dict(CORRECTABLE).get(data_request.field, ""),
        },
        status=400 if form.errors else 200,
    )
