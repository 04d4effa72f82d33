"""The portal's routes in the permission matrix (P-PRIVACY).

PUBLIC: pages anyone may open (they join PUBLIC_ROUTES). routes(): pages for the
signed-in beneficiary only; `test_permission_matrix.py` checks each against the
anonymous visitor, staff, a beneficiary of another association and another
beneficiary of the same association.
"""

# The survey link needs no sign-in: its token is the key (tests/surveys).
PUBLIC = {"portal:home", "portal:survey_answer"}


def routes(PortalRoute) -> list:
    """PortalRoute(name, method="get", kwargs=None, ok_status=(200,)).

    kwargs(beneficiary) -> URL kwargs naming an object of that beneficiary
    (org_slug is added); leave it None for pages without an object.
    """
    return []
