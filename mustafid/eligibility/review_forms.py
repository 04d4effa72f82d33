"""Forms of the periodic review pages (P-PERIODIC)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.catalog.models import Service
from mustafid.eligibility.models import ReviewStatus


class ReviewFilterForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.all()

    def filter(self, reviews, user):
        data = self.cleaned_data
        if data.get("service"):
            reviews = reviews.filter(service=data["service"])
        if data.get("mine"):
            reviews = reviews.filter(assigned_to=user)
        return reviews


class ReviewCompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ReviewStatus.RENEWED.value, ReviewStatus.RENEWED.label),
            (ReviewStatus.ENDED.value, ReviewStatus.ENDED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_(
            "Required when the service ends, and when it is renewed although "
            "a condition is not met."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ReviewStatus.ENDED and not data.get("note"):
            self.add_error(
                "note", _("Write why the beneficiary is no longer eligible.")
            )
        return data
