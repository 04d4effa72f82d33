from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.catalog.models import Service
from mustafid.registry.models import DocumentType


class ServiceForm(forms.ModelForm):
    # Empty at import, set per request: no association is active at import.
    required_documents = forms.ModelMultipleChoiceField(
        label=_("required documents"),
        queryset=DocumentType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = [
            "name_ar",
            "name_en",
            "kind",
            "in_scope",
            "required_documents",
            "needs_research",
            "needs_committee",
            "decision_window_days",
            "needs_external_permit",
            "permit_authority",
            "is_active",
        ]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["required_documents"].queryset = DocumentType.objects.filter(
            is_active=True
        )
        self.fields["decision_window_days"].widget.attrs.update(min=1, max=90)

    def clean_name_ar(self):
        name = self.cleaned_data["name_ar"].strip()
        others = Service.objects.filter(name_ar=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("The association has a service by this name.")
            )
        return name

    def clean_decision_window_days(self):
        days = self.cleaned_data["decision_window_days"]
        if days is not None and not 1 <= days <= 90:
            raise forms.ValidationError(_("Between 1 and 90 days."))
        return days

    def clean(self):
        data = super().clean()
        if data.get("needs_external_permit") and not data.get("permit_authority"):
            self.add_error(
                "permit_authority", _("Name the authority that issues the permit.")
            )
        return data
