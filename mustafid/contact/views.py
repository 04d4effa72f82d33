"""Staff pages for channels, the interaction log and inquiries.

P-CHANNELS, P-RECEIVE, P-INFO.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case as When_
from django.db.models import IntegerField, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.contact import services
from mustafid.contact.forms import (
    AnswerForm,
    AssignForm,
    ChannelForm,
    CloseForm,
    InquiryFilterForm,
    InquiryForm,
    QuickCallForm,
)
from mustafid.contact.models import Channel, Inquiry, InquiryStatus
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.registry.models import Beneficiary

PAGE_SIZE = 50


# --- Channels ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_CHANNELS)
def channel_list(request):
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.add_channel(
                actor=request.user,
                organization=request.organization,
                request=request,
                **form.cleaned_data,
            )
        except services.ContactRefused as error:
            form.add_error("name_ar", str(error))
        else:
            messages.success(
                request, _("The channel “%(name)s” was added.") % {"name": channel}
            )
            return redirect("contact:channel_list")
    return TemplateResponse(
        request,
        "contact/channel_list.html",
        {"form": form, "channels": Channel.objects.all()},
    )


@require_POST
@staff_view(Perm.MANAGE_CHANNELS)
def channel_toggle(request, pk: int):
    channel = get_for_org(request, Channel, pk=pk)
    services.set_channel_enabled(
        actor=request.user,
        channel=channel,
        enabled=not channel.is_enabled,
        request=request,
    )
    if channel.is_enabled:
        text = _("“%(name)s” is offered again.")
    else:
        text = _("“%(name)s” is no longer offered; past records keep it.")
    messages.success(request, text % {"name": channel})
    return redirect("contact:channel_list")


@require_POST
@staff_view(Perm.MANAGE_CHANNELS)
def channel_move(request, pk: int):
    channel = get_for_org(request, Channel, pk=pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    try:
        if offset is None:
            raise services.ContactRefused(_("Choose to move the channel up or down."))
        services.move_channel(
            actor=request.user, channel=channel, offset=offset, request=request
        )
    except services.ContactRefused as error:
        messages.error(request, str(error))
    return redirect("contact:channel_list")


# --- The interaction log -----------------------------------------------------


def _back_to(request, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


@require_http_methods(["GET", "POST"])
@staff_view(Perm.LOG_INTERACTIONS)
def interaction_create(request):
    """The quick entry of a phone call, from a profile or from the menu."""
    wanted = request.POST.get("for") or request.GET.get("beneficiary")
    beneficiary = get_for_org(request, Beneficiary, pk=wanted) if wanted else None
    form = QuickCallForm(
        request.POST or None,
        beneficiary=beneficiary,
        default_channel=services.phone_channel(request.organization),
    )
    if beneficiary is not None:
        fallback = (
            reverse("registry:beneficiary_detail", args=[beneficiary.pk])
            + "?tab=contacts"
        )
    else:
        fallback = reverse("contact:interaction_create")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_interaction(
                actor=request.user,
                organization=request.organization,
                channel=data["channel"],
                direction=data["direction"],
                beneficiary=data.get("beneficiary"),
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
                subject=data["subject"],
                summary=data["summary"],
                case=data.get("case"),
                request=request,
            )
        except services.ContactRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The contact was logged."))
            return redirect(_back_to(request, fallback))
    return TemplateResponse(
        request,
        "contact/interaction_form.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "next": _back_to(request, fallback),
        },
    )


# --- Inquiries -------------------------------------------------------------


@require_GET
@staff_view(Perm.ANSWER_INQUIRIES)
def inquiry_list(request):
    now = timezone.now()
    form = InquiryFilterForm(request.GET or None)
    inquiries = Inquiry.objects.for_queue()
    if form.is_valid():
        inquiries = form.filter(inquiries, user=request.user, now=now)
    else:
        inquiries = inquiries.open()
    # Overdue first (P-INFO: overdue inquiries stand out), then the soonest due.
    inquiries = inquiries.annotate(
        late=When_(
            When(status=InquiryStatus.OPEN, due_at__lt=now, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("late", "due_at", "id")
    page = Paginator(inquiries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "contact/inquiry_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "overdue_count": Inquiry.objects.overdue(now).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.ANSWER_INQUIRIES)
def inquiry_create(request):
    wanted = request.POST.get("for") or request.GET.get("beneficiary")
    beneficiary = get_for_org(request, Beneficiary, pk=wanted) if wanted else None
    form = InquiryForm(
        request.POST or None,
        organization=request.organization,
        beneficiary=beneficiary,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = services.create_inquiry(
                actor=request.user,
                organization=request.organization,
                channel=data["channel"],
                question=data["question"],
                beneficiary=data.get("beneficiary"),
                inquirer_name=data["inquirer_name"],
                inquirer_mobile=data["inquirer_mobile"],
                inquirer_email=data["inquirer_email"],
                reply_method=data["reply_method"],
                language=data["language"],
                assigned_to=data["assigned_to"],
                request=request,
            )
        except services.ContactRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Inquiry %(reference)s was recorded.")
                % {"reference": inquiry.reference},
            )
            return redirect("contact:inquiry_detail", pk=inquiry.pk)
    return TemplateResponse(
        request,
        "contact/inquiry_form.html",
        {"form": form, "beneficiary": beneficiary},
    )


def _inquiry_for(request, pk):
    return get_for_org(
        request,
        Inquiry.objects.select_related(
            "channel", "beneficiary", "assigned_to", "answered_by", "created_by"
        ),
        pk=pk,
    )


def _inquiry_page(request, inquiry, *, status=200, **forms):
    organization = request.organization
    context = {
        "inquiry": inquiry,
        "is_overdue": inquiry.is_overdue(timezone.now()),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            organization=organization, initial={"assigned_to": inquiry.assigned_to}
        ),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "interactions": inquiry.interactions.select_related("channel", "staff"),
    }
    # A refusal shows above the page: the form it came from may be hidden now.
    context["forms_with_errors"] = [
        context[name] for name in ("answer_form", "assign_form", "close_form")
    ]
    return TemplateResponse(
        request, "contact/inquiry_detail.html", context, status=status
    )


@require_GET
@staff_view(Perm.ANSWER_INQUIRIES)
def inquiry_detail(request, pk: int):
    return _inquiry_page(request, _inquiry_for(request, pk))


def _act_on_inquiry(request, pk: int, form, form_name: str, act, done):
    """One step on an inquiry from the form posted to it: done, back to the
    inquiry with `done(inquiry)` said; refused, its page again with the form's
    errors (400) and nothing changed."""
    inquiry = _inquiry_for(request, pk)
    if form.is_valid():
        try:
            act(inquiry, form.cleaned_data)
        except services.ContactRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done(inquiry))
            return redirect("contact:inquiry_detail", pk=inquiry.pk)
    return _inquiry_page(request, inquiry, status=400, **{form_name: form})


@require_POST
@staff_view(Perm.ANSWER_INQUIRIES)
def inquiry_assign(request, pk: int):
    return _act_on_inquiry(
        request,
        pk,
        AssignForm(request.POST, organization=request.organization),
        "assign_form",
        lambda inquiry, data: services.assign_inquiry(
            actor=request.user,
            inquiry=inquiry,
            assignee=data["assigned_to"],
            request=request,
        ),
        lambda inquiry: _("The inquiry was assigned."),
    )


@require_POST
@staff_view(Perm.ANSWER_INQUIRIES)
def inquiry_answer(request, pk: int):
    return _act_on_inquiry(
        request,
        pk,
        AnswerForm(request.POST),
        "answer_form",
        lambda inquiry, data: services.answer_inquiry(
            actor=request.user, inquiry=inquiry, answer=data["answer"], request=request
        ),
        lambda inquiry: (
            _("The answer was saved and will be sent by %(method)s.")
            % {"method": inquiry.get_reply_method_display()}
        ),
    )


@require_POST
@staff_view(Perm.ANSWER_INQUIRIES)
def inquiry_close(request, pk: int):
    return _act_on_inquiry(
        request,
        pk,
        CloseForm(request.POST),
        "close_form",
        lambda inquiry, data: services.close_inquiry(
            actor=request.user, inquiry=inquiry, reason=data["reason"], request=request
        ),
        lambda inquiry: _("The inquiry was closed."),
    )
