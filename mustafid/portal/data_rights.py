"""A beneficiary's rights over their own data (P-PRIVACY, P-CONSENT; the PDPL).

They see what the association holds about them, take a copy, withdraw their
consent to be contacted, and ask for a correction or a deletion, which staff
answer within 30 days from the back office; the answer is sent through the
outbox. Each step is audited.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.cases.models import Case, CaseEvent
from mustafid.contact.outbox import queue_message
from mustafid.core import audit
from mustafid.core.models import AuditAction
from mustafid.portal.applying import actor_label
from mustafid.portal.rights_models import (
    DataRequest,
    DataRequestKind,
    DataRequestStatus,
)
from mustafid.registry.models import Beneficiary, Document, HouseholdMember


class DataRequestRefused(Exception):
    """Cannot be done; `str()` says why."""


@transaction.atomic
def withdraw_consent(*, beneficiary: Beneficiary, request=None) -> None:
    """No more outreach from now on (sending.OUTREACH_EVENTS are skipped);
    messages about the beneficiary's own requests still reach them."""
    updated = Beneficiary.objects.filter(pk=beneficiary.pk, contact_consent=True)
    if not updated.update(contact_consent=False, updated_at=timezone.now()):
        return
    beneficiary.contact_consent = False
    audit.record(
        AuditAction.UPDATE,
        organization=beneficiary.organization,
        obj=beneficiary,
        changes={"contact_consent": [True, False]},
        request=request,
        actor_label=actor_label(beneficiary),
    )


@transaction.atomic
def ask(
    *,
    beneficiary: Beneficiary,
    kind: str,
    field: str = "",
    details: str = "",
    request=None,
) -> DataRequest:
    """A correction, deletion or copy request, due in 30 days."""
    if kind == DataRequestKind.DELETION:
        already = DataRequest.objects.open().filter(
            beneficiary=beneficiary, kind=DataRequestKind.DELETION
        )
        if already.exists():
            raise DataRequestRefused(
                _("You have already asked for your data to be deleted.")
            )
    data_request = DataRequest.objects.create(
        organization=beneficiary.organization,
        beneficiary=beneficiary,
        kind=kind,
        field=field,
        details=details.strip(),
        due_on=DataRequest.due_from(timezone.localdate()),
    )
    audit.record(
        AuditAction.CREATE,
        organization=beneficiary.organization,
        obj=data_request,
        changes={"kind": kind, "field": field},
        request=request,
        actor_label=actor_label(beneficiary),
    )
    return data_request


@transaction.atomic
def answer(
    *, actor, data_request: DataRequest, text: str, refused: bool, request=None
) -> DataRequest:
    """Staff close the request, done or refused with the reason, and the
    beneficiary is told through the outbox."""
    data_request = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if data_request.status != DataRequestStatus.OPEN:
        raise DataRequestRefused(_("This request was answered already."))
    if not text.strip():
        raise DataRequestRefused(_("Write the answer the beneficiary will read."))
    data_request.status = (
        DataRequestStatus.REFUSED if refused else DataRequestStatus.DONE
    )
    data_request.answer = text.strip()
    data_request.answered_by = actor
    data_request.answered_at = timezone.now()
    data_request.save()
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=data_request.organization,
        obj=data_request,
        changes={"status": [DataRequestStatus.OPEN, data_request.status]},
        request=request,
    )
    queue_message(
        organization=data_request.organization,
        event="data_request_refused" if refused else "data_request_answered",
        beneficiary=data_request.beneficiary,
        context={
            "reference": data_request.reference,
            "kind": data_request.kind,
            "answer": data_request.answer,
        },
    )
    return data_request


# --- What the association holds ------------------------------------------------

PROFILE = (
    "first_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "name_en",
    "identity_type",
    "identity_number",
    "nationality",
    "residency_status",
    "gender",
    "birth_date",
    "mobile",
    "email",
    "short_address",
    "building_number",
    "additional_number",
    "postal_code",
    "street",
    "district",
    "city",
    "region",
    "education",
    "qualification",
    "employment_status",
    "monthly_income",
    "registration_status",
)
HOUSEHOLD = (
    "relation",
    "full_name",
    "birth_date",
    "gender",
    "has_disability",
    "education",
    "monthly_income",
)


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "code"):  # a country
        return value.code or ""
    return str(value)


