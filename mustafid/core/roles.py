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
    MERGE_BENEFICIARIES = "merge_beneficiaries"
    VIEW_ASSOCIATION = "view_association"
    CHANGE_ASSOCIATION = "change_association"
    VIEW_STAFF = "view_staff"
    VIEW_AUDIT = "view_audit"
    VIEW_CASES = "view_cases"
    INTAKE_CASES = "intake_cases"
    VERIFY_CASES = "verify_cases"
    DECIDE_CASES = "decide_cases"
    DELIVER_CASES = "deliver_cases"
    MANAGE_SERVICES = "manage_services"


_STAFF = {Perm.VIEW_DASHBOARD, Perm.VIEW_ASSOCIATION}
_READ = _STAFF | {Perm.VIEW_BENEFICIARIES}
# Those who receive beneficiaries and check their papers (P-RECEIVE, P-COMPLETE,
# P-ELIGIBILITY seed 002: "reviewed by the services officer or the researcher").
_CASEWORK = _READ | {Perm.CHANGE_BENEFICIARIES, Perm.VERIFY_DOCUMENTS}
_OVERSIGHT = {Perm.VIEW_STAFF, Perm.VIEW_AUDIT}
# Requests (issue 4): each step of the lifecycle names one of these.
_CASES = {Perm.VIEW_CASES}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.RECEPTION: frozenset(
        _CASEWORK | _CASES | {Perm.RECORD_REACH, Perm.INTAKE_CASES, Perm.VERIFY_CASES}
    ),
    Role.RESEARCHER: frozenset(_CASEWORK | _CASES | {Perm.VERIFY_CASES}),
    # P-COMMITTEE: the research committee accepts or rejects.
    Role.COMMITTEE: frozenset(_READ | _CASES | {Perm.DECIDE_CASES}),
    Role.SERVICES: frozenset(
        _CASEWORK | _CASES | {Perm.VERIFY_CASES, Perm.DELIVER_CASES}
    ),
    Role.MANAGER: frozenset(
        _CASEWORK
        | _CASES
        | {Perm.INTAKE_CASES, Perm.DECIDE_CASES, Perm.DELIVER_CASES}
        | {Perm.MANAGE_SERVICES}
        | _OVERSIGHT
        | {Perm.OVERRIDE_ID_CHECK, Perm.RECORD_REACH}
        | {Perm.IMPORT_BENEFICIARIES, Perm.EXPORT_BENEFICIARIES}
        # Merging deletes a record: the manager decides (P-COMPLETE).
        | {Perm.MERGE_BENEFICIARIES}
    ),
    # Auditors read everything and change nothing.
    Role.AUDITOR: frozenset(_READ | _OVERSIGHT | _CASES | {Perm.EXPORT_BENEFICIARIES}),
    # A policy decision on an identity number is the manager's, not the admin's;
    # so are checking, deciding and delivering a beneficiary's request.
    Role.ADMIN: frozenset(Perm)
    - {
        Perm.OVERRIDE_ID_CHECK,
        Perm.VERIFY_CASES,
        Perm.DECIDE_CASES,
        Perm.DELIVER_CASES,
    },
}


def role_has_perm(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(Role(role), frozenset())
