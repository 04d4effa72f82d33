"""The figures of complaints and suggestions, computed by the database in a
fixed number of queries whatever the number of items (P-COMPLAINTS, P-IMPROVE).
"""

import datetime

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)

from mustafid.feedback.models import OPEN_STATUSES, Level

AGES = [(0, 2), (3, 7), (8, 30), (31, None)]


def _duration(end: str, start: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _hours(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 3600, 1)
    return round(float(value) / 3_600_000_000, 1)  # microseconds (SQLite)


def open_by_age(items, now: datetime.datetime) -> dict:
    """Open items by age in days and against their targets (one query)."""
    aggregates = {
        "open": Count("pk"),
        "within_target": Count("pk", filter=Q(resolve_due_at__gte=now)),
        "past_resolution_target": Count(
            "pk", filter=Q(resolve_due_at__lt=now, board_due_at__gte=now)
        ),
        "past_board_target": Count("pk", filter=Q(board_due_at__lt=now)),
        "not_acknowledged_on_time": Count(
            "pk", filter=Q(acknowledged_at__gt=F("acknowledge_due_at"))
        ),
    }
    for low, high in AGES:
        condition = Q(received_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(received_at__gt=now - datetime.timedelta(days=high + 1))
        aggregates[f"age_{low}"] = Count("pk", filter=condition)
    row = items.filter(status__in=OPEN_STATUSES).aggregate(**aggregates)
    row["ages"] = [(low, high, row.pop(f"age_{low}")) for low, high in AGES]
    return row


def period_figures(items) -> dict:
    """Received in the period: on-time rates, times, reopen rate, satisfaction,
    and how many reached the board (one query)."""
    row = items.aggregate(
        received=Count("pk"),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        acknowledged_on_time=Count(
            "pk", filter=Q(acknowledged_at__lte=F("acknowledge_due_at"))
        ),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        resolved_on_time=Count("pk", filter=Q(resolved_at__lte=F("resolve_due_at"))),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        escalated_to_manager=Count("pk", filter=Q(level__gte=Level.MANAGER)),
        escalated_to_board=Count("pk", filter=Q(level=Level.BOARD)),
        answered_satisfaction=Count("pk", filter=Q(satisfaction__isnull=False)),
        satisfaction=Avg("satisfaction"),
        hours_to_acknowledge=Avg(_duration("acknowledged_at", "received_at")),
        hours_to_resolve=Avg(_duration("resolved_at", "received_at")),
    )
    row["hours_to_acknowledge"] = _hours(row["hours_to_acknowledge"])
    row["hours_to_resolve"] = _hours(row["hours_to_resolve"])
    if row["satisfaction"] is not None:
        row["satisfaction"] = round(row["satisfaction"], 1)
    row["reopen_rate"] = (
        round(100 * row["reopened"] / row["resolved"]) if row["resolved"] else None
    )
    return row


def counts_by(items, *fields: str) -> list[dict]:
    """[{fields..., count}] for one grouping, the largest first (one query)."""
    return list(
        items.values(*fields).annotate(count=Count("pk")).order_by("-count", *fields)
    )
