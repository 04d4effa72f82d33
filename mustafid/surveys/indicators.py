"""Satisfaction indicators, computed in the database (P-SATISFACTION).

- satisfaction rate: the share of 1–5 ratings that are 4 or 5;
- mean score: the mean of the 1–5 ratings;
- NPS: % of 9–10 answers minus % of 0–6 answers to the 0–10 question;
- response rate: invitations answered / invitations sent (paper answers have
  no invitation; an anonymous answer only marks its invitation used).

Each breakdown (service, channel, month, staff member) is one GROUP BY over the
answers and one over the invitations, whatever the number of rows.

P-PRIVACY: a figure over a handful of an anonymous questionnaire's answers could
point at the person who gave them (the only answer for a service in a month).
So any cell, the total included, holding from one to SURVEY_MIN_CELL - 1
answers to anonymous questionnaires is withheld: all its figures are dropped and
the pages say "fewer than N answers". In a cell that mixes questionnaires only
the anonymous answers are counted against the minimum, and the whole cell is
withheld: otherwise all questionnaires minus the named ones alone would give
the few anonymous answers away.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, DateField, Q
from django.db.models.functions import TruncMonth

from mustafid.catalog.models import Service
from mustafid.surveys.models import Answer, Invitation, QuestionKind, ResponseChannel

RATING = Q(question__kind=QuestionKind.RATING)
NPS = Q(question__kind=QuestionKind.NPS)


@dataclass(frozen=True)
class Filters:
    questionnaire: object = None
    service: object = None
    channel: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    staff: object = None


@dataclass
class Figures:
    key: object = None
    label: str = ""
    responses: int = 0
    ratings: int = 0
    satisfied: int = 0
    mean: float | None = None
    nps_answers: int = 0
    promoters: int = 0
    detractors: int = 0
    invited: int = 0
    answered: int = 0
    # Answers to anonymous questionnaires among `responses`.
    anonymous: int = 0
    # Too few anonymous answers to show: every figure above is left out.
    withheld: bool = False

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.ratings, 1) if self.ratings else None

    @property
    def mean_score(self) -> float | None:
        return round(self.mean, 2) if self.mean is not None else None

    @property
    def nps(self) -> float | None:
        if not self.nps_answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps_answers, 1)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.answered / self.invited, 1) if self.invited else None


@dataclass
class Report:
    total: Figures
    by_service: list[Figures] = field(default_factory=list)
    by_channel: list[Figures] = field(default_factory=list)
    by_month: list[Figures] = field(default_factory=list)
    by_staff: list[Figures] | None = None
    ratings: list[tuple[int, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    # The fewest anonymous answers a cell shows figures for.
    min_cell: int = 1


ANSWER_FIGURES = {
    "responses": Count("response", distinct=True),
    "ratings": Count("id", filter=RATING),
    "satisfied": Count("id", filter=RATING & Q(number__gte=4)),
    "mean": Avg("number", filter=RATING),
    "nps_answers": Count("id", filter=NPS),
    "promoters": Count("id", filter=NPS & Q(number__gte=9)),
    "detractors": Count("id", filter=NPS & Q(number__lte=6)),
    "anonymous": Count(
        "response", distinct=True, filter=Q(response__questionnaire__is_anonymous=True)
    ),
}
INVITATION_FIGURES = {
    "invited": Count("id"),
    "answered": Count("id", filter=Q(used_at__isnull=False)),
}
# Breakdown -> (answers' grouping, invitations' grouping).
DIMENSIONS = {
    "service": ("response__service", "service"),
    "channel": ("response__channel", "method"),
    "month": (
        TruncMonth("response__answered_on", output_field=DateField()),
        TruncMonth("created_at", output_field=DateField()),
    ),
    "staff": ("response__staff", "staff"),
}


def _answers(filters: Filters):
    answers = Answer.objects.all()
    if filters.questionnaire is not None:
        answers = answers.filter(response__questionnaire=filters.questionnaire)
    if filters.service is not None:
        answers = answers.filter(response__service=filters.service)
    if filters.channel:
        answers = answers.filter(response__channel=filters.channel)
    if filters.date_from:
        answers = answers.filter(response__answered_on__gte=filters.date_from)
    if filters.date_to:
        answers = answers.filter(response__answered_on__lte=filters.date_to)
    if filters.staff is not None:
        answers = answers.filter(response__staff=filters.staff)
    return answers


def _invitations(filters: Filters):
    invitations = Invitation.objects.all()
    if filters.questionnaire is not None:
        invitations = invitations.filter(questionnaire=filters.questionnaire)
    if filters.service is not None:
        invitations = invitations.filter(service=filters.service)
    if filters.channel:
        invitations = invitations.filter(method=filters.channel)
    if filters.date_from:
        invitations = invitations.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        invitations = invitations.filter(created_at__date__lte=filters.date_to)
    if filters.staff is not None:
        invitations = invitations.filter(staff=filters.staff)
    return invitations


def _withhold(figures: Figures, minimum: int) -> Figures:
    if 0 < figures.anonymous < minimum:
        return Figures(key=figures.key, label=figures.label, withheld=True)
    return figures


def _grouped(filters: Filters, dimension: str, minimum: int) -> list[Figures]:
    by_answers, by_invitations = DIMENSIONS[dimension]
    rows: dict = {}
    answers = _answers(filters).annotate(group=_expr(by_answers)).values("group")
    for row in answers.annotate(**ANSWER_FIGURES).order_by():
        key = _key(row.pop("group"))
        rows[key] = Figures(key=key, **row)
    invitations = _invitations(filters).annotate(group=_expr(by_invitations))
    for row in invitations.values("group").annotate(**INVITATION_FIGURES).order_by():
        key = _key(row.pop("group"))
        figures = rows.setdefault(key, Figures(key=key))
        figures.invited, figures.answered = row["invited"], row["answered"]
    return [_withhold(figures, minimum) for figures in rows.values()]


def _expr(group):
    from django.db.models import F

    return F(group) if isinstance(group, str) else group


def _key(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _label(figures: list[Figures], names: dict, unknown: str) -> list[Figures]:
    for item in figures:
        item.label = str(names.get(item.key, unknown))
    return sorted(figures, key=lambda item: (item.key is None, item.label))


def compute(
    filters: Filters, *, with_staff: bool = False, min_cell: int | None = None
) -> Report:
    """The figures for the filters; `with_staff` only for those allowed to see
    results about a staff member (P-EVALCULTURE); cells with fewer than
    `min_cell` (SURVEY_MIN_CELL) anonymous answers withheld (P-PRIVACY)."""
    minimum = settings.SURVEY_MIN_CELL if min_cell is None else min_cell
    total = Figures(**_answers(filters).aggregate(**ANSWER_FIGURES))
    invited = _invitations(filters).aggregate(**INVITATION_FIGURES)
    total.invited, total.answered = invited["invited"], invited["answered"]
    total = _withhold(total, minimum)
    by_service = _grouped(filters, "service", minimum)
    service_ids = [item.key for item in by_service if item.key]
    services = {s.pk: s.name for s in Service.objects.filter(pk__in=service_ids)}
    report = Report(
        total=total,
        min_cell=minimum,
        by_service=_label(by_service, services, "—"),
        by_channel=_label(
            _grouped(filters, "channel", minimum), dict(ResponseChannel.choices), "—"
        ),
        by_month=sorted(
            _grouped(filters, "month", minimum),
            key=lambda item: item.key or datetime.date.min,
        ),
    )
    for item in report.by_month:
        item.label = item.key.strftime("%Y-%m") if item.key else "—"
    if with_staff:
        by_staff = _grouped(filters, "staff", minimum)
        users = get_user_model().objects.filter(
            pk__in=[item.key for item in by_staff if item.key]
        )
        names = {u.pk: u.get_full_name() or u.get_username() for u in users}
        report.by_staff = _label(by_staff, names, "—")
    comments = _answers(filters).filter(question__kind=QuestionKind.TEXT)
    if total.withheld:
        # Neither the ratings' spread nor the few anonymous comments either.
        comments = comments.exclude(response__questionnaire__is_anonymous=True)
    else:
        ratings = _answers(filters).filter(RATING).values("number")
        counts = dict(
            ratings.annotate(count=Count("id")).values_list("number", "count")
        )
        report.ratings = [(score, counts.get(score, 0)) for score in range(5, 0, -1)]
    report.comments = list(
        comments.exclude(text="")
        .order_by("-response__answered_on", "-id")
        .values_list("text", flat=True)[:20]
    )
    return report
