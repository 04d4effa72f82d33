from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.cases.models import ExternalAssociation, ReferralStatus, SharedField
from mustafid.cases.models.referral import ConsentMethod
from mustafid.core.models import Organization

# Tenant querysets are set in __init__: at import no association is active.


class ReferralForm(forms.Form):
    """A referral out, with the beneficiary's consent to what is shared."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    target_organization = forms.ModelChoiceField(
        label=_("An association on the platform"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("It receives the request in its own list of incoming referrals."),
    )
    external = forms.ModelChoiceField(
        label=_("Or an association from the directory"),
        queryset=ExternalAssociation.objects.none(),
        required=False,
        help_text=_("Nothing is sent: you pass the referral on and record the reply."),
    )
    reason = forms.CharField(
        label=_("Why the service is outside the association's remit"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("The beneficiary is told this."),
    )
    need = forms.CharField(
        label=_("What the beneficiary needs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text=_("Shared with the receiving association."),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("The beneficiary agreed to share"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent_method = forms.ChoiceField(
        label=_("Consent given"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    consent_given_by = forms.CharField(
        label=_("Consent given by"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when the beneficiary consented themselves."),
    )
    consent_confirmed = forms.BooleanField(
        label=_(
            "The beneficiary (or their guardian) agreed to this referral and to "
            "sharing exactly the facts ticked above."
        ),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_organization"].queryset = Organization.objects.filter(
            is_active=True
        ).exclude(pk=organization.pk)
        self.fields["external"].queryset = ExternalAssociation.objects.filter(
            is_active=True
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("target_organization")) == bool(data.get("external")):
            raise forms.ValidationError(
                _("Choose one association: on the platform or from the directory.")
            )
        return data


class ReferralOutcomeForm(forms.Form):
    """What became of a referral: accepted, declined with a reason, completed."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (status, label)
            for status, label in ReferralStatus.choices
            if status != ReferralStatus.SENT
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Required when declining; the beneficiary is told it."),
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == ReferralStatus.DECLINED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason for declining."))
        return data


class ExternalAssociationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = ExternalAssociation
        fields = [
            "name_ar",
            "name_en",
            "services",
            "city",
            "region",
            "contact_person",
            "phone",
            "email",
            "website",
            "is_active",
        ]
        widgets = {"services": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_name_ar(self):
        # The unique constraint includes the association, which is not a field.
        name = self.cleaned_data["name_ar"].strip()
        taken = ExternalAssociation.objects.filter(
            organization=self.organization, name_ar=name
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The directory already has this name."))
        return name


class ReferralFilterForm(forms.Form):
    BOXES = [("incoming", _("Received")), ("sent", _("Sent"))]

    box = forms.ChoiceField(label=_("Referrals"), choices=BOXES, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *ReferralStatus.choices],
        required=False,
    )
