"""The association's public pages (P-TRANSPARENCY, P-INFO): what it offers and
on what conditions, its approved policy, how to reach it, ask and complain."""

import datetime

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mustafid.catalog.models import Service
from mustafid.contact.models import Channel, ReplyMethod
from mustafid.contact.services import ContactRefused, receive_inquiry
from mustafid.core import ratelimit
from mustafid.core.audit import client_ip
from mustafid.eligibility.evaluation import (
    CATEGORY_SUBJECTS,
    category_names,
    describe_all,
)
from mustafid.eligibility.models import RuleSet
from mustafid.eligibility.services import default_rules
from mustafid.governance.policies import policy_in_force
from mustafid.portal.consent import ConsentKind, current_text
from mustafid.portal.faq import FaqEntry, ensure_default_faq
from mustafid.portal.forms import InquiryForm
from mustafid.portal.session import public_page

INQUIRY_KEY = "portal_inquiry"
HOUR = datetime.timedelta(hours=1)
TOO_MANY_INQUIRIES = gettext_lazy(
    "Too many questions were sent from here. Wait an hour and try again."
)


def _page(request, template, context=None, status=200):
    context = {"organization": request.portal_org, **(context or {})}
    return TemplateResponse(request, template, context, status=status)


@require_GET
@public_page
def home(request):
    return _page(
        request,
        "portal/home.html",
        {"services": Service.objects.open_for_intake().order_by("name_ar")[:6]},
    )


@require_GET
@public_page
def services(request):
    """Each service: what it is, who qualifies, which documents, how long."""
    found = list(
        Service.objects.open_for_intake()
        .prefetch_related("required_documents")
        .order_by("name_ar")
    )
    rules = {
        rule_set.service_id: rule_set
        for rule_set in RuleSet.objects.filter(
            service__in=found, is_current=True
        ).prefetch_related("criteria__document_type")
    }
    rule_sets = [rules.get(service.pk) or default_rules(service) for service in found]
    labels = None
    if any(c.subject in CATEGORY_SUBJECTS for r in rule_sets for c in r.conditions()):
        labels = category_names()
    rows = [
        {
            "service": service,
            "combine": rule_set.get_combine_display(),
            "conditions": describe_all(rule_set.conditions(), labels or {}),
            "documents": list(service.required_documents.all()),
            "days": service.window_days(request.portal_org),
        }
        for service, rule_set in zip(found, rule_sets, strict=True)
    ]
    return _page(request, "portal/services.html", {"rows": rows})


@require_GET
@public_page
def policy(request):
    return _page(
        request,
        "portal/policy.html",
        {"policy": policy_in_force(request.portal_org, timezone.localdate())},
    )


@require_GET
@public_page
def complain(request):
    from mustafid.feedback.choices import Priority
    from mustafid.feedback.defaults import target_for

    # P-TRANSPARENCY: the answer time promised is the normal priority's target.
    target = target_for(request.portal_org, Priority.NORMAL)
    return _page(
        request,
        "portal/complain.html",
        {"channels": _channels(), "complaint_days": target.resolve_days},
    )


@require_GET
@public_page
def faq(request):
    ensure_default_faq(request.portal_org)
    return _page(request, "portal/faq.html", {"entries": FaqEntry.objects.published()})


@require_GET
@public_page
def privacy(request):
    text = current_text(request.portal_org, ConsentKind.PRIVACY)
    return _page(request, "portal/consent_text.html", {"text": text})


@require_GET
@public_page
def terms(request):
    text = current_text(request.portal_org, ConsentKind.TERMS)
    return _page(request, "portal/consent_text.html", {"text": text})


def _channels():
    return list(Channel.objects.enabled())


def _prefill(beneficiary) -> dict:
    if beneficiary is None:
        return {}
    return {
        "name": beneficiary.full_name,
        # As people write it: 05…, not +9665….
        "mobile": "0" + beneficiary.mobile[4:]
        if beneficiary.mobile.startswith("+966")
        else beneficiary.mobile,
        "email": beneficiary.email,
    }


def _reaches(beneficiary, data) -> bool:
    """Whether the answer can go to the signed-in beneficiary's own record."""
    if beneficiary is None:
        return False
    if data["reply_method"] == ReplyMethod.EMAIL:
        return bool(beneficiary.email) and data["email"] in ("", beneficiary.email)
    return bool(beneficiary.mobile) and data["mobile"] in ("", beneficiary.mobile)


@require_http_methods(["GET", "POST"])
@public_page
def contact(request):
    """Channels and contacts, and the inquiry form (issue 7 item 6, P-INFO)."""
    organization = request.portal_org
    form = InquiryForm(request.POST or None, initial=_prefill(request.beneficiary))
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not ratelimit.allow(
            f"inquiry:ip:{client_ip(request)}",
            limit=settings.PORTAL_INQUIRIES_PER_IP,
            window=HOUR,
        ):
            form.add_error(None, TOO_MANY_INQUIRIES)
            status = 429
        else:
            data = form.cleaned_data
            try:
                inquiry = receive_inquiry(
                    organization=organization,
                    question=data["question"],
                    name=data["name"],
                    mobile=data["mobile"],
                    email=data["email"],
                    reply_method=data["reply_method"],
                    language=translation.get_language() or "ar",
                    beneficiary=request.beneficiary
                    if _reaches(request.beneficiary, data)
                    else None,
                    request=request,
                )
            except ContactRefused as error:
                form.add_error(None, str(error))
                status = 400
            else:
                request.session[INQUIRY_KEY] = {
                    "organization": organization.pk,
                    "reference": inquiry.reference,
                    "due_at": inquiry.due_at.isoformat(),
                }
                return redirect("portal:inquiry_sent", org_slug=organization.slug)
    return _page(
        request,
        "portal/contact.html",
        {"form": form, "channels": _channels()},
        status=status,
    )


@require_GET
@public_page
def inquiry_sent(request):
    held = request.session.get(INQUIRY_KEY) or {}
    if held.get("organization") != request.portal_org.pk:
        return redirect(reverse("portal:contact", args=[request.portal_org.slug]))
    due_at = datetime.datetime.fromisoformat(held["due_at"])
    return _page(
        request,
        "portal/inquiry_sent.html",
        {"reference": held["reference"], "due_at": due_at},
    )
