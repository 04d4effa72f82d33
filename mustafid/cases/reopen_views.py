"""Reopening a finished request: the manager's exception, with a reason."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mustafid.cases import transitions
from mustafid.cases.models import Case
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Checked by the lifecycle's guard, which says what is missing.
    reason = forms.CharField(
        label=gettext_lazy("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=gettext_lazy("Kept in the audit trail."),
    )


def can_reopen(case: Case, membership) -> bool:
    """Whether the case page offers this member the Reopen action."""
    return (
        (case.status, transitions.REOPEN_TO) in transitions.TRANSITIONS
        and membership.has_perm(Perm.REOPEN_CASES)
        and not transitions.referral_declined(case, {})
    )


@require_POST
@staff_view(Perm.REOPEN_CASES)
def case_reopen(request, pk: int):
    case = get_for_org(request, Case, pk=pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the page."))
        return redirect("cases:case_detail", pk=case.pk)
    try:
        transitions.transition(
            actor=request.user,
            membership=request.membership,
            case=case,
            to=transitions.REOPEN_TO,
            expected_version=form.cleaned_data["version"],
            request=request,
            reason=form.cleaned_data["reason"].strip(),
        )
    except transitions.NotPermitted as error:
        messages.error(request, str(error))
        return TemplateResponse(request, "403.html", status=403)
    except transitions.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request was reopened."))
    return redirect("cases:case_detail", pk=case.pk)
