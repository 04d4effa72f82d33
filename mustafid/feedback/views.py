"""Staff pages for feedback items: the queue, recording, handling (P-COMPLAINTS).

Every read goes through `_items(request)`: an item about a staff member is
never shown to that staff member (P-EVALCULTURE).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.contact.services import phone_channel
from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.core.uploads import serve_private
from mustafid.feedback import disputes, receiving, services
from mustafid.feedback.defaults import ensure_defaults
from mustafid.feedback.forms import (
    AssignForm,
    FeedbackForm,
    QueueFilterForm,
    SatisfactionForm,
    StatementForm,
    TextForm,
)
from mustafid.feedback.models import FeedbackAttachment, FeedbackItem
from mustafid.registry.models import Beneficiary

PAGE_SIZE = 50


def _items(request):
    return FeedbackItem.objects.visible_to(request.membership)


def queue_items(request, form: QueueFilterForm, now):
    """The queue as `form` filters it (the open items when it is not valid),
    in the order the queue shows; the export lists the same."""
    items = _items(request).for_queue()
    items = (
        form.filter(items, user=request.user, now=now)
        if form.is_valid()
        else items.open()
    )
    return items.in_queue_order(now)


@require_GET
@staff_view(Perm.HANDLE_FEEDBACK)
def item_list(request):
    now = timezone.now()
    form = QueueFilterForm(request.GET or None)
    items = queue_items(request, form, now)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "feedback/item_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "overdue_count": _items(request).overdue(now).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.HANDLE_FEEDBACK)
def item_create(request):
    ensure_defaults(request.organization)
    wanted = request.POST.get("for") or request.GET.get("beneficiary")
    beneficiary = get_for_org(request, Beneficiary, pk=wanted) if wanted else None
    # Anyone on the staff may be the one a complaint is about.
    staff = [m.user for m in _memberships(request)]
    form = FeedbackForm(
        request.POST or None,
        request.FILES or None,
        organization=request.organization,
        beneficiary=beneficiary,
        staff=staff,
        initial={"channel": phone_channel(request.organization)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = receiving.receive_feedback(
                actor=request.user,
                organization=request.organization,
                kind=data["kind"],
                channel=data["channel"],
                sender=data["sender"],
                beneficiary=data.get("beneficiary"),
                sender_name=data["sender_name"],
                sender_mobile=data["sender_mobile"],
                sender_email=data["sender_email"],
                category=data["category"],
                priority=data["priority"],
                about=data["about"],
                service=data["service"],
                case=data.get("case"),
                about_staff=data["about_staff"],
                description=data["description"],
                received_at=data["received_at"],
                attachments=[data["attachment"]] if data.get("attachment") else (),
                request=request,
            )
        except services.FeedbackRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(reference)s was recorded and acknowledged.")
                % {"reference": item.reference},
            )
            return redirect("feedback:item_detail", pk=item.pk)
    return TemplateResponse(
        request,
        "feedback/item_form.html",
        {"form": form, "beneficiary": beneficiary},
        status=400 if form.is_bound and form.errors else 200,
    )


def _memberships(request):
    from mustafid.core.models import Membership

    return Membership.objects.filter(
        organization=request.organization, is_active=True
    ).select_related("user")


def _item_for(request, pk):
    return get_for_org(
        request,
        _items(request).select_related(
            "category",
            "channel",
            "beneficiary",
            "assigned_to",
            "resolved_by",
            "service",
            "case",
            "about_staff",
        ),
        pk=pk,
    )


FORMS = {
    "assign_form": None,
    "resolve_form": gettext_lazy("What was done (sent to the sender)"),
    "close_form": gettext_lazy("Note"),
    "reopen_form": gettext_lazy("Why is it reopened?"),
    "decide_form": gettext_lazy("Decision and its reasons (sent to the parties)"),
}


def _item_page(request, item, *, status=200, **forms):
    context = {
        "item": item,
        "is_overdue": item.is_overdue(),
        "can_reopen": services.reopen_allowed(item),
        "events": item.events.select_related("actor"),
        "attachments": item.attachments.all(),
        "statements": item.statements.select_related("recorded_by"),
        "improvements": item.improvement_actions.all(),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            staff=services.staff_who_handle(item.organization, item),
            initial={"assigned_to": item.assigned_to},
        ),
        "satisfaction_form": forms.get("satisfaction_form") or SatisfactionForm(),
        "statement_form": forms.get("statement_form") or StatementForm(),
    }
    for name, label in FORMS.items():
        if label is not None:
            context[name] = forms.get(name) or TextForm(
                label=label, required=name != "close_form"
            )
    context["forms_with_errors"] = [
        form for form in forms.values() if form is not None and form.errors
    ]
    record_for_request(request, AuditAction.VIEW, obj=item)
    return TemplateResponse(
        request, "feedback/item_detail.html", context, status=status
    )


@require_GET
@staff_view(Perm.HANDLE_FEEDBACK)
def item_detail(request, pk: int):
    return _item_page(request, _item_for(request, pk))


def _act(request, pk, form, form_name, act, done):
    """One step from the form posted: done, back to the item; refused, the page
    again with the errors (400) and nothing changed."""
    item = _item_for(request, pk)
    if form.is_valid():
        try:
            act(item, form.cleaned_data)
        except services.FeedbackRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("feedback:item_detail", pk=item.pk)
    return _item_page(request, item, status=400, **{form_name: form})


@require_POST
@staff_view(Perm.HANDLE_FEEDBACK)
def item_assign(request, pk: int):
    staff = services.staff_who_handle(request.organization)
    return _act(
        request,
        pk,
        AssignForm(request.POST, staff=staff),
        "assign_form",
        lambda item, data: services.assign(
            actor=request.user,
            item=item,
            assignee=data["assigned_to"],
            request=request,
        ),
        _("The item was assigned."),
    )


@require_POST
@staff_view(Perm.HANDLE_FEEDBACK)
def item_start(request, pk: int):
    item = _item_for(request, pk)
    try:
        services.start(actor=request.user, item=item, request=request)
    except services.FeedbackRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The item is in progress."))
    return redirect("feedback:item_detail", pk=item.pk)


def _text_step(request, pk, name, act, done):
    return _act(
        request,
        pk,
        TextForm(request.POST, label=FORMS[name], required=name != "close_form"),
        name,
        lambda item, data: act(item, data["text"]),
        done,
    )


@require_POST
@staff_view(Perm.HANDLE_FEEDBACK)
def item_resolve(request, pk: int):
    return _text_step(
        request,
        pk,
        "resolve_form",
        lambda item, text: services.resolve(
            actor=request.user, item=item, resolution=text, request=request
        ),
        _("The item was resolved; the sender is told."),
    )


@require_POST
@staff_view(Perm.HANDLE_FEEDBACK)
def item_close(request, pk: int):
    return _text_step(
        request,
        pk,
        "close_form",
        lambda item, text: services.close(
            actor=request.user, item=item, note=text, request=request
        ),
        _("The item was closed."),
    )


@require_POST
@staff_view(Perm.HANDLE_FEEDBACK)
def item_reopen(request, pk: int):
    return _text_step(
        request,
        pk,
        "reopen_form",
        lambda item, text: services.reopen(
            actor=request.user, item=item, reason=text, request=request
        ),
        _("The item was reopened."),
    )


@require_POST
@staff_view(Perm.HANDLE_FEEDBACK)
def item_satisfaction(request, pk: int):
    """The sender's answer given by phone, recorded by staff."""
    return _act(
        request,
        pk,
        SatisfactionForm(request.POST),
        "satisfaction_form",
        lambda item, data: services.record_satisfaction(
            item=item, score=data["score"], actor=request.user, request=request
        ),
        _("The answer was recorded."),
    )


@require_POST
@staff_view(Perm.HANDLE_FEEDBACK)
def dispute_statement(request, pk: int):
    return _act(
        request,
        pk,
        StatementForm(request.POST),
        "statement_form",
        lambda item, data: disputes.add_statement(
            actor=request.user, item=item, request=request, **data
        ),
        _("The statement was recorded."),
    )


@require_POST
@staff_view(Perm.DECIDE_DISPUTES)
def dispute_decide(request, pk: int):
    return _text_step(
        request,
        pk,
        "decide_form",
        lambda item, text: disputes.decide_dispute(
            actor=request.user, item=item, decision=text, request=request
        ),
        _("The decision was recorded; the parties are told."),
    )


@require_GET
@staff_view(Perm.HANDLE_FEEDBACK)
def attachment(request, pk: int, attachment_pk: int):
    item = _item_for(request, pk)
    row = get_for_org(request, FeedbackAttachment, pk=attachment_pk, item=item)
    record_for_request(request, AuditAction.VIEW, obj=item, changes={"file": row.pk})
    return serve_private(row.file, content_type=row.content_type)
