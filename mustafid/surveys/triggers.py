"""What invites a beneficiary to a survey (P-SATISFACTION): a request of a
configured service reaching delivery or closure, a programme ending, or a
manual campaign (surveys.campaigns)."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scope

from mustafid.core.models import Organization
from mustafid.surveys.invitations import invite
from mustafid.surveys.models import Questionnaire

logger = logging.getLogger(__name__)


def on_case_moved(sender, *, case_id, organization_id, to, actor_id=None, **kwargs):
    """Receiver of cases.hooks.case_moved: invite for the questionnaires whose
    services include the request's and whose trigger is the status entered."""
    from mustafid.cases.models import Case, Delivery

    organization = Organization.objects.get(pk=organization_id)
    with scope(organization=organization), transaction.atomic():
        case = Case.objects.select_related("beneficiary", "service").get(pk=case_id)
        questionnaires = Questionnaire.objects.filter(
            is_active=True, trigger=to, services=case.service_id
        )
        if not questionnaires:
            return
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
        for questionnaire in questionnaires:
            invite(
                questionnaire=questionnaire,
                beneficiary=case.beneficiary,
                case=case,
                service=case.service,
                staff=staff,
            )


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
