"""A starting catalogue for a new association, which it then edits."""

from django.db import transaction

from mustafid.catalog.models import Service, ServiceKind
from mustafid.core.models import Organization

DEFAULT_SERVICES = [
    {
        "name_ar": "مساعدة مالية",
        "name_en": "Financial aid",
        "kind": ServiceKind.FINANCIAL_AID,
        "needs_research": True,
        "needs_committee": True,
    },
    {
        "name_ar": "سلة غذائية",
        "name_en": "Food basket",
        "kind": ServiceKind.IN_KIND,
        "needs_research": True,
        "needs_committee": True,
    },
    {
        "name_ar": "دورة تدريبية",
        "name_en": "Training course",
        "kind": ServiceKind.TRAINING,
        "needs_research": False,
        "needs_committee": False,
    },
]


@transaction.atomic
def ensure_default_services(organization: Organization) -> list[Service]:
    """The three generic services, created once; existing ones are left as edited."""
    services = []
    for fields in DEFAULT_SERVICES:
        service, _ = Service.objects.get_or_create(
            organization=organization,
            name_ar=fields["name_ar"],
            defaults={k: v for k, v in fields.items() if k != "name_ar"},
        )
        services.append(service)
    return services
