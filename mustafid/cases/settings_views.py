"""The manager's settings for requests: holidays and the attestation wording."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from mustafid.cases import settings_services
from mustafid.cases.models import AttestationText, Holiday
from mustafid.cases.services import DEFAULT_ATTESTATION_AR, DEFAULT_ATTESTATION_EN
from mustafid.cases.settings_forms import AttestationTextForm, HolidayForm
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_CASE_SETTINGS)
def holiday_list(request):
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = settings_services.add_holidays(
                actor=request.user,
                organization=request.organization,
                request=request,
                **form.cleaned_data,
            )
        except settings_services.SettingRefused as error:
            form.add_error("first_day", str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s day was added to the holidays.",
                    "%(count)s days were added to the holidays.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect("cases:holiday_list")
    return TemplateResponse(
        request,
        "cases/holiday_list.html",
        {
            "form": form,
            "holidays": Holiday.objects.order_by("-date"),
            "organization": request.organization,
        },
    )


@require_POST
@staff_view(Perm.MANAGE_CASE_SETTINGS)
def holiday_delete(request, pk: int):
    holiday = get_for_org(request, Holiday, pk=pk)
    settings_services.delete_holiday(
        actor=request.user, holiday=holiday, request=request
    )
    messages.success(
        request, _("“%(name)s” is no longer a holiday.") % {"name": holiday.name}
    )
    return redirect("cases:holiday_list")


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_CASE_SETTINGS)
def attestation_text(request):
    texts = AttestationText.objects.annotate(cited=Count("attestation"))
    current = next((text for text in texts if text.is_current), None)
    # Until the association words its own, intake uses the policies' sentence.
    initial = (
        {"text_ar": current.text_ar, "text_en": current.text_en}
        if current
        else {"text_ar": DEFAULT_ATTESTATION_AR, "text_en": DEFAULT_ATTESTATION_EN}
    )
    form = AttestationTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            text = settings_services.publish_attestation_text(
                actor=request.user,
                organization=request.organization,
                request=request,
                **form.cleaned_data,
            )
        except settings_services.SettingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Version %(version)s of the attestation is now in force.")
                % {"version": text.version},
            )
            return redirect("cases:attestation_text")
    return TemplateResponse(
        request,
        "cases/attestation_text.html",
        {"form": form, "texts": texts, "current": current},
    )
