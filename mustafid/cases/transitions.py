"""The case lifecycle (DESIGN §2): one table of allowed moves, one function.

`transition()` is the only writer of `Case.status`. It locks the case, refuses a
stale version, a move not in the table, a role without the rule's permission and
a failing guard, each with a message in the reader's language; then writes the
status, a timeline event, an audit event and the beneficiary's outbox message in
one transaction, so either all of them exist or none.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases import deadlines, hooks
from mustafid.cases.models import (
    AgendaItem,
    Case,
    CaseEvent,
    CaseStatus,
    ExternalPermit,
)
from mustafid.cases.models.referral import Referral, ReferralStatus
from mustafid.contact.outbox import OutboxMessage
from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership
from mustafid.core.roles import Perm
from mustafid.eligibility import review_outcomes
from mustafid.eligibility import services as eligibility
from mustafid.eligibility.models import Stage
from mustafid.governance.policies import policy_in_force
from mustafid.registry.models import Beneficiary, RegistrationStatus

S = CaseStatus


class TransitionError(Exception):
    """A refused move; `str(error)` is the message to show."""


class CaseChanged(TransitionError):
    """Someone else moved the case after the page was loaded."""


class InvalidTransition(TransitionError):
    """The lifecycle has no such move."""


class NotPermitted(TransitionError):
    """The staff member's role may not make this move."""


class GuardFailed(TransitionError):
    """The move exists but its condition is not met."""


# A guard returns the reason the move may not happen now, or None.
Guard = Callable[[Case, dict], str | None]


def has_attestation(case, details):
    # P-ATTEST: no request is submitted without the applicant's attestation.
    if not hasattr(case, "attestation"):
        return _("The applicant's attestation is missing.")
    return None


def lists_missing(case, details):
    # The beneficiary is told exactly what is missing (P-COMPLETE).
    if not [item for item in details.get("missing") or [] if item.strip()]:
        return _("List what is missing: the beneficiary is told exactly that.")
    return None


def documents_verified(case, details):
    missing = case.missing_documents()
    if missing:
        names = "، ".join(str(doc_type) for doc_type in missing)
        return _(
            "These required documents are not verified or have expired: %(names)s."
        ) % {"names": names}
    return None


def gives_reasons(case, details):
    if not (details.get("reason") or "").strip():
        return _("Give the reasons for the decision: the beneficiary is told them.")
    return None


def has_delivery(case, details):
    if not case.deliveries.exists():
        return _("Record at least one delivery before closing the request.")
    return None


def not_stopped_by_review(case, details):
    # P-PERIODIC: an overdue or ended periodic review stops deliveries.
    review = review_outcomes.stopping_review(case)
    return review_outcomes.stop_message(review) if review else None


def returns_where_it_left(case, details):
    if details.get("_to") != case.return_status:
        return _("A request waiting for a permit returns to the step it left.")
    return None


def needs_research(case, details):
    if not case.service.needs_research:
        return _("This service does not need social research.")
    return None


def skips_research(case, details):
    if case.service.needs_research:
        return _("This service needs social research first.")
    return None


def needs_committee(case, details):
    if not case.service.needs_committee:
        return _("This service is decided without the committee.")
    return None


def skips_committee(case, details):
    if case.service.needs_committee:
        return _("This service is decided by the research committee.")
    return None


def needs_permit(case, details):
    if not case.service.needs_external_permit:
        return _("This service needs no permit from another authority.")
    return None


def _latest_permit(case) -> ExternalPermit | None:
    return ExternalPermit.objects.filter(case=case).order_by("-id").first()


def permit_raised(case, details):
    # P-PERMITS: the wait names the authority and when it was asked
    # (cases.permits.raise_permit writes the permit, then moves the case).
    permit = _latest_permit(case)
    if permit is None or not permit.is_pending:
        return _("Record the authority and the date the request was sent to it first.")
    return None


def permit_answered(case, details):
    permit = _latest_permit(case)
    if permit is None or permit.is_pending:
        return _("Record the authority's answer before the request moves on.")
    return None


def has_research_report(case, details):
    # P-REFER-RESEARCH: the decision rests on the researcher's completed study.
    if not case.research_reports.completed().exists():
        return _("A completed research report is needed first.")
    return None


def committee_decided(case, details):
    # P-COMMITTEE: a request before the committee is decided by its vote at a
    # meeting; cases.committee_decisions applies the recorded outcome, naming
    # the agenda item. Without one the move is not offered at all.
    item = details.get("committee_item")
    recorded = AgendaItem.objects.filter(pk=item, case_id=case.pk)
    if not item or not recorded.filter(outcome=details.get("_to")).exists():
        return _(
            "The research committee decides this request by its vote at a "
            "meeting; the decision is applied from the meeting's page."
        )
    return None


def eligible_or_excepted(case, details):
    # P-ELIGIBILITY: approved only if the beneficiary meets the service's rules
    # today, or the manager recorded an exception, with a reason, on the last
    # stored evaluation.
    if eligibility.evaluate_case(case).eligible:
        return None
    latest = eligibility.latest_check(case)
    if latest is not None and latest.overridden:
        return None
    return _(
        "The beneficiary does not meet the service's conditions (see "
        "Eligibility); only the executive manager may make an exception, "
        "with a written reason."
    )


def referral_sent(case, details):
    # P-OUTOFSCOPE: cases.referrals.send_referral records the receiving
    # association and the beneficiary's consent first, then makes this move.
    if not Referral.objects.filter(case=case, status=ReferralStatus.SENT).exists():
        return _("Refer the request through its referral form, with the consent.")
    return None


def gives_reopen_reason(case, details):
    if not (details.get("reason") or "").strip():
        return _("Give the reason for reopening the request.")
    return None


def referral_declined(case, details):
    # A referred request comes back only if the other association declined it;
    # while it holds the request (or has served it) it is not reopened here.
    if case.status != S.REFERRED_OUT:
        return None
    latest = Referral.objects.filter(case=case).order_by("-created_at", "-id").first()
    if latest is not None and latest.status != ReferralStatus.DECLINED:
        return _("A referred request is reopened only when its referral was declined.")
    return None


@dataclass(frozen=True)
class Rule:
    perm: Perm
    # `when`: the service's shape decides whether the move exists for this case
    # (offered as an action); `guards`: the facts needed to make it now.
    when: tuple[Guard, ...] = ()
    guards: tuple[Guard, ...] = ()
    public: bool = False  # the beneficiary sees the step on their timeline
    notify: str = ""  # the outbox event telling the beneficiary
    # False for moves made through their own form (referral, reopening), which
    # are not listed with the case page's next steps.
    offered: bool = True


_SUBMIT = Rule(
    Perm.INTAKE_CASES,
    guards=(has_attestation,),
    public=True,
    notify="case_received",
)
_INCOMPLETE = Rule(
    Perm.VERIFY_CASES, guards=(lists_missing,), public=True, notify="documents_missing"
)


def _decide(*when: Guard, guards: tuple[Guard, ...] = ()) -> Rule:
    return Rule(
        Perm.DECIDE_CASES,
        when=when,
        guards=(*guards, gives_reasons),
        public=True,
        notify="decision",
    )


def _approve(*when: Guard, guards: tuple[Guard, ...] = ()) -> Rule:
    return _decide(*when, guards=(*guards, eligible_or_excepted))


WAIT_FROM = {S.VERIFYING: Perm.VERIFY_CASES, S.RESEARCHING: Perm.VERIFY_CASES}
WAIT_FROM[S.IN_COMMITTEE] = Perm.DECIDE_CASES
OPEN = (
    S.DRAFT,
    S.SUBMITTED,
    S.INCOMPLETE,
    S.VERIFYING,
    S.RESEARCHING,
    S.IN_COMMITTEE,
    S.AWAITING_EXTERNAL_APPROVAL,
    S.APPROVED,
    S.DELIVERING,
)

# P-OUTOFSCOPE: a request is referred out before it is decided.
REFERABLE = (S.SUBMITTED, S.INCOMPLETE, S.VERIFYING, S.RESEARCHING, S.IN_COMMITTEE)
_REFER = Rule(
    Perm.REFER_CASES,
    guards=(referral_sent,),
    public=True,
    notify="referred_out",
    offered=False,
)
# Reopening goes back to "submitted", not to the step the request left: time
# has passed, documents may have expired and the facts changed, so it is checked
# and decided afresh, and the decision window restarts as for an incomplete
# request that comes back complete (P-COMMITTEE). The earlier decision stays on
# the timeline and the reason is audited.
REOPENABLE = (S.CLOSED, S.REJECTED, S.WITHDRAWN, S.REFERRED_OUT)
REOPEN_TO = S.SUBMITTED
_REOPEN = Rule(
    Perm.REOPEN_CASES,
    guards=(gives_reopen_reason, has_attestation, referral_declined),
    public=True,
    notify="case_reopened",
    offered=False,
)

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.SUBMITTED): _SUBMIT,
    (S.INCOMPLETE, S.SUBMITTED): _SUBMIT,
    (S.SUBMITTED, S.VERIFYING): Rule(Perm.VERIFY_CASES),
    (S.SUBMITTED, S.INCOMPLETE): _INCOMPLETE,
    (S.VERIFYING, S.INCOMPLETE): _INCOMPLETE,
    # Leaving verifying forward needs every required document verified.
    (S.VERIFYING, S.RESEARCHING): Rule(
        Perm.VERIFY_CASES, when=(needs_research,), guards=(documents_verified,)
    ),
    (S.VERIFYING, S.IN_COMMITTEE): Rule(
        Perm.VERIFY_CASES,
        when=(skips_research, needs_committee),
        guards=(documents_verified,),
    ),
    (S.RESEARCHING, S.IN_COMMITTEE): Rule(
        Perm.VERIFY_CASES, when=(needs_committee,), guards=(has_research_report,)
    ),
    (S.VERIFYING, S.APPROVED): _approve(
        skips_research, skips_committee, guards=(documents_verified,)
    ),
    (S.VERIFYING, S.REJECTED): _decide(
        skips_research, skips_committee, guards=(documents_verified,)
    ),
    (S.RESEARCHING, S.APPROVED): _approve(
        skips_committee, guards=(has_research_report,)
    ),
    (S.RESEARCHING, S.REJECTED): _decide(
        skips_committee, guards=(has_research_report,)
    ),
    (S.IN_COMMITTEE, S.APPROVED): _approve(committee_decided),
    (S.IN_COMMITTEE, S.REJECTED): _decide(committee_decided),
    (S.APPROVED, S.DELIVERING): Rule(
        Perm.DELIVER_CASES,
        guards=(not_stopped_by_review,),
        public=True,
        notify="delivery_scheduled",
    ),
    (S.DELIVERING, S.CLOSED): Rule(
        Perm.DELIVER_CASES, guards=(has_delivery,), public=True
    ),
    (S.REJECTED, S.CLOSED): Rule(Perm.DECIDE_CASES),
    # P-PERMITS: the wait returns to the step it left.
    **{
        (origin, S.AWAITING_EXTERNAL_APPROVAL): Rule(
            perm, when=(needs_permit,), guards=(permit_raised,), public=True
        )
        for origin, perm in WAIT_FROM.items()
    },
    **{
        (S.AWAITING_EXTERNAL_APPROVAL, origin): Rule(
            perm,
            when=(returns_where_it_left,),
            guards=(permit_answered,),
            public=True,
            notify="permit_result",
        )
        for origin, perm in WAIT_FROM.items()
    },
    # The beneficiary may withdraw at any open step; reception records it.
    **{(origin, S.WITHDRAWN): Rule(Perm.INTAKE_CASES, public=True) for origin in OPEN},
    **{(origin, S.REFERRED_OUT): _REFER for origin in REFERABLE},
    **{(origin, REOPEN_TO): _REOPEN for origin in REOPENABLE},
}


# Entering these, the request is evaluated against the service's rules and the
# result stored (P-ELIGIBILITY: at submission and again before the committee).
CHECKED_ON_ENTRY = {S.SUBMITTED: Stage.SUBMISSION, S.IN_COMMITTEE: Stage.COMMITTEE}


def perms_into(to: str) -> frozenset[Perm]:
    """The permissions that can move some case into `to`."""
    return frozenset(
        rule.perm for (_, target), rule in TRANSITIONS.items() if target == to
    )


def available_moves(case: Case, membership: Membership) -> list[str]:
    """The statuses this staff member may try to move the case to now."""
    return [
        to
        for (origin, to), rule in TRANSITIONS.items()
        if origin == case.status
        and rule.offered
        and membership.has_perm(rule.perm)
        and not _first_failure(rule.when, case, {"_to": to})
    ]


def _first_failure(guards, case, details) -> str | None:
    for guard in guards:
        reason = guard(case, details)
        if reason:
            return reason
    return None


def _label(status: str) -> str:
    return str(CaseStatus(status).label) if status in CaseStatus.values else status


def _last_changed_by(case: Case) -> str:
    event = case.events.select_related("actor").order_by("-created_at", "-id").first()
    if event and event.actor:
        return event.actor.get_full_name() or event.actor.get_username()
    return _("another staff member")


@transaction.atomic
def transition(
    *,
    actor,
    membership: Membership,
    case: Case,
    to: str,
    expected_version: int,
    note: str = "",
    request=None,
    **details,
) -> Case:
    """Move a case to `to`, or refuse with a TransitionError; see the module."""
    case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    origin = case.status
    if case.version != expected_version:
        raise CaseChanged(
            _("The request was changed meanwhile by %(who)s; reload the page.")
            % {"who": _last_changed_by(case)}
        )
    rule = TRANSITIONS.get((origin, to))
    if rule is None:
        raise InvalidTransition(
            _("A request cannot move from “%(origin)s” to “%(to)s”.")
            % {"origin": _label(origin), "to": _label(to)}
        )
    if membership.organization_id != case.organization_id or not membership.has_perm(
        rule.perm
    ):
        raise NotPermitted(
            _("Your role may not move a request from “%(origin)s” to “%(to)s”.")
            % {"origin": _label(origin), "to": _label(to)}
        )
    reason = _first_failure((*rule.when, *rule.guards), case, details | {"_to": to})
    if reason:
        raise GuardFailed(reason)

    changed = _apply(case, to, details)
    case.status = to
    case.version += 1
    case.save(update_fields=[*changed, "status", "version", "updated_at"])
    event_details = {key: value for key, value in details.items() if value}
    CaseEvent.objects.create(
        organization=case.organization,
        case=case,
        from_status=origin,
        to_status=to,
        actor=actor,
        note=note,
        details=event_details,
        public=rule.public,
    )
    if to in CHECKED_ON_ENTRY:
        # P-ELIGIBILITY: the evaluation is kept on the request as it stood.
        eligibility.record_check(case, CHECKED_ON_ENTRY[to], actor=actor)
    registration = _follow_registration(case, origin, to)
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=case.organization,
        obj=case,
        changes={"status": [origin, to], "version": [case.version - 1, case.version]}
        | registration
        | ({"note": note} if note else {})
        | ({"reason": details["reason"]} if details.get("reason") else {}),
        request=request,
        # The portal's applicant has no staff account (portal.applying).
        actor_label=getattr(membership, "actor_label", ""),
    )
    if rule.notify:
        _queue_message(case, rule.notify, details)
    hooks.announce_move(case, origin, to, actor)
    return case


def _apply(case: Case, to: str, details: dict) -> list[str]:
    """Set the fields that come with entering `to`; return their names."""
    now = timezone.now()
    if to == S.SUBMITTED:
        # The clock restarts when an incomplete request comes back complete: the
        # committee answers within the window of a complete request (P-COMMITTEE).
        case.submitted_at = now
        case.decision_due = deadlines.decision_due(
            case.organization,
            timezone.localdate(now),
            case.service.window_days(case.organization),
        )
        changed = ["submitted_at", "decision_due"]
        if case.status in REOPENABLE:
            # Decided afresh; the earlier decision stays on the timeline.
            case.decided_at, case.decision_reasons = None, ""
            case.policy_version = None
            changed += ["decided_at", "decision_reasons", "policy_version"]
        return changed
    if to in (S.APPROVED, S.REJECTED):
        case.decided_at = now
        case.decision_reasons = details["reason"].strip()
        case.policy_version = policy_in_force(
            case.organization, timezone.localdate(now)
        )
        return ["decided_at", "decision_reasons", "policy_version"]
    if to == S.AWAITING_EXTERNAL_APPROVAL:
        case.return_status = case.status
        return ["return_status"]
    if case.status == S.AWAITING_EXTERNAL_APPROVAL:
        case.return_status = ""
        return ["return_status"]
    return []


def _follow_registration(case: Case, origin: str, to: str) -> dict:
    """P-REGISTER: the beneficiary's registration follows the request's completeness."""
    current = (
        Beneficiary.objects.filter(pk=case.beneficiary_id)
        .values_list("registration_status", flat=True)
        .get()
    )
    target = None
    if to == S.INCOMPLETE and current == RegistrationStatus.PROSPECTIVE:
        target = RegistrationStatus.INCOMPLETE
    elif (
        origin == S.VERIFYING
        and to in (S.RESEARCHING, S.IN_COMMITTEE, S.APPROVED)
        and current in (RegistrationStatus.PROSPECTIVE, RegistrationStatus.INCOMPLETE)
    ):
        target = RegistrationStatus.REGISTERED
    if target is None:
        return {}
    Beneficiary.objects.filter(pk=case.beneficiary_id).update(
        registration_status=target, updated_at=timezone.now()
    )
    return {"beneficiary_registration": [current, target]}


def _queue_message(case: Case, event: str, details: dict) -> OutboxMessage:
    context = {
        "case": case.number,
        "service_ar": case.service.name_ar,
        "service_en": case.service.name_en,
    }
    if event == "case_received":
        context["decision_due"] = case.decision_due.isoformat()
    elif event == "documents_missing":
        context["missing"] = [m.strip() for m in details["missing"] if m.strip()]
    elif event == "case_reopened":
        context["decision_due"] = case.decision_due.isoformat()
    elif event == "referred_out":
        referral = Referral.objects.filter(case=case, status=ReferralStatus.SENT)
        referral = referral.order_by("-created_at", "-id").first()
        context |= referral.message_context() | {"reason": referral.reason}
    elif event == "decision":
        context["decision"] = case.status
        context["reasons"] = case.decision_reasons
        if case.status == S.REJECTED:
            # P-ELIGIBILITY (seed 002): the beneficiary is told which conditions
            # were not met, in both languages.
            context["failed_conditions"] = eligibility.failed_conditions(case)
        # The committee's chosen reasons, in both languages (P-ELIGIBILITY).
        if details.get("reason_list"):
            context["reason_list"] = details["reason_list"]
    elif event == "permit_result":
        permit = _latest_permit(case)
        context["authority"] = permit.authority
        context["outcome"] = permit.outcome
        context["answered_on"] = permit.outcome_on.isoformat()
    beneficiary = case.beneficiary
    return OutboxMessage.objects.create(
        organization=case.organization,
        beneficiary=beneficiary,
        event=event,
        context=context,
        channel=beneficiary.preferred_contact,
    )
