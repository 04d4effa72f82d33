"""What invites a beneficiary to a survey (P-SATISFACTION): a request of a
configured service reaching delivery or closure, a programme ending, or a
manual campaign (surveys.campaigns).

A request's invitation is created by `invite_for_move`, called by the receiver
of `cases.hooks.case_moved` once the move has committed, and again by the daily
sweep (`sweep_missed_invitations`) for the moves of the last days whose
invitation is missing: a process that died between the commit and the receiver
loses no invitation, and the once-per-request constraint keeps the two from
inviting twice.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_scopes import scope

from mustafid.core.models import Organization
from mustafid.surveys.invitations import invite
from mustafid.surveys.models import Invitation, Questionnaire, Trigger

logger = logging.getLogger(__name__)


def on_case_moved(sender, *, case_id, organization_id, to, actor_id=None, **kwargs):
    """Receiver of cases.hooks.case_moved: invite for the request's move."""
    from mustafid.cases.models import Case

    organization = Organization.objects.get(pk=organization_id)
    with scope(organization=organization), transaction.atomic():
        case = Case.objects.select_related("beneficiary", "service").get(pk=case_id)
        invite_for_move(case=case, to=to, actor_id=actor_id)


def invite_for_move(
    *,
    case,
    to: str,
    actor_id: int | None = None,
    moved_at: datetime.datetime | None = None,
) -> int:
    """Invite the request's beneficiary to each active questionnaire whose
    services include the request's and whose trigger is the status entered;
    how many were invited (none twice: `invite`).

    `moved_at` (the sweep's) leaves out questionnaires created after the move:
    they would not have invited then.
    """
    from mustafid.cases.models import Delivery

    questionnaires = Questionnaire.objects.filter(
        is_active=True, trigger=to, services=case.service_id
    )
    if moved_at is not None:
        questionnaires = questionnaires.filter(created_at__lte=moved_at)
    if not questionnaires:
        return 0
    # The staff member who served: whoever delivered last, else the mover.
    delivery = (
        Delivery.objects.filter(case=case, delivered_by__isnull=False)
        .order_by("-delivered_on", "-id")
        .select_related("delivered_by")
        .first()
    )
    staff = delivery.delivered_by if delivery else None
    if staff is None and actor_id:
        staff = get_user_model().objects.filter(pk=actor_id).first()
    invited = 0
    for questionnaire in questionnaires:
        invitation = invite(
            questionnaire=questionnaire,
            beneficiary=case.beneficiary,
            case=case,
            service=case.service,
            staff=staff,
        )
        invited += invitation is not None
    return invited


def programme_ended(
    programme_key: str,
    organization: Organization,
    beneficiaries,
    *,
    questionnaire: Questionnaire | None = None,
    service=None,
    staff=None,
) -> int:
    """Invite a programme's direct beneficiaries once it ends (seed 002: their
    satisfaction is measured after the programme ends); how many were invited.

    The programmes feature calls this with a key naming the programme (the same
    key twice invites nobody twice), its beneficiaries and, optionally, the
    questionnaire (else every active one marked "send when a programme ends"),
    the service it belongs to and the staff member who ran it.
    """
    if not programme_key:
        raise ValueError("programme_key is required")
    with scope(organization=organization), transaction.atomic():
        if questionnaire is not None:
            questionnaires = [questionnaire]
        else:
            questionnaires = list(
                Questionnaire.objects.filter(is_active=True, on_programme_end=True)
            )
        invited = 0
        for each in questionnaires:
            for beneficiary in beneficiaries:
                if beneficiary.organization_id != organization.pk:
                    continue
                invitation = invite(
                    questionnaire=each,
                    beneficiary=beneficiary,
                    programme_key=str(programme_key)[:100],
                    service=service,
                    staff=staff,
                )
                invited += invitation is not None
        return invited


# --- The sweep ---------------------------------------------------------------


def sweep_missed_invitations(
    now: datetime.datetime | None = None, *, days: int | None = None
) -> dict[str, int]:
    """Create the invitations the trigger missed for requests that reached a
    triggering status in the last `days` (SURVEY_SWEEP_DAYS); counts by slug."""
    now = now or timezone.now()
    days = settings.SURVEY_SWEEP_DAYS if days is None else days
    since = now - datetime.timedelta(days=days)
    counts = {}
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        with scope(organization=organization):
            counts[organization.slug] = _sweep_in(since)
        if counts[organization.slug]:
            logger.warning(
                "Survey sweep: %s invitation(s) the trigger missed in %s",
                counts[organization.slug],
                organization.slug,
            )
    return counts


def _sweep_in(since: datetime.datetime) -> int:
    from mustafid.cases.models import Case

    invited = 0
    seen = set()
    for case_id, to, actor_id, moved_at in _missed_moves(since):
        if (case_id, to) in seen:
            continue  # the first entry into the status is the one announced
        seen.add((case_id, to))
        try:
            with transaction.atomic():
                case = Case.objects.select_related("beneficiary", "service").get(
                    pk=case_id
                )
                invited += invite_for_move(
                    case=case, to=to, actor_id=actor_id, moved_at=moved_at
                )
        except Exception:  # one request's failure leaves the others invited
            logger.exception("Survey sweep: request %s not invited", case_id)
    return invited


def _missed_moves(since: datetime.datetime) -> list[tuple]:
    """(case id, status, actor id, when) of each move since `since` into the
    trigger of an active questionnaire of the request's service that left no
    invitation to it, oldest first; one query per such questionnaire."""
    from mustafid.cases.models import CaseEvent

    moves = []
    questionnaires = Questionnaire.objects.filter(is_active=True).exclude(
        trigger=Trigger.NONE
    )
    for questionnaire in questionnaires:
        invited = Invitation.objects.filter(
            questionnaire=questionnaire, case=OuterRef("case_id")
        )
        events = (
            CaseEvent.objects.filter(
                to_status=questionnaire.trigger,
                case__service__in=questionnaire.services.values("pk"),
                created_at__gte=max(since, questionnaire.created_at),
            )
            .exclude(Exists(invited))
            .values_list("case_id", "to_status", "actor_id", "created_at")
        )
        moves.extend(events)
    return sorted(moves, key=lambda move: (move[3], move[0]))
