"""Signing in to the portal and registering in it, by a one-time code to the
mobile (P-EONLINE, P-REMOTE, P-CONSENT, P-PRIVACY).

Neither step tells who is registered: details that match no one get the same
answer and a code nobody receives, counted against the same limits.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from mustafid.core import audit
from mustafid.core.crypto import blind_index
from mustafid.core.models import AuditAction, Organization
from mustafid.portal.codes import CodeRefused, Purpose, check_code, issue_code
from mustafid.portal.consent import ConsentText, record_acceptance
from mustafid.registry.models import (
    Beneficiary,
    ContactMethod,
    IdentityType,
    RegistrationStatus,
    ResidencyStatus,
)

PORTAL = "portal"


def find_beneficiary(
    organization: Organization, *, identity_hash: str, mobile: str
) -> Beneficiary | None:
    """The beneficiary with this identity number and this mobile, or None."""
    if not identity_hash or not mobile:
        return None
    return Beneficiary.objects.filter(
        organization=organization,
        identity_hash=identity_hash,
        mobile_hash=blind_index(mobile),
    ).first()


def start_sign_in(
    *, organization: Organization, identity_number: str, mobile: str, ip, language
) -> None:
    """Send a sign-in code if the two numbers are one beneficiary's; raise
    CodeRefused past the limits, matched or not."""
    beneficiary = find_beneficiary(
        organization, identity_hash=blind_index(identity_number), mobile=mobile
    )
    issue_code(
        organization=organization,
        mobile=mobile,
        purpose=Purpose.SIGN_IN,
        ip=ip,
        beneficiary=beneficiary,
        language=language,
        send=beneficiary is not None,
    )


def _code_refused_as_expired() -> CodeRefused:
    return CodeRefused(_("The code has expired. Ask for a new code."))


@transaction.atomic
def finish_sign_in(
    *, organization: Organization, identity_hash: str, mobile: str, code: str, request
) -> Beneficiary:
    """Spend the code and return the beneficiary it signs in; audited."""
    check_code(
        organization=organization, mobile=mobile, purpose=Purpose.SIGN_IN, code=code
    )
    beneficiary = find_beneficiary(
        organization, identity_hash=identity_hash, mobile=mobile
    )
    if beneficiary is None:  # the number changed in the minutes since
        raise _code_refused_as_expired()
    _audit_sign_in(beneficiary, request)
    return beneficiary


def _audit_sign_in(beneficiary: Beneficiary, request) -> None:
    audit.record(
        AuditAction.LOGIN,
        organization=beneficiary.organization,
        obj=beneficiary,
        changes={"where": PORTAL},
        request=request,
        actor_label=PORTAL,
    )


def identity_type_of(number: str) -> str:
    """Online registration takes national IDs (1…) and iqamas (2…) only."""
    return IdentityType.NATIONAL_ID if number.startswith("1") else IdentityType.IQAMA


def start_registration(
    *, organization: Organization, identity_number: str, mobile: str, ip, language
) -> None:
    """Send a registration code, unless the identity number is registered here
    with another mobile: then a code nobody receives, and the same answer."""
    existing = Beneficiary.objects.filter(
        organization=organization, identity_hash=blind_index(identity_number)
    ).first()
    send = existing is None or existing.mobile_hash == blind_index(mobile)
    issue_code(
        organization=organization,
        mobile=mobile,
        purpose=Purpose.REGISTER,
        ip=ip,
        beneficiary=existing if send else None,
        language=language,
        send=send,
    )


@dataclass(frozen=True)
class Registration:
    beneficiary: Beneficiary
    created: bool


@transaction.atomic
def finish_registration(
    *,
    organization: Organization,
    identity_number: str,
    mobile: str,
    details: dict,
    texts: list[ConsentText],
    code: str,
    request,
    language: str = "ar",
) -> Registration:
    """Spend the code; open a prospective record (or find the existing one,
    never a second), record both acceptances with their versions, audited.

    `details`: first_name, father_name, grandfather_name, family_name, gender.
    """
    from mustafid.contact.services import log_interaction, website_channel
    from mustafid.registry.services import register_beneficiary

    check_code(
        organization=organization, mobile=mobile, purpose=Purpose.REGISTER, code=code
    )
    existing = Beneficiary.objects.filter(
        organization=organization, identity_hash=blind_index(identity_number)
    ).first()
    if existing is not None:
        if existing.mobile_hash != blind_index(mobile):
            raise _code_refused_as_expired()
        record_acceptance(beneficiary=existing, texts=texts, request=request)
        _audit_sign_in(existing, request)
        return Registration(beneficiary=existing, created=False)
    identity_type = identity_type_of(identity_number)
    citizen = identity_type == IdentityType.NATIONAL_ID
    beneficiary = register_beneficiary(
        actor=None,
        organization=organization,
        request=request,
        data={
            **{key: details[key].strip() for key in _NAME_FIELDS},
            "gender": details["gender"],
            "identity_type": identity_type,
            "identity_number": identity_number,
            "nationality": "SA" if citizen else "",
            "residency_status": ResidencyStatus.CITIZEN
            if citizen
            else ResidencyStatus.RESIDENT,
            "mobile": mobile,
            "preferred_contact": ContactMethod.SMS,
            "preferred_language": language if language in ("ar", "en") else "ar",
            "registration_status": RegistrationStatus.PROSPECTIVE,
        },
    )
    # P-CHANNELS: the record says it came through the website.
    log_interaction(
        actor=None,
        organization=organization,
        channel=website_channel(organization),
        beneficiary=beneficiary,
        subject=_("Registered through the portal"),
        request=request,
    )
    record_acceptance(beneficiary=beneficiary, texts=texts, request=request)
    _audit_sign_in(beneficiary, request)
    return Registration(beneficiary=beneficiary, created=True)


_NAME_FIELDS = ("first_name", "father_name", "grandfather_name", "family_name")


def record_sign_out(beneficiary: Beneficiary, request) -> None:
    audit.record(
        AuditAction.LOGOUT,
        organization=beneficiary.organization,
        obj=beneficiary,
        changes={"where": PORTAL},
        request=request,
        actor_label=PORTAL,
    )
