"""The portal's forms: plain HTML, no JavaScript, numbers typed any way people
write them (Eastern or Western digits, spaces)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mustafid.contact.models import ReplyMethod
from mustafid.core.phones import normalize_mobile
from mustafid.core.saudi_ids import normalize_id
from mustafid.registry.identity import clean_identity
from mustafid.registry.models import Gender, IdentityType

_NUMBER = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}


def _identity_field():
    return forms.CharField(
        label=_("National ID or iqama number"),
        max_length=20,
        widget=forms.TextInput(attrs=_NUMBER),
    )


def _mobile_field():
    return forms.CharField(
        label=_("Mobile number"),
        max_length=25,
        help_text=_("For example 0501234567."),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "dir": "ltr", "autocomplete": "tel"}
        ),
    )


class _IdentityMobileForm(forms.Form):
    identity_number = _identity_field()
    mobile = _mobile_field()

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])


class SignInForm(_IdentityMobileForm):
    def clean_identity_number(self):
        # Any shape is looked up; a wrong one just matches no one.
        return normalize_id(self.cleaned_data["identity_number"]).upper()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code sent to your mobile"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "pattern": "[0-9٠-٩ ]*",
            }
        ),
    )


class RegisterForm(_IdentityMobileForm):
    """What a real association needs to open a record and call back (P-NEEDS:
    ease procedures): the rest is asked when the beneficiary applies."""

    first_name = forms.CharField(label=_("First name"), max_length=50)
    father_name = forms.CharField(label=_("Father's name"), max_length=50)
    grandfather_name = forms.CharField(label=_("Grandfather's name"), max_length=50)
    family_name = forms.CharField(label=_("Family name"), max_length=50)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it.")
    )
    accept_terms = forms.BooleanField(
        label=_(
            "I accept the terms: applying is my wish to benefit and my acceptance "
            "of the programme's instructions."
        )
    )

    field_order = [
        "identity_number",
        "mobile",
        "first_name",
        "father_name",
        "grandfather_name",
        "family_name",
        "gender",
        "accept_privacy",
        "accept_terms",
    ]

    def clean_identity_number(self):
        number = normalize_id(self.cleaned_data["identity_number"])
        kind = (
            IdentityType.IQAMA if number.startswith("2") else IdentityType.NATIONAL_ID
        )
        if not number.startswith(("1", "2")) and number.isdigit() and len(number) == 10:
            raise ValidationError(
                _(
                    "Online registration takes a national ID or an iqama. With "
                    "another document, visit or call the association."
                ),
                code="identity_type",
            )
        # A failed check digit is refused here: only staff may accept one.
        return clean_identity(kind, number)


class InquiryForm(forms.Form):
    """A question from anyone (issue 7 item 6, P-INFO)."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=25,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "dir": "ltr", "autocomplete": "tel"}
        ),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reply_method = forms.ChoiceField(
        label=_("Answer me by"),
        choices=[
            (ReplyMethod.SMS, ReplyMethod.SMS.label),
            (ReplyMethod.WHATSAPP, ReplyMethod.WHATSAPP.label),
            (ReplyMethod.EMAIL, ReplyMethod.EMAIL.label),
        ],
        widget=forms.RadioSelect,
        initial=ReplyMethod.SMS,
    )
    # A field people never see: a robot that fills every field gives itself away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_mobile(self):
        raw = self.cleaned_data["mobile"]
        return normalize_mobile(raw) if raw.strip() else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("The form could not be sent. Try again."), code="honeypot"
            )
        return cleaned


class FaqEntryForm(forms.Form):
    question_ar = forms.CharField(label=_("Question (Arabic)"), max_length=300)
    question_en = forms.CharField(
        label=_("Question (English)"), max_length=300, required=False
    )
    answer_ar = forms.CharField(
        label=_("Answer (Arabic)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    answer_en = forms.CharField(
        label=_("Answer (English)"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
        required=False,
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32000)
    is_published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_en"].widget.attrs["dir"] = "ltr"


class ConsentTextForm(forms.Form):
    """A new version of the privacy notice or the terms (P-CONSENT)."""

    text_ar = forms.CharField(
        label=_("Text (Arabic)"),
        widget=forms.Textarea(attrs={"rows": 16, "dir": "rtl", "lang": "ar"}),
        error_messages={"required": _("Write the text in Arabic.")},
    )
    text_en = forms.CharField(
        label=_("Text (English)"),
        widget=forms.Textarea(attrs={"rows": 16, "dir": "ltr", "lang": "en"}),
        required=False,
    )
    summary_ar = forms.CharField(
        label=_("What changed (Arabic)"),
        max_length=300,
        help_text=_("One or two sentences the beneficiary reads before the text."),
        error_messages={"required": _("Say in a sentence, in Arabic, what changed.")},
    )
    summary_en = forms.CharField(
        label=_("What changed (English)"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary_ar"].widget.attrs.update(dir="rtl", lang="ar")
        self.fields["summary_en"].widget.attrs.update(dir="ltr", lang="en")