def _display(obj, name: str) -> str:
    getter = getattr(obj, f"get_{name}_display", None)
    if getter is not None and getattr(obj, name):
        return str(getter())
    value = getattr(obj, name)
    if hasattr(value, "name") and hasattr(value, "code"):
        return str(value.name or "")
    return "" if value in (None, "") else str(_plain(value))


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def holdings(beneficiary: Beneficiary) -> dict:
    """Everything the association holds about the beneficiary, for reading
    (labels and shown values) and for the JSON copy (raw values). A fixed
    number of queries, whatever the size of the record."""
    members = list(HouseholdMember.objects.filter(beneficiary=beneficiary))
    documents = list(
        Document.objects.filter(beneficiary=beneficiary).select_related("document_type")
    )
    cases = list(Case.objects.filter(beneficiary=beneficiary).select_related("service"))
    events = CaseEvent.objects.filter(case__in=cases, public=True)
    consents = _consents(beneficiary)
    requests = list(DataRequest.objects.filter(beneficiary=beneficiary))
    return {
        "profile": [
            {
                "field": name,
                "label": _label(Beneficiary, name),
                "value": _plain(getattr(beneficiary, name)),
                "shown": _display(beneficiary, name),
            }
            for name in PROFILE
        ],
        "categories": [str(c) for c in beneficiary.categories.all()],
        "household": [
            {
                name: {
                    "label": _label(HouseholdMember, name),
                    "value": _plain(getattr(member, name)),
                    "shown": _display(member, name),
                }
                for name in HOUSEHOLD
            }
            for member in members
        ],
        "documents": [
            {
                "id": document.pk,
                "type": str(document.document_type),
                "status": document.status,
                "status_shown": document.get_status_display(),
                "uploaded": document.created_at.date().isoformat(),
                "expires_on": _plain(document.expires_on),
            }
            for document in documents
        ],
        "requests": [
            {
                "number": case.number,
                "service": str(case.service),
                "status": case.status,
                "submitted_at": _plain(case.submitted_at),
                "decision_due": _plain(case.decision_due),
                "decision_reasons": case.decision_reasons,
                "timeline": [
                    {"on": _plain(e.created_at), "status": e.to_status}
                    for e in events
                    if e.case_id == case.pk
                ],
            }
            for case in cases
        ],
        "contact": {
            "preferred_contact": beneficiary.preferred_contact,
            "preferred_contact_shown": beneficiary.get_preferred_contact_display(),
            "preferred_language": beneficiary.preferred_language,
            "contact_consent": beneficiary.contact_consent,
        },
        "consents": consents,
        "data_requests": [
            {
                "reference": item.reference,
                "kind": item.kind,
                "kind_shown": item.get_kind_display(),
                "status": item.status,
                "status_shown": item.get_status_display(),
                "asked_on": item.created_at.date().isoformat(),
                "due_on": item.due_on.isoformat(),
                "answer": item.answer,
            }
            for item in requests
        ],
    }


def _consents(beneficiary: Beneficiary) -> list[dict]:
    """The privacy notice and terms accepted, with their versions (P-CONSENT)."""
    from mustafid.portal.consent import ConsentAcceptance

    accepted = ConsentAcceptance.objects.filter(beneficiary=beneficiary).select_related(
        "text"
    )
    return [
        {
            "accepted_at": _plain(item.accepted_at),
            "terms": item.text.get_kind_display(),
            "version": item.text.version,
        }
        for item in accepted.order_by("accepted_at", "id")
    ]


def copy_as_json(beneficiary: Beneficiary) -> dict:
    """The machine-readable copy: raw values, no labels (P-PRIVACY)."""
    held = holdings(beneficiary)
    return {
        "association": beneficiary.organization.name,
        "exported_at": timezone.now().isoformat(),
        "profile": {row["field"]: row["value"] for row in held["profile"]},
        "categories": held["categories"],
        "household": [
            {name: cell["value"] for name, cell in member.items()}
            for member in held["household"]
        ],
        "documents": [
            {k: v for k, v in doc.items() if k != "status_shown"}
            for doc in held["documents"]
        ],
        "requests": held["requests"],
        "contact": {
            k: v for k, v in held["contact"].items() if not k.endswith("_shown")
        },
        "consents": held["consents"],
        "data_requests": [
            {k: v for k, v in item.items() if not k.endswith("_shown")}
            for item in held["data_requests"]
        ],
    }
