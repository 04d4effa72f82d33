"""Writing the audit trail. Call inside the transaction of the change it records."""

from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from mustafid.core.models import AuditAction, AuditEvent, Organization


def client_ip(request) -> str | None:
    # Behind a proxy, have it set REMOTE_ADDR (gunicorn --forwarded-allow-ips).
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The object's field values, JSON-ready, for a before/after comparison."""
    data = model_to_dict(obj, fields=fields)
    return {key: _jsonable(value) for key, value in data.items()}


HIDDEN = "•••"


def changed_fields(
    before: dict, after: dict, *, hidden: frozenset[str] = frozenset()
) -> dict[str, list]:
    """{field: [before, after]} for the fields whose value changed.

    Values of `hidden` fields (encrypted at rest) never reach the audit table:
    the event says they changed, not what they were.
    """
    return {
        key: [HIDDEN, HIDDEN] if key in hidden else [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    action: AuditAction,
    *,
    actor=None,
    organization: Organization | None = None,
    obj: models.Model | None = None,
    changes: dict | None = None,
    request=None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one audit event."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request else "",
    )


def record_for_request(request, action: AuditAction, **kwargs) -> AuditEvent:
    """An audit event by the signed-in staff member, in their current association."""
    return record(
        action,
        actor=request.user,
        organization=request.organization,
        request=request,
        **kwargs,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
