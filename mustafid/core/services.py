"""Writes of the core app: one function per operation, audited in its transaction."""

from django.db import transaction

from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization


@transaction.atomic
def update_organization(
    *, actor, organization: Organization, data: dict, request=None
) -> Organization:
    """Change an association's profile and policy settings."""
    fields = list(data)
    # Read the stored row: a bound ModelForm has already changed the instance.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = audit.snapshot(organization, fields)
    for field, value in data.items():
        # A cleared file input gives False; an untouched one, the stored file.
        setattr(organization, field, "" if value is False else value)
    organization.full_clean()
    organization.save(update_fields=[*fields, "updated_at"])
    changes = audit.changed_fields(before, audit.snapshot(organization, fields))
    if changes:
        audit.record(
            AuditAction.UPDATE,
            actor=actor,
            organization=organization,
            obj=organization,
            changes=changes,
            request=request,
        )
    return organization
