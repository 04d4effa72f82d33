"""The association's own lists: beneficiary categories and document types."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.forms import modelformset_factory
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mustafid.core import audit
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.registry.models import Category, DocumentType

LISTS = {
    "categories": (
        Category,
        ["code", "name_ar", "name_en", "position", "is_active"],
        gettext_lazy("Beneficiary categories"),
    ),
    "document-types": (
        DocumentType,
        ["code", "name_ar", "name_en", "expires", "position", "is_active"],
        gettext_lazy("Document types"),
    ),
}


class CodeUniqueFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        codes = [
            form.cleaned_data.get("code")
            for form in self.forms
            if form.has_changed() or form.instance.pk
        ]
        codes = [code for code in codes if code]
        if len(codes) != len(set(codes)):
            raise forms.ValidationError(_("Each code must be different."))


@transaction.atomic
def save_list(*, actor, organization, formset, request=None) -> int:
    """Save the changed rows of a settings list, each audited; returns how many."""
    saved = 0
    for form in formset.forms:
        if not form.has_changed():
            continue
        before = (
            audit.snapshot(type(form.instance).objects.get(pk=form.instance.pk))
            if form.instance.pk
            else {}
        )
        row = form.save(commit=False)
        row.organization = organization
        row.save()
        audit.record(
            AuditAction.UPDATE if before else AuditAction.CREATE,
            actor=actor,
            organization=organization,
            obj=row,
            changes=audit.changed_fields(before, audit.snapshot(row)),
            request=request,
        )
        saved += 1
    return saved


@require_http_methods(["GET", "POST"])
@staff_view(Perm.CHANGE_ASSOCIATION)
def registry_list_settings(request, kind: str):
    if kind not in LISTS:
        raise Http404
    model, fields, title = LISTS[kind]
    FormSet = modelformset_factory(
        model, fields=fields, extra=2, formset=CodeUniqueFormSet
    )
    formset = FormSet(request.POST or None, queryset=model.objects.all())
    if request.method == "POST" and formset.is_valid():
        saved = save_list(
            actor=request.user,
            organization=request.organization,
            formset=formset,
            request=request,
        )
        messages.success(request, _("%(count)s rows saved.") % {"count": saved})
        return redirect("registry:list_settings", kind=kind)
    return TemplateResponse(
        request,
        "registry/list_settings.html",
        {"formset": formset, "title": title, "kind": kind},
    )
