"""Feedback items as an Excel workbook, one row per item (P-COMPLAINTS,
P-PRIVACY, P-EVALCULTURE).

How each item was handled, never what was said nor who said it: no sender's
name or contact details, no text of the item or of its resolution. The staff
member an item is about is named only to those who handle such items. The
caller passes only the items the viewer may see (`visible_to`).

A fixed number of queries whatever the number of rows: the items with what
they point to, the targets and the holidays, each read once.
"""

import datetime
from dataclasses import dataclass
from typing import IO

from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from mustafid.cases.deadlines import holidays_from, working_days_between
from mustafid.core.fields import hijri_iso
from mustafid.core.spreadsheets import add_sheet, cell
from mustafid.feedback.defaults import TARGETS
from mustafid.feedback.models import About, FeedbackItem, FeedbackTarget

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Clock:
    """What every row is measured against, read once for the whole export."""

    today: datetime.date
    now: datetime.datetime
    holidays: list[datetime.date]
    resolve_days: dict[str, int]
    may_name_staff: bool


def _label(name: str):
    return FeedbackItem._meta.get_field(name).verbose_name


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _about(item: FeedbackItem, clock: Clock) -> str:
    label = item.get_about_display()
    if item.about == About.SERVICE and item.service:
        return f"{label}: {item.service.name}"
    if item.about == About.CASE and item.case:
        return f"{label}: {item.case.number}"
    if item.about == About.STAFF and clock.may_name_staff:
        return f"{label}: {_name(item.about_staff)}"
    return label


def _days_taken(item: FeedbackItem, clock: Clock) -> int:
    """From the day received to the day resolved (closed, for a compliment
    closed without one), or to today while it is open."""
    end = clock.today if item.is_open else _day(item.resolved_at or item.closed_at)
    return working_days_between(_day(item.received_at), end, clock.holidays)


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


# (header, value of an item on the clock).
COLUMNS = [
    (_label("reference"), lambda i, c: i.reference),
    (_label("kind"), lambda i, c: i.get_kind_display()),
    (_label("category"), lambda i, c: i.category.name if i.category else ""),
    (_label("channel"), lambda i, c: i.channel.name),
    (_label("priority"), lambda i, c: i.get_priority_display()),
    (_label("status"), lambda i, c: i.get_status_display()),
    (_label("received_at"), lambda i, c: _day(i.received_at)),
    (_("received at (Hijri)"), lambda i, c: hijri_iso(_day(i.received_at))),
    (_label("acknowledged_at"), lambda i, c: _day(i.acknowledged_at)),
    # A reopened item keeps the date of its earlier resolution: not shown.
    (_label("resolved_at"), lambda i, c: None if i.is_open else _day(i.resolved_at)),
    (_label("closed_at"), lambda i, c: _day(i.closed_at)),
    (_("working days taken"), _days_taken),
    (_("target (working days)"), lambda i, c: c.resolve_days.get(i.priority)),
    (_("past the resolution target"), lambda i, c: _yes_no(i.is_overdue(c.now))),
    (_label("about"), _about),
    (_label("assigned_to"), lambda i, c: _name(i.assigned_to)),
    (_("sender"), lambda i, c: i.get_sender_display()),
    (_label("satisfaction"), lambda i, c: i.satisfaction),
]


def export_queryset(items):
    """The rows to export with everything a row shows, in one query."""
    return items.select_related(
        "category", "channel", "service", "case", "about_staff", "assigned_to"
    )


def _clock(items, *, organization, now, may_name_staff: bool) -> Clock:
    first = items.aggregate(first=Min("received_at"))["first"]
    today = timezone.localtime(now).date()
    resolve_days = {p: days for p, (_ack, days, _board) in TARGETS.items()}
    resolve_days |= dict(
        FeedbackTarget.objects.filter(organization=organization).values_list(
            "priority", "resolve_days"
        )
    )
    return Clock(
        today=today,
        now=now,
        holidays=holidays_from(organization, _day(first)) if first else [],
        resolve_days=resolve_days,
        may_name_staff=may_name_staff,
    )


def write_workbook(
    items,
    out: IO[bytes],
    *,
    organization,
    now: datetime.datetime,
    may_name_staff: bool,
) -> int:
    """Write `items` to `out` as .xlsx in the active language (right to left
    in Arabic); the number of rows written."""
    clock = _clock(
        items, organization=organization, now=now, may_name_staff=may_name_staff
    )
    workbook = Workbook(write_only=True)
    sheet = add_sheet(
        workbook,
        _("Complaints and suggestions"),
        (title for title, _value in COLUMNS),
        rtl=translation.get_language_bidi(),
    )
    rows = 0
    for item in export_queryset(items).iterator(CHUNK_SIZE):
        sheet.append([cell(sheet, value(item, clock)) for _t, value in COLUMNS])
        rows += 1
    workbook.save(out)
    return rows
