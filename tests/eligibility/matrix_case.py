"""The eligibility case routes in the permission matrix."""

from mustafid.core.roles import Role
from tests.cases.helpers import make_case


def _case(org):
    return {"pk": make_case(org, "verifying").pk}


def routes(Route) -> list:
    return [
        Route(
            "eligibility:case_override",
            frozenset({Role.MANAGER}),
            "post",
            _case,
            (302,),
        ),
        Route(
            "eligibility:case_recheck",
            frozenset({Role.RECEPTION, Role.RESEARCHER, Role.SERVICES}),
            "post",
            _case,
            (302,),
        ),
        Route(
            "eligibility:precheck",
            frozenset({Role.RECEPTION, Role.MANAGER, Role.ADMIN}),
            carries_id=False,
        ),
    ]
