"""The form where an association writes a service's eligibility rules.

One `RulesForm` (how the conditions combine, the review cycle, a note) and a
formset of `CriterionForm` rows. A value is sent as "subject:code", so each row
checks that what was chosen belongs to its own condition, with or without
JavaScript (P-ELIGIBILITY). Only `Subject` may be chosen: nothing about a name,
a family or a tribe can enter a rule (P-PRIVACY).
"""

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mustafid.eligibility.choices import value_choices
from mustafid.eligibility.models import (
    CHOICE_SUBJECTS,
    RANGE_SUBJECTS,
    Combine,
    Criterion,
    RuleSet,
    Subject,
    shape_problem,
)
from mustafid.registry.models import DocumentType

SEPARATOR = ":"
NOT_ALLOWED = _("This condition is not one a rule may use.")
WHOLE_NUMBERS = _("Use whole numbers of zero or more.")


def subject_options(document_types=None) -> dict:
    """Everything the rows of one page choose from, read once per request:
    {"values": {subject: [(code, label)]}, "documents": {pk: DocumentType}}."""
    return {
        "values": {subject: value_choices(subject) for subject in _choice_order()},
        "documents": {d.pk: d for d in (document_types or [])},
    }


def _choice_order() -> list[str]:
    return [s for s in Subject.values if s in CHOICE_SUBJECTS]


def document_types_for(rule_set: RuleSet):
    """The active document types, and any the current rules still name."""
    used = {c.document_type_id for c in rule_set.conditions() if c.document_type_id}
    active = DocumentType.objects.filter(is_active=True)
    return list(active | DocumentType.objects.filter(pk__in=used))


def encode(subject: str, code: str) -> str:
    return f"{subject}{SEPARATOR}{code}"


class RulesForm(forms.Form):
    combine = forms.ChoiceField(
        label=capfirst(_("eligible when")),
        choices=Combine.choices,
        widget=forms.RadioSelect,
    )
    review_every_months = forms.IntegerField(
        label=capfirst(_("review every (months)")),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Leave empty for no periodic review."),
    )
    grace_days = forms.IntegerField(
        label=capfirst(_("grace period (days)")),
        min_value=0,
        max_value=365,
        help_text=_("Deliveries stop when a review is this many days overdue."),
    )
    note = forms.CharField(
        label=capfirst(_("what changed")),
        max_length=300,
        required=False,
        help_text=_("Kept with this version, e.g. “raised the income limit”."),
    )
    # The version the form was filled from (0: the defaults): publishing over
    # someone else's newer version is refused, not silently replaced.
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def initial_from(cls, rule_set: RuleSet) -> dict:
        return {
            "based_on": rule_set.version if rule_set.pk else 0,
            "combine": rule_set.combine,
            "review_every_months": rule_set.review_every_months,
            "grace_days": rule_set.grace_days,
        }


