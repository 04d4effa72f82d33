"""Staff pages for the association's public pages: its FAQ (P-TRANSPARENCY)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.portal.faq import FIELDS, FaqEntry, ensure_default_faq, save_faq_entry
from mustafid.portal.forms import FaqEntryForm


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
