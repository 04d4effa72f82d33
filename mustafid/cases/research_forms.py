from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mustafid.cases.models import Case, Recommendation, VisitType
from mustafid.cases.research import REQUIRED_TO_COMPLETE, researchers_with_workload
from mustafid.core.fields import DualCalendarDateField
from mustafid.core.uploads import DOCUMENTS, CheckedFileField


class ResearcherChoiceField(forms.ModelChoiceField):
    """A researcher of the association, shown with their open workload."""

    def label_from_instance(self, user):
        name = user.get_full_name() or user.get_username()
        load = ngettext("%(n)s open request", "%(n)s open requests", user.workload) % {
            "n": user.workload
        }
        return f"{name} — {load}"


def _researcher_field(organization, label) -> ResearcherChoiceField:
    return ResearcherChoiceField(
        label=label,
        queryset=researchers_with_workload(organization),
        empty_label=None,
        widget=forms.RadioSelect,
    )


class AssignResearcherForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the researcher"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "researcher": _researcher_field(organization, _("Researcher")),
            **self.fields,
        }


class ResearchReportForm(forms.Form):
    """The research report (P-REFER-RESEARCH); a draft may be partial."""

    researched_on = DualCalendarDateField(label=_("Date of the research"))
    visit_type = forms.ChoiceField(
        label=_("How the research was done"),
        choices=VisitType.choices,
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
    )
    household_situation = forms.CharField(
        label=_("Household situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    recommendation_text = forms.CharField(
        label=_("Grounds of the recommendation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    attachment = CheckedFileField(
        label=_("Attach a photo or a paper"),
        kinds=DOCUMENTS,
        max_mb=10,
        required=False,
    )

    def __init__(self, *args, complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete

    def clean(self):
        data = super().clean()
        if self.complete:
            for name in REQUIRED_TO_COMPLETE:
                if name not in self.errors and not (data.get(name) or "").strip():
                    self.add_error(name, _("Needed to complete the report."))
        return data


class ReferQuestionForm(forms.Form):
    question = forms.CharField(
        label=_("The beneficiary's question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    case = forms.ModelChoiceField(
        label=_("About the request (optional)"),
        queryset=Case.objects.none(),
        required=False,
    )

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "researcher": _researcher_field(
                beneficiary.organization, _("Refer to the researcher")
            ),
            **self.fields,
        }
        self.fields["case"].queryset = Case.objects.filter(
            beneficiary=beneficiary
        ).select_related("service")


class AnswerQuestionForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )
