"""What every association starts with: categories and targets per priority
(P-COMPLAINTS); each association changes them on its settings page."""

from django.db import transaction

from mustafid.core.models import Organization
from mustafid.feedback.models import FeedbackCategory, FeedbackTarget, Priority

CATEGORIES = [
    ("جودة الخدمة", "Quality of service"),
    ("تأخر الرد أو الخدمة", "Delay in answer or service"),
    ("تعامل الموظفين", "Staff conduct"),
    ("إجراءات التسجيل والطلبات", "Registration and request procedures"),
    ("قرار لجنة البحث", "Research committee decision"),
    ("المقر والمرافق", "Premises and facilities"),
    ("أخرى", "Other"),
]

# (acknowledge, resolve, then the board after a further) Saudi working days.
TARGETS = {
    Priority.URGENT: (1, 2, 3),
    Priority.HIGH: (1, 3, 5),
    Priority.NORMAL: (1, 5, 5),
    Priority.LOW: (2, 10, 10),
}


@transaction.atomic
def ensure_defaults(organization: Organization) -> None:
    """Create the default categories (once) and a target for each priority."""
    if not FeedbackCategory.objects.filter(organization=organization).exists():
        for position, (name_ar, name_en) in enumerate(CATEGORIES, start=1):
            FeedbackCategory.objects.create(
                organization=organization,
                name_ar=name_ar,
                name_en=name_en,
                position=position,
            )
    have = set(
        FeedbackTarget.objects.filter(organization=organization).values_list(
            "priority", flat=True
        )
    )
    for priority, (ack, resolve, board) in TARGETS.items():
        if priority not in have:
            FeedbackTarget.objects.create(
                organization=organization,
                priority=priority,
                acknowledge_days=ack,
                resolve_days=resolve,
                board_after_days=board,
            )


def target_for(organization: Organization, priority: str) -> FeedbackTarget:
    target = FeedbackTarget.objects.filter(
        organization=organization, priority=priority
    ).first()
    if target is None:
        ensure_defaults(organization)
        target = FeedbackTarget.objects.get(
            organization=organization, priority=priority
        )
    return target
