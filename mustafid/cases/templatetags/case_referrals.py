"""`{% case_referrals case %}`: the case page's referrals (P-OUTOFSCOPE) and its
Reopen action, without widening the case view."""

from django import template

from mustafid.cases import transitions
from mustafid.cases.reopen_views import ReopenForm, can_reopen
from mustafid.core.roles import Perm

register = template.Library()


@register.inclusion_tag("cases/referral_case_section.html", takes_context=True)
def case_referrals(context, case):
    membership = context["request"].membership
    return {
        "case": case,
        "referrals": case.referrals.select_related("target_organization", "external"),
        "can_refer": case.status in transitions.REFERABLE
        and membership.has_perm(Perm.REFER_CASES),
        "reopen_form": ReopenForm(initial={"version": case.version})
        if can_reopen(case, membership)
        else None,
        "csrf_token": context.get("csrf_token"),
    }
