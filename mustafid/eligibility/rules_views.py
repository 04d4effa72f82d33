"""The pages where an association writes each service's eligibility rules
(P-ELIGIBILITY): thin views over `services.publish_rules`."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mustafid.catalog.models import Service
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.eligibility import services
from mustafid.eligibility.evaluation import category_names, describe_all
from mustafid.eligibility.models import RuleSet
from mustafid.eligibility.rules_forms import (
    CriterionForm,
    RulesForm,
    criterion_formset,
    document_types_for,
    subject_options,
)

ROW_PREFIX = re.compile(r"criteria-\d{1,3}")


def _with_descriptions(rule_set: RuleSet, category_labels: dict) -> RuleSet:
    """`described`: (the condition in plain words, the reason told when not met)."""
    conditions = rule_set.conditions()
    language = get_language() or "ar"
    rule_set.described = [
        (words, criterion.reason(language[:2]))
        for criterion, words in zip(
            conditions, describe_all(conditions, category_labels), strict=True
        )
    ]
    return rule_set


@require_GET
@staff_view(Perm.MANAGE_ELIGIBILITY)
def rules_list(request):
    """Each service with the rules in force, in plain words."""
    service_rows = list(
        Service.objects.prefetch_related(
            Prefetch(
                "rule_sets",
                queryset=RuleSet.objects.current()
                .select_related("published_by")
                .prefetch_related("criteria__document_type"),
                to_attr="current_rule_sets",
            )
        )
    )
    labels = category_names()
    for service in service_rows:
        saved = service.current_rule_sets
        rules = saved[0] if saved else services.default_rules(service)
        service.rules = _with_descriptions(rules, labels)
    return TemplateResponse(
        request, "eligibility/rules_list.html", {"services": service_rows}
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_ELIGIBILITY)
def rules_edit(request, service_pk: int):
    """The rules as a form; saving publishes the next version."""
    service = get_for_org(request, Service, pk=service_pk)
    current = services.current_rules(service)
    options = subject_options(document_types_for(current))
    url = reverse("eligibility:rules_edit", args=[service.pk])
    if request.htmx and request.method == "GET" and "row" in request.GET:
        return _values_box(request, options, url)
    data = request.POST if request.method == "POST" else None
    form = RulesForm(data, initial=RulesForm.initial_from(current))
    formset = criterion_formset(current, data=data, options=options, values_url=url)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            rule_set = services.publish_rules(
                actor=request.user,
                service=service,
                criteria=formset.criteria(),
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            # The model refused what the form let through: nothing was saved.
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Version %(version)s of the rules of “%(service)s” was published.")
                % {"version": rule_set.version, "service": service.name},
            )
            return redirect("eligibility:rules_list")
    return TemplateResponse(
        request,
        "eligibility/rules_edit.html",
        {"service": service, "current": current, "form": form, "formset": formset},
    )


def _values_box(request, options: dict, url: str):
    """htmx: one row's values, narrowed to the condition just chosen."""
    row = request.GET["row"]
    if not ROW_PREFIX.fullmatch(row):
        return HttpResponseBadRequest()
    subject = request.GET.get(f"{row}-subject", "")
    row_form = CriterionForm(prefix=row, options=options, values_url=url)
    field = row_form.fields["values"]
    field.choices = row_form.value_groups(subject, only=True)
    return TemplateResponse(
        request,
        "eligibility/rules_edit.html#values-box",
        {"row_form": row_form, "subject": subject},
    )


@require_GET
@staff_view(Perm.MANAGE_ELIGIBILITY)
def rules_versions(request, service_pk: int):
    """Every version of a service's rules, newest first, with who published it."""
    service = get_for_org(request, Service, pk=service_pk)
    versions = list(
        RuleSet.objects.filter(service=service)
        .order_by("-version")
        .select_related("published_by")
        .prefetch_related("criteria__document_type")
    )
    labels = category_names()
    for rule_set in versions:
        _with_descriptions(rule_set, labels)
    defaults = None
    if not versions:
        defaults = _with_descriptions(services.default_rules(service), labels)
    return TemplateResponse(
        request,
        "eligibility/rules_versions.html",
        {"service": service, "versions": versions, "defaults": defaults},
    )
