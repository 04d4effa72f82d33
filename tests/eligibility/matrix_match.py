"""The eligibility match routes in the permission matrix."""


def routes(Route) -> list:
    return []
