"""Sign-in, registration and sign-out of the portal (P-EONLINE, P-CONSENT).

The pages answer alike whether or not the numbers belong to someone: the
identity number and mobile are kept in the session, encrypted, only for the
minutes the code lives.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.core.audit import client_ip
from mustafid.core.crypto import blind_index, decrypt, encrypt
from mustafid.portal import accounts, consent_versions, session
from mustafid.portal.codes import CodeRefused, Purpose, TooManyCodes
from mustafid.portal.consent import ConsentKind, ConsentText, current_texts
from mustafid.portal.forms import CodeForm, RegisterForm, SignInForm
from mustafid.portal.session import (
    beneficiary_required,
    public_page,
    signed_in_before_terms,
)

PENDING_KEY = "portal_pending"
DETAILS = ("first_name", "father_name", "grandfather_name", "family_name", "gender")


def safe_next(request, value: str | None) -> str:
    """`value` if it is a page of this association on this site, else my page."""
    prefix = f"/{request.portal_org.slug}/"
    if (
        value
        and value.startswith(prefix)
        and "\\" not in value
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return reverse("portal:my_home", args=[request.portal_org.slug])


def _page(request, template, context, status=200):
    context = {"organization": request.portal_org, **context}
    return TemplateResponse(request, template, context, status=status)


def _refused_status(error: CodeRefused) -> int:
    return 429 if isinstance(error, TooManyCodes) else 400


@require_http_methods(["GET", "POST"])
@public_page
def sign_in(request):
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.beneficiary is not None:
        return redirect(safe_next(request, next_url))
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                accounts.start_sign_in(
                    organization=request.portal_org,
                    identity_number=data["identity_number"],
                    mobile=data["mobile"],
                    ip=client_ip(request),
                    language=get_language() or "ar",
                )
            except CodeRefused as error:
                form.add_error(None, str(error))
                status = _refused_status(error)
            else:
                request.session[PENDING_KEY] = {
                    "organization": request.portal_org.pk,
                    "purpose": Purpose.SIGN_IN,
                    "mobile": encrypt(data["mobile"]),
                    "identity": encrypt(data["identity_number"]),
                    "next": next_url,
                }
                return redirect("portal:code", org_slug=request.portal_org.slug)
    return _page(
        request,
        "portal/sign_in.html",
        {"form": form, "next": next_url},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@public_page
def register(request):
    if request.beneficiary is not None:
        return redirect("portal:my_home", org_slug=request.portal_org.slug)
    texts = current_texts(request.portal_org)
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                accounts.start_registration(
                    organization=request.portal_org,
                    identity_number=data["identity_number"],
                    mobile=data["mobile"],
                    ip=client_ip(request),
                    language=get_language() or "ar",
                )
            except CodeRefused as error:
                form.add_error(None, str(error))
                status = _refused_status(error)
            else:
                request.session[PENDING_KEY] = {
                    "organization": request.portal_org.pk,
                    "purpose": Purpose.REGISTER,
                    "mobile": encrypt(data["mobile"]),
                    "identity": encrypt(data["identity_number"]),
                    "details": encrypt("\x1f".join(data[key] for key in DETAILS)),
                    # The versions read and accepted on this page.
                    "texts": [text.pk for text in texts.values()],
                    "next": "",
                }
                return redirect("portal:code", org_slug=request.portal_org.slug)
    return _page(
        request,
        "portal/register.html",
        {"form": form, "texts": texts},
        status=status,
    )


def _pending(request) -> dict | None:
    held = request.session.get(PENDING_KEY) or {}
    if held.get("organization") != request.portal_org.pk:
        return None
    return held


@require_http_methods(["GET", "POST"])
@public_page
def code(request):
    pending = _pending(request)
    if pending is None:
        return redirect("portal:sign_in", org_slug=request.portal_org.slug)
    mobile = decrypt(pending["mobile"])
    identity = decrypt(pending["identity"])
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                beneficiary, created = _finish(request, pending, mobile, identity)
            except CodeRefused as error:
                form.add_error("code", str(error))
            else:
                request.session.pop(PENDING_KEY, None)
                session.sign_in(request, beneficiary)
                due = consent_versions.terms_to_accept_again(beneficiary)
                if due is not None:
                    session.ask_terms(request, due)
                    return _ask_terms(request, pending.get("next"))
                if created:
                    messages.success(
                        request,
                        _(
                            "Your registration is received. You can now apply for "
                            "a service; the association will complete your record "
                            "with you."
                        ),
                    )
                return redirect(safe_next(request, pending.get("next")))
    return _page(
        request,
        "portal/code.html",
        {
            "form": form,
            "mobile_end": mobile[-2:],
            "registering": pending["purpose"] == Purpose.REGISTER,
        },
        status=status,
    )


def _finish(request, pending, mobile, identity):
    if pending["purpose"] == Purpose.SIGN_IN:
        beneficiary = accounts.finish_sign_in(
            organization=request.portal_org,
            identity_hash=blind_index(identity),
            mobile=mobile,
            code=request.POST.get("code", ""),
            request=request,
        )
        return beneficiary, False
    details = dict(zip(DETAILS, decrypt(pending["details"]).split("\x1f"), strict=True))
    texts = list(
        ConsentText.objects.filter(
            organization=request.portal_org, pk__in=pending["texts"]
        )
    )
    result = accounts.finish_registration(
        organization=request.portal_org,
        identity_number=identity,
        mobile=mobile,
        details=details,
        texts=texts,
        code=request.POST.get("code", ""),
        request=request,
        language=get_language() or "ar",
    )
    return result.beneficiary, result.created


@require_POST
@public_page
def sign_out(request):
    if request.beneficiary is not None:
        accounts.record_sign_out(request.beneficiary, request)
    session.sign_out(request)
    messages.success(request, _("You have signed out."))
    return redirect("portal:home", org_slug=request.portal_org.slug)


def _ask_terms(request, next_url):
    url = reverse("portal:accept_terms", args=[request.portal_org.slug])
    return redirect(f"{url}?{urlencode({'next': safe_next(request, next_url)})}")


@require_http_methods(["GET", "POST"])
@signed_in_before_terms
def accept_terms(request):
    """New terms, with what changed: accepted to go on, or declined and signed
    out (P-CONSENT)."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    due = session.terms_due(request)
    text = (
        ConsentText.objects.filter(pk=due, kind=ConsentKind.TERMS).first()
        if due
        else None
    )
    if text is None:
        session.terms_answered(request)
        return redirect(safe_next(request, next_url))
    status = 200
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer == "accept":
            consent_versions.accept_terms_again(
                beneficiary=request.beneficiary, text=text, request=request
            )
            session.terms_answered(request)
            messages.success(
                request,
                _("Thank you: you accepted version %(version)s of the terms.")
                % {"version": text.version},
            )
            return redirect(safe_next(request, next_url))
        if answer == "decline":
            consent_versions.decline_terms(
                beneficiary=request.beneficiary, text=text, request=request
            )
            session.sign_out(request)
            messages.info(
                request,
                _(
                    "You did not accept the new terms, so you have been signed out: "
                    "the portal is used under the terms in force. Your record and "
                    "your requests stay as they are. To ask about the terms, contact "
                    "the association."
                ),
            )
            return redirect("portal:home", org_slug=request.portal_org.slug)
        status = 400
        messages.error(request, _("Choose whether you accept the new terms."))
    return _page(
        request,
        "portal/accept_terms.html",
        {"text": text, "next": safe_next(request, next_url)},
        status=status,
    )


@require_GET
@beneficiary_required
def my_home(request):
    """The signed-in beneficiary's landing page: their requests, their data,
    and once, that the privacy notice changed (P-PRIVACY)."""
    notice = consent_versions.privacy_notice_once(request.beneficiary)
    return _page(
        request,
        "portal/my_home.html",
        {"beneficiary": request.beneficiary, "privacy_notice": notice},
    )
