"""Writing an association's notification templates: checked, saved, audited."""

from django.db import transaction

from mustafid.contact.notification_template import NotificationTemplate
from mustafid.contact.wording import check_template, get_event
from mustafid.contact.wording.events import LONG_METHODS
from mustafid.core import audit
from mustafid.core.models import AuditAction

FIELDS = ["subject", "body"]


@transaction.atomic
def save_template(
    *,
    actor,
    organization,
    event: str,
    method: str,
    language: str,
    subject: str,
    body: str,
    request=None,
) -> NotificationTemplate:
    """Save the association's wording of one message, or refuse it
    (ValidationError) with nothing saved."""
    get_event(event)
    subject = subject.strip() if method in LONG_METHODS else ""
    body = body.strip()
    check_template(
        event=event, method=method, language=language, subject=subject, body=body
    )
    row = (
        NotificationTemplate.objects.select_for_update()
        .filter(
            organization=organization, event=event, method=method, language=language
        )
        .first()
    )
    before = audit.snapshot(row, fields=FIELDS) if row else {}
    row = row or NotificationTemplate(
        organization=organization, event=event, method=method, language=language
    )
    row.subject, row.body, row.updated_by = subject, body, actor
    row.save()
    audit.record(
        AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=row,
        changes=audit.changed_fields(before, audit.snapshot(row, fields=FIELDS)),
        request=request,
    )
    return row


@transaction.atomic
def restore_default(
    *, actor, organization, event: str, method: str, language: str, request=None
) -> bool:
    """Delete the association's wording so the default applies; False if none."""
    row = (
        NotificationTemplate.objects.select_for_update()
        .filter(
            organization=organization, event=event, method=method, language=language
        )
        .first()
    )
    if row is None:
        return False
    audit.record(
        AuditAction.DELETE,
        actor=actor,
        organization=organization,
        obj=row,
        changes={
            field: [value, None]
            for field, value in audit.snapshot(row, fields=FIELDS).items()
        },
        request=request,
    )
    row.delete()
    return True
