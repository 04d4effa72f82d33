"""My data: what the association holds, a copy, consent, corrections and
deletion (P-PRIVACY, P-CONSENT; the PDPL's data-subject rights).

Every read through these pages is audited as the beneficiary's own.
"""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mustafid.contact.wording.facts import format_date
from mustafid.core.models import AuditAction
from mustafid.core.uploads import serve_private
from mustafid.portal import data_rights
from mustafid.portal.apply_forms import DataRequestForm
from mustafid.portal.applying import audit_portal
from mustafid.portal.session import beneficiary_required
from mustafid.registry.models import Document


def _page(request, template, form=None, status=200):
    beneficiary = request.beneficiary
    audit_portal(request, AuditAction.VIEW, obj=beneficiary, changes={"page": template})
    return render(
        request,
        f"portal/{template}.html",
        {
            "held": data_rights.holdings(beneficiary),
            "form": form or DataRequestForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@beneficiary_required
def my_data(request):
    return _page(request, "my_data")


@beneficiary_required
def my_data_print(request):
    """A readable page to print or keep."""
    return _page(request, "my_data_print")


@beneficiary_required
def my_data_json(request):
    """The machine-readable copy, as a file."""
    beneficiary = request.beneficiary
    audit_portal(
        request, AuditAction.EXPORT, obj=beneficiary, changes={"format": "json"}
    )
    body = json.dumps(
        data_rights.copy_as_json(beneficiary), ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
@beneficiary_required
def my_data_request(request):
    """Ask for a correction or a deletion; the staff answer within 30 days."""
    form = DataRequestForm(request.POST)
    if not form.is_valid():
        return _page(request, "my_data", form=form, status=400)
    try:
        data_request = data_rights.ask(
            beneficiary=request.beneficiary,
            kind=form.cleaned_data["kind"],
            field=form.cleaned_data.get("field") or "",
            details=form.cleaned_data.get("details") or "",
            request=request,
        )
    except data_rights.DataRequestRefused as refusal:
        form.add_error(None, str(refusal))
        return _page(request, "my_data", form=form, status=400)
    messages.success(
        request,
        _("Your request %(reference)s was received. We answer by %(due)s.")
        % {
            "reference": data_request.reference,
            "due": format_date(data_request.due_on, get_language() or "ar"),
        },
    )
    return redirect("portal:my_data", org_slug=request.portal_org.slug)


@require_POST
@beneficiary_required
def withdraw_consent(request):
    """Stop being told of services; takes effect at once."""
    data_rights.withdraw_consent(beneficiary=request.beneficiary, request=request)
    messages.success(
        request,
        _(
            "Done: we will not write to you about other services. Messages "
            "about your own requests still reach you."
        ),
    )
    return redirect("portal:my_data", org_slug=request.portal_org.slug)


@beneficiary_required
def my_document(request, pk):
    """One of the beneficiary's own documents, after an audit event."""
    document = get_object_or_404(Document, beneficiary=request.beneficiary, pk=pk)
    audit_portal(request, AuditAction.VIEW, obj=document)
    return serve_private(document.file, content_type=document.content_type)
