"""`{% work_queue_widget %}`: the staff member's work queues with their sizes,
for the dashboards (one count query per queue the role may open)."""

from django import template

from mustafid.cases import queues

register = template.Library()


@register.inclusion_tag("cases/work_queue_widget.html", takes_context=True)
def work_queue_widget(context):
    request = context["request"]
    membership = getattr(request, "membership", None)
    mine = queues.queues_for(membership) if membership else []
    return {"rows": [(queue, queue.cases(request).count()) for queue in mine]}
