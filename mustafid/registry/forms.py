from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mustafid.contact.models import Channel
from mustafid.core.fields import DualCalendarDateField
from mustafid.core.phones import normalize_mobile
from mustafid.core.uploads import DOCUMENTS, CheckedFileField
from mustafid.registry.identity import CheckDigitError, clean_identity
from mustafid.registry.lookups import holder_of
from mustafid.registry.models import (
    Beneficiary,
    Category,
    DocumentType,
    HouseholdMember,
    ReachRecord,
)


class BeneficiaryForm(forms.ModelForm):
    """A beneficiary's record, as staff, imports and the API enter it (P-COMPLETE).

    `can_override_check_digit`: a manager may accept a well-formed identity number
    whose check digit fails, with a written reason.
    """

    # An import checks identity numbers against the registry a batch at a time
    # and lists the association's categories once (import_rows).
    rows_checked_in_batches = False

    identity_number = forms.CharField(label=_("identity number"), max_length=20)
    mobile = forms.CharField(label=_("mobile"), max_length=25, required=False)
    birth_date = DualCalendarDateField(label=_("birth date"), required=False)
    accept_check_digit = forms.BooleanField(
        label=_("Accept this number although its check digit fails"), required=False
    )
    # Tenant querysets are empty here and set per request: at import no
    # association is active, and a scoped query would raise.
    categories = forms.ModelMultipleChoiceField(
        label=_("categories"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    check_digit_reason = forms.CharField(
        label=_("Why the number is right"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
    )

    class Meta:
        model = Beneficiary
        fields = [
            "first_name",
            "father_name",
            "grandfather_name",
            "family_name",
            "name_en",
            "identity_type",
            "identity_number",
            "nationality",
            "residency_status",
            "gender",
            "birth_date",
            "mobile",
            "email",
            "short_address",
            "building_number",
            "additional_number",
            "postal_code",
            "street",
            "district",
            "city",
            "region",
            "categories",
            "education",
            "qualification",
            "employment_status",
            "monthly_income",
            "preferred_contact",
            "preferred_language",
            "contact_consent",
            "registration_status",
        ]

    def __init__(self, *args, can_override_check_digit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_override_check_digit = can_override_check_digit
        if not self.instance.pk:
            self.initial.setdefault("nationality", "SA")
        if not can_override_check_digit:
            del self.fields["accept_check_digit"], self.fields["check_digit_reason"]
        # Querysets are built per request, inside the association's scope.
        if not self.rows_checked_in_batches:
            self.fields["categories"].queryset = Category.objects.filter(is_active=True)
        for name in ("short_address",):
            self.fields[name].widget.attrs.update(dir="ltr", placeholder="RRRD2929")
        for name in ("identity_number", "mobile", "email", "postal_code"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        self.override_reason = ""

    def clean_mobile(self):
        raw = self.cleaned_data["mobile"]
        return normalize_mobile(raw) if raw.strip() else ""

    def clean_short_address(self):
        return self.cleaned_data["short_address"].upper().replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        identity_type = cleaned.get("identity_type")
        raw = cleaned.get("identity_number")
        if not (identity_type and raw):
            return cleaned
        try:
            number = clean_identity(identity_type, raw)
        except CheckDigitError as error:
            number = self._accept_failed_check_digit(error, raw)
        except ValidationError as error:
            self.add_error("identity_number", error)
            return cleaned
        if number is None:
            return cleaned
        cleaned["identity_number"] = number
        if self.rows_checked_in_batches:
            return cleaned
        duplicate = holder_of(number)
        if duplicate and duplicate.pk != self.instance.pk:
            self.add_error(
                "identity_number",
                ValidationError(
                    _("This identity number is already registered: %(name)s."),
                    code="duplicate_identity",
                    params={"name": duplicate.full_name},
                ),
            )
        return cleaned

    def _accept_failed_check_digit(self, error, raw):
        accepted = self.cleaned_data.get("accept_check_digit")
        reason = (self.cleaned_data.get("check_digit_reason") or "").strip()
        if not (self.can_override_check_digit and accepted):
            self.add_error("identity_number", error)
            return None
        if not reason:
            self.add_error(
                "check_digit_reason",
                _("Write why the number is right although its check digit fails."),
            )
            return None
        self.override_reason = reason
        return "".join(raw.split())

    def registry_data(self) -> dict:
        """What the services store: the model fields, and any override reason."""
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        if self.override_reason:
            data["identity_check_override"] = self.override_reason
        return data


class HouseholdMemberForm(forms.ModelForm):
    birth_date = DualCalendarDateField(label=_("birth date"), required=False)

    class Meta:
        model = HouseholdMember
        fields = [
            "relation",
            "full_name",
            "identity_type",
            "identity_number",
            "birth_date",
            "gender",
            "has_disability",
            "education",
            "monthly_income",
        ]
        widgets = {"identity_number": forms.TextInput(attrs={"dir": "ltr"})}

    def clean(self):
        cleaned = super().clean()
        identity_type = cleaned.get("identity_type")
        raw = cleaned.get("identity_number")
        if raw and not identity_type:
            self.add_error("identity_type", _("Choose the type of this identity."))
        elif identity_type and raw:
            try:
                cleaned["identity_number"] = clean_identity(identity_type, raw)
            except ValidationError as error:
                self.add_error("identity_number", error)
        return cleaned


class DocumentForm(forms.Form):
    document_type = forms.ModelChoiceField(
        label=_("document type"), queryset=DocumentType.objects.none()
    )
    file = CheckedFileField(label=_("file"), kinds=DOCUMENTS, max_mb=10)
    expires_on = DualCalendarDateField(
        label=_("expiry date"), required=False, allow_future=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = DocumentType.objects.filter(
            is_active=True
        )


class DocumentReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verified")), ("reject", _("Rejected"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == "reject"
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Say why the document is rejected."))
        return cleaned


class ReachRecordForm(forms.ModelForm):
    channel = forms.ModelChoiceField(
        label=_("channel"), queryset=Channel.objects.none()
    )
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = ReachRecord
        fields = ["channel", "content", "link", "period_start", "period_end", "count"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(is_enabled=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


class BeneficiaryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, identity number or mobile"), max_length=100, required=False
    )
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.none(), required=False
    )
    region = forms.ChoiceField(label=_("region"), required=False)
    status = forms.ChoiceField(label=_("registration status"), required=False)

    def __init__(self, *args, **kwargs):
        from mustafid.core.regions import Region
        from mustafid.registry.models import RegistrationStatus

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()
        self.fields["region"].choices = [("", _("All regions")), *Region.choices]
        self.fields["status"].choices = [
            ("", _("All statuses")),
            *RegistrationStatus.choices,
        ]

    def filter(self, beneficiaries):
        data = self.cleaned_data
        beneficiaries = beneficiaries.search(data.get("q", ""))
        if data.get("category"):
            beneficiaries = beneficiaries.filter(categories=data["category"])
        if data.get("region"):
            beneficiaries = beneficiaries.filter(region=data["region"])
        if data.get("status"):
            beneficiaries = beneficiaries.filter(registration_status=data["status"])
        return beneficiaries
