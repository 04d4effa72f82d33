from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.catalog.models import Service
from mustafid.core.models import Membership
from mustafid.registry.forms import BeneficiaryFilterForm
from mustafid.surveys.models import (
    CHOICE_KINDS,
    Question,
    QuestionKind,
    Questionnaire,
    ResponseChannel,
)

MAX_TEXT = 2000


class QuestionnaireForm(forms.ModelForm):
    services = forms.ModelMultipleChoiceField(
        label=_("services"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Requests for these services invite their beneficiary."),
    )

    class Meta:
        model = Questionnaire
        fields = [
            "title_ar",
            "title_en",
            "intro_ar",
            "intro_en",
            "is_active",
            "is_anonymous",
            "trigger",
            "on_programme_end",
            "valid_days",
            "reminder_days",
        ]
        widgets = {
            "intro_ar": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.order_by("name_ar")
        if self.instance.pk:
            self.fields["services"].initial = list(self.instance.services.all())

    def clean(self):
        data = super().clean()
        valid, remind = data.get("valid_days"), data.get("reminder_days")
        if valid and remind and remind >= valid:
            self.add_error(
                "reminder_days",
                _("The reminder must come before the link closes."),
            )
        return data

    def settings_data(self) -> dict:
        return {
            key: value for key, value in self.cleaned_data.items() if key != "services"
        }


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        label=_("choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For one or several choices: one choice per line, the Arabic then "
            "“|” and the English (optional)."
        ),
    )

    class Meta:
        model = Question
        fields = ["kind", "text_ar", "text_en", "required", "position"]
        widgets = {"text_en": forms.TextInput(attrs={"dir": "ltr"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        if self.instance.pk and not self.is_bound:
            self.fields["choices"].initial = "\n".join(
                f"{c.text_ar} | {c.text_en}" if c.text_en else c.text_ar
                for c in self.instance.choices.all()
            )

    def clean(self):
        data = super().clean()
        lines = [
            line.strip()
            for line in (data.get("choices") or "").splitlines()
            if line.strip()
        ]
        parsed = []
        for line in lines:
            ar, _sep, en = line.partition("|")
            if not ar.strip():
                self.add_error("choices", _("Each choice needs its Arabic wording."))
                break
            parsed.append((ar.strip()[:200], en.strip()[:200]))
        if data.get("kind") in CHOICE_KINDS and len(parsed) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        data["choice_list"] = parsed
        return data


# --- Answering ---------------------------------------------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.text, "required": question.required}
    if question.kind == QuestionKind.RATING:
        return forms.TypedChoiceField(
            choices=[(n, str(n)) for n in range(1, 6)],
            coerce=int,
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == QuestionKind.NPS:
        return forms.TypedChoiceField(
            choices=[(n, str(n)) for n in range(11)],
            coerce=int,
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    options = [(c.pk, c.text) for c in question.choices.all()]
    if question.kind == QuestionKind.SINGLE:
        return forms.TypedChoiceField(
            choices=options, coerce=int, widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            choices=options,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=True,
        **common,
    )


class AnswerForm(forms.Form):
    """One field per question of a version, named q<question id>."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            field = _field_for(question)
            field.question = question
            self.fields[f"q{question.pk}"] = field

    def values(self) -> dict:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}")
            for question in self.questions
        }

    def clean(self):
        data = super().clean()
        # With required questions, their own errors say what is missing.
        optional_only = not any(q.required for q in self.questions)
        if (
            self.questions
            and optional_only
            and not any(
                data.get(f"q{q.pk}") not in (None, "", []) for q in self.questions
            )
        ):
            raise forms.ValidationError(_("Answer at least one question."))
        return data


def staff_choices():
    users = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(is_active=True).values("user_id")
    )
    return users.order_by("first_name", "last_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class PaperForm(forms.Form):
    """What the paper says besides the answers."""

    answered_on = forms.DateField(
        label=_("date on the form"), widget=forms.DateInput(attrs={"type": "date"})
    )
    service = forms.ModelChoiceField(
        label=_("service"), queryset=Service.objects.none(), required=False
    )
    staff = UserChoiceField(
        label=_("staff member who served"),
        queryset=get_user_model().objects.none(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.order_by("name_ar")
        self.fields["staff"].queryset = staff_choices()
        self.fields["answered_on"].initial = timezone.localdate()

    def clean_answered_on(self):
        day = self.cleaned_data["answered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


# --- Campaigns and indicators --------------------------------------------------


class CampaignForm(BeneficiaryFilterForm):
    """A filtered list of beneficiaries (the registry's filter) and a service."""

    questionnaire = forms.ModelChoiceField(
        label=_("questionnaire"), queryset=Questionnaire.objects.none()
    )
    name = forms.CharField(label=_("campaign name"), max_length=200)
    service = forms.ModelChoiceField(
        label=_("had a request for the service"),
        queryset=Service.objects.none(),
        required=False,
    )
    field_order = ["questionnaire", "name", "service", "q", "category", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(
            is_active=True
        )
        self.fields["service"].queryset = Service.objects.order_by("name_ar")

    def filter(self, beneficiaries):
        beneficiaries = super().filter(beneficiaries)
        if self.cleaned_data.get("service"):
            beneficiaries = beneficiaries.filter(
                cases__service=self.cleaned_data["service"]
            )
        return beneficiaries.distinct()

    def summary(self) -> dict:
        data = self.cleaned_data
        return {
            key: str(getattr(data.get(key), "pk", data.get(key)) or "")
            for key in ("q", "category", "region", "status", "service")
            if data.get(key)
        }


class IndicatorFilterForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("questionnaire"), queryset=Questionnaire.objects.none(), required=False
    )
    service = forms.ModelChoiceField(
        label=_("service"), queryset=Service.objects.none(), required=False
    )
    channel = forms.ChoiceField(label=_("channel"), required=False)
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    staff = UserChoiceField(
        label=_("staff member"),
        queryset=get_user_model().objects.none(),
        required=False,
    )

    def __init__(self, *args, with_staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.all()
        self.fields["service"].queryset = Service.objects.order_by("name_ar")
        self.fields["channel"].choices = [
            ("", _("All channels")),
            *ResponseChannel.choices,
        ]
        if with_staff:
            self.fields["staff"].queryset = staff_choices()
        else:
            # P-EVALCULTURE: results about a staff member are the manager's.
            del self.fields["staff"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end comes before the start."))
        return data
