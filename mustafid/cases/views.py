from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.cases import services, transitions
from mustafid.cases.forms import (
    CaseFilterForm,
    DeliveryForm,
    IntakeForm,
    TransitionForm,
)
from mustafid.cases.models import (
    DUE_SOON_DAYS,
    Attestation,
    Case,
    CaseStatus,
    Delivery,
)
from mustafid.cases.permit_views import permit_context
from mustafid.cases.research_views import research_context
from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.core.uploads import serve_private
from mustafid.eligibility.case_views import eligibility_context
from mustafid.registry.models import Beneficiary

PAGE_SIZE = 50


@require_GET
@staff_view(Perm.VIEW_CASES)
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    cases = Case.objects.for_queue()
    cases = form.filter(cases) if form.is_valid() else cases.order_by("decision_due")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.INTAKE_CASES)
def case_intake(request):
    initial = {}
    if request.method == "GET" and request.GET.get("beneficiary"):
        initial["beneficiary"] = get_for_org(
            request, Beneficiary, pk=request.GET["beneficiary"]
        )
    form = IntakeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scan = data.get("scan")
        try:
            case = services.open_case(
                actor=request.user,
                membership=request.membership,
                beneficiary=data["beneficiary"],
                service=data["service"],
                channel=data["channel"],
                attestation_method=data["attestation_method"],
                attested_by_name=data["attested_by_name"],
                scan=scan,
                scan_content_type=scan.checked_kind.mime if scan else "",
                notes=data["notes"],
                request=request,
            )
        except transitions.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Request %(number)s was received.") % {"number": case.number},
            )
            return redirect("cases:case_detail", pk=case.pk)
    beneficiary = initial.get("beneficiary") or getattr(form, "cleaned_data", {}).get(
        "beneficiary"
    )
    return TemplateResponse(
        request,
        "cases/case_intake.html",
        {"form": form, "beneficiary": beneficiary},
    )


def _case_for(request, pk):
    return get_for_org(
        request,
        Case.objects.select_related("beneficiary", "service", "channel", "created_by"),
        pk=pk,
    )


@require_GET
@staff_view(Perm.VIEW_CASES)
@transaction.atomic
def case_detail(request, pk: int):
    case = _case_for(request, pk)
    # P-PRIVACY: opening a request shows the beneficiary's data; it is audited.
    record_for_request(request, AuditAction.VIEW, obj=case)
    # Each move's form gets its own ids: a label must name its own field.
    moves = [
        (
            to,
            CaseStatus(to).label,
            TransitionForm(initial={"version": case.version}, auto_id=f"id_{to}_%s"),
        )
        for to in transitions.available_moves(case, request.membership)
    ]
    can_deliver = case.status == CaseStatus.DELIVERING and request.membership.has_perm(
        Perm.DELIVER_CASES
    )
    return TemplateResponse(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "attestation": Attestation.objects.select_related("text", "recorded_by")
            .filter(case=case)
            .first(),
            "events": case.events.select_related("actor"),
            "checklist": case.document_checklist(),
            "deliveries": case.deliveries.select_related("delivered_by"),
            "moves": moves,
            "delivery_form": DeliveryForm(
                initial={"delivered_on": timezone.localdate()},
                auto_id="id_delivery_%s",
            )
            if can_deliver
            else None,
        }
        | permit_context(case)
        | research_context(request, case)
        | eligibility_context(request, case),
    )


@require_POST
@staff_view(Perm.VIEW_CASES)
def case_move(request, pk: int, to: str):
    # Refuse a role that can never make this move before looking the case up.
    if to not in CaseStatus.values:
        raise Http404
    if not any(request.membership.has_perm(p) for p in transitions.perms_into(to)):
        return TemplateResponse(request, "403.html", status=403)
    case = _case_for(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the page."))
        return redirect("cases:case_detail", pk=case.pk)
    try:
        transitions.transition(
            actor=request.user,
            membership=request.membership,
            case=case,
            to=to,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            request=request,
            **form.details(),
        )
    except transitions.NotPermitted as error:
        messages.error(request, str(error))
        return TemplateResponse(request, "403.html", status=403)
    except transitions.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The request is now “%(status)s”.") % {"status": CaseStatus(to).label},
        )
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
@staff_view(Perm.DELIVER_CASES)
def delivery_create(request, pk: int):
    case = _case_for(request, pk)
    form = DeliveryForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        proof = data.pop("proof")
        try:
            services.record_delivery(
                actor=request.user,
                case=case,
                request=request,
                proof=proof,
                proof_content_type=proof.checked_kind.mime if proof else "",
                **data,
            )
        except services.DeliveryRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The delivery was recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("cases:case_detail", pk=case.pk)


@require_GET
@staff_view(Perm.VIEW_CASES)
def attestation_scan(request, pk: int):
    """The signed form, only after the permission check (never a public URL)."""
    attestation = get_for_org(request, Attestation, case_id=pk)
    if not attestation.scan:
        raise Http404
    record_for_request(request, AuditAction.VIEW, obj=attestation)
    return serve_private(attestation.scan, content_type=attestation.scan_content_type)


@require_GET
@staff_view(Perm.VIEW_CASES)
def delivery_proof(request, pk: int, delivery_pk: int):
    """The receipt or signed handover, only after the permission check (P-DELIVER)."""
    delivery = get_for_org(request, Delivery, pk=delivery_pk, case_id=pk)
    if not delivery.proof:
        raise Http404
    record_for_request(request, AuditAction.VIEW, obj=delivery)
    return serve_private(delivery.proof, content_type=delivery.proof_content_type)
