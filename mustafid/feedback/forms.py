from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.cases.models import Case
from mustafid.catalog.models import Service
from mustafid.contact.forms import BeneficiaryLookupMixin, StaffChoiceField
from mustafid.contact.models import Channel
from mustafid.core.uploads import DOCUMENTS, CheckedFileField
from mustafid.feedback.improvements import ActionStatus, ImprovementAction
from mustafid.feedback.models import (
    About,
    DisputeParty,
    FeedbackCategory,
    FeedbackItem,
    FeedbackTarget,
    Kind,
    Priority,
    Sender,
    Status,
)
from mustafid.registry.models import Beneficiary

ATTACHMENT_MB = 5
SCORES = [
    (5, _("Very satisfied")),
    (4, _("Satisfied")),
    (3, _("Neutral")),
    (2, _("Dissatisfied")),
    (1, _("Very dissatisfied")),
]


def _users(users):
    ids = [u.pk for u in users]
    return get_user_model().objects.filter(pk__in=ids).order_by("first_name", "pk")


class FeedbackForm(BeneficiaryLookupMixin, forms.Form):
    """An item staff record from a call, a letter or a visit."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    channel = forms.ModelChoiceField(
        label=_("Received through"), queryset=Channel.objects.none()
    )
    sender = forms.ChoiceField(
        label=_("From"), choices=Sender.choices, initial=Sender.BENEFICIARY
    )
    find = forms.CharField(
        label=_("Beneficiary"),
        max_length=100,
        required=False,
        help_text=_("Identity number, mobile or name, when from a beneficiary."),
    )
    beneficiary = forms.ModelChoiceField(
        queryset=Beneficiary.objects.none(), required=False, widget=forms.HiddenInput
    )
    sender_name = forms.CharField(
        label=_("Sender's name"), max_length=200, required=False
    )
    sender_mobile = forms.CharField(
        label=_("Sender's mobile"), max_length=30, required=False
    )
    sender_email = forms.EmailField(label=_("Sender's email"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=FeedbackCategory.objects.none(), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    about = forms.ChoiceField(label=_("About"), choices=About.choices)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False
    )
    case = forms.ModelChoiceField(
        label=_("Request"), queryset=Case.objects.none(), required=False
    )
    about_staff = StaffChoiceField(
        label=_("Staff member concerned"),
        queryset=Beneficiary.objects.none(),
        required=False,
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        help_text=_("For a letter received earlier; empty means now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    attachment = CheckedFileField(
        label=_("Attachment"), kinds=DOCUMENTS, max_mb=ATTACHMENT_MB, required=False
    )

    def __init__(self, *args, organization, beneficiary=None, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.enabled()
        self.fields["category"].queryset = FeedbackCategory.objects.filter(
            is_enabled=True
        )
        self.fields["service"].queryset = Service.objects.all()
        self.fields["about_staff"].queryset = _users(staff)
        self._setup_lookup(beneficiary)
        if beneficiary is not None:
            self.fields["case"].queryset = beneficiary.cases.select_related(
                "service"
            ).order_by("-created_at", "-id")
            self.fields["case"].label_from_instance = lambda case: (
                f"{case.number} — {case.service.name}"
            )
        else:
            # A request is chosen from the beneficiary's record.
            del self.fields["case"]
            self.fields["about"].choices = [
                c for c in About.choices if c[0] != About.CASE
            ]

    def clean_received_at(self):
        received_at = self.cleaned_data.get("received_at")
        if received_at and received_at > timezone.now():
            raise forms.ValidationError(_("The day received cannot be in the future."))
        return received_at

    def clean(self):
        data = self._clean_beneficiary(super().clean())
        if data.get("beneficiary") is not None:
            data["sender"] = Sender.BENEFICIARY
        return data


class PublicFeedbackForm(forms.Form):
    """The public form (P-EONLINE, P-TRANSPARENCY): no sign-in needed."""

    kind = forms.ChoiceField(
        label=_("What would you like to send?"),
        choices=[c for c in Kind.choices if c[0] != Kind.DISPUTE],
        widget=forms.RadioSelect,
        initial=Kind.COMPLAINT,
    )
    category = forms.ModelChoiceField(
        label=_("Subject"), queryset=FeedbackCategory.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    anonymous = forms.BooleanField(
        label=_("Send without my name (we cannot reply to you)"), required=False
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    attachment = CheckedFileField(
        label=_("Attachment (optional)"),
        kinds=DOCUMENTS,
        max_mb=ATTACHMENT_MB,
        required=False,
    )

    def __init__(self, *args, beneficiary=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary
        self.fields["category"].queryset = FeedbackCategory.objects.filter(
            is_enabled=True
        )
        if beneficiary is not None:
            for name in ("anonymous", "name", "mobile", "email"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if self.beneficiary is None and not data.get("anonymous"):
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Write your name, or send without it."))
            if not data.get("mobile") and not data.get("email"):
                self.add_error(
                    "mobile", _("Give a mobile number or an email for our answer.")
                )
        return data


class AssignForm(forms.Form):
    assigned_to = StaffChoiceField(
        label=_("Assign to"),
        queryset=Beneficiary.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _users(staff)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, label=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        self.fields["text"].required = required


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how your complaint was handled?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )


class StatementForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=DisputeParty.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    mobile = forms.CharField(
        label=_("Mobile (for the outcome)"), max_length=30, required=False
    )
    statement = forms.CharField(
        label=_("Statement"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class QueueFilterForm(forms.Form):
    SHOW = [
        ("all", _("All")),
        ("mine", _("Mine")),
        ("unassigned", _("Unassigned")),
        ("overdue", _("Past the resolution target")),
    ]
    STATUS = [("open", _("Open")), *Status.choices, ("any", _("Any status"))]
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *Kind.choices], required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=FeedbackCategory.objects.none(), required=False
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = FeedbackCategory.objects.all()
        self.fields["channel"].queryset = Channel.objects.all()

    def applied(self) -> dict:
        """The filter as applied, defaults included: what `filter` does and
        what the audit trail records of an export."""
        data = self.cleaned_data if self.is_bound else {}
        applied = {
            "status": data.get("status") or "open",
            "show": data.get("show") or "all",
        }
        for name in ("kind", "category", "channel"):
            if data.get(name):
                applied[name] = getattr(data[name], "pk", data[name])
        return applied

    def filter(self, items, *, user, now):
        applied = self.applied()
        status = applied.pop("status")
        if status == "open":
            items = items.open()
        elif status != "any":
            items = items.filter(status=status)
        show = applied.pop("show")
        if show == "mine":
            items = items.filter(assigned_to=user)
        elif show == "unassigned":
            items = items.filter(assigned_to__isnull=True)
        elif show == "overdue":
            items = items.overdue(now)
        return items.filter(**applied)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = FeedbackCategory
        fields = ["name_ar", "name_en"]


class TargetForm(forms.ModelForm):
    class Meta:
        model = FeedbackTarget
        fields = ["acknowledge_days", "resolve_days", "board_after_days"]

    def clean(self):
        data = super().clean()
        ack, resolve = data.get("acknowledge_days"), data.get("resolve_days")
        board = data.get("board_after_days")
        if ack is not None and resolve is not None and not 1 <= ack <= resolve <= 60:
            raise forms.ValidationError(
                _(
                    "Acknowledge within 1 day or more, and resolve no sooner "
                    "than that and within 60 working days."
                )
            )
        if board is not None and not 1 <= board <= 60:
            self.add_error("board_after_days", _("Between 1 and 60 working days."))
        return data


class ImprovementForm(forms.ModelForm):
    owner = StaffChoiceField(label=_("Owner"), queryset=Beneficiary.objects.none())
    items = forms.ModelMultipleChoiceField(
        label=_("From the items"),
        queryset=FeedbackItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ImprovementAction
        fields = [
            "title",
            "description",
            "items",
            "owner",
            "due_on",
            "status",
            "outcome",
            "you_said",
            "we_did",
            "is_published",
        ]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "you_said": forms.Textarea(attrs={"rows": 2}),
            "we_did": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, staff=(), items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users(staff)
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda item: (
            f"{item.reference} — {item.get_kind_display()}"
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionStatus.DONE and not data.get("outcome"):
            self.add_error("outcome", _("Write the outcome of a finished action."))
        if data.get("is_published") and not (
            data.get("you_said") and data.get("we_did")
        ):
            self.add_error(
                "you_said", _("Write both public texts before publishing the action.")
            )
        return data
