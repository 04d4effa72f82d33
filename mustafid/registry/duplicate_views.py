"""Pages for duplicates: the live check while registering, and the merge."""

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from mustafid.core.audit import record_for_request
from mustafid.core.fields import DualCalendarDateField
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.phones import normalize_mobile
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.registry.duplicates import Person, find_candidates, score
from mustafid.registry.merge import MergeError, merge_beneficiaries
from mustafid.registry.models import Beneficiary, Gender


class DuplicateCheckForm(forms.Form):
    """What the registration form has typed so far; every field is optional."""

    first_name = forms.CharField(max_length=50, required=False)
    father_name = forms.CharField(max_length=50, required=False)
    grandfather_name = forms.CharField(max_length=50, required=False)
    family_name = forms.CharField(max_length=50, required=False)
    identity_number = forms.CharField(max_length=20, required=False)
    mobile = forms.CharField(max_length=25, required=False)
    birth_date = DualCalendarDateField(required=False)
    gender = forms.ChoiceField(choices=[("", ""), *Gender.choices], required=False)
    exclude = forms.IntegerField(min_value=1, required=False)

    def __init__(self, data=None, **kwargs):
        # Other systems send birth_date=YYYY-MM-DD; the registration form sends
        # the two inputs of the Hijri/Gregorian widget.
        if data is not None and data.get("birth_date") and "birth_date_1" not in data:
            data = data.copy()
            data["birth_date_0"], data["birth_date_1"] = "gregorian", data["birth_date"]
        super().__init__(data, **kwargs)

    def clean_mobile(self):
        raw = self.cleaned_data["mobile"]
        return normalize_mobile(raw) if raw.strip() else ""

    def clean(self):
        cleaned = super().clean()
        named = cleaned.get("first_name") and cleaned.get("family_name")
        if not (named or cleaned.get("identity_number") or cleaned.get("mobile")):
            raise forms.ValidationError(
                _(
                    "Give the first and family name, an identity number or a "
                    "mobile number to check."
                ),
                code="nothing_to_check",
            )
        return cleaned

    def finder_arguments(self) -> dict:
        """The valid fields only: while typing, a half-written mobile is left
        out and the names are still checked."""
        data = self.cleaned_data
        texts = (
            "first_name",
            "father_name",
            "grandfather_name",
            "family_name",
            "identity_number",
            "mobile",
            "gender",
        )
        return {name: data.get(name) or "" for name in texts} | {
            "birth_date": data.get("birth_date"),
            "exclude_pk": data.get("exclude"),
        }


@require_GET
@staff_view(Perm.VIEW_BENEFICIARIES)
def duplicate_check(request):
    """Possibly already registered? JSON for other forms, a fragment for htmx."""
    form = DuplicateCheckForm(request.GET)
    valid = form.is_valid()
    if not valid and not request.htmx:
        return JsonResponse(
            {
                "error": str(_("The details sent cannot be checked.")),
                "errors": form.errors.get_json_data(),
            },
            status=400,
        )
    candidates = []
    if form.cleaned_data:
        candidates = find_candidates(
            organization=request.organization, **form.finder_arguments()
        )
    if request.htmx:
        response = TemplateResponse(
            request,
            "registry/_duplicate_warning.html",
            {"candidates": candidates, "current_pk": form.cleaned_data.get("exclude")},
        )
    else:
        # Names and why only: identity numbers and mobiles never leave here.
        response = JsonResponse(
            {
                "candidates": [
                    {
                        "id": c.beneficiary.pk,
                        "name": c.beneficiary.full_name,
                        "score": c.score,
                        "level": c.level,
                        "reasons": [str(reason) for reason in c.reasons],
                        "url": reverse(
                            "registry:beneficiary_detail", args=[c.beneficiary.pk]
                        ),
                    }
                    for c in candidates
                ]
            }
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


class MergeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked that both records are the same person"),
        required=True,
    )


def _side_by_side(keep: Beneficiary, remove: Beneficiary) -> list[tuple]:
    def facts(b: Beneficiary) -> list:
        return [
            b.full_name,
            f"{b.get_identity_type_display()} · {b.identity_number}",
            b.get_gender_display(),
            b.birth_date,
            b.mobile,
            b.email,
            " · ".join(filter(None, [b.get_region_display(), b.city])),
            b.get_registration_status_display(),
            str(b.household_members.count()),
            str(b.documents.count()),
            " · ".join(c.name for c in b.categories.all()),
        ]

    labels = [
        _("Name"),
        _("Identity"),
        _("Gender"),
        _("Birth date"),
        _("Mobile"),
        _("Email"),
        _("Region"),
        _("Registration"),
        _("Household members"),
        _("Documents"),
        _("Categories"),
    ]
    return [
        (label, a, b, a != b)
        for label, a, b in zip(labels, facts(keep), facts(remove), strict=True)
    ]


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MERGE_BENEFICIARIES)
@transaction.atomic
def beneficiary_merge(request, pk: int, other_pk: int):
    """Both records side by side; on confirmation `other_pk` joins `pk`."""
    keep = get_for_org(request, Beneficiary, pk=pk)
    remove = get_for_org(request, Beneficiary, pk=other_pk)
    form = MergeForm(request.POST or None)
    error = ""
    if keep.pk == remove.pk:
        error = _("A record cannot be merged with itself.")
    elif request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                merge_beneficiaries(
                    actor=request.user, keep=keep, remove=remove, request=request
                )
        except MergeError as exc:
            error = str(exc)
        except IntegrityError:
            error = _("These records cannot be merged: another record links to both.")
        else:
            messages.success(request, _("The two records were merged into this one."))
            return redirect("registry:beneficiary_detail", pk=keep.pk)
    if request.method == "GET":
        # P-PRIVACY: the page shows both records' identity numbers.
        for beneficiary in [keep] if keep.pk == remove.pk else [keep, remove]:
            record_for_request(request, AuditAction.VIEW, obj=beneficiary)
    value, reasons = score(Person.of(keep), Person.of(remove))
    return TemplateResponse(
        request,
        "registry/merge.html",
        {
            "keep": keep,
            "remove": remove,
            "rows": _side_by_side(keep, remove),
            "form": form,
            "error": error,
            "score": value,
            "reasons": reasons,
        },
        status=400 if error and request.method == "POST" else 200,
    )
