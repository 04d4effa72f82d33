"""Starting eligibility rules for the default services of a new association
(P-ELIGIBILITY), which it then edits. Each reason is what the beneficiary is
told when the condition is not met."""

from decimal import Decimal

from mustafid.catalog.models import Service
from mustafid.core.models import Organization
from mustafid.eligibility.choices import LEGAL_RESIDENCY
from mustafid.eligibility.models import RuleSet, Subject
from mustafid.eligibility.services import publish_rules
from mustafid.registry.models import Employment

_REMIT = {
    "subject": Subject.IN_SCOPE,
    "reason_ar": "الخدمة خارج نطاق عمل الجمعية، وتُحال إلى الجهة المختصة.",
    "reason_en": "The service is outside the association's remit; it is referred "
    "to the competent body.",
}
_RESIDENCY = {
    "subject": Subject.RESIDENCY,
    "values": [str(status) for status in LEGAL_RESIDENCY],
    "reason_ar": "يشترط وجود إقامة نظامية في المملكة العربية السعودية.",
    "reason_en": "Legal residency in Saudi Arabia is required.",
}


def _income(limit: int) -> dict:
    return {
        "subject": Subject.INCOME_PER_PERSON,
        "maximum": Decimal(limit),
        "reason_ar": f"يتجاوز دخل الأسرة للفرد الحد المعتمد ({limit:,} ريال شهريًا).",
        "reason_en": f"The household income per person is above the limit "
        f"({limit:,} SAR a month).",
    }


SAMPLE_RULES = {
    "مساعدة مالية": {
        "criteria": [
            _REMIT,
            _RESIDENCY,
            _income(1500),
            {
                "subject": Subject.NOT_RECEIVED,
                "months": 6,
                "reason_ar": "صُرفت لكم المساعدة المالية خلال الأشهر الستة الماضية.",
                "reason_en": "Financial aid was paid to you in the last six months.",
            },
        ],
        "review_every_months": 12,
    },
    "سلة غذائية": {
        "criteria": [
            _REMIT,
            _RESIDENCY,
            _income(2000),
            {
                "subject": Subject.HOUSEHOLD_SIZE,
                "minimum": Decimal(2),
                "reason_ar": "السلة الغذائية مخصصة للأسر (فردان فأكثر).",
                "reason_en": "Food baskets are for households of two or more.",
            },
        ],
        "review_every_months": 6,
    },
    "دورة تدريبية": {
        "criteria": [
            _REMIT,
            _RESIDENCY,
            {
                "subject": Subject.AGE,
                "minimum": Decimal(18),
                "maximum": Decimal(60),
                "reason_ar": "الدورة للفئة العمرية من 18 إلى 60 سنة.",
                "reason_en": "The course is for people aged 18 to 60.",
            },
            {
                "subject": Subject.EMPLOYMENT,
                "values": [Employment.JOB_SEEKER, Employment.NOT_WORKING],
                "reason_ar": "الدورة مخصصة للباحثين عن عمل.",
                "reason_en": "The course is for people looking for work.",
            },
        ],
        "review_every_months": None,
    },
}


def ensure_sample_rules(organization: Organization) -> int:
    """Rules for the default services that have none yet (inside the scope)."""
    published = 0
    for name, sample in SAMPLE_RULES.items():
        service = Service.objects.filter(organization=organization, name_ar=name)
        service = service.first()
        if service is None or RuleSet.objects.filter(service=service).exists():
            continue
        publish_rules(
            actor=None,
            service=service,
            combine="all",
            criteria=sample["criteria"],
            review_every_months=sample["review_every_months"],
            note="القواعد الابتدائية",
        )
        published += 1
    return published
