from django import forms
from django.utils.translation import gettext_lazy as _


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the request goes ahead although a condition is not met"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
