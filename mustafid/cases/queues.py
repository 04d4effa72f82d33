"""The work queues (issue 4, item 13): which requests wait for which role.

Each queue is a name, a label, the permission that opens it and a function from
the viewer to the requests in it; `cases.queue_views.work_queue` filters and
sorts them. A queue may also show side lists (`side`), e.g. the questions
referred to the researcher.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mustafid.cases import escalation
from mustafid.cases.models import Case, CaseStatus, ResearchQuestion
from mustafid.cases.models.referral import LIVE, IncomingReferral, Referral
from mustafid.core.roles import Perm, Role

S = CaseStatus
# The most questions listed beside a queue; older ones are reached by answering.
SIDE_LIMIT = 50


@dataclass(frozen=True)
class Queue:
    name: str
    label: Promise
    perm: Perm
    cases: Callable  # (request) -> Case queryset
    side: Callable | None = None  # (request) -> {name: rows}, shown under the cases


def _status(*statuses: str) -> Callable:
    return lambda request: Case.objects.filter(status__in=statuses)


def assigned_to_me(request) -> QuerySet:
    return Case.objects.undecided().filter(
        research_assignments__researcher=request.user,
        research_assignments__ended_at__isnull=True,
    )


def questions_to_me(request) -> dict:
    questions = ResearchQuestion.objects.open().filter(researcher=request.user)
    oldest_first = questions.for_queue().order_by("created_at", "id")
    return {"questions": oldest_first[:SIDE_LIMIT]}


def overdue(request) -> QuerySet:
    return Case.objects.overdue()


def escalated(request) -> QuerySet:
    return escalation.escalated()


def manager_referrals(request) -> dict:
    """Open referrals (P-OUTOFSCOPE), oldest first: those received that this
    association must answer or complete, and those it sent still unanswered."""
    received = IncomingReferral.objects.filter(status__in=LIVE)
    sent = Referral.objects.filter(status__in=LIVE).select_related(
        "case__beneficiary", "target_organization", "external"
    )
    return {
        "referrals": received.select_related("source_organization").order_by(
            "created_at", "id"
        )[:SIDE_LIMIT],
        "referrals_sent": sent.order_by("created_at", "id")[:SIDE_LIMIT],
    }


QUEUES: dict[str, Queue] = {
    queue.name: queue
    for queue in [
        Queue(
            "reception",
            _("New and incomplete requests"),
            Perm.INTAKE_CASES,
            _status(S.SUBMITTED, S.INCOMPLETE),
        ),
        Queue(
            "research",
            _("My research"),
            Perm.RESEARCH_CASES,
            assigned_to_me,
            side=questions_to_me,
        ),
        Queue(
            "committee",
            _("Ready for the committee"),
            Perm.DECIDE_CASES,
            _status(S.IN_COMMITTEE),
        ),
        Queue(
            "delivery",
            _("To deliver"),
            Perm.DELIVER_CASES,
            _status(S.APPROVED, S.DELIVERING),
        ),
        Queue(
            "overdue",
            _("Overdue"),
            Perm.OVERSEE_CASES,
            overdue,
            side=manager_referrals,
        ),
        Queue("escalated", _("Escalated"), Perm.OVERSEE_CASES, escalated),
    ]
}

# The queue a role lands on from the navigation; others follow as tabs.
HOME = {
    Role.RECEPTION: "reception",
    Role.RESEARCHER: "research",
    Role.COMMITTEE: "committee",
    Role.SERVICES: "delivery",
    Role.MANAGER: "escalated",
    Role.ADMIN: "reception",
}


def queues_for(membership) -> list[Queue]:
    """The queues this staff member may open, in a fixed order."""
    return [queue for queue in QUEUES.values() if membership.has_perm(queue.perm)]


def home_queue(membership) -> Queue | None:
    mine = queues_for(membership)
    preferred = QUEUES.get(HOME.get(membership.role, ""))
    return preferred if preferred in mine else next(iter(mine), None)
