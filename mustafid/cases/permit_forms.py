from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.cases.models import PermitOutcome
from mustafid.core.fields import DualCalendarDateField


class _VersionedForm(forms.Form):
    # The case version the page showed: a stale page is refused (transitions).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PermitRaiseForm(_VersionedForm):
    """The request sent to another authority for its permit (P-PERMITS)."""

    authority = forms.CharField(label=_("Authority"), max_length=200)
    reference = forms.CharField(
        label=_("Authority's reference"),
        max_length=100,
        required=False,
        help_text=_("If the authority has given one; it can be added with the answer."),
    )
    sent_on = DualCalendarDateField(label=_("Sent on"))
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class PermitAnswerForm(_VersionedForm):
    """The authority's answer; the beneficiary is told it."""

    outcome = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (PermitOutcome.GRANTED, PermitOutcome.GRANTED.label),
            (PermitOutcome.REFUSED, PermitOutcome.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    answered_on = DualCalendarDateField(label=_("Answered on"))
    reference = forms.CharField(
        label=_("Authority's reference"), max_length=100, required=False
    )
    note = forms.CharField(
        label=_("Note on the answer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
