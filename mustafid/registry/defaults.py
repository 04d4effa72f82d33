"""The categories and document types a new association starts with (P-NEEDS,
P-ELIGIBILITY seed 002); each association then edits its own."""

from django.db import transaction
from django_scopes import scope

from mustafid.core.models import Organization
from mustafid.registry.models import Category, DocumentType

CATEGORIES = [
    ("social_security", "مستفيدو الضمان الاجتماعي", "Social security"),
    ("orphan", "الأيتام", "Orphans"),
    ("disability", "ذوو الإعاقة", "People with disabilities"),
    ("widow", "الأرامل", "Widows"),
    ("divorced", "المطلقات", "Divorced women"),
    ("elderly", "كبار السن", "Elderly"),
    ("prisoner_family", "أسر السجناء", "Prisoners' families"),
    ("patient", "المرضى", "Patients"),
    ("job_seeker", "الباحثون عن عمل", "Job seekers"),
]

# (code, Arabic, English, expires)
DOCUMENT_TYPES = [
    ("national_id", "صورة الهوية الوطنية / الإقامة", "National ID / iqama copy", True),
    ("national_address", "إثبات العنوان الوطني", "National address proof", False),
    ("cv", "السيرة الذاتية", "CV", False),
    ("qualification", "المؤهل العلمي", "Qualification", False),
    ("social_security", "مشهد الضمان الاجتماعي", "Social-security proof", True),
    ("orphan", "إثبات اليتم", "Orphan proof", False),
    ("disability_card", "بطاقة الإعاقة", "Disability card", True),
    ("medical_report", "تقرير طبي", "Medical report", True),
    ("income_proof", "إثبات الدخل", "Income proof", True),
    ("other", "مستند آخر", "Other document", False),
]


@transaction.atomic
def ensure_registry_defaults(organization: Organization) -> None:
    """Add the default categories and document types the association lacks."""
    with scope(organization=organization):
        for position, (code, name_ar, name_en) in enumerate(CATEGORIES, start=1):
            Category.objects.get_or_create(
                organization=organization,
                code=code,
                defaults={"name_ar": name_ar, "name_en": name_en, "position": position},
            )
        for position, (code, name_ar, name_en, expires) in enumerate(
            DOCUMENT_TYPES, start=1
        ):
            DocumentType.objects.get_or_create(
                organization=organization,
                code=code,
                defaults={
                    "name_ar": name_ar,
                    "name_en": name_en,
                    "expires": expires,
                    "position": position,
                },
            )
