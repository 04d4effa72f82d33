"""Each association keeps its own categories and document types (P-NEEDS)."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.registry.defaults import ensure_registry_defaults
from mustafid.registry.models import Category

URL = reverse("registry:list_settings", args=["categories"])


def management(total, initial):
    return {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }


def test_an_admin_adds_a_category_for_their_association_only(client_as, org, other_org):
    response = client_as(Role.ADMIN).post(
        URL,
        management(1, 0)
        | {
            "form-0-code": "students",
            "form-0-name_ar": "الطلاب",
            "form-0-position": "10",
            "form-0-is_active": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        [category] = Category.objects.all()
        assert category.organization == org
        assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == 1


def test_deactivating_a_default_category_is_audited(client_as, org):
    ensure_registry_defaults(org)
    with scope(organization=org):
        rows = list(Category.objects.all())
    data = management(len(rows), len(rows))
    for i, row in enumerate(rows):
        data |= {
            f"form-{i}-id": row.pk,
            f"form-{i}-code": row.code,
            f"form-{i}-name_ar": row.name_ar,
            f"form-{i}-name_en": row.name_en,
            f"form-{i}-position": row.position,
        }
        if row.code != "orphan":
            data[f"form-{i}-is_active"] = "on"
    client_as(Role.ADMIN).post(URL, data)
    with scope(organization=org):
        assert not Category.objects.get(code="orphan").is_active
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action=AuditAction.UPDATE)
    assert event.changes["is_active"] == [True, False]


def test_two_rows_with_one_code_are_refused(client_as, org):
    row = {"name_ar": "س", "position": "1", "is_active": "on", "code": "same"}
    data = management(2, 0)
    for i in range(2):
        data |= {f"form-{i}-{key}": value for key, value in row.items()}
    response = client_as(Role.ADMIN).post(URL, data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    with scopes_disabled():
        assert not Category.objects.exists()


def test_an_unknown_list_is_not_found(client_as):
    response = client_as(Role.ADMIN).get(
        reverse("registry:list_settings", args=["passwords"])
    )
    assert response.status_code == 404
