"""Who is signed in to an association's portal, and the decorators its views use.

A beneficiary signs in to one association's portal (P-PRIVACY: the same person
registered in two associations holds two records and two sign-ins). Staff
sign-in and portal sign-in are separate: a staff session does not open the
portal, nor a portal session the back office.
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_scopes import scope

from mustafid.core.models import Organization

SESSION_KEY = "portal_beneficiary"


def sign_in(request, beneficiary) -> None:
    # A new session id on every sign-in: a session fixed before it is worthless.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "id": beneficiary.pk,
        "organization": beneficiary.organization_id,
    }


def ask_terms(request, text) -> None:
    """Hold the signed-in beneficiary at the new terms until they answer."""
    request.session[SESSION_KEY]["terms_due"] = text.pk
    request.session.modified = True


def terms_due(request) -> int | None:
    """The id of the terms the signed-in beneficiary must answer first, if any."""
    return (request.session.get(SESSION_KEY) or {}).get("terms_due")


def terms_answered(request) -> None:
    held = request.session.get(SESSION_KEY) or {}
    if held.pop("terms_due", None) is not None:
        request.session.modified = True


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def _association(org_slug: str) -> Organization:
    try:
        return Organization.objects.get(slug=org_slug, is_active=True)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


def _signed_in(request, organization: Organization):
    from mustafid.registry.models import Beneficiary

    held = request.session.get(SESSION_KEY) or {}
    if held.get("organization") != organization.pk:
        return None
    return Beneficiary.objects.filter(organization=organization, pk=held["id"]).first()


def public_page(view):
    """A page of the association named in the URL, open to anyone.

    Sets request.portal_org and request.beneficiary (None unless signed in to
    this association) and runs the view inside the association's scope.
    """

    @wraps(view)
    def wrapper(request, org_slug, *args, **kwargs):
        organization = _association(org_slug)
        with scope(organization=organization):
            request.portal_org = organization
            request.beneficiary = _signed_in(request, organization)
            return view(request, *args, **kwargs)

    return wrapper


def _to(request, name: str):
    url = reverse(name, kwargs={"org_slug": request.portal_org.slug})
    return redirect(f"{url}?{urlencode({'next': request.path})}")


def beneficiary_required(view):
    """A page for the signed-in beneficiary of this association only, once they
    have answered any new terms (P-CONSENT)."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if request.beneficiary is None:
            return _to(request, "portal:sign_in")
        if terms_due(request) is not None:
            return _to(request, "portal:accept_terms")
        return view(request, *args, **kwargs)

    return public_page(inner)


def signed_in_before_terms(view):
    """The page where a signed-in beneficiary answers the new terms."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if request.beneficiary is None:
            return _to(request, "portal:sign_in")
        return view(request, *args, **kwargs)

    return public_page(inner)
