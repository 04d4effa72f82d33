from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.contact.wording.events import LONG_METHODS


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"})
    )

    def __init__(self, *args, method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        if method in LONG_METHODS:
            self.fields["subject"].required = True
            self.fields["subject"].widget.attrs["dir"] = "auto"
        else:
            del self.fields["subject"]
