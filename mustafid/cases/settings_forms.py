from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.cases.settings_services import MAX_HOLIDAY_DAYS
from mustafid.core.fields import DualCalendarDateField


class HolidayForm(forms.Form):
    """A day off, typed in the Hijri or the Gregorian calendar."""

    first_day = DualCalendarDateField(label=_("First day"), allow_future=True)
    days = forms.IntegerField(
        label=_("Number of days"),
        min_value=1,
        max_value=MAX_HOLIDAY_DAYS,
        initial=1,
        help_text=_("More than one for a holiday of several days, e.g. an Eid."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)


class AttestationTextForm(forms.Form):
    """A new wording of the applicant's attestation (P-ATTEST)."""

    text_ar = forms.CharField(
        label=_("Text (Arabic)"),
        widget=forms.Textarea(attrs={"rows": 4, "lang": "ar", "dir": "rtl"}),
        max_length=4000,
    )
    text_en = forms.CharField(
        label=_("Text (English)"),
        widget=forms.Textarea(attrs={"rows": 4, "lang": "en", "dir": "ltr"}),
        max_length=4000,
        required=False,
    )
