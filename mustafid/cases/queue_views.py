from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from mustafid.cases import queues
from mustafid.cases.forms import CaseFilterForm
from mustafid.cases.models import DUE_SOON_DAYS
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm

PAGE_SIZE = 50


class QueueFilterForm(CaseFilterForm):
    """A queue already chooses the statuses: service, channel and order remain."""

    status = None


@require_GET
@staff_view(Perm.VIEW_CASES)
def queue_home(request):
    """The staff member's own queue; roles without one (the auditor) are refused."""
    queue = queues.home_queue(request.membership)
    if queue is None:
        return TemplateResponse(request, "403.html", status=403)
    return redirect("cases:work_queue", name=queue.name)


@require_GET
def work_queue(request, name: str):
    queue = queues.QUEUES.get(name)
    if queue is None:
        raise Http404
    # The queue names its permission; the decorator checks and audits refusals.
    return staff_view(queue.perm)(_show_queue)(request, queue)


def _show_queue(request, queue: queues.Queue):
    form = QueueFilterForm(request.GET or None)
    cases = queue.cases(request).for_queue()
    cases = form.filter(cases) if form.is_valid() else cases.order_by("decision_due")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    side = queue.side(request) if queue.side else {}
    return TemplateResponse(
        request,
        "cases/work_queue.html",
        {
            "queue": queue,
            "queues": queues.queues_for(request.membership),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "due_soon_days": DUE_SOON_DAYS,
            "side_limit": queues.SIDE_LIMIT,
        }
        | side,
    )
