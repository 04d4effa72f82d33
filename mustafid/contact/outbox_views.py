"""Outgoing messages for staff: what was sent, what failed, and sending again."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from mustafid.contact import sending
from mustafid.contact.outbox import Method, OutboxMessage, OutboxStatus
from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org

PAGE_SIZE = 50


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *OutboxStatus.choices],
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Sent by"),
        required=False,
        choices=[("", gettext_lazy("All")), *Method.choices],
    )

    def filter(self, outbox):
        for name in ("status", "method"):
            if self.cleaned_data[name]:
                outbox = outbox.filter(**{name: self.cleaned_data[name]})
        return outbox


@require_GET
@staff_view(Perm.VIEW_OUTBOX)
def outbox_list(request):
    """Newest first; failed and unsent messages counted at the top."""
    form = OutboxFilterForm(request.GET or None)
    outbox = OutboxMessage.objects.select_related("beneficiary", "staff")
    if form.is_valid():
        outbox = form.filter(outbox)
    page = Paginator(outbox.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count()
    return TemplateResponse(
        request,
        "contact/outbox_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "failed": failed},
    )


@require_GET
@staff_view(Perm.VIEW_OUTBOX)
def outbox_detail(request, pk: int):
    message = get_for_org(
        request, OutboxMessage.objects.select_related("beneficiary", "staff"), pk=pk
    )
    # The text may carry a beneficiary's request and reasons (P-PRIVACY).
    record_for_request(request, AuditAction.VIEW, obj=message)
    can_resend = request.membership.has_perm(Perm.RESEND_MESSAGES) and (
        message.status in (OutboxStatus.FAILED, OutboxStatus.SKIPPED)
    )
    return TemplateResponse(
        request,
        "contact/outbox_detail.html",
        {"message": message, "can_resend": can_resend},
    )


@require_POST
@staff_view(Perm.RESEND_MESSAGES)
def outbox_resend(request, pk: int):
    message = get_for_org(request, OutboxMessage.objects.all(), pk=pk)
    try:
        sending.resend(message, actor=request.user)
    except ValueError:
        messages.error(request, _("Only a failed or unsent message can be sent again."))
    else:
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("outbox:detail", pk=message.pk)
