"""Writes to the service catalogue, each audited in its own transaction."""

from django.db import transaction

from mustafid.catalog.models import Service
from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization


@transaction.atomic
def save_service(
    *,
    actor,
    organization: Organization,
    data: dict,
    service: Service | None = None,
    request=None,
) -> Service:
    """Add a service to the catalogue, or change one; the change is audited."""
    data = dict(data)
    documents = data.pop("required_documents", None)
    if service is not None:
        service = Service.objects.select_for_update().get(pk=service.pk)
    before = audit.snapshot(service) if service else {}
    service = service or Service(organization=organization)
    for field, value in data.items():
        setattr(service, field, value)
    service.save()
    if documents is not None:
        service.required_documents.set(documents)
    audit.record(
        AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=service,
        changes=audit.changed_fields(before, audit.snapshot(service)),
        request=request,
    )
    return service