class CriterionForm(forms.Form):
    subject = forms.ChoiceField(
        label=capfirst(_("condition on")),
        error_messages={"invalid_choice": NOT_ALLOWED},
    )
    values = forms.MultipleChoiceField(
        label=_("Allowed values"),
        required=False,
        help_text=_(
            "For residency, nationality, gender, region, categories, education "
            "and employment. Hold Ctrl (⌘ on a Mac) to choose more than one."
        ),
    )
    minimum = forms.DecimalField(
        label=capfirst(_("at least")),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("For age (years) and household size (people)."),
    )
    maximum = forms.DecimalField(
        label=capfirst(_("at most")),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "For age, household size, and the income per person (riyals a month)."
        ),
    )
    document_type = forms.TypedChoiceField(
        label=capfirst(_("document type")),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For a verified, unexpired document."),
    )
    months = forms.IntegerField(
        label=_("Not received in the last (months)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("For “has not received this service recently”."),
    )
    reason_ar = forms.CharField(
        label=capfirst(_("reason when not met (Arabic)")),
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    reason_en = forms.CharField(
        label=capfirst(_("reason when not met (English)")),
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
    )

    def __init__(self, *args, options: dict, values_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["subject"].choices = [("", "---------"), *Subject.choices]
        chosen = self._chosen_subject()
        # A saved condition lists only its own values; a new or posted row
        # lists every group (the server checks they belong to its condition).
        self.fields["values"].choices = self.value_groups(
            chosen, only=bool(chosen) and not self.is_bound
        )
        self.fields["values"].widget.attrs["size"] = 8
        self.fields["document_type"].choices = [("", "---------")] + [
            (pk, doc.name) for pk, doc in options["documents"].items()
        ]
        if values_url:
            # htmx: narrow the values to the chosen condition (a nicety only;
            # without it every group is listed and the server checks them).
            self.fields["subject"].widget.attrs.update(
                {
                    "hx-get": values_url,
                    "hx-trigger": "change",
                    "hx-target": f"#{self.values_box_id}",
                    "hx-swap": "outerHTML",
                    "hx-vals": f'{{"row": "{self.prefix}"}}',
                }
            )

    @property
    def values_box_id(self) -> str:
        return f"{self.prefix or 'criterion'}-values-box"

    def _chosen_subject(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("subject"), "")
        return self.initial.get("subject", "")

    def value_groups(self, first: str = "", only: bool = False) -> list:
        """The values in one group per subject, the row's own subject first;
        `only`: that subject's group alone (none for a condition without values)."""
        order = _choice_order()
        if only and first:
            order = [first] if first in order else []
        elif first in order:
            order = [first, *(s for s in order if s != first)]
        labels = dict(Subject.choices)
        return [
            (
                labels[subject],
                [
                    (encode(subject, code), label)
                    for code, label in self.options["values"][subject]
                ],
            )
            for subject in order
        ]

    def clean_values(self) -> list[tuple[str, str, str]]:
        """(subject, ":", code) for each value; `clean` checks the subject is
        this row's and keeps the codes."""
        return [value.partition(SEPARATOR) for value in self.cleaned_data["values"]]

    def clean_document_type(self):
        pk = self.cleaned_data["document_type"]
        return self.options["documents"].get(pk) if pk is not None else None

    def clean(self):
        data = super().clean()
        subject = data.get("subject")
        if not subject:
            return data
        chosen = data.get("values") or []
        codes = [code for _subject, _sep, code in chosen]
        if any(value_subject != subject for value_subject, _sep, _code in chosen):
            self.add_error(
                "values",
                _("These values belong to another condition; choose among its own."),
            )
            codes = []
        data["values"] = codes if subject in CHOICE_SUBJECTS else []
        self._drop_what_does_not_apply(subject, data)
        self._check_shape(subject, data)
        return data

    def _drop_what_does_not_apply(self, subject: str, data: dict) -> None:
        """A row keeps only the details its condition uses (a row whose
        condition was changed may still hold the old ones)."""
        if subject not in RANGE_SUBJECTS:
            data["minimum"] = None
            if subject != Subject.INCOME_PER_PERSON:
                data["maximum"] = None
        if subject != Subject.DOCUMENT:
            data["document_type"] = None
        if subject != Subject.NOT_RECEIVED:
            data["months"] = None

    def _check_shape(self, subject: str, data: dict) -> None:
        """Each problem said next to the field that causes it."""
        if self.errors:
            return
        low, high = data.get("minimum"), data.get("maximum")
        if subject in CHOICE_SUBJECTS and not data["values"]:
            self.add_error("values", _("Choose at least one value."))
        elif subject in RANGE_SUBJECTS:
            if low is None and high is None:
                self.add_error("minimum", _("Give a minimum, a maximum or both."))
            for name, value in (("minimum", low), ("maximum", high)):
                if value is not None and value != value.to_integral_value():
                    self.add_error(name, WHOLE_NUMBERS)
            if low is not None and high is not None and low > high:
                self.add_error("minimum", _("The minimum is above the maximum."))
        elif subject == Subject.INCOME_PER_PERSON and high is None:
            self.add_error(
                "maximum", _("Give the highest income per person, in riyals a month.")
            )
        elif subject == Subject.DOCUMENT and data.get("document_type") is None:
            self.add_error("document_type", _("Choose the document type."))
        elif subject == Subject.NOT_RECEIVED and not data.get("months"):
            self.add_error("months", _("Give the number of months."))
        if self.errors:
            return
        # The model's own check, in case it knows more than this form.
        problem = shape_problem(Criterion(**self.criterion_fields(data)))
        if problem:
            raise forms.ValidationError(problem)

    @staticmethod
    def criterion_fields(data: dict) -> dict:
        document = data.get("document_type")
        return {
            "subject": data["subject"],
            "values": data.get("values") or [],
            "minimum": data.get("minimum"),
            "maximum": data.get("maximum"),
            "document_type": document,
            "months": data.get("months"),
            "reason_ar": data.get("reason_ar", "").strip(),
            "reason_en": data.get("reason_en", "").strip(),
        }

    @classmethod
    def initial_from(cls, criterion: Criterion) -> dict:
        return {
            "subject": criterion.subject,
            "values": [encode(criterion.subject, code) for code in criterion.values],
            "minimum": _plain(criterion.minimum),
            "maximum": _plain(criterion.maximum),
            "document_type": criterion.document_type_id,
            "months": criterion.months,
            "reason_ar": criterion.reason_ar,
            "reason_en": criterion.reason_en,
        }


def _plain(number: Decimal | None):
    """20 rather than 20.00 in the form, for whole numbers."""
    if number is None or number != number.to_integral_value():
        return number
    return int(number)


class BaseCriterionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this condition")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.criteria():
            raise forms.ValidationError(
                _("Keep at least one condition: a service without any is open to all.")
            )

    def criteria(self) -> list[dict]:
        """The rows kept, in order, as `publish_rules` takes them."""
        return [
            CriterionForm.criterion_fields(form.cleaned_data)
            for form in self.forms
            if form.cleaned_data.get("subject")
            and not (self.can_delete and self._should_delete_form(form))
        ]


CriterionFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriterionFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


def criterion_formset(
    rule_set: RuleSet, *, data=None, options: dict, values_url: str = ""
) -> BaseCriterionFormSet:
    # A posted page carries its own rows: an empty row at the end is then left
    # out, even if the rules were published again meanwhile (no initial to
    # differ from).
    initial = None
    if data is None:
        initial = [CriterionForm.initial_from(c) for c in rule_set.conditions()]
    return CriterionFormSet(
        data,
        prefix="criteria",
        initial=initial,
        form_kwargs={"options": options, "values_url": values_url},
    )
