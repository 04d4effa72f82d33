"""The eligibility review routes in the permission matrix."""


def routes(Route) -> list:
    return []
