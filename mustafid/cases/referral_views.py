"""Referrals out and in (P-OUTOFSCOPE), and the directory of associations outside
the platform. Thin views: the writes are in cases/referrals.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.cases import referrals, transitions
from mustafid.cases.models import (
    Case,
    ExternalAssociation,
    IncomingReferral,
    Referral,
    ReferralStatus,
    SharedField,
)
from mustafid.cases.models.referral import LIVE
from mustafid.cases.referral_forms import (
    ExternalAssociationForm,
    ReferralFilterForm,
    ReferralForm,
    ReferralOutcomeForm,
)
from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org

PAGE_SIZE = 50


@require_GET
@staff_view(Perm.VIEW_CASES)
def referral_list(request):
    """Referrals received from other associations, and those this one sent."""
    form = ReferralFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    box = data.get("box") or "incoming"
    if box == "sent":
        rows = Referral.objects.select_related(
            "case__beneficiary", "case__service", "target_organization", "external"
        )
    else:
        rows = IncomingReferral.objects.select_related("source_organization")
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "cases/referral_list.html",
        {
            "form": form,
            "box": box,
            "page": page,
            "query": query.urlencode(),
            "waiting_incoming": IncomingReferral.objects.filter(
                status__in=LIVE
            ).count(),
            "waiting_sent": Referral.objects.filter(status__in=LIVE).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.REFER_CASES)
def referral_create(request, pk: int):
    case = get_for_org(
        request, Case.objects.select_related("beneficiary", "service"), pk=pk
    )
    if case.status not in transitions.REFERABLE:
        messages.error(request, _("Only a request not yet decided can be referred."))
        return redirect("cases:case_detail", pk=case.pk)
    form = ReferralForm(
        request.POST or None,
        organization=request.organization,
        initial={"version": case.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referrals.send_referral(
                actor=request.user,
                membership=request.membership,
                case=case,
                expected_version=data["version"],
                target_organization=data["target_organization"],
                external=data["external"],
                reason=data["reason"],
                need=data["need"],
                shared_fields=data["shared_fields"],
                consent_method=data["consent_method"],
                consent_given_by=data["consent_given_by"],
                request=request,
            )
        except transitions.NotPermitted:
            return TemplateResponse(request, "403.html", status=403)
        except transitions.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The request was referred to %(name)s; the beneficiary is told.")
                % {"name": referral.target_name},
            )
            return redirect("cases:referral_detail", pk=referral.pk)
    return TemplateResponse(
        request, "cases/referral_form.html", {"case": case, "form": form}
    )


def _outcome_form(request, row):
    """The outcome form, limited to the next steps, if this member may use it."""
    if not row.next_statuses or not request.membership.has_perm(Perm.REFER_CASES):
        return None
    form = ReferralOutcomeForm()
    form.fields["outcome"].choices = [
        (status, ReferralStatus(status).label) for status in row.next_statuses
    ]
    return form


@require_GET
@staff_view(Perm.VIEW_CASES)
@transaction.atomic
def referral_detail(request, pk: int):
    """A referral this association sent: where, why, the consent and the outcome."""
    referral = get_for_org(
        request,
        Referral.objects.select_related(
            "case__beneficiary",
            "case__service",
            "target_organization",
            "external",
            "sent_by",
            "responded_by",
        ),
        pk=pk,
    )
    record_for_request(request, AuditAction.VIEW, obj=referral)
    return TemplateResponse(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "shared_labels": _labels(referral.shared_fields),
            # Staff record by hand only what a directory association answered.
            "outcome_form": None
            if referral.on_platform
            else _outcome_form(request, referral),
        },
    )


@require_POST
@staff_view(Perm.REFER_CASES)
def referral_outcome(request, pk: int):
    referral = get_for_org(request, Referral, pk=pk)
    form = ReferralOutcomeForm(request.POST)
    if _record(request, form, referrals.record_directory_outcome, referral=referral):
        return TemplateResponse(request, "403.html", status=403)
    return redirect("cases:referral_detail", pk=referral.pk)


@require_GET
@staff_view(Perm.VIEW_CASES)
@transaction.atomic
def incoming_referral(request, pk: int):
    """A referral received: only what the beneficiary agreed to share."""
    incoming = get_for_org(
        request,
        IncomingReferral.objects.select_related("source_organization", "responded_by"),
        pk=pk,
    )
    # P-PRIVACY: the page shows a person's data; opening it is audited.
    record_for_request(request, AuditAction.VIEW, obj=incoming)
    return TemplateResponse(
        request,
        "cases/referral_incoming.html",
        {
            "incoming": incoming,
            "shared_labels": _labels(incoming.shared_fields),
            "outcome_form": _outcome_form(request, incoming),
        },
    )


@require_POST
@staff_view(Perm.REFER_CASES)
def incoming_referral_respond(request, pk: int):
    incoming = get_for_org(request, IncomingReferral, pk=pk)
    form = ReferralOutcomeForm(request.POST)
    if _record(request, form, referrals.respond_to_referral, incoming=incoming):
        return TemplateResponse(request, "403.html", status=403)
    return redirect("cases:incoming_referral", pk=incoming.pk)


def _record(request, form, service, **target) -> bool:
    """Run an outcome service from the form; True when the role was refused."""
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return False
    try:
        service(
            actor=request.user,
            membership=request.membership,
            request=request,
            **target,
            **form.cleaned_data,
        )
    except transitions.NotPermitted:
        return True
    except transitions.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The referral's outcome was recorded."))
    return False


def _labels(shared_fields: list[str]) -> list[str]:
    return [
        SharedField(field).label
        for field in shared_fields
        if field in SharedField.values
    ]


@require_GET
@staff_view(Perm.MANAGE_DIRECTORY)
def directory_list(request):
    return TemplateResponse(
        request,
        "cases/referral_directory.html",
        {"associations": ExternalAssociation.objects.all()},
    )


def _directory_form_view(request, association=None):
    form = ExternalAssociationForm(
        request.POST or None, instance=association, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        referrals.save_external_association(
            actor=request.user,
            organization=request.organization,
            data=form.cleaned_data,
            association=association,
            request=request,
        )
        messages.success(request, _("The directory was saved."))
        return redirect("cases:directory_list")
    if request.method == "POST" and association is not None:
        association.refresh_from_db()  # the bound form changed the instance
    return TemplateResponse(
        request,
        "cases/referral_directory_form.html",
        {"form": form, "association": association},
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_DIRECTORY)
def directory_create(request):
    return _directory_form_view(request)


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_DIRECTORY)
def directory_edit(request, pk: int):
    return _directory_form_view(
        request, get_for_org(request, ExternalAssociation, pk=pk)
    )
