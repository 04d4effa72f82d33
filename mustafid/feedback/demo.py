"""Demo complaints and suggestions for `mustafid demo` (issue 8): a complaint
resolved, closed and rated; a suggestion answered that became a published
improvement action ("you said, we did"); a complaint past its target; and an
anonymous compliment, so the queue, the figures and the public page show on
the first visit."""

import datetime

from django.utils import timezone
from django_scopes import scope

from mustafid.contact.models import Channel
from mustafid.contact.services import phone_channel
from mustafid.core.models import Membership, Organization
from mustafid.core.roles import Role
from mustafid.feedback import receiving, services
from mustafid.feedback.defaults import ensure_defaults
from mustafid.feedback.improvements import ActionStatus, ImprovementAction
from mustafid.feedback.models import FeedbackCategory, FeedbackItem
from mustafid.registry.models import Beneficiary


def _staff(role):
    membership = (
        Membership.objects.filter(role=role, is_active=True)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def create_demo_feedback(org: Organization) -> int:
    """The demo's items, once per association; how many were made."""
    with scope(organization=org):
        if FeedbackItem.objects.exists():
            return 0
        officer, manager = _staff(Role.RECEPTION), _staff(Role.MANAGER)
        channel = phone_channel(org) or Channel.objects.first()
        people = list(Beneficiary.objects.order_by("id")[:2])
        if None in (officer, manager, channel) or len(people) < 2:
            return 0
        ensure_defaults(org)
        categories = {c.name_en: c for c in FeedbackCategory.objects.all()}
        now = timezone.now()
        days = datetime.timedelta(days=1)

        rated = receiving.receive_feedback(
            actor=officer,
            organization=org,
            kind="complaint",
            channel=channel,
            sender="beneficiary",
            beneficiary=people[0],
            category=categories.get("Delay in answer or service"),
            description="تأخر صرف السلة الغذائية لهذا الشهر أسبوعين دون إبلاغي.",
            received_at=now - 12 * days,
        )
        services.start(actor=officer, item=rated)
        services.resolve(
            actor=officer,
            item=rated,
            resolution="نعتذر عن التأخير؛ صُرفت السلة وأُبلغ المستفيدون بموعد "
            "الصرف القادم برسالة نصية.",
        )
        services.close(actor=officer, item=rated)
        services.record_satisfaction(item=rated, score=4, actor=officer)

        suggestion = receiving.receive_feedback(
            actor=None,
            organization=org,
            kind="suggestion",
            sender="other",
            sender_name="نوف القحطاني",
            sender_mobile="0561234567",
            category=categories.get("Registration and request procedures"),
            description="أقترح تخصيص موعد مسائي لاستقبال المستفيدين العاملين.",
            received_at=now - 30 * days,
        )
        services.resolve(
            actor=manager,
            item=suggestion,
            resolution="شكرًا لاقتراحك؛ خصصنا استقبالًا مسائيًا يوم الثلاثاء.",
        )
        action = ImprovementAction.objects.create(
            organization=org,
            title="استقبال مسائي يوم الثلاثاء",
            owner=manager,
            due_on=timezone.localdate() - 5 * days,
            status=ActionStatus.DONE,
            outcome="بدأ الاستقبال المسائي من الساعة 4 إلى 8 مساءً.",
            completed_on=timezone.localdate() - 7 * days,
            you_said="المواعيد الصباحية لا تناسب المستفيدين العاملين.",
            we_did="خصصنا استقبالًا مسائيًا كل يوم ثلاثاء من 4 إلى 8 مساءً.",
            is_published=True,
        )
        action.items.add(suggestion)

        late = receiving.receive_feedback(
            actor=officer,
            organization=org,
            kind="complaint",
            channel=channel,
            sender="beneficiary",
            beneficiary=people[1],
            priority="high",
            category=categories.get("Quality of service"),
            description="الأجهزة المنزلية التي سُلّمت لي لا تعمل.",
            received_at=now - 9 * days,
        )
        services.start(actor=officer, item=late)

        receiving.receive_feedback(
            actor=None,
            organization=org,
            kind="compliment",
            sender="anonymous",
            description="شكرًا لموظفي الاستقبال على حسن التعامل وسرعة الإنجاز.",
        )
        return 4
