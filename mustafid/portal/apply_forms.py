"""Forms of the portal's apply, track and my-data pages (P-EONLINE, P-PRIVACY)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.catalog.models import Service
from mustafid.core.fields import DualCalendarDateField
from mustafid.core.uploads import DOCUMENTS, CheckedFileField
from mustafid.portal.rights_models import DataRequestKind
from mustafid.registry.models import Beneficiary, DocumentType

MAX_UPLOAD_MB = 10


class ServiceChoiceForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("The service you need"),
        queryset=Service.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.open_for_intake()


class ProfileFormBase(forms.ModelForm):
    """The applicant's own data that a request needs, fields chosen per service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.required = True
        if "monthly_income" in self.fields:
            self.fields["monthly_income"].help_text = _(
                "Your own monthly income in riyals; write 0 if you have none."
            )
            self.fields["monthly_income"].widget.attrs["dir"] = "ltr"


def profile_form_class(field_names: list[str]):
    overrides = {}
    if "birth_date" in field_names:
        overrides["birth_date"] = DualCalendarDateField(label=_("birth date"))
    form_class = forms.modelform_factory(
        Beneficiary, form=ProfileFormBase, fields=field_names
    )
    form_class.base_fields.update(overrides)
    return form_class


class PortalDocumentForm(forms.Form):
    document_type = forms.ModelChoiceField(
        label=_("Which document"), queryset=DocumentType.objects.none()
    )
    file = CheckedFileField(label=_("file"), kinds=DOCUMENTS, max_mb=MAX_UPLOAD_MB)

    def __init__(self, *args, document_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = DocumentType.objects.filter(is_active=True)
        if document_types is not None:
            queryset = queryset.filter(pk__in=[t.pk for t in document_types])
        self.fields["document_type"].queryset = queryset


class AttestForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the attestation above and I agree to it"),
        error_messages={"required": _("Tick the box to attest.")},
    )
    code = forms.CharField(
        label=_("The code sent to your mobile"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
            }
        ),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw it? (optional)"),
        help_text=_("The staff read it; it helps them serve you better."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )


# Fields of the record a beneficiary may ask to correct (P-PRIVACY).
CORRECTABLE = (
    ("", _("My record in general")),
    ("name", _("Name")),
    ("identity", _("Identity number")),
    ("birth_date", _("birth date")),
    ("mobile", _("mobile")),
    ("email", _("email")),
    ("address", _("National address")),
    ("income", _("monthly income (SAR)")),
    ("household", _("Household members")),
    ("other", _("Something else")),
)


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=[
            (DataRequestKind.CORRECTION, DataRequestKind.CORRECTION.label),
            (DataRequestKind.DELETION, DataRequestKind.DELETION.label),
        ],
        widget=forms.RadioSelect,
    )
    field = forms.ChoiceField(
        label=_("What to correct"), choices=CORRECTABLE, required=False
    )
    details = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == DataRequestKind.CORRECTION
            and not (cleaned.get("details") or "").strip()
        ):
            self.add_error("details", _("Write what is wrong and what is right."))
        if cleaned.get("kind") == DataRequestKind.DELETION:
            cleaned["field"] = ""
        return cleaned


class StaffAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the beneficiary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
