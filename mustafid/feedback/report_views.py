"""The figures page and the list for the board (P-COMPLAINTS, P-IMPROVE)."""

import datetime

from django import forms
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mustafid.core.models import bilingual
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.feedback import figures
from mustafid.feedback.models import FeedbackItem, Kind, Level


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def _period(form) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=89), today
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    return start, end


def _labelled(rows, ar_key, en_key, empty):
    return [
        {"label": bilingual(row[ar_key] or "", row[en_key] or "") or empty}
        | {"count": row["count"]}
        for row in rows
    ]


@require_GET
@staff_view(Perm.VIEW_FEEDBACK_FIGURES)
def figures_page(request):
    form = PeriodForm(request.GET or None)
    start, end = _period(form)
    now = timezone.now()
    visible = FeedbackItem.objects.visible_to(request.membership)
    in_period = visible.filter(received_at__date__gte=start, received_at__date__lte=end)
    kinds = dict(Kind.choices)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "open": figures.open_by_age(visible, now),
        "period": figures.period_figures(in_period),
        "by_kind": [
            {
                "label": kinds.get(row["kind"], row["kind"]),
                "count": row["count"],
                "kind": row["kind"],
            }
            for row in figures.counts_by(in_period, "kind")
        ],
        "by_category": _labelled(
            figures.counts_by(in_period, "category__name_ar", "category__name_en"),
            "category__name_ar",
            "category__name_en",
            _("No category"),
        ),
        "by_channel": _labelled(
            figures.counts_by(in_period, "channel__name_ar", "channel__name_en"),
            "channel__name_ar",
            "channel__name_en",
            "—",
        ),
    }
    return TemplateResponse(request, "feedback/figures.html", context)


@require_GET
@staff_view(Perm.VIEW_BOARD_FEEDBACK)
def board_list(request):
    """Items raised to the board, open ones first, for its next meeting."""
    items = (
        FeedbackItem.objects.visible_to(request.membership)
        .filter(level=Level.BOARD)
        .select_related("category", "assigned_to")
        .order_by(F("resolved_at").asc(nulls_first=True), "board_due_at", "id")[:200]
    )
    return TemplateResponse(request, "feedback/board_list.html", {"items": items})
