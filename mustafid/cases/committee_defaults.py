"""The decision reasons a new association starts with, drawn from the policies
(P-COMMITTEE, P-ELIGIBILITY seeds 002 and 004, P-ATTEST); each association then
edits its own list."""

from django.db import transaction
from django_scopes import scope

from mustafid.cases.models import CommitteeMember, DecisionReason, ReasonKind
from mustafid.core.models import Membership, Organization
from mustafid.core.roles import ROLE_PERMISSIONS, Perm, Role

# (code, kind, Arabic, English)
DECISION_REASONS = [
    (
        "meets_conditions",
        ReasonKind.APPROVE,
        "تنطبق عليه شروط الخدمة بحسب تقرير البحث الاجتماعي",
        "Meets the service's conditions, per the social research report",
    ),
    (
        "need_established",
        ReasonKind.APPROVE,
        "ثبتت حاجته بالبحث الاجتماعي",
        "The need was established by the social research",
    ),
    (
        "documents_complete",
        ReasonKind.APPROVE,
        "مستنداته الثبوتية مكتملة وصحيحة",
        "The identity and status documents are complete and valid",
    ),
    (
        "not_target_category",
        ReasonKind.REJECT,
        "ليس من الفئات المستهدفة بالخدمة",
        "Not one of the service's target categories",
    ),
    (
        "conditions_not_met",
        ReasonKind.REJECT,
        "لا تنطبق عليه شروط الخدمة (العمر أو المؤهل أو الوضع الوظيفي)",
        "Does not meet the service's conditions (age, qualification or employment)",
    ),
    (
        "documents_invalid",
        ReasonKind.REJECT,
        "المستندات الثبوتية غير مكتملة أو غير صحيحة",
        "The identity or status documents are incomplete or not valid",
    ),
    (
        "income_above_limit",
        ReasonKind.REJECT,
        "الدخل يزيد على الحد المعتمد للخدمة",
        "The income is above the service's approved limit",
    ),
    (
        "no_legal_residency",
        ReasonKind.REJECT,
        "ليس مقيماً إقامة نظامية في المملكة العربية السعودية",
        "No legal residency in Saudi Arabia",
    ),
    (
        "data_not_correct",
        ReasonKind.REJECT,
        "البيانات المقدمة غير صحيحة",
        "The data provided is not correct",
    ),
    (
        "served_recently",
        ReasonKind.REJECT,
        "استفاد من الخدمة نفسها خلال المدة المحددة",
        "Already received the same service within the set period",
    ),
    (
        "out_of_scope",
        ReasonKind.REJECT,
        "الخدمة المطلوبة ليست من اختصاص الجمعية",
        "The service asked for is outside the association's remit",
    ),
]


@transaction.atomic
def ensure_decision_reasons(organization: Organization) -> None:
    """Add the default reasons the association lacks; edited ones stay as edited."""
    with scope(organization=organization):
        for position, (code, kind, name_ar, name_en) in enumerate(
            DECISION_REASONS, start=1
        ):
            DecisionReason.objects.get_or_create(
                organization=organization,
                code=code,
                defaults={
                    "kind": kind,
                    "name_ar": name_ar,
                    "name_en": name_en,
                    "position": position,
                },
            )


@transaction.atomic
def seat_demo_committee(organization: Organization) -> None:
    """Demo only: every demo login whose role votes sits on the committee, the
    manager as chair unless a chair is already seated."""
    voters = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.VOTE in perms]
    with scope(organization=organization):
        has_chair = CommitteeMember.objects.filter(is_chair=True).exists()
        for membership in Membership.objects.filter(
            role__in=voters,
            is_active=True,
            user__username__startswith=f"{organization.slug}-",
        ):
            CommitteeMember.objects.get_or_create(
                organization=organization,
                membership=membership,
                defaults={
                    "is_chair": not has_chair and membership.role == Role.MANAGER
                },
            )


def ensure_reason_list(organization: Organization) -> None:
    """The defaults, the first time the association's list is needed (one query
    once it has any)."""
    with scope(organization=organization):
        if not DecisionReason.objects.exists():
            ensure_decision_reasons(organization)
