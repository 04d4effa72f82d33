"""The feedback queue, as filtered, exported to Excel (P-COMPLAINTS, P-PRIVACY,
P-EVALCULTURE)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.spreadsheets import download, write_to_temporary_file
from mustafid.feedback.exporting import write_workbook
from mustafid.feedback.forms import QueueFilterForm
from mustafid.feedback.views import queue_items


# Those who work the queue and read its figures: the executive manager, by the
# roles as they stand (the relations officer handles items but reads no
# figures; the auditor and the admin read figures but see no queue).
@require_GET
@staff_view(Perm.HANDLE_FEEDBACK)
@staff_view(Perm.VIEW_FEEDBACK_FIGURES)
def item_export(request):
    """The items the queue shows for the same filter, one row each; the export,
    its filter and its row count are audited."""
    form = QueueFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The filter is not valid: nothing was exported."))
        queue = reverse("feedback:item_list")
        return redirect(f"{queue}?{urlencode(request.GET)}")
    now = timezone.now()
    items = queue_items(request, form, now)
    out, rows = write_to_temporary_file(
        lambda out: write_workbook(
            items,
            out,
            organization=request.organization,
            now=now,
            may_name_staff=request.membership.has_perm(Perm.HANDLE_STAFF_FEEDBACK),
        )
    )
    record_for_request(
        request,
        AuditAction.EXPORT,
        changes={
            "format": "xlsx",
            "export": "feedback_items",
            "rows": rows,
            "filter": form.applied(),
        },
    )
    return download(out, f"feedback-{timezone.localdate().isoformat()}.xlsx")
