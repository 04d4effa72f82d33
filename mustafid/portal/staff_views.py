"""Staff pages for the association's public pages: its FAQ (P-TRANSPARENCY),
its privacy notice and terms (P-CONSENT, P-PRIVACY)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.portal import consent_versions
from mustafid.portal.consent import ConsentKind, current_text, current_texts
from mustafid.portal.faq import FIELDS, FaqEntry, ensure_default_faq, save_faq_entry
from mustafid.portal.forms import ConsentTextForm, FaqEntryForm


def _next_position() -> int:
    last = FaqEntry.objects.order_by("-position").values_list("position", flat=True)
    return (last.first() or 0) + 10


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_PORTAL)
def faq_list(request):
    ensure_default_faq(request.organization)
    form = FaqEntryForm(
        request.POST or None,
        initial={"position": _next_position(), "is_published": True},
    )
    if request.method == "POST" and form.is_valid():
        save_faq_entry(
            actor=request.user,
            organization=request.organization,
            data=form.cleaned_data,
            request=request,
        )
        messages.success(request, _("The question was added."))
        return redirect("portal_staff:faq_list")
    return TemplateResponse(
        request,
        "portal/staff/faq_list.html",
        {"entries": FaqEntry.objects.all(), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_PORTAL)
def faq_edit(request, pk):
    entry = get_for_org(request, FaqEntry, pk=pk)
    initial = {field: getattr(entry, field) for field in FIELDS}
    form = FaqEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        save_faq_entry(
            actor=request.user,
            organization=request.organization,
            entry=entry,
            data=form.cleaned_data,
            request=request,
        )
        messages.success(request, _("The question was saved."))
        return redirect("portal_staff:faq_list")
    return TemplateResponse(
        request,
        "portal/staff/faq_edit.html",
        {"entry": entry, "form": form},
        status=400 if form.errors else 200,
    )


def _kind_or_404(kind: str) -> ConsentKind:
    if kind not in ConsentKind.values:
        raise Http404
    return ConsentKind(kind)


@require_http_methods(["GET"])
@staff_view(Perm.MANAGE_PORTAL)
def consent_list(request):
    """Each text with the version in force, its date, publisher and acceptances."""
    current = current_texts(request.organization)
    versions = list(consent_versions.texts_with_counts(request.organization))
    rows = []
    for kind in ConsentKind:
        of_kind = [text for text in versions if text.kind == kind]
        in_force = next(text for text in of_kind if text.pk == current[kind].pk)
        rows.append({"kind": kind, "current": in_force, "versions": len(of_kind)})
    return TemplateResponse(request, "portal/staff/consent_list.html", {"rows": rows})


@require_http_methods(["GET"])
@staff_view(Perm.MANAGE_PORTAL)
def consent_history(request, kind):
    kind = _kind_or_404(kind)
    current = current_text(request.organization, kind)
    versions = consent_versions.texts_with_counts(request.organization).filter(
        kind=kind
    )
    return TemplateResponse(
        request,
        "portal/staff/consent_history.html",
        {"kind": kind, "versions": versions, "current": current},
    )


@require_http_methods(["GET"])
@staff_view(Perm.MANAGE_PORTAL)
def consent_version(request, kind, pk):
    kind = _kind_or_404(kind)
    text = get_for_org(
        request,
        consent_versions.texts_with_counts(request.organization),
        kind=kind,
        pk=pk,
    )
    current = current_text(request.organization, kind)
    return TemplateResponse(
        request,
        "portal/staff/consent_version.html",
        {"kind": kind, "text": text, "in_force": text.pk == current.pk},
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_PORTAL)
def consent_publish(request, kind):
    """A new version, from the text in force; the one in force stays as it was."""
    kind = _kind_or_404(kind)
    current = current_text(request.organization, kind)
    form = ConsentTextForm(
        request.POST if request.method == "POST" else None,
        initial={"text_ar": current.text_ar, "text_en": current.text_en},
    )
    if request.method == "POST" and form.is_valid():
        try:
            text = consent_versions.publish_consent_text(
                actor=request.user,
                organization=request.organization,
                kind=kind,
                request=request,
                **form.cleaned_data,
            )
        except consent_versions.ConsentRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(kind)s: version %(version)s is now in force.")
                % {"version": text.version, "kind": kind.label},
            )
            return redirect("portal_staff:consent_history", kind=kind.value)
    return TemplateResponse(
        request,
        "portal/staff/consent_publish.html",
        {"kind": kind, "form": form, "current": current},
        status=400 if form.errors else 200,
    )
