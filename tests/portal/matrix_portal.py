"""The portal's routes in the permission matrix (P-PRIVACY).

PUBLIC: pages anyone may open (they join PUBLIC_ROUTES). routes(): pages for the
signed-in beneficiary only; `test_permission_matrix.py` checks each against the
anonymous visitor, staff, a beneficiary of another association and another
beneficiary of the same association.
"""

PUBLIC = {
    "portal:home",
    # P-TRANSPARENCY: what the association offers, its policy, how to reach it.
    "portal:services",
    "portal:policy",
    "portal:contact",
    "portal:inquiry_sent",
    "portal:complain",
    "portal:faq",
    "portal:privacy",
    "portal:terms",
    # Signing in and registering are for those not signed in yet.
    "portal:sign_in",
    "portal:code",
    "portal:register",
    "portal:sign_out",
}


def routes(PortalRoute) -> list:
    """PortalRoute(name, method="get", kwargs=None, ok_status=(200,)).

    kwargs(beneficiary) -> URL kwargs naming an object of that beneficiary
    (org_slug is added); leave it None for pages without an object.
    """
    return [PortalRoute("portal:my_home")]
