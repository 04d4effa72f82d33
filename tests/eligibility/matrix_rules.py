"""The eligibility rules routes in the permission matrix."""


def routes(Route) -> list:
    return []
