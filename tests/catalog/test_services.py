"""The service catalogue: defaults, pages, audit."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.catalog.defaults import ensure_default_services
from mustafid.catalog.models import Service
from mustafid.core.models import AuditEvent
from mustafid.core.roles import Role
from mustafid.registry.models import DocumentType


def test_default_services_are_created_once(org, other_org):
    with scope(organization=org):
        first = ensure_default_services(org)
        Service.objects.filter(pk=first[0].pk).update(name_en="Cash help")
        again = ensure_default_services(org)
        assert [s.pk for s in first] == [s.pk for s in again]
        assert Service.objects.count() == 3
        assert Service.objects.get(pk=first[0].pk).name_en == "Cash help"
    with scope(organization=other_org):
        assert len(ensure_default_services(other_org)) == 3


def test_manager_adds_a_service_with_required_documents(client_as, org):
    with scope(organization=org):
        doc_type = DocumentType.objects.create(
            organization=org, code="salary", name_ar="تعريف بالراتب"
        )
    response = client_as(Role.MANAGER).post(
        reverse("catalog:service_create"),
        {
            "name_ar": "ترميم المنازل",
            "kind": "in_kind",
            "in_scope": "on",
            "required_documents": [doc_type.pk],
            "needs_committee": "on",
            "decision_window_days": "21",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        service = Service.objects.get()
        event = AuditEvent.objects.get(object_type="catalog.service")
        assert list(service.required_documents.all()) == [doc_type]
    assert service.window_days(org) == 21 and not service.needs_research
    assert event.changes["name_ar"] == [None, "ترميم المنازل"]


def test_permit_needs_the_authority_and_names_are_unique(client_as, org):
    with scope(organization=org):
        Service.objects.create(organization=org, name_ar="كفالة", kind="other")
    response = client_as(Role.ADMIN).post(
        reverse("catalog:service_create"),
        {"name_ar": "كفالة", "kind": "other", "needs_external_permit": "on"},
    )
    assert set(response.context["form"].errors) == {"name_ar", "permit_authority"}


def test_editing_another_associations_service_is_404(client_as, org, other_org):
    with scope(organization=other_org):
        theirs = Service.objects.create(
            organization=other_org, name_ar="خدمة", kind="other"
        )
    response = client_as(Role.ADMIN).get(
        reverse("catalog:service_edit", args=[theirs.pk])
    )
    assert response.status_code == 404


def test_service_list_shows_the_catalogue(client_as, org):
    with scope(organization=org):
        ensure_default_services(org)
    response = client_as(Role.MANAGER).get(reverse("catalog:service_list"))
    assert "سلة غذائية" in response.content.decode()
