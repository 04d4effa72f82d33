from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mustafid.cases.models import Case
from mustafid.contact.models import Channel, ChannelKind, Direction, ReplyMethod
from mustafid.core.roles import Perm, Role, role_has_perm
from mustafid.registry.models import Beneficiary, Language

# Tenant querysets are empty here and set in __init__: at import no association
# is active, and a scoped query would raise.

# A search lists at most this many people to choose from.
MAX_CHOICES = 10


class ChannelForm(forms.Form):
    """A channel the association adds to its policy's list (P-CHANNELS)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=150)
    name_en = forms.CharField(label=_("Name (English)"), max_length=150, required=False)


class BeneficiaryLookupMixin:
    """Picks a beneficiary by identity number, mobile or name, or none at all.

    One match is taken; several are offered as choices; none is an error, so a
    typo never logs the contact against nobody by accident.
    """

    def _setup_lookup(self, beneficiary):
        self.fixed_beneficiary = beneficiary
        self.candidates = []
        self.fields["beneficiary"].queryset = Beneficiary.objects.all()
        if beneficiary is not None:
            del self.fields["find"]

    def _clean_beneficiary(self, data):
        if self.fixed_beneficiary is not None:
            data["beneficiary"] = self.fixed_beneficiary
            return data
        if data.get("beneficiary"):
            return data
        text = (data.get("find") or "").strip()
        if not text:
            return data
        found = list(Beneficiary.objects.search(text)[: MAX_CHOICES + 1])
        if len(found) == 1:
            data["beneficiary"] = found[0]
        elif not found:
            self.add_error(
                "find",
                _(
                    "No beneficiary matches. Correct the search, or clear it to "
                    "record someone who is not registered."
                ),
            )
        else:
            self.candidates = found[:MAX_CHOICES]
            self.add_error("find", _("Several beneficiaries match: choose one."))
        return data


class QuickCallForm(BeneficiaryLookupMixin, forms.Form):
    """A phone call (or any contact) logged in a few seconds (P-RECEIVE)."""

    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none()
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Direction.choices,
        initial=Direction.INCOMING,
        widget=forms.RadioSelect,
    )
    find = forms.CharField(
        label=_("Beneficiary"),
        max_length=100,
        required=False,
        help_text=_(
            "Identity number, mobile or name; leave empty if the caller is "
            "not registered or did not say who they are."
        ),
    )
    beneficiary = forms.ModelChoiceField(
        queryset=Beneficiary.objects.none(), required=False, widget=forms.HiddenInput
    )
    contact_name = forms.CharField(
        label=_("Caller's name"), max_length=200, required=False
    )
    contact_phone = forms.CharField(
        label=_("Caller's mobile"), max_length=30, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    case = forms.ModelChoiceField(
        label=_("Request"), queryset=Case.objects.none(), required=False
    )

    def __init__(self, *args, beneficiary=None, default_channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.enabled()
        if default_channel is not None:
            self.fields["channel"].initial = default_channel
        self._setup_lookup(beneficiary)
        if beneficiary is not None:
            del self.fields["contact_name"], self.fields["contact_phone"]
            self.fields["case"].queryset = beneficiary.cases.select_related(
                "service"
            ).order_by("-created_at", "-id")
            self.fields["case"].label_from_instance = lambda case: (
                f"{case.number} — {case.service.name}"
            )
        else:
            del self.fields["case"]

    def clean(self):
        return self._clean_beneficiary(super().clean())


def inquiry_answerers(organization):
    """Active staff of the association whose role answers inquiries."""
    roles = [role for role in Role if role_has_perm(role, Perm.ANSWER_INQUIRIES)]
    return (
        get_user_model()
        .objects.filter(
            memberships__organization=organization,
            memberships__is_active=True,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class InquiryForm(BeneficiaryLookupMixin, forms.Form):
    """An inquiry staff record from a call, a letter or a visit (P-INFO)."""

    channel = forms.ModelChoiceField(
        label=_("Received through"), queryset=Channel.objects.none()
    )
    find = forms.CharField(
        label=_("Beneficiary"),
        max_length=100,
        required=False,
        help_text=_(
            "Identity number, mobile or name; leave empty for someone not "
            "registered and fill in their name and contact below."
        ),
    )
    beneficiary = forms.ModelChoiceField(
        queryset=Beneficiary.objects.none(), required=False, widget=forms.HiddenInput
    )
    inquirer_name = forms.CharField(
        label=_("Inquirer's name"), max_length=200, required=False
    )
    inquirer_mobile = forms.CharField(
        label=_("Inquirer's mobile"), max_length=30, required=False
    )
    inquirer_email = forms.EmailField(label=_("Inquirer's email"), required=False)
    reply_method = forms.ChoiceField(
        label=_("Reply by"),
        choices=[("", _("Their preferred way")), *ReplyMethod.choices],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language of the answer"),
        choices=[("", _("Their preferred language")), *Language.choices],
        required=False,
    )
    question = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    assigned_to = StaffChoiceField(
        label=_("Assign to"), queryset=Beneficiary.objects.none(), required=False
    )

    def __init__(self, *args, organization, beneficiary=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.enabled()
        self.fields["assigned_to"].queryset = inquiry_answerers(organization)
        self._setup_lookup(beneficiary)

    def clean(self):
        return self._clean_beneficiary(super().clean())


class AssignForm(forms.Form):
    assigned_to = StaffChoiceField(
        label=_("Assign to"),
        queryset=Beneficiary.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = inquiry_answerers(organization)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Required when closing without an answer."),
    )


class InquiryFilterForm(forms.Form):
    SHOW = [
        ("all", _("All")),
        ("mine", _("Mine")),
        ("unassigned", _("Unassigned")),
        ("overdue", _("Overdue")),
    ]
    STATUS = [
        ("open", _("Open")),
        ("answered", _("Answered")),
        ("closed", _("Closed")),
        ("any", _("Any status")),
    ]
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filtering reaches old inquiries too: disabled channels stay listed.
        self.fields["channel"].queryset = Channel.objects.all()

    def filter(self, inquiries, *, user, now):
        data = self.cleaned_data
        status = data.get("status") or "open"
        if status != "any":
            inquiries = inquiries.filter(status=status)
        show = data.get("show") or "all"
        if show == "mine":
            inquiries = inquiries.filter(assigned_to=user)
        elif show == "unassigned":
            inquiries = inquiries.filter(assigned_to__isnull=True)
        elif show == "overdue":
            inquiries = inquiries.overdue(now)
        if data.get("channel"):
            inquiries = inquiries.filter(channel=data["channel"])
        return inquiries
