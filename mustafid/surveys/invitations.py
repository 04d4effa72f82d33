"""Creating survey invitations, sending them and reminding once (P-SATISFACTION).

One invitation per beneficiary per request, per programme and per campaign:
the database refuses a second (Invitation's unique constraints), so a trigger
that fires twice invites once. The message goes through the outbox in the same
transaction, with a dedupe key, and the reminder job is idempotent the same way.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope

from mustafid.contact.outbox import queue_message
from mustafid.core.models import Organization
from mustafid.surveys import tokens
from mustafid.surveys.models import Invitation, Questionnaire

INVITATION_EVENT = "survey_invitation"
REMINDER_EVENT = "survey_reminder"


def _facts(invitation: Invitation) -> dict:
    return {
        "link": tokens.link_for(invitation),
        "expires_on": timezone.localdate(invitation.expires_at).isoformat(),
    }


def _method(beneficiary) -> str:
    # A preferred phone call is sent by SMS (contact.outbox.Method).
    preferred = beneficiary.preferred_contact
    return "sms" if preferred == "phone" else preferred


def invite(
    *,
    questionnaire: Questionnaire,
    beneficiary,
    case=None,
    programme_key: str = "",
    campaign=None,
    service=None,
    staff=None,
    now: datetime.datetime | None = None,
) -> Invitation | None:
    """Invite one beneficiary and queue the message; None if already invited
    for this request, programme or campaign."""
    now = now or timezone.now()
    duplicate = Invitation.objects.filter(
        questionnaire=questionnaire, beneficiary=beneficiary
    )
    if case is not None:
        duplicate = duplicate.filter(case=case)
    elif programme_key:
        duplicate = duplicate.filter(programme_key=programme_key)
    elif campaign is not None:
        duplicate = Invitation.objects.filter(
            campaign=campaign, beneficiary=beneficiary
        )
    if duplicate.exists():
        return None
    salt = tokens.new_salt()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organization=questionnaire.organization,
                questionnaire=questionnaire,
                beneficiary=beneficiary,
                case=case,
                programme_key=programme_key,
                campaign=campaign,
                service=service,
                staff=staff,
                method=_method(beneficiary),
                salt=salt,
                token_hash=tokens.hash_token(tokens.token_for(salt)),
                expires_at=now + datetime.timedelta(days=questionnaire.valid_days),
            )
            queue_message(
                organization=questionnaire.organization,
                event=INVITATION_EVENT,
                beneficiary=beneficiary,
                context=_facts(invitation),
                dedupe_key=f"survey-invitation:{invitation.pk}",
            )
    except IntegrityError:
        # Another trigger invited them meanwhile (the unique constraints).
        return None
    return invitation


def find_by_token(token: str) -> Invitation | None:
    """The invitation of a link's token in the active association, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("questionnaire")
        .filter(token_hash=tokens.hash_token(token))
        .first()
    )


# --- The reminder ------------------------------------------------------------


def queue_reminders(now: datetime.datetime) -> dict[str, int]:
    """Remind, once, each unanswered invitation near its end; counts by slug."""
    counts = {}
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        with scope(organization=organization):
            counts[organization.slug] = _remind_in(organization, now)
    return counts


def _remind_in(organization, now) -> int:
    sent = 0
    questionnaires = Questionnaire.objects.filter(reminder_days__gt=0)
    for questionnaire in questionnaires:
        due = Invitation.objects.due_reminder(questionnaire, now).select_related(
            "beneficiary", "organization"
        )
        for invitation in due.iterator(chunk_size=500):
            sent += _remind(invitation, now)
    return sent


@transaction.atomic
def _remind(invitation: Invitation, now) -> int:
    # Claim the row: a second job running at once finds it reminded.
    claimed = Invitation.objects.filter(
        pk=invitation.pk, reminded_at__isnull=True, used_at__isnull=True
    ).update(reminded_at=now)
    if not claimed:
        return 0
    message = queue_message(
        organization=invitation.organization,
        event=REMINDER_EVENT,
        beneficiary=invitation.beneficiary,
        context=_facts(invitation),
        dedupe_key=f"survey-reminder:{invitation.pk}",
    )
    return 1 if message else 0
