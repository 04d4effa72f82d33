"""Tenant isolation: every tenant-owned query is scoped to the current association.

Tenant models use `tenant_manager()`, a django-scopes manager: outside an active
scope a query raises `ScopeError` instead of silently reading every association.
`TenantMiddleware` activates the scope of the staff member's current association
for the whole request, so a view cannot forget to filter. Commands and tasks
choose a scope explicitly with `django_scopes.scope(organization=...)`.
"""

from django.db import models
from django.http import Http404
from django_scopes import ScopedManager, get_scope, scope
from django_scopes.exceptions import ScopeError

SESSION_KEY = "organization_id"


def tenant_manager(queryset_class: type[models.QuerySet] = models.QuerySet):
    return ScopedManager(
        organization="organization",
        _manager_class=models.Manager.from_queryset(queryset_class),
    )


def check_write_scope(organization_id: int | None) -> None:
    """Refuse to write a row into an association other than the active one."""
    current = get_scope()
    if not current.get("_enabled", True) or "organization" not in current:
        return
    active = current["organization"]
    if active is not None and active.pk != organization_id:
        raise ScopeError("Refusing to write a row of another association.")


def active_organization_id() -> int:
    """The association the active scope reads, for queries built outside a
    scoped manager; ScopeError when no single association is active."""
    current = get_scope()
    active = current.get("organization") if current.get("_enabled", True) else None
    if not isinstance(active, models.Model):
        raise ScopeError("A single association's scope must be active.")
    return active.pk


class TenantModel(models.Model):
    """A row owned by one association; reads and writes stay inside its scope."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = tenant_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        check_write_scope(self.organization_id)
        super().save(*args, **kwargs)


def get_for_org(request, source, **lookup) -> models.Model:
    """The object of the current association, or 404 (never another's).

    `source` is a tenant model or a queryset of one (for select_related etc.).
    """
    if request.organization is None:
        raise Http404
    queryset = source if isinstance(source, models.QuerySet) else source.objects.all()
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def active_memberships(user):
    from mustafid.core.models import Membership

    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.with_scopes_disabled()
        .filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__slug")
    )


class TenantMiddleware:
    """Sets request.organization and request.membership, and scopes the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        memberships = list(active_memberships(request.user))
        wanted = request.session.get(SESSION_KEY) if memberships else None
        membership = next(
            (m for m in memberships if m.organization_id == wanted),
            memberships[0] if memberships else None,
        )
        request.memberships = memberships
        request.membership = membership
        request.organization = membership.organization if membership else None
        # Without an association there is no scope at all: tenant queries raise.
        scope_kwargs = {"organization": request.organization} if membership else {}
        with scope(**scope_kwargs):
            return self.get_response(request)
