"""Eligibility on a request's page: the stored evaluation, the conditions as
they stand today, the manager's exception and a fresh check (P-ELIGIBILITY)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mustafid.cases.models import Case, CaseStatus
from mustafid.catalog.models import Service
from mustafid.core.arabic import to_western_digits
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.eligibility import services
from mustafid.eligibility.case_forms import OverrideForm
from mustafid.eligibility.evaluation import evaluate
from mustafid.eligibility.models import Stage
from mustafid.registry.models import Beneficiary

# Checked again while the request is still to be decided.
RECHECKABLE = (
    CaseStatus.SUBMITTED,
    CaseStatus.INCOMPLETE,
    CaseStatus.VERIFYING,
    CaseStatus.RESEARCHING,
    CaseStatus.IN_COMMITTEE,
    CaseStatus.AWAITING_EXTERNAL_APPROVAL,
)


def eligibility_context(request, case: Case) -> dict:
    """What the request and committee pages show of eligibility."""
    latest = services.latest_check(case)
    now = services.evaluate_case(case)
    can_override = (
        latest is not None
        and not latest.allows
        and request.membership.has_perm(Perm.OVERRIDE_ELIGIBILITY)
    )
    override_form = OverrideForm(auto_id="id_override_%s") if can_override else None
    return {
        "eligibility_check": latest,
        "eligibility_now": now,
        # Today's result differs from the stored one: data or rules changed.
        "eligibility_changed": latest is not None and latest.eligible != now.eligible,
        "override_form": override_form,
        "can_recheck": case.status in RECHECKABLE
        and request.membership.has_perm(Perm.VERIFY_CASES),
    }


def _case(request, pk: int) -> Case:
    return get_for_org(
        request, Case.objects.select_related("service", "beneficiary"), pk=pk
    )


@require_POST
@staff_view(Perm.OVERRIDE_ELIGIBILITY)
def case_override(request, pk: int):
    case = _case(request, pk)
    form = OverrideForm(request.POST)
    check = services.latest_check(case)
    if check is None:
        messages.error(request, _("This request has no stored evaluation to except."))
    elif not form.is_valid():
        messages.error(request, str(services.OVERRIDE_REASON_REQUIRED))
    else:
        try:
            services.override_check(
                actor=request.user,
                membership=request.membership,
                check=check,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.EligibilityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The exception was recorded."))
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
@staff_view(Perm.VERIFY_CASES)
def case_recheck(request, pk: int):
    case = _case(request, pk)
    if case.status not in RECHECKABLE:
        messages.error(request, _("A decided request is not checked again."))
        return redirect("cases:case_detail", pk=case.pk)
    check = services.record_check(case, Stage.RECHECK, actor=request.user)
    if check.eligible:
        messages.success(request, _("Checked again: the conditions are met."))
    else:
        messages.warning(request, _("Checked again: some conditions are not met."))
    return redirect("cases:case_detail", pk=case.pk)


@require_GET
@staff_view(Perm.INTAKE_CASES)
def precheck(request):
    """P-ELIGIBILITY: the intake form shows the result before submission
    (an htmx fragment; the beneficiary, by id or identity number, and the
    service come from the form). Nothing is stored."""
    beneficiary = _beneficiary_from(request.GET)
    service = Service.objects.open_for_intake().filter(
        pk=_number(request.GET.get("service"))
    )
    service = service.first()
    evaluation = None
    if beneficiary is not None and service is not None:
        rules = services.current_rules(service)
        evaluation = evaluate(rules, beneficiary, timezone.localdate())
    return TemplateResponse(
        request, "eligibility/precheck.html", {"evaluation": evaluation}
    )


def _number(text) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 0


def _beneficiary_from(query) -> Beneficiary | None:
    pk = _number(query.get("beneficiary"))
    if pk:
        return Beneficiary.objects.filter(pk=pk).first()
    number = to_western_digits(query.get("identity_number") or "").strip()
    if not number.isdigit():
        return None
    return Beneficiary.objects.search(number).first()
