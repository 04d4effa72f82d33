"""Referrals for tests (P-OUTOFSCOPE), shared with the lifecycle table's tests and
the permission matrix."""

import itertools

from django.utils import timezone
from django_scopes import scope

from mustafid.cases import referrals
from mustafid.cases.models import ExternalAssociation, Referral
from mustafid.core.models import Membership
from mustafid.core.roles import Role
from tests.cases.helpers import make_case
from tests.conftest import make_member, make_organization

_n = itertools.count(1)
CONSENTED = ["name", "mobile", "household"]


def make_directory_entry(org, **fields) -> ExternalAssociation:
    defaults = {
        "name_ar": f"جمعية خارجية {next(_n)}",
        "city": "الدمام",
        "phone": "0138000000",
        "services": "رعاية صحية",
    }
    with scope(organization=org):
        return ExternalAssociation.objects.create(
            organization=org, **(defaults | fields)
        )


def add_referral(case, status: str = "sent") -> Referral:
    """A directory referral straight in the database, as if it had been sent."""
    org = case.organization
    external = make_directory_entry(org)
    with scope(organization=org):
        return Referral.objects.create(
            organization=org,
            case=case,
            external=external,
            status=status,
            reason="خارج اختصاص الجمعية",
            decline_reason="لا تخدم المنطقة" if status == "declined" else "",
            shared_fields=["name"],
            consent_given_by=case.beneficiary.full_name,
            consent_method="in_person",
            consent_at=timezone.now(),
            sent_by=case.created_by,
        )


def membership_of(user, org) -> Membership:
    with scope(organization=org):
        return Membership.objects.get(user=user, organization=org)


def send(case, *, target=None, external=None, shared=CONSENTED, user=None, **extra):
    """Refer `case` through the service, as its association's manager."""
    org = case.organization
    user = user or make_member(org, Role.MANAGER)
    with scope(organization=org):
        return referrals.send_referral(
            actor=user,
            membership=membership_of(user, org),
            case=case,
            expected_version=case.version,
            target_organization=target,
            external=external,
            reason=extra.pop("reason", "الخدمة الصحية ليست من اختصاص الجمعية"),
            need=extra.pop("need", "يحتاج إلى علاج طبيعي"),
            shared_fields=list(shared),
            consent_method=extra.pop("consent_method", "signed"),
            **extra,
        )


def make_incoming_referral(org) -> dict:
    """A referral `org` received from another association on the platform."""
    sender = make_organization()
    referral = send(make_case(sender, "verifying"), target=org)
    return {"pk": referral.incoming_id}


def make_directory_referral(org) -> dict:
    case = make_case(org, "verifying")
    return {"pk": send(case, external=make_directory_entry(org)).pk}
