"""The eligibility match routes in the permission matrix."""

from mustafid.core.roles import Role
from tests.cases.helpers import make_service

# Those whose role holds Perm.MATCH_BENEFICIARIES.
MATCHERS = frozenset({Role.SERVICES, Role.MANAGER, Role.ADMIN})


def _service(org):
    return {"service_pk": make_service(org).pk}


def routes(Route) -> list:
    return [
        Route("eligibility:match_services", MATCHERS),
        Route("eligibility:match_list", MATCHERS, kwargs=_service),
        Route("eligibility:match_invite", MATCHERS, "post", _service, (302,)),
    ]
