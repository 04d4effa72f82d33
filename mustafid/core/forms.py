from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.core.models import AuditAction, Organization
from mustafid.core.roles import Role
from mustafid.core.uploads import IMAGES, CheckedFileField


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    logo = CheckedFileField(label=_("logo"), kinds=IMAGES, max_mb=1, required=False)

    class Meta:
        model = Organization
        fields = [
            "name_ar",
            "name_en",
            "licence_number",
            "supervising_body_ar",
            "supervising_body_en",
            "region",
            "city",
            "phone",
            "email",
            "website",
            "decision_window_days",
            "decision_days_kind",
            "inquiry_target_days",
            "inquiry_days_kind",
            "logo",
        ]

    def clean_decision_window_days(self):
        days = self.cleaned_data["decision_window_days"]
        if not 1 <= days <= 90:
            raise forms.ValidationError(
                _("The decision window must be between 1 and 90 days.")
            )
        return days

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a submission, the inquiry target keeps its stored value.
        self.fields["inquiry_target_days"].required = False
        self.fields["inquiry_days_kind"].required = False

    def clean_inquiry_days_kind(self):
        return self.cleaned_data["inquiry_days_kind"] or self.instance.inquiry_days_kind

    def clean_inquiry_target_days(self):
        days = self.cleaned_data["inquiry_target_days"]
        if days is None:
            return self.instance.inquiry_target_days
        if not 1 <= days <= 30:
            raise forms.ValidationError(
                _("The inquiry response target must be between 1 and 30 days.")
            )
        return days


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("All actions")), *AuditAction.choices],
        required=False,
    )
    actor = forms.CharField(label=_("User"), max_length=150, required=False)
    object_type = forms.CharField(
        label=_("Object type"), max_length=100, required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, events):
        data = self.cleaned_data
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("actor"):
            events = events.filter(actor_label__icontains=data["actor"])
        if data.get("object_type"):
            events = events.filter(object_type__icontains=data["object_type"])
        if data.get("date_from"):
            events = events.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(created_at__date__lte=data["date_to"])
        return events


class StaffFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )
