"""Applying online through the association's portal (P-EONLINE, seed 002 5-2).

The beneficiary chooses a service, reads the eligibility pre-check (the same
evaluator the staff use, P-ELIGIBILITY), fills in the profile data the rules
need, uploads the required documents (P-COMPLETE), attests with a checkbox
confirmed by a one-time code (P-ATTEST) and sends the request. The request is
opened on the association's website channel by no staff member: the portal
acts through a `PortalApplicant`, which may only submit.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases import services as case_services
from mustafid.cases import transitions
from mustafid.cases.models import UNDECIDED, AttestationMethod, Case, CaseStatus
from mustafid.catalog.models import Service
from mustafid.contact.services import website_channel
from mustafid.core import audit
from mustafid.core.models import AuditAction, bilingual
from mustafid.core.roles import Perm
from mustafid.eligibility.evaluation import PLAIN_FIELDS, evaluate
from mustafid.eligibility.models import Subject
from mustafid.eligibility.models.rules import FIELDS_READ
from mustafid.eligibility.services import current_rules
from mustafid.registry import services as registry
from mustafid.registry.models import Beneficiary, Document, VerificationStatus


def actor_label(beneficiary: Beneficiary) -> str:
    """How the audit trail names a beneficiary acting in the portal."""
    return f"portal:beneficiary:{beneficiary.pk}"


def audit_portal(request, action, *, obj=None, changes=None):
    """An audit event by the signed-in beneficiary (P-PRIVACY: reads too)."""
    return audit.record(
        action,
        organization=request.portal_org,
        obj=obj,
        changes=changes,
        request=request,
        actor_label=actor_label(request.beneficiary),
    )


@dataclass(frozen=True)
class PortalApplicant:
    """Who moves a request in the portal, in place of a staff Membership.

    It belongs to one association and holds one permission, intake: the
    portal calls `transition()` only to submit the beneficiary's own request
    (draft → submitted, and incomplete → submitted once the missing papers
    are sent) and to withdraw it while undecided (`withdraw`). It is never
    stored; the timeline and audit name the beneficiary.
    """

    organization_id: int
    beneficiary_id: int

    def has_perm(self, perm) -> bool:
        return perm == Perm.INTAKE_CASES

    @property
    def actor_label(self) -> str:
        return f"portal:beneficiary:{self.beneficiary_id}"

    @classmethod
    def of(cls, beneficiary: Beneficiary) -> "PortalApplicant":
        return cls(beneficiary.organization_id, beneficiary.pk)


class ApplicationRefused(Exception):
    """The request cannot be sent; `str()` says why, `case` is the open one."""

    def __init__(self, message: str, case: Case | None = None):
        super().__init__(message)
        self.case = case


# --- Pre-check -----------------------------------------------------------------

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


@dataclass
class PrecheckLine:
    subject: str
    state: str
    condition: str  # what is looked at, in plain words
    explanation: str  # the association's reason when not met, and what to do


@dataclass
class Precheck:
    eligible: bool
    lines: list[PrecheckLine] = field(default_factory=list)

    @property
    def has_unknown(self) -> bool:
        return any(line.state == UNKNOWN for line in self.lines)

    @property
    def summary(self) -> str:
        if self.eligible:
            return _("By your record, you meet the conditions of this service.")
        if self.has_unknown:
            return _(
                "Some of what the conditions ask is not in your record yet. "
                "Fill it in below, then read the result again."
            )
        return _(
            "By your record, you do not meet all the conditions of this service. "
            "You may still send the request: the committee decides, and tells "
            "you the reasons."
        )


def _unknown(subject: str, values: dict) -> bool:
    if subject == Subject.AGE:
        return values.get("age") is None
    if subject == Subject.INCOME_PER_PERSON:
        return values.get("income_per_person") is None
    if subject in PLAIN_FIELDS:
        return not values.get(subject)
    return False


def precheck(beneficiary: Beneficiary, service: Service) -> Precheck:
    """The evaluator's lines for this beneficiary, in plain words (P-ELIGIBILITY)."""
    rules = current_rules(service)
    evaluation = evaluate(rules, beneficiary, timezone.localdate())
    pending = set(
        Document.objects.filter(
            beneficiary=beneficiary, status=VerificationStatus.PENDING
        ).values_list("document_type_id", flat=True)
    )
    lines = []
    for line, criterion in zip(evaluation.lines, rules.conditions(), strict=True):
        condition = str(Subject(line.subject).label)
        if criterion.document_type_id and line.subject == Subject.DOCUMENT:
            condition = f"{condition}: {criterion.document_type}"
        reason = bilingual(line.reason_ar, line.reason_en)
        if line.passed:
            state, explanation = MET, ""
        elif _unknown(line.subject, line.values):
            state = UNKNOWN
            explanation = _("Your record does not say yet; fill it in below.")
        elif line.subject == Subject.DOCUMENT and criterion.document_type_id in pending:
            state = UNKNOWN
            explanation = _("Your document is waiting to be checked by the staff.")
        else:
            state, explanation = NOT_MET, reason
        lines.append(PrecheckLine(line.subject, state, condition, explanation))
    return Precheck(evaluation.eligible, lines)


# --- Profile data the request needs --------------------------------------------

# What every request needs of the applicant, besides what the rules read.
PROFILE_FIELDS = (
    "birth_date",
    "gender",
    "nationality",
    "residency_status",
    "city",
    "region",
    "employment_status",
    "monthly_income",
)
EDITABLE = frozenset(PROFILE_FIELDS) | {"education"}


def _is_empty(beneficiary: Beneficiary, name: str) -> bool:
    value = getattr(beneficiary, name)
    if name == "nationality":
        return not value.code
    return value in (None, "")


def missing_profile_fields(beneficiary: Beneficiary, service: Service) -> list[str]:
    """The profile fields the request needs and the record lacks, in form order."""
    wanted = list(PROFILE_FIELDS)
    for criterion in current_rules(service).conditions():
        for name in FIELDS_READ.get(criterion.subject, ()):
            if name in EDITABLE and name not in wanted:
                wanted.append(name)
    return [name for name in wanted if _is_empty(beneficiary, name)]


def update_profile(*, beneficiary: Beneficiary, data: dict, request=None):
    """The applicant fills in their own missing data; audited as theirs."""
    data = {name: value for name, value in data.items() if name in EDITABLE}
    return registry.update_beneficiary(
        actor=None,
        beneficiary=beneficiary,
        data=data,
        request=request,
        actor_label=actor_label(beneficiary),
    )


# --- Documents -------------------------------------------------------------------


def checklist(beneficiary: Beneficiary, service: Service) -> list[dict]:
    """The service's required documents with the applicant's best of each."""
    return Case(beneficiary=beneficiary, service=service).document_checklist()


def upload_document(*, beneficiary, document_type, upload, request=None) -> Document:
    """Kept privately, pending verification by the staff (P-COMPLETE)."""
    return registry.add_document(
        actor=None,
        beneficiary=beneficiary,
        document_type=document_type,
        upload=upload,
        content_type=upload.checked_kind.mime,
        request=request,
        actor_label=actor_label(beneficiary),
    )


# --- Sending the request ---------------------------------------------------------


def open_request_for(beneficiary: Beneficiary, service: Service) -> Case | None:
    """The beneficiary's undecided or running request for this service."""
    return (
        Case.objects.open()
        .exclude(status=CaseStatus.REJECTED)
        .filter(beneficiary=beneficiary, service=service)
        .first()
    )


def refuse_second_request(beneficiary: Beneficiary, service: Service) -> None:
    existing = open_request_for(beneficiary, service)
    if existing is not None:
        raise ApplicationRefused(
            _(
                "You already have an open request for this service (%(number)s). "
                "Follow it instead of sending another."
            )
            % {"number": existing.number},
            case=existing,
        )


@transaction.atomic
def submit_application(
    *, beneficiary: Beneficiary, service: Service, text_version: int, request=None
) -> Case:
    """Open and submit the request in one transaction, or raise ApplicationRefused.

    Call after the attestation code was checked. `text_version`: the wording
    of the attestation the applicant read; if it changed meanwhile, nothing is
    sent and they read the new one.
    """
    # One request at a time per beneficiary: the row lock orders two tabs.
    Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
    if not Service.objects.open_for_intake().filter(pk=service.pk).exists():
        raise ApplicationRefused(_("This service does not take requests now."))
    refuse_second_request(beneficiary, service)
    wording = case_services.current_attestation_text(beneficiary.organization)
    if wording.version != text_version:
        raise ApplicationRefused(
            _("The wording of the attestation changed meanwhile. Read it again.")
        )
    try:
        return case_services.open_case(
            actor=None,
            membership=PortalApplicant.of(beneficiary),
            beneficiary=beneficiary,
            service=service,
            channel=website_channel(beneficiary.organization),
            attestation_method=AttestationMethod.PORTAL_OTP,
            attested_by_name=beneficiary.full_name,
            request=request,
            details={"portal_applicant": beneficiary.pk},
        )
    except transitions.TransitionError as error:
        raise ApplicationRefused(str(error)) from error


@transaction.atomic
def resubmit(*, beneficiary: Beneficiary, case: Case, request=None) -> Case:
    """An incomplete request sent back by its applicant once the missing papers
    are uploaded: submitted again, the decision clock restarting (P-COMMITTEE)."""
    try:
        return transitions.transition(
            actor=None,
            membership=PortalApplicant.of(beneficiary),
            case=case,
            to=CaseStatus.SUBMITTED,
            expected_version=case.version,
            request=request,
            portal_applicant=beneficiary.pk,
        )
    except transitions.TransitionError as error:
        raise ApplicationRefused(str(error)) from error


# The applicant withdraws a request only while it is undecided. The lifecycle
# also lets reception record a withdrawal after approval (the beneficiary gives
# up the service); that is a conversation with the staff, not a portal button.
WITHDRAWABLE = frozenset({CaseStatus.DRAFT}) | UNDECIDED


def can_withdraw(case: Case) -> bool:
    return case.status in WITHDRAWABLE


@transaction.atomic
def withdraw(*, beneficiary: Beneficiary, case: Case, reason: str = "", request=None):
    """The applicant withdraws their own undecided request, with an optional reason.

    The request stops; a new request for the service may be sent later. Refused
    (ApplicationRefused, nothing changed) once decided, ended or withdrawn.
    """
    # Read the status under the lock: a decision taken since the page was
    # loaded wins over the withdrawal.
    case = Case.objects.select_for_update().get(pk=case.pk, beneficiary=beneficiary)
    if case.status == CaseStatus.WITHDRAWN:
        raise ApplicationRefused(_("This request is already withdrawn."))
    if not can_withdraw(case):
        raise ApplicationRefused(
            _(
                "This request has been decided or has ended, so it cannot be "
                "withdrawn here. Contact the association if you need to."
            )
        )
    try:
        return transitions.transition(
            actor=None,
            membership=PortalApplicant.of(beneficiary),
            case=case,
            to=CaseStatus.WITHDRAWN,
            expected_version=case.version,
            request=request,
            portal_applicant=beneficiary.pk,
            reason=reason.strip(),
        )
    except transitions.TransitionError as error:
        raise ApplicationRefused(str(error)) from error


def note_case_upload(*, case: Case, document: Document, request=None) -> None:
    """The staff see, on the request's audit trail, a paper sent for it."""
    audit.record(
        AuditAction.UPDATE,
        organization=case.organization,
        obj=case,
        changes={
            "document_sent": document.pk,
            "document_type": document.document_type.code,
        },
        request=request,
        actor_label=actor_label(case.beneficiary),
    )
