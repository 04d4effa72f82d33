"""The audit trail: every read of a record and every change, append-only (P-PRIVACY)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from mustafid.core import audit
from mustafid.core.models import AppendOnlyError, AuditAction, AuditEvent
from mustafid.core.roles import Role


def events(**filters):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters))


def test_opening_a_beneficiary_record_is_a_view_event(client_as, beneficiary, members):
    client = client_as(Role.RECEPTION)
    response = client.get(
        reverse("registry:beneficiary_detail", args=[beneficiary.pk]),
        HTTP_USER_AGENT="Test browser",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 200
    [event] = events(action=AuditAction.VIEW)
    assert event.actor == members[Role.RECEPTION]
    assert event.organization == beneficiary.organization
    assert event.object_type == "registry.beneficiary"
    assert event.object_id == str(beneficiary.pk)
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "Test browser"


def test_listing_beneficiaries_opens_no_record(client_as, beneficiary):
    client_as(Role.RECEPTION).get(reverse("registry:beneficiary_list"))
    assert events(action=AuditAction.VIEW) == []


def test_changing_settings_records_each_field_before_and_after(client_as, org):
    response = client_as(Role.ADMIN).post(
        reverse("core:association_edit"),
        {
            "name_ar": org.name_ar,
            "name_en": "Alpha Charity",
            "decision_window_days": 10,
            "decision_days_kind": "working",
        },
    )
    assert response.status_code == 302
    [event] = events(action=AuditAction.UPDATE)
    assert event.changes["name_en"] == ["Alpha Association", "Alpha Charity"]
    assert event.changes["decision_window_days"] == [14, 10]
    assert event.changes["decision_days_kind"] == ["calendar", "working"]
    assert "name_ar" not in event.changes


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(org):
    event = audit.record(AuditAction.EXPORT, organization=org)
    event.object_repr = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with scopes_disabled(), pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="x")
    with scopes_disabled(), pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with scopes_disabled():
        assert AuditEvent.objects.get(pk=event.pk).object_repr == ""


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET object_repr = 'tampered' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_postgresql_itself_refuses_to_change_an_event(org, statement):
    event = audit.record(AuditAction.EXPORT, organization=org)
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    with scopes_disabled():
        assert AuditEvent.objects.get(pk=event.pk).object_repr == ""


def test_managers_filter_the_trail_by_action_and_user(client_as, org, members):
    audit.record(AuditAction.EXPORT, actor=members[Role.SERVICES], organization=org)
    audit.record(AuditAction.VIEW, actor=members[Role.RESEARCHER], organization=org)
    client = client_as(Role.MANAGER)

    page = client.get(reverse("core:audit_log"), {"action": "export"})
    assert [e.action for e in page.context["page"]] == ["export"]

    username = members[Role.RESEARCHER].username
    page = client.get(reverse("core:audit_log"), {"actor": username})
    assert [e.actor_label for e in page.context["page"]] == [username]


def test_the_trail_shows_only_this_associations_events(client_as, org, other_org):
    audit.record(AuditAction.EXPORT, organization=other_org, actor_label="someone")
    page = client_as(Role.AUDITOR).get(reverse("core:audit_log"))
    assert all(e.organization_id == org.pk for e in page.context["page"])
    assert "someone" not in page.text


def test_a_bad_filter_gets_a_message_and_no_error(client_as):
    response = client_as(Role.MANAGER).get(
        reverse("core:audit_log"), {"date_from": "not-a-date", "action": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
