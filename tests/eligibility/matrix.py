"""The eligibility routes, gathered for the permission matrix."""

from tests.eligibility import matrix_case, matrix_match, matrix_review, matrix_rules


def routes(Route) -> list:
    return [
        *matrix_rules.routes(Route),
        *matrix_case.routes(Route),
        *matrix_review.routes(Route),
        *matrix_match.routes(Route),
    ]
