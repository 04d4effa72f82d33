"""The public side of complaints and suggestions (P-COMPLAINTS, P-EONLINE,
P-TRANSPARENCY): a form anyone may send, without signing in; the reference on
a confirmation page; the sender's own page from the link we send them (status,
reopening, the satisfaction question); and the "you said, we did" list.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mustafid.core.audit import client_ip
from mustafid.core.ratelimit import allow
from mustafid.feedback import links, receiving, services
from mustafid.feedback.defaults import ensure_defaults
from mustafid.feedback.forms import PublicFeedbackForm, SatisfactionForm, TextForm
from mustafid.feedback.improvements import ImprovementAction
from mustafid.feedback.models import FeedbackItem, Sender
from mustafid.portal.session import public_page

SENT_KEY = "feedback_sent"


def _rate_limited(request) -> bool:
    key = f"feedback:{request.portal_org.pk}:{client_ip(request) or '-'}"
    return not allow(
        key, limit=settings.FEEDBACK_FORM_LIMIT, window=datetime.timedelta(hours=1)
    )


@require_http_methods(["GET", "POST"])
@public_page
def feedback_form(request):
    organization = request.portal_org
    ensure_defaults(organization)
    beneficiary = request.beneficiary
    form = PublicFeedbackForm(
        request.POST or None, request.FILES or None, beneficiary=beneficiary
    )
    status = 200
    if request.method == "POST":
        status = 400
        if _rate_limited(request):
            form.add_error(
                None,
                _("Too many messages were sent from here. Please try again later."),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if beneficiary is not None:
                sender = Sender.BENEFICIARY
            elif data.get("anonymous"):
                sender = Sender.ANONYMOUS
            else:
                sender = Sender.OTHER
            try:
                item = receiving.receive_feedback(
                    actor=None,
                    organization=organization,
                    kind=data["kind"],
                    category=data["category"],
                    description=data["description"],
                    sender=sender,
                    beneficiary=beneficiary,
                    sender_name=data.get("name", ""),
                    sender_mobile=data.get("mobile", ""),
                    sender_email=data.get("email", ""),
                    language=get_language() or "ar",
                    attachments=[data["attachment"]] if data.get("attachment") else (),
                )
            except services.FeedbackRefused as error:
                form.add_error(None, str(error))
            else:
                request.session[SENT_KEY] = {
                    "reference": item.reference,
                    "kind": item.kind,
                    "reply": links.can_reach_sender(item),
                    "token": links.sender_token(item),
                }
                return redirect("portal:feedback_sent", org_slug=organization.slug)
    return TemplateResponse(
        request,
        "feedback/public_form.html",
        {
            "form": form,
            "organization": organization,
            "own_items": _own_items(beneficiary),
        },
        status=status,
    )


def _own_items(beneficiary) -> list:
    """A signed-in beneficiary's own messages, each with its page's token."""
    if beneficiary is None:
        return []
    items = FeedbackItem.objects.filter(beneficiary=beneficiary).order_by(
        "-received_at", "-id"
    )[:20]
    return [(item, links.sender_token(item)) for item in items]


@require_GET
@public_page
def feedback_sent(request):
    sent = request.session.get(SENT_KEY)
    if not sent:
        return redirect("portal:feedback", org_slug=request.portal_org.slug)
    return TemplateResponse(
        request,
        "feedback/public_sent.html",
        {"sent": sent, "organization": request.portal_org},
    )


def _status_page(request, item, token, *, status=200, **forms):
    return TemplateResponse(
        request,
        "feedback/public_status.html",
        {
            "item": item,
            "token": token,
            "organization": request.portal_org,
            "can_reopen": services.reopen_allowed(item),
            "asks_satisfaction": item.is_complaint
            and item.status == "closed"
            and item.satisfaction is None,
            "reopen_form": forms.get("reopen_form")
            or TextForm(label=_("What still needs attention?")),
            "satisfaction_form": forms.get("satisfaction_form") or SatisfactionForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@public_page
def feedback_status(request, token: str):
    """The sender's page, opened from the link we sent; no sign-in needed."""
    item = links.item_for_token(request.portal_org, token)
    if item is None:
        return TemplateResponse(
            request,
            "feedback/public_link_expired.html",
            {"organization": request.portal_org},
            status=404,
        )
    if request.method == "GET":
        return _status_page(request, item, token)
    here = reverse(
        "portal:feedback_status",
        kwargs={"org_slug": request.portal_org.slug, "token": token},
    )
    if "score" in request.POST:
        form = SatisfactionForm(request.POST)
        name, act = (
            "satisfaction_form",
            lambda data: services.record_satisfaction(item=item, score=data["score"]),
        )
        done = _("Thank you: your answer was recorded.")
    else:
        form = TextForm(request.POST, label=_("What still needs attention?"))
        name, act = (
            "reopen_form",
            lambda data: services.reopen(actor=None, item=item, reason=data["text"]),
        )
        done = _("Your complaint was reopened; we will get back to you.")
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except services.FeedbackRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(here)
    item.refresh_from_db()
    return _status_page(request, item, token, status=400, **{name: form})


@require_GET
@public_page
def you_said_we_did(request):
    """P-IMPROVE, P-TRANSPARENCY: what the association changed after hearing its
    beneficiaries (only what it chose to publish, in its public wording)."""
    actions = ImprovementAction.objects.published().order_by("-completed_on", "-id")
    return TemplateResponse(
        request,
        "feedback/you_said_we_did.html",
        {"actions": actions[:100], "organization": request.portal_org},
    )
