"""Staff roles and what each may do: the one place that maps roles to permissions."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Beneficiary relations officer")
    RESEARCHER = "researcher", _("Social researcher")
    COMMITTEE = "committee", _("Research committee member")
    SERVICES = "services", _("Services officer")
    MANAGER = "manager", _("Executive manager")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Association admin")


class Perm(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_BENEFICIARIES = "view_beneficiaries"
    CHANGE_BENEFICIARIES = "change_beneficiaries"
    OVERRIDE_ID_CHECK = "override_id_check"
    VERIFY_DOCUMENTS = "verify_documents"
    RECORD_REACH = "record_reach"
    IMPORT_BENEFICIARIES = "import_beneficiaries"
    EXPORT_BENEFICIARIES = "export_beneficiaries"
    VIEW_ASSOCIATION = "view_association"
    CHANGE_ASSOCIATION = "change_association"
    VIEW_STAFF = "view_staff"
    VIEW_AUDIT = "view_audit"


_STAFF = {Perm.VIEW_DASHBOARD, Perm.VIEW_ASSOCIATION}
_READ = _STAFF | {Perm.VIEW_BENEFICIARIES}
# Those who receive beneficiaries and check their papers (P-RECEIVE, P-COMPLETE,
# P-ELIGIBILITY seed 002: "reviewed by the services officer or the researcher").
_CASEWORK = _READ | {Perm.CHANGE_BENEFICIARIES, Perm.VERIFY_DOCUMENTS}
_OVERSIGHT = {Perm.VIEW_STAFF, Perm.VIEW_AUDIT}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.RECEPTION: frozenset(_CASEWORK | {Perm.RECORD_REACH}),
    Role.RESEARCHER: frozenset(_CASEWORK),
    Role.COMMITTEE: frozenset(_READ),
    Role.SERVICES: frozenset(_CASEWORK),
    Role.MANAGER: frozenset(
        _CASEWORK
        | _OVERSIGHT
        | {Perm.OVERRIDE_ID_CHECK, Perm.RECORD_REACH}
        | {Perm.IMPORT_BENEFICIARIES, Perm.EXPORT_BENEFICIARIES}
    ),
    # Auditors read everything and change nothing.
    Role.AUDITOR: frozenset(_READ | _OVERSIGHT | {Perm.EXPORT_BENEFICIARIES}),
    # A policy decision on an identity number is the manager's, not the admin's.
    Role.ADMIN: frozenset(Perm) - {Perm.OVERRIDE_ID_CHECK},
}


def role_has_perm(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(Role(role), frozenset())
