"""Following one's own requests (P-EONLINE, P-COMMITTEE, P-COMPLETE).

The beneficiary sees their requests' status in plain words, the public part
of the timeline (no staff names, no internal notes), what is missing, the
decision with its reasons, and the expected decision date. They answer a
request for missing papers by uploading them here, and may withdraw a request
that is not decided yet.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mustafid.cases.models import UNDECIDED, Case, CaseStatus
from mustafid.core.models import AuditAction
from mustafid.portal import applying
from mustafid.portal.apply_forms import PortalDocumentForm, WithdrawForm
from mustafid.portal.session import beneficiary_required

S = CaseStatus
# The status as the beneficiary reads it, not the staff's label.
PLAIN_STATUS = {
    S.DRAFT: gettext_lazy("Not sent yet"),
    S.SUBMITTED: gettext_lazy("Received, waiting to be checked"),
    S.INCOMPLETE: gettext_lazy("Something is missing: see what below"),
    S.VERIFYING: gettext_lazy("Your documents are being checked"),
    S.RESEARCHING: gettext_lazy("A social researcher is studying your request"),
    S.IN_COMMITTEE: gettext_lazy("Before the research committee for a decision"),
    S.AWAITING_EXTERNAL_APPROVAL: gettext_lazy(
        "Waiting for the approval of another authority"
    ),
    S.APPROVED: gettext_lazy("Approved"),
    S.REJECTED: gettext_lazy("Not approved: see the reasons below"),
    S.DELIVERING: gettext_lazy("Approved; the service is being given to you"),
    S.CLOSED: gettext_lazy("Completed"),
    S.REFERRED_OUT: gettext_lazy("Sent to another association that can help"),
    S.WITHDRAWN: gettext_lazy("Withdrawn"),
}
DECIDED = frozenset({S.APPROVED, S.REJECTED, S.DELIVERING, S.CLOSED})


def plain_status(status: str) -> str:
    return str(PLAIN_STATUS.get(status, status))


def _own_case(request, number) -> Case:
    return get_object_or_404(
        Case.objects.select_related("service"),
        beneficiary=request.beneficiary,
        number=number,
    )


def _public_timeline(case: Case) -> list[dict]:
    """Public steps only, with what the beneficiary may read of each."""
    steps = []
    for event in case.events.filter(public=True).order_by("created_at", "id"):
        # Their own withdrawal in the portal, with the reason in their words;
        # what the staff wrote on a withdrawal they recorded stays internal.
        withdrawn_here = (
            event.to_status == S.WITHDRAWN
            and event.details.get("portal_applicant") == case.beneficiary_id
        )
        steps.append(
            {
                "on": event.created_at,
                "status": plain_status(event.to_status),
                "missing": [
                    item for item in event.details.get("missing") or [] if item.strip()
                ]
                if event.to_status == S.INCOMPLETE
                else [],
                "withdrawn_by_you": withdrawn_here,
                "reason": event.details.get("reason", "") if withdrawn_here else "",
            }
        )
    return steps


def _missing_now(case: Case) -> list[str]:
    """What the staff listed when the request was last found incomplete."""
    if case.status != S.INCOMPLETE:
        return []
    event = (
        case.events.filter(to_status=S.INCOMPLETE, public=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None:
        return []
    return [item for item in event.details.get("missing") or [] if item.strip()]


@beneficiary_required
def cases(request):
    """All the beneficiary's requests, newest first."""
    own = list(
        Case.objects.filter(beneficiary=request.beneficiary).select_related("service")
    )
    for case in own:
        case.plain_status = plain_status(case.status)
    applying.audit_portal(
        request, AuditAction.VIEW, obj=request.beneficiary, changes={"page": "cases"}
    )
    return render(request, "portal/cases.html", {"cases": own})


def _detail(request, case, form=None, status=200):
    applying.audit_portal(request, AuditAction.VIEW, obj=case)
    missing = _missing_now(case)
    if form is None and case.status == S.INCOMPLETE:
        form = PortalDocumentForm()
    return render(
        request,
        "portal/case_detail.html",
        {
            "case": case,
            "plain_status": plain_status(case.status),
            "timeline": _public_timeline(case),
            "missing": missing,
            "checklist": case.document_checklist(),
            "decided": case.status in DECIDED and bool(case.decision_reasons),
            "awaiting_decision": case.status in UNDECIDED,
            "can_withdraw": applying.can_withdraw(case),
            "form": form,
        },
        status=status,
    )


@beneficiary_required
def case_detail(request, number):
    return _detail(request, _own_case(request, number))


@require_POST
@beneficiary_required
def case_upload(request, number):
    """A missing paper sent for an incomplete request; pending verification."""
    case = _own_case(request, number)
    if case.status != S.INCOMPLETE:
        messages.error(request, _("This request does not wait for papers now."))
        return redirect(
            "portal:case_detail", org_slug=request.portal_org.slug, number=number
        )
    form = PortalDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, case, form=form, status=400)
    document = applying.upload_document(
        beneficiary=request.beneficiary,
        document_type=form.cleaned_data["document_type"],
        upload=form.cleaned_data["file"],
        request=request,
    )
    applying.note_case_upload(case=case, document=document, request=request)
    messages.success(
        request,
        _("“%(type)s” was received; the staff will check it.")
        % {"type": document.document_type},
    )
    return redirect(
        "portal:case_detail", org_slug=request.portal_org.slug, number=number
    )


@require_POST
@beneficiary_required
def case_resubmit(request, number):
    """Everything missing was sent: the request goes back to the staff."""
    case = _own_case(request, number)
    try:
        applying.resubmit(beneficiary=request.beneficiary, case=case, request=request)
    except applying.ApplicationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Your request was sent back to the staff to complete its study.")
        )
    return redirect(
        "portal:case_detail", org_slug=request.portal_org.slug, number=number
    )


@require_http_methods(["GET", "POST"])
@beneficiary_required
def case_withdraw(request, number):
    """What withdrawing means (GET), and the withdrawal itself (POST)."""
    case = _own_case(request, number)
    back = redirect(
        "portal:case_detail", org_slug=request.portal_org.slug, number=number
    )
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            applying.withdraw(
                beneficiary=request.beneficiary,
                case=case,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except applying.ApplicationRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _(
                    "Your request was withdrawn. You may apply for the service "
                    "again later as a new request."
                ),
            )
        return back
    if not applying.can_withdraw(case):
        messages.error(request, _("This request cannot be withdrawn now."))
        return back
    applying.audit_portal(
        request, AuditAction.VIEW, obj=case, changes={"page": "withdraw"}
    )
    return render(
        request,
        "portal/case_withdraw.html",
        {"case": case, "plain_status": plain_status(case.status), "form": form},
        status=400 if form.is_bound else 200,
    )
