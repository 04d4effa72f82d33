"""The pages where an association words its notifications: thin views over
`template_services` and the wording catalogue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.contact import template_services
from mustafid.contact.notification_template import (
    NotificationTemplate,
    TemplateLanguage,
)
from mustafid.contact.outbox import Method
from mustafid.contact.template_forms import TemplateForm
from mustafid.contact.wording import EVENTS, Renderer, check_template, preview
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm


def _chosen(event: str, method: str, language: str):
    """The event, method and language of the URL, or 404."""
    if (
        event not in EVENTS
        or method not in Method.values
        or language not in TemplateLanguage.values
    ):
        raise Http404
    return EVENTS[event], Method(method), TemplateLanguage(language)


@require_GET
@staff_view(Perm.MANAGE_TEMPLATES)
def template_list(request):
    """Each event × method × language, and whether the association wrote its own."""
    custom = set(
        NotificationTemplate.objects.values_list("event", "method", "language")
    )
    rows = [
        {
            "event": event,
            "cells": [
                {
                    "method": method,
                    "language": language,
                    "custom": (event.code, method.value, language.value) in custom,
                }
                for method in Method
                for language in TemplateLanguage
            ],
        }
        for event in EVENTS.values()
    ]
    columns = [(method, language) for method in Method for language in TemplateLanguage]
    return TemplateResponse(
        request,
        "contact/templates_list.html",
        {"rows": rows, "columns": columns, "methods": list(Method)},
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_TEMPLATES)
def template_edit(request, event: str, method: str, language: str):
    """The wording of one message, its placeholders and a live preview."""
    definition, method, language = _chosen(event, method, language)
    row = NotificationTemplate.objects.filter(
        event=event, method=method, language=language
    ).first()
    subject, body = Renderer(request.organization, templates=[]).source(
        event, method, language
    )
    if row is not None:
        subject, body = row.subject, row.body
    data = request.POST if request.method == "POST" else None
    form = TemplateForm(data, method=method, initial={"subject": subject, "body": body})
    if data is not None and request.htmx and "preview" in data:
        return _preview(request, definition, method, language)
    if data is not None and form.is_valid():
        try:
            template_services.save_template(
                actor=request.user,
                organization=request.organization,
                event=event,
                method=method,
                language=language,
                subject=form.cleaned_data.get("subject", ""),
                body=form.cleaned_data["body"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("The wording of “%(event)s” (%(method)s, %(language)s) was saved.")
                % {
                    "event": definition.label,
                    "method": method.label,
                    "language": language.label,
                },
            )
            return redirect("contact_templates:list")
    sample = _sample(definition, method, language, subject, body)
    return TemplateResponse(
        request,
        "contact/template_edit.html",
        {
            "definition": definition,
            "method": method,
            "language": language,
            "form": form,
            "custom": row,
            "placeholders": definition.all_placeholders().items(),
            "switches": definition.switches,
            "sample": sample,
            "sample_error": "",
        },
    )


def _sample(definition, method, language, subject, body):
    try:
        return preview(
            event=definition.code,
            method=method,
            language=language,
            subject=subject,
            body=body,
            organization=None,
        )
    except Exception:
        return None


def _preview(request, definition, method, language):
    """htmx: the text being typed, rendered with example details."""
    subject = request.POST.get("subject", "")
    body = request.POST.get("body", "")
    error = ""
    try:
        check_template(
            event=definition.code,
            method=method,
            language=language,
            subject=subject,
            body=body,
        )
    except ValidationError as refused:
        error = " ".join(refused.messages)
    sample = _sample(definition, method, language, subject, body)
    return TemplateResponse(
        request,
        "contact/template_edit.html#preview",
        {"sample": sample, "sample_error": error, "method": method},
    )


@require_POST
@staff_view(Perm.MANAGE_TEMPLATES)
def template_restore(request, event: str, method: str, language: str):
    """Delete the association's wording: the default applies again."""
    definition, method, language = _chosen(event, method, language)
    if template_services.restore_default(
        actor=request.user,
        organization=request.organization,
        event=event,
        method=method,
        language=language,
        request=request,
    ):
        messages.success(
            request,
            _("The default wording of “%(event)s” applies again.")
            % {"event": definition.label},
        )
    return redirect("contact_templates:list")
