"""The portal's routes in the permission matrix (P-PRIVACY).

PUBLIC: pages anyone may open (they join PUBLIC_ROUTES). routes(): pages for the
signed-in beneficiary only; `test_permission_matrix.py` checks each against the
anonymous visitor, staff, a beneficiary of another association and another
beneficiary of the same association.
"""

from django_scopes import scope

from tests.cases.helpers import make_case
from tests.factories import DocumentFactory

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


def _case_number(beneficiary) -> dict:
    org = beneficiary.organization
    return {"number": make_case(org, "submitted", beneficiary=beneficiary).number}


def _document(beneficiary) -> dict:
    org = beneficiary.organization
    with scope(organization=org):
        return {"pk": DocumentFactory(organization=org, beneficiary=beneficiary).pk}


PUBLIC |= {
    # Issue 8 (P-COMPLAINTS, P-IMPROVE): anyone may send; the sender's page is
    # opened by the signed link we send them (tests/feedback/test_public.py).
    "portal:feedback",
    "portal:feedback_sent",
    "portal:feedback_status",
    "portal:you_said_we_did",
}
# The survey link needs no sign-in: its token is the key (tests/surveys).
PUBLIC |= {"portal:survey_answer"}


def routes(PortalRoute) -> list:
    """PortalRoute(name, method="get", kwargs=None, ok_status=(200,)).

    kwargs(beneficiary) -> URL kwargs naming an object of that beneficiary
    (org_slug is added); leave it None for pages without an object.
    """
    return [
        PortalRoute("portal:my_home"),
        # With no new terms to answer, the page sends on to my page (P-CONSENT).
        PortalRoute("portal:accept_terms", ok_status=(302,)),
        # Applying online (P-EONLINE): the steps after the choice send back
        # to it while no service is chosen.
        PortalRoute("portal:apply"),
        PortalRoute("portal:apply_check", ok_status=(302,)),
        PortalRoute("portal:apply_documents", ok_status=(302,)),
        PortalRoute("portal:apply_attest", ok_status=(302,)),
        PortalRoute("portal:apply_receipt", kwargs=_case_number),
        # Tracking one's requests.
        PortalRoute("portal:cases"),
        PortalRoute("portal:case_detail", kwargs=_case_number),
        PortalRoute("portal:case_upload", "post", _case_number, (302,)),
        PortalRoute("portal:case_resubmit", "post", _case_number, (302,)),
        # Withdrawing an undecided request: the page explaining it, then the
        # withdrawal (the reason is optional), back to the request's page.
        PortalRoute("portal:case_withdraw", kwargs=_case_number),
        PortalRoute("portal:case_withdraw", "post", _case_number, (302,)),
        # My data (P-PRIVACY).
        PortalRoute("portal:my_data"),
        PortalRoute("portal:my_data_print"),
        PortalRoute("portal:my_data_json"),
        PortalRoute("portal:my_data_request", "post", ok_status=(400,)),
        PortalRoute("portal:withdraw_consent", "post", ok_status=(302,)),
        PortalRoute("portal:my_document", kwargs=_document),
    ]
