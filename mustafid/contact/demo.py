"""Demo contacts and inquiries for `mustafid demo` (issue 6): a logged call, an
inquiry answered (its reply goes through the outbox and the worker prints it),
one waiting, and one past its target, so every part shows on the first visit."""

import datetime

from django.utils import timezone
from django_scopes import scope

from mustafid.contact import services
from mustafid.contact.models import Channel, Inquiry
from mustafid.core.models import Membership, Organization
from mustafid.core.roles import Role
from mustafid.registry.models import Beneficiary


def create_demo_contacts(org: Organization) -> int:
    """The demo's contacts, once per association; how many inquiries were made."""
    with scope(organization=org):
        if Inquiry.objects.exists():
            return 0
        channel = services.phone_channel(org) or Channel.objects.first()
        officer = (
            Membership.objects.filter(role=Role.RECEPTION, is_active=True)
            .select_related("user")
            .first()
        )
        people = list(Beneficiary.objects.order_by("id")[:2])
        if channel is None or officer is None or len(people) < 2:
            return 0
        actor, now = officer.user, timezone.now()
        services.log_interaction(
            actor=actor,
            organization=org,
            channel=channel,
            beneficiary=people[0],
            subject="الاستفسار عن موعد صرف السلة الغذائية",
            summary="أُبلغت المستفيدة بأن الصرف يبدأ الأحد القادم.",
            occurred_at=now - datetime.timedelta(days=1),
        )
        answered = services.create_inquiry(
            actor=actor,
            organization=org,
            channel=channel,
            beneficiary=people[0],
            question="هل يلزم تحديث صك الإعالة عند التقديم على البرنامج؟",
        )
        services.answer_inquiry(
            actor=actor,
            inquiry=answered,
            answer="نعم، نرجو إرفاق صك إعالة ساري المفعول عند التقديم.",
        )
        services.create_inquiry(
            actor=actor,
            organization=org,
            channel=channel,
            beneficiary=people[1],
            question="متى تُعلن نتيجة طلبي لبرنامج دعم الإيجار؟",
            received_at=now - datetime.timedelta(days=5),
        )
        services.create_inquiry(
            actor=actor,
            organization=org,
            channel=channel,
            inquirer_name="عبدالرحمن الشهري",
            inquirer_mobile="0551234567",
            question="ما الأوراق المطلوبة للتسجيل في الجمعية؟",
        )
        return 3
