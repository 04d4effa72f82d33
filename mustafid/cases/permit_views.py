"""Raising a request to another authority and recording its answer (P-PERMITS)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mustafid.cases import permits, transitions
from mustafid.cases.models import Case
from mustafid.cases.permit_forms import PermitAnswerForm, PermitRaiseForm
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org

# The roles that can put a case on hold for a permit, or bring it back.
PERMIT_PERMS = frozenset(transitions.WAIT_FROM.values())


def permit_context(case: Case) -> dict:
    """What the case page shows of its permits, and the forms of the two moves."""
    today = timezone.localdate()
    return {
        "permits": case.permits.select_related("raised_by", "answered_by"),
        "permit_form": PermitRaiseForm(
            prefix="permit",
            initial={
                "version": case.version,
                "authority": case.service.permit_authority,
                "sent_on": today,
            },
        ),
        "answer_form": PermitAnswerForm(
            prefix="answer", initial={"version": case.version, "answered_on": today}
        ),
    }


def _handle(request, pk: int, form_class, prefix: str, record, done: str):
    # Refuse a role that can never make these moves before looking the case up.
    if not any(request.membership.has_perm(p) for p in PERMIT_PERMS):
        return TemplateResponse(request, "403.html", status=403)
    case = get_for_org(request, Case.objects.select_related("service"), pk=pk)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("cases:case_detail", pk=case.pk)
    data = form.cleaned_data
    try:
        record(
            actor=request.user,
            membership=request.membership,
            case=case,
            expected_version=data.pop("version"),
            request=request,
            **data,
        )
    except transitions.NotPermitted as error:
        messages.error(request, str(error))
        return TemplateResponse(request, "403.html", status=403)
    except transitions.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
@staff_view(Perm.VIEW_CASES)
def permit_raise(request, pk: int):
    return _handle(
        request,
        pk,
        PermitRaiseForm,
        "permit",
        permits.raise_permit,
        _("The request now awaits the authority's permit."),
    )


@require_POST
@staff_view(Perm.VIEW_CASES)
def permit_answer(request, pk: int):
    return _handle(
        request,
        pk,
        PermitAnswerForm,
        "answer",
        permits.record_permit_answer,
        _("The answer was recorded; the beneficiary will be told the result."),
    )
