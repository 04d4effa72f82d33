"""P-GOAL: reach those who qualify for a service without them having to ask.

`unapplied_matches` lists the registered beneficiaries who satisfy a service's
current rules and have not asked for it; `invite_matches` tells those who agreed
to be contacted, a bounded number per run, through the outbox.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils import timezone, translation

from mustafid.cases.models import FINISHED, Case, CaseStatus
from mustafid.catalog.models import Service
from mustafid.contact.outbox import OutboxMessage
from mustafid.core import audit
from mustafid.core.models import AuditAction
from mustafid.eligibility.dates import months_before
from mustafid.eligibility.evaluation import describe_all
from mustafid.eligibility.matching import matching
from mustafid.eligibility.models import MatchInvitation, RuleSet
from mustafid.eligibility.services import current_rules, saved_rules
from mustafid.registry.models import Beneficiary, RegistrationStatus

# Someone who asked for the service within this window has already been
# reached: their request was heard and answered (or is still being decided),
# and telling them again that they "may qualify" would contradict the answer
# they were given. After a year their circumstances and the rules may have
# changed, so an old, ended request no longer keeps them off the list.
RECENT_REQUEST_MONTHS = 12
# A rejection is an answer already given, like a closed request: it ends the
# request for matching, even before a manager formally closes it.
ENDED = FINISHED | {CaseStatus.REJECTED}
# At most this many people are told per run, so the outbox and the staff who
# answer the calls that follow are not flooded; the rest wait for the next run.
INVITATIONS_PER_RUN = 500
EVENT = "service_match"


def _requested(service: Service, on: datetime.date):
    """A request for the service by the outer beneficiary that still counts."""
    since = timezone.make_aware(
        datetime.datetime.combine(
            months_before(on, RECENT_REQUEST_MONTHS), datetime.time.min
        )
    )
    return (
        Case.objects.filter(beneficiary=OuterRef("pk"), service=service)
        .filter(~Q(status__in=ENDED) | Q(created_at__gte=since))
        .order_by()
    )


def _invited(service: Service):
    return MatchInvitation.objects.filter(
        beneficiary=OuterRef("pk"), service=service
    ).order_by()


def unapplied_matches(
    service: Service, on: datetime.date, rule_set: RuleSet | None = None
):
    """Registered beneficiaries who meet the service's rules on `on`, have not
    asked for it lately and were never invited to it; newest first, one query."""
    rule_set = rule_set or current_rules(service)
    registered = Beneficiary.objects.filter(
        registration_status=RegistrationStatus.REGISTERED
    )
    return (
        matching(rule_set, on, registered)
        .filter(~Exists(_requested(service, on)), ~Exists(_invited(service)))
        .order_by("-created_at", "-id")
    )


@contextmanager
def _without_jit():
    """PostgreSQL compiles a statement this costly (a subplan per condition over
    the registry) with JIT on every run: 1 to 1.5 s at 1,000,000 beneficiaries,
    as long as the query itself (bench/RESULTS.md). The answer is the same.

    The setting is put back after the block, so it ends with it even inside a
    longer transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    # No savepoint of its own: a failure inside rolls back the enclosing
    # transaction, and the setting with it.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        previous = cursor.fetchone()[0]
        yield
        cursor.execute("SELECT set_config('jit', %s, true)", [previous])


@dataclass(frozen=True)
class MatchSlice:
    rows: list
    total: int
    consented: int


def slice_of_matches(matches, start: int, stop: int) -> MatchSlice | None:
    """Rows [start:stop] of `matches` with how many match in all and how many
    of them agreed to be contacted, counted in the same pass over the registry
    (a window over the whole result, before the slice). None when `start` is
    past the end and the counts are therefore unknown."""
    counted = matches.annotate(
        match_total=Window(Count("pk")),
        match_consented=Window(Count("pk", filter=Q(contact_consent=True))),
    )
    with _without_jit():
        rows = list(counted[start:stop])
    if rows:
        return MatchSlice(rows, rows[0].match_total, rows[0].match_consented)
    return MatchSlice([], 0, 0) if start == 0 else None


def conditions_in(rule_set: RuleSet, language: str) -> list[str]:
    with translation.override(language):
        return describe_all(rule_set.conditions())


@dataclass(frozen=True)
class InvitationRun:
    invited: int
    remaining: int


@transaction.atomic
def invite_matches(
    *,
    actor,
    service: Service,
    on: datetime.date | None = None,
    limit: int | None = None,
    request=None,
) -> InvitationRun:
    """Tell up to `limit` (INVITATIONS_PER_RUN) consenting, unapplied matches of
    the service about it: one invitation and one outbox message each, never
    twice to anyone."""
    on = on or timezone.localdate()
    limit = limit or INVITATIONS_PER_RUN
    # Runs for one service wait for each other (and for a rules change), so the
    # candidates read below cannot be invited by another run meanwhile.
    service = Service.objects.select_for_update().get(pk=service.pk)
    rule_set = saved_rules(service)
    candidates = (
        unapplied_matches(service, on, rule_set)
        .filter(contact_consent=True)
        .annotate(total=Window(Count("pk")))
    )
    with _without_jit():
        chosen = list(
            candidates.values_list("pk", "preferred_contact", "total")[:limit]
        )
    remaining = chosen[0][2] - len(chosen) if chosen else 0
    context = {
        "service_ar": service.name_ar,
        "service_en": service.name_en,
        "conditions_ar": conditions_in(rule_set, "ar"),
        "conditions_en": conditions_in(rule_set, "en"),
    }
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            organization_id=service.organization_id,
            beneficiary_id=pk,
            event=EVENT,
            context=context,
            channel=channel,
        )
        for pk, channel, _total in chosen
    )
    invited_by = actor if getattr(actor, "is_authenticated", False) else None
    # No ignore_conflicts: under the lock nobody chosen can have been invited,
    # and a conflict must undo the messages too rather than leave them orphaned.
    MatchInvitation.objects.bulk_create(
        MatchInvitation(
            organization_id=service.organization_id,
            beneficiary_id=message.beneficiary_id,
            service=service,
            rule_set=rule_set,
            message=message,
            invited_by=invited_by,
        )
        for message in messages
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=service.organization,
        obj=service,
        changes={
            "match_invitations": len(messages),
            "remaining": remaining,
            "rule_set_version": rule_set.version,
            "on": on.isoformat(),
        },
        request=request,
    )
    return InvitationRun(invited=len(messages), remaining=remaining)
