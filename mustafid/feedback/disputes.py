"""Disputes (seed 004: "disputes that may arise concerning the service",
handled by approved rules): each party's statement is heard, the designated
authority decides, and every party is told the outcome (P-COMPLAINTS)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.contact.outbox import queue_message
from mustafid.core.models import Membership
from mustafid.core.phones import normalize_mobile
from mustafid.core.roles import Perm
from mustafid.feedback.links import _tell_sender
from mustafid.feedback.models import (
    DisputeParty,
    DisputeStatement,
    FeedbackItem,
    Status,
)
from mustafid.feedback.services import (
    FeedbackRefused,
    _audit,
    _lock,
    _move,
    _resolve_fields,
    check_assignee,
)


@transaction.atomic
def add_statement(
    *,
    actor,
    item: FeedbackItem,
    party: str,
    name: str,
    statement: str,
    mobile: str = "",
    request=None,
) -> DisputeStatement:
    """Record what one party says, while the dispute is open."""
    item = _lock(item)
    if not item.is_dispute or not item.is_open:
        raise FeedbackRefused(_("Statements are taken while a dispute is open."))
    if party not in DisputeParty.values:
        raise FeedbackRefused(_("Choose the party."))
    name, statement = (name or "").strip(), (statement or "").strip()
    if not name or not statement:
        raise FeedbackRefused(_("Write the party's name and statement."))
    try:
        mobile = normalize_mobile(mobile.strip()) if mobile.strip() else ""
    except Exception as exc:  # ValidationError from the phone check
        raise FeedbackRefused(_("Enter a valid mobile number or email.")) from exc
    if item.status == Status.ACKNOWLEDGED:
        _move(item, Status.IN_PROGRESS, actor=actor, note=_("Statements taken."))
        if item.assigned_to_id is None:
            check_assignee(item, actor)
            item.assigned_to = actor
        item.save()
    row = DisputeStatement.objects.create(
        organization=item.organization,
        item=item,
        party=party,
        name=name,
        mobile=mobile,
        statement=statement,
        recorded_by=actor,
    )
    _audit(item, actor, {"statement": row.pk, "party": party}, request)
    return row


@transaction.atomic
def decide_dispute(*, actor, item: FeedbackItem, decision: str, request=None):
    """The designated authority's decision, sent to every party."""
    decision = (decision or "").strip()
    if not decision:
        raise FeedbackRefused(_("Write the decision and its reasons."))
    item = _lock(item)
    membership = Membership.objects.filter(
        user=actor, organization=item.organization, is_active=True
    ).first()
    if membership is None or not membership.has_perm(Perm.DECIDE_DISPUTES):
        raise FeedbackRefused(_("Only the designated authority decides a dispute."))
    if item.about_staff_id == actor.pk:
        raise FeedbackRefused(
            _("An item about a staff member is never given to that staff member.")
        )
    parties = set(item.statements.values_list("party", flat=True))
    if DisputeParty.COMPLAINANT not in parties or len(parties) < 2:
        raise FeedbackRefused(
            _("Hear the complainant and the other party before deciding.")
        )
    before = _move(item, Status.RESOLVED, actor=actor, note=decision)
    _resolve_fields(item, actor, decision)
    _tell_sender(item, "dispute_outcome", decision=decision)
    day = timezone.localdate().isoformat()
    for row in item.statements.exclude(party=DisputeParty.COMPLAINANT).exclude(
        mobile=""
    ):
        queue_message(
            organization=item.organization,
            event="dispute_outcome",
            context={
                "reference": item.reference,
                "decision": decision,
                "recipient_name": row.name,
            },
            method="sms",
            address=row.mobile,
            language=item.language,
            dedupe_key=f"dispute:{item.pk}:{row.pk}:{day}",
        )
    _audit(item, actor, {"status": [before, item.status], "decided": True}, request)
    return item
