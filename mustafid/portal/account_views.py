"""Sign-in, registration and sign-out of the portal (P-EONLINE, P-CONSENT).

The pages answer alike whether or not the numbers belong to someone: the
identity number and mobile are kept in the session, encrypted, only for the
minutes the code lives.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.core.audit import client_ip
from mustafid.core.crypto import blind_index, decrypt, encrypt
from mustafid.portal import accounts, session
from mustafid.portal.codes import CodeRefused, Purpose, TooManyCodes
from mustafid.portal.consent import ConsentText, current_texts
from mustafid.portal.forms import CodeForm, RegisterForm, SignInForm
from mustafid.portal.session import beneficiary_required, public_page

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


@require_GET
@beneficiary_required
def my_home(request):
    """The signed-in beneficiary's landing page: their requests, their data."""
    return _page(request, "portal/my_home.html", {"beneficiary": request.beneficiary})
