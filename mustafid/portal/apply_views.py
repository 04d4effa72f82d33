"""Applying online, step by step (P-EONLINE, P-ELIGIBILITY, P-COMPLETE, P-ATTEST).

The chosen service and the attestation wording read are kept in the session;
nothing of the request exists until the last step sends it in one transaction.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mustafid.cases.models import Case
from mustafid.cases.services import current_attestation_text
from mustafid.catalog.models import Service
from mustafid.core.audit import client_ip
from mustafid.core.models import AuditAction
from mustafid.portal import applying
from mustafid.portal.apply_forms import (
    AttestForm,
    PortalDocumentForm,
    ServiceChoiceForm,
    profile_form_class,
)
from mustafid.portal.codes import CodeRefused, Purpose, check_code, issue_code
from mustafid.portal.session import beneficiary_required

SESSION_KEY = "portal_apply"


def _posted(request, files: bool = False) -> tuple:
    """A form's data: bound on POST (an empty POST shows its errors)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _go(request, name: str, **kwargs):
    return redirect(f"portal:{name}", org_slug=request.portal_org.slug, **kwargs)


def _chosen(request) -> Service | None:
    held = request.session.get(SESSION_KEY) or {}
    if held.get("organization") != request.portal_org.pk:
        return None
    return Service.objects.open_for_intake().filter(pk=held.get("service")).first()


def _step(view):
    """A step after choosing the service: without one, back to the choice."""

    def wrapper(request):
        service = _chosen(request)
        if service is None:
            return _go(request, "apply")
        return view(request, service)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_http_methods(["GET", "POST"])
@beneficiary_required
def apply(request):
    """Choose a service among the association's active ones."""
    form = ServiceChoiceForm(*_posted(request))
    open_case = None
    if request.method == "POST" and form.is_valid():
        service = form.cleaned_data["service"]
        try:
            applying.refuse_second_request(request.beneficiary, service)
        except applying.ApplicationRefused as refusal:
            form.add_error("service", str(refusal))
            open_case = refusal.case
        else:
            request.session[SESSION_KEY] = {
                "organization": request.portal_org.pk,
                "service": service.pk,
            }
            return _go(request, "apply_check")
    return render(
        request,
        "portal/apply_choose.html",
        {"form": form, "open_case": open_case, "step": 1},
    )


@require_http_methods(["GET", "POST"])
@beneficiary_required
@_step
def apply_check(request, service):
    """The pre-check in plain words, and the profile data the request needs."""
    beneficiary = request.beneficiary
    missing = applying.missing_profile_fields(beneficiary, service)
    form = None
    if missing:
        form = profile_form_class(missing)(*_posted(request), instance=beneficiary)
        if request.method == "POST" and form.is_valid():
            applying.update_profile(
                beneficiary=beneficiary,
                data={name: form.cleaned_data[name] for name in missing},
                request=request,
            )
            messages.success(request, _("Your data was saved."))
            return _go(request, "apply_check")
        if request.method == "POST":
            # The form checked the instance in place: read the record afresh.
            beneficiary.refresh_from_db()
    applying.audit_portal(
        request, AuditAction.VIEW, obj=beneficiary, changes={"page": "apply_check"}
    )
    return render(
        request,
        "portal/apply_check.html",
        {
            "service": service,
            "precheck": applying.precheck(beneficiary, service),
            "form": form,
            "step": 2,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@beneficiary_required
@_step
def apply_documents(request, service):
    """Upload the service's required documents (checked, kept privately)."""
    required = list(service.required_documents.filter(is_active=True))
    form = PortalDocumentForm(*_posted(request, files=True), document_types=required)
    if request.method == "POST" and form.is_valid():
        applying.upload_document(
            beneficiary=request.beneficiary,
            document_type=form.cleaned_data["document_type"],
            upload=form.cleaned_data["file"],
            request=request,
        )
        messages.success(
            request,
            _("“%(type)s” was received; the staff will check it.")
            % {"type": form.cleaned_data["document_type"]},
        )
        return _go(request, "apply_documents")
    return render(
        request,
        "portal/apply_documents.html",
        {
            "service": service,
            "checklist": applying.checklist(request.beneficiary, service),
            "form": form if required else None,
            "step": 3,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@beneficiary_required
@_step
def apply_attest(request, service):
    """The attestation, ticked and confirmed by a code to the registered mobile."""
    beneficiary = request.beneficiary
    wording = current_attestation_text(request.portal_org)
    form = AttestForm(*_posted(request))
    held = request.session.get(SESSION_KEY) or {}
    code_sent = held.get("code_sent_for") == wording.version
    if request.method == "POST" and form.is_valid() and beneficiary.mobile:
        if request.POST.get("action") == "send_code":
            try:
                issue_code(
                    organization=request.portal_org,
                    mobile=beneficiary.mobile,
                    purpose=Purpose.ATTEST,
                    ip=client_ip(request),
                    beneficiary=beneficiary,
                )
            except CodeRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                request.session[SESSION_KEY] = held | {"code_sent_for": wording.version}
                messages.success(request, _("We sent a code to your mobile."))
                return _go(request, "apply_attest")
        elif not code_sent:
            form.add_error(None, _("Ask for a code first."))
        else:
            case = _submit(request, form, service, held["code_sent_for"])
            if case is not None:
                request.session.pop(SESSION_KEY, None)
                return _go(request, "apply_receipt", number=case.number)
    return render(
        request,
        "portal/apply_attest.html",
        {
            "service": service,
            "wording": wording,
            "form": form,
            "code_sent": code_sent,
            "has_mobile": bool(beneficiary.mobile),
            "step": 4,
        },
        status=400 if form.errors else 200,
    )


def _submit(request, form, service, text_version) -> Case | None:
    """Check the code (its own transaction: wrong answers count), then send."""
    code = form.cleaned_data["code"]
    if not code.strip():
        form.add_error("code", _("Type the code sent to your mobile."))
        return None
    try:
        check_code(
            organization=request.portal_org,
            mobile=request.beneficiary.mobile,
            purpose=Purpose.ATTEST,
            code=code,
        )
    except CodeRefused as refusal:
        form.add_error("code", str(refusal))
        return None
    try:
        return applying.submit_application(
            beneficiary=request.beneficiary,
            service=service,
            text_version=text_version,
            request=request,
        )
    except applying.ApplicationRefused as refusal:
        form.add_error(None, str(refusal))
        return None


@beneficiary_required
def apply_receipt(request, number):
    """The request's number and the date the decision is due (P-COMMITTEE)."""
    case = get_object_or_404(
        Case.objects.select_related("service"),
        beneficiary=request.beneficiary,
        number=number,
    )
    applying.audit_portal(request, AuditAction.VIEW, obj=case)
    return render(request, "portal/apply_receipt.html", {"case": case})
