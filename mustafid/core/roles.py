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
    VIEW_ASSOCIATION = "view_association"
    CHANGE_ASSOCIATION = "change_association"
    VIEW_STAFF = "view_staff"
    VIEW_AUDIT = "view_audit"


_STAFF = {Perm.VIEW_DASHBOARD, Perm.VIEW_ASSOCIATION}
_CASEWORK = _STAFF | {Perm.VIEW_BENEFICIARIES}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.RECEPTION: frozenset(_CASEWORK),
    Role.RESEARCHER: frozenset(_CASEWORK),
    Role.COMMITTEE: frozenset(_CASEWORK),
    Role.SERVICES: frozenset(_CASEWORK),
    Role.MANAGER: frozenset(_CASEWORK | {Perm.VIEW_STAFF, Perm.VIEW_AUDIT}),
    # Auditors read everything and change nothing.
    Role.AUDITOR: frozenset(_CASEWORK | {Perm.VIEW_STAFF, Perm.VIEW_AUDIT}),
    Role.ADMIN: frozenset(Perm),
}


def role_has_perm(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(Role(role), frozenset())
