"""Forms of the research committee's pages (P-COMMITTEE)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.cases.models import (
    Case,
    CommitteeMember,
    DecisionReason,
    ReasonKind,
    VoteChoice,
)
from mustafid.catalog.models import Service
from mustafid.core.fields import DualCalendarDateField
from mustafid.core.models import Membership
from mustafid.core.roles import ROLE_PERMISSIONS, Perm

# Tenant querysets are set in __init__: at import no association is active.
MAX_AGENDA = 20_000


class _StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.user.get_full_name() or obj.user.get_username()
        return f"{name} — {obj.get_role_display()}"


class _MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class MemberForm(forms.Form):
    membership = _StaffChoice(
        label=_("Staff member"), queryset=Membership.objects.none()
    )
    is_chair = forms.BooleanField(label=_("Chair of the committee"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        voters = [
            role for role, perms in ROLE_PERMISSIONS.items() if Perm.VOTE in perms
        ]
        seated = CommitteeMember.objects.filter(is_active=True).values("membership")
        self.fields["membership"].queryset = (
            Membership.objects.filter(is_active=True, role__in=voters)
            .exclude(pk__in=seated)
            .select_related("user")
        )


class MemberChangeForm(forms.Form):
    is_chair = forms.BooleanField(label=_("Chair"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class QuorumForm(forms.Form):
    quorum_minimum = forms.IntegerField(
        label=_("Minimum members present"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Leave empty for a majority of the active members."),
    )


class MeetingForm(forms.Form):
    date = DualCalendarDateField(label=_("Meeting date"), allow_future=True)
    notes = forms.CharField(
        label=_("Notes for the minutes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class BuildAgendaForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Only requests for this service"),
        queryset=Service.objects.none(),
        required=False,
    )
    limit = forms.IntegerField(
        label=_("At most this many requests (soonest due first)"),
        min_value=1,
        max_value=MAX_AGENDA,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(needs_committee=True)


class AddCaseForm(forms.Form):
    number = forms.CharField(
        label=_("Request number"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "1447-000123"}),
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("No request has this number."))
        self.case = case
        return number


class AttendanceForm(forms.Form):
    attendees = _MemberChoice(
        label=_("Members present"),
        queryset=CommitteeMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = CommitteeMember.objects.filter(
            is_active=True
        ).select_related("membership__user")


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Vote"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    member = forms.ModelChoiceField(
        label=_("Vote of"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        help_text=_("To enter a paper vote for another member present."),
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["member"].queryset = meeting.attendees.select_related(
                "membership__user"
            )


class ReasonsForm(forms.Form):
    reasons = forms.ModelMultipleChoiceField(
        label=_("Reasons"),
        queryset=DecisionReason.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Further reasons"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].queryset = DecisionReason.objects.filter(is_active=True)

    def grouped(self):
        """The checkboxes under a heading per kind (to approve, to reject)."""
        boxes = list(self["reasons"])
        kinds = dict(self.fields["reasons"].queryset.values_list("pk", "kind"))
        return [
            (label, [box for box in boxes if kinds.get(box.data["value"]) == kind])
            for kind, label in ReasonKind.choices
        ]


class SetAsideForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is set aside"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
