"""Staff pages: manual campaigns, and the indicators with their export
(P-SATISFACTION, P-EVALCULTURE)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.spreadsheets import download, write_to_temporary_file
from mustafid.registry.models import Beneficiary
from mustafid.surveys import campaigns, indicators
from mustafid.surveys.exporting import write_workbook
from mustafid.surveys.forms import CampaignForm, IndicatorFilterForm
from mustafid.surveys.models import Campaign


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_SURVEYS)
def campaign_create(request):
    """Choose a questionnaire and a filtered list; preview the count; send."""
    form = CampaignForm(request.POST or request.GET or None)
    count = None
    status = 200
    if form.is_bound and form.is_valid():
        recipients = form.filter(Beneficiary.objects.all())
        count = recipients.count()
        if request.method == "POST" and "send" in request.POST:
            if count > campaigns.MAX_RECIPIENTS:
                form.add_error(
                    None,
                    _("More than %(max)s beneficiaries: narrow the filter.")
                    % {"max": campaigns.MAX_RECIPIENTS},
                )
            elif count == 0:
                form.add_error(None, _("No beneficiary matches the filter."))
            else:
                campaign = campaigns.start_campaign(
                    actor=request.user,
                    organization=request.organization,
                    questionnaire=form.cleaned_data["questionnaire"],
                    name=form.cleaned_data["name"],
                    beneficiaries=recipients,
                    filters=form.summary(),
                    request=request,
                )
                messages.success(
                    request,
                    _("%(count)s beneficiaries were invited.")
                    % {"count": campaign.invited},
                )
                return redirect("surveys:campaign_create")
    elif form.is_bound and request.method == "POST":
        status = 400
    return TemplateResponse(
        request,
        "surveys/campaign_form.html",
        {
            "form": form,
            "count": count,
            "campaigns": Campaign.objects.select_related("questionnaire")[:20],
        },
        status=status,
    )


def _report(request):
    with_staff = request.membership.has_perm(Perm.VIEW_STAFF_SURVEY_RESULTS)
    form = IndicatorFilterForm(request.GET or None, with_staff=with_staff)
    filters = indicators.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = indicators.Filters(
            questionnaire=data.get("questionnaire"),
            service=data.get("service"),
            channel=data.get("channel") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            staff=data.get("staff"),
        )
    return form, indicators.compute(filters, with_staff=with_staff)


BAR_SPACE = 220
CHART_WIDTH = 320


def _bars(ratings: list[tuple[int, int]], *, rtl: bool) -> list[dict]:
    """Geometry of the ratings chart, drawn from the reading side: the score,
    then its bar, then its count."""
    total = sum(count for _score, count in ratings) or 1
    bars = []
    for row, (score, count) in enumerate(ratings):
        width = round(BAR_SPACE * count / total)
        if rtl:
            start = CHART_WIDTH - 30
            x, label_x, value_x = start - width, CHART_WIDTH - 10, start - width - 6
        else:
            x, label_x, value_x = 30, 10, 30 + width + 6
        bars.append(
            {
                "score": score,
                "count": count,
                "width": width,
                "x": x,
                "y": 6 + row * 24,
                "text_y": 20 + row * 24,
                "label_x": label_x,
                "value_x": value_x,
                # With direction: ltr on the chart, "end" draws to the left.
                "anchor": "end" if rtl else "start",
            }
        )
    return bars


@require_GET
@staff_view(Perm.VIEW_SURVEY_RESULTS)
def indicator_page(request):
    form, report = _report(request)
    sections = [
        (_("By service"), _("Service"), report.by_service),
        (_("By channel"), _("Channel"), report.by_channel),
        (_("By month"), _("Month"), report.by_month),
    ]
    if report.by_staff is not None:
        sections.append((_("By staff member"), _("Staff member"), report.by_staff))
    return TemplateResponse(
        request,
        "surveys/indicators.html",
        {
            "form": form,
            "report": report,
            "sections": sections,
            "bars": _bars(report.ratings, rtl=request.LANGUAGE_CODE == "ar"),
            "query": request.GET.urlencode(),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@require_GET
@staff_view(Perm.VIEW_SURVEY_RESULTS)
def indicator_export(request):
    form, report = _report(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The filter is not valid: nothing was exported."))
        return redirect("surveys:indicators")
    out, _nothing = write_to_temporary_file(lambda out: write_workbook(report, out))
    record_for_request(
        request,
        AuditAction.EXPORT,
        changes={
            "format": "xlsx",
            "export": "survey_indicators",
            "by_staff": report.by_staff is not None,
            "filter": {k: v for k, v in request.GET.items() if v},
        },
    )
    return download(out, f"survey-indicators-{timezone.localdate().isoformat()}.xlsx")
