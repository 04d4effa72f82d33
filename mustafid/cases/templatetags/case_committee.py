"""`{% case_committee case %}`: the case page's committee history (P-COMMITTEE),
without widening the case view."""

from django import template

from mustafid.core.roles import Perm

register = template.Library()


@register.inclusion_tag("cases/committee_case_section.html", takes_context=True)
def case_committee(context, case):
    membership = context["request"].membership
    return {
        "case": case,
        "items": case.agenda_items.select_related("meeting").prefetch_related("votes"),
        "can_view": membership is not None and membership.has_perm(Perm.VIEW_COMMITTEE),
    }
