from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.cases.models import AttestationMethod, CaseStatus, Delivery, DeliveryKind
from mustafid.catalog.models import Service
from mustafid.contact.models import Channel
from mustafid.core.fields import DualCalendarDateField
from mustafid.core.uploads import DOCUMENTS, CheckedFileField
from mustafid.registry.models import Beneficiary

# Tenant querysets are empty here and set in __init__: at import no association
# is active, and a scoped query would raise.


class IntakeForm(forms.Form):
    """A request received through one of the association's channels (P-CHANNELS)."""

    beneficiary = forms.ModelChoiceField(
        queryset=Beneficiary.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    identity_number = forms.CharField(
        label=_("Beneficiary's identity number"),
        max_length=20,
        required=False,
        help_text=_("Register the beneficiary first if they are not yet registered."),
    )
    channel = forms.ModelChoiceField(
        label=_("Received through"), queryset=Channel.objects.none()
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none()
    )
    attestation_method = forms.ChoiceField(
        label=_("Attestation"),
        choices=AttestationMethod.choices,
        initial=AttestationMethod.PAPER_SCAN,
        widget=forms.RadioSelect,
    )
    attested_by_name = forms.CharField(
        label=_("Attested by"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when the beneficiary attests in person."),
    )
    scan = CheckedFileField(
        label=_("Signed attestation form"), kinds=DOCUMENTS, max_mb=10, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = Beneficiary.objects.all()
        self.fields["channel"].queryset = Channel.objects.filter(is_enabled=True)
        self.fields["service"].queryset = Service.objects.open_for_intake()

    def clean(self):
        data = super().clean()
        beneficiary = data.get("beneficiary")
        number = (data.get("identity_number") or "").strip()
        if beneficiary is None and not number:
            self.add_error(
                "identity_number", _("Enter the beneficiary's identity number.")
            )
        elif beneficiary is None:
            found = list(
                Beneficiary.objects.search(number).filter(identity_hash__gt="")[:2]
            )
            if len(found) != 1:
                self.add_error(
                    "identity_number",
                    _("No registered beneficiary has this identity number."),
                )
            else:
                data["beneficiary"] = found[0]
        if data.get("beneficiary") and not data.get("attested_by_name"):
            data["attested_by_name"] = data["beneficiary"].full_name
        if data.get(
            "attestation_method"
        ) == AttestationMethod.PAPER_SCAN and not data.get("scan"):
            self.add_error("scan", _("Attach the scan of the signed form."))
        return data


class CaseFilterForm(forms.Form):
    SORTS = {
        "due": ["decision_due", "id"],
        "-due": ["-decision_due", "-id"],
        "new": ["-created_at", "-id"],
    }

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *CaseStatus.choices],
        required=False,
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("due", _("Decision due, soonest first")),
            ("-due", _("Decision due, latest first")),
            ("new", _("Newest first")),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.all()
        self.fields["channel"].queryset = Channel.objects.all()

    def filter(self, cases):
        data = self.cleaned_data
        if data.get("status"):
            cases = cases.filter(status=data["status"])
        if data.get("service"):
            cases = cases.filter(service=data["service"])
        if data.get("channel"):
            cases = cases.filter(channel=data["channel"])
        return cases.order_by(*self.SORTS[data.get("sort") or "due"])


class TransitionForm(forms.Form):
    """One move of the lifecycle; the guards say which of the texts it needs."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Reasons for the decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    missing = forms.CharField(
        label=_("What is missing (one item a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def details(self) -> dict:
        data = self.cleaned_data
        missing = [line.strip() for line in data["missing"].splitlines()]
        return {
            "reason": data["reason"],
            "missing": [line for line in missing if line],
        }


class DeliveryForm(forms.ModelForm):
    delivered_on = DualCalendarDateField(label=_("delivered on"))
    # P-DELIVER: a receipt or signed handover, kept private.
    proof = CheckedFileField(
        label=_("Proof of delivery (receipt or signed handover)"),
        kinds=DOCUMENTS,
        max_mb=10,
        required=False,
    )

    class Meta:
        model = Delivery
        fields = ["kind", "amount", "quantity", "delivered_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        if data.get("kind") == DeliveryKind.CASH and not data.get("amount"):
            self.add_error("amount", _("Enter the amount paid."))
        elif not data.get("amount") and not data.get("quantity"):
            self.add_error("quantity", _("Enter the amount or the quantity."))
        if data.get("amount") is not None and data["amount"] <= 0:
            self.add_error("amount", _("The amount must be more than zero."))
        return data
