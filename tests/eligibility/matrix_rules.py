"""The eligibility rules routes in the permission matrix."""

from mustafid.core.roles import Role
from tests.cases.helpers import make_service

# Those whose role holds Perm.MANAGE_ELIGIBILITY.
RULE_WRITERS = frozenset({Role.MANAGER, Role.ADMIN})


def _service(org):
    return {"service_pk": make_service(org).pk}


def routes(Route) -> list:
    return [
        Route("eligibility:rules_list", RULE_WRITERS),
        Route("eligibility:rules_edit", RULE_WRITERS, kwargs=_service),
        Route("eligibility:rules_versions", RULE_WRITERS, kwargs=_service),
    ]
