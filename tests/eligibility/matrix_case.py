"""The eligibility case routes in the permission matrix."""


def routes(Route) -> list:
    return []
