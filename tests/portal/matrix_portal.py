"""The portal's routes in the permission matrix (P-PRIVACY).

PUBLIC: pages anyone may open (they join PUBLIC_ROUTES). routes(): pages for the
signed-in beneficiary only; `test_permission_matrix.py` checks each against the
anonymous visitor, staff, a beneficiary of another association and another
beneficiary of the same association.
"""

PUBLIC = {
    "portal:home",
    # Issue 8 (P-COMPLAINTS, P-IMPROVE): anyone may send; the sender's page is
    # opened by the signed link we send them (tests/feedback/test_public.py).
    "portal:feedback",
    "portal:feedback_sent",
    "portal:feedback_status",
    "portal:you_said_we_did",
}


def routes(PortalRoute) -> list:
    """PortalRoute(name, method="get", kwargs=None, ok_status=(200,)).

    kwargs(beneficiary) -> URL kwargs naming an object of that beneficiary
    (org_slug is added); leave it None for pages without an object.
    """
    return []
