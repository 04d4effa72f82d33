"""Requests and everything that happens to them, one module per topic."""

from mustafid.cases.models.case import (  # noqa: F401
    DUE_SOON_DAYS,
    FINISHED,
    UNDECIDED,
    Attestation,
    AttestationMethod,
    AttestationText,
    Case,
    CaseCounter,
    CaseEvent,
    CaseQuerySet,
    CaseStatus,
    Delivery,
    DeliveryKind,
    Holiday,
    attestation_path,
)
