"""Staff pages: one dashboard per role, the association's settings, the staff list."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.contact.models import Channel, ChannelKind
from mustafid.core.models import AuditAction, AuditEvent, Organization
from mustafid.core.roles import Role
from mustafid.governance.models import PolicyVersion


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_gets_its_own_dashboard(client_as, role):
    response = client_as(role).get(reverse("core:dashboard"))
    assert response.templates[0].name == f"core/dashboards/{role}.html"


def test_oversight_dashboards_show_the_latest_activity(client_as, org):
    assert "recent_events" in client_as(Role.MANAGER).get("/dashboard/").context
    assert "recent_events" not in client_as(Role.RECEPTION).get("/dashboard/").context


def test_the_association_page_lists_channels_and_the_approved_policy(client_as, org):
    """P-CHANNELS, P-APPROVAL: what the policy says, as the board approved it."""
    import datetime

    with scope(organization=org):
        Channel.objects.create(
            organization=org, kind=ChannelKind.PHONE, name_ar="الاتصالات الهاتفية"
        )
        PolicyVersion.objects.create(
            organization=org,
            number="1",
            title_ar="سياسة تنظيم العلاقة مع المستفيدين",
            text="...",
            board_meeting_number="11",
            board_meeting_date=datetime.date(2025, 6, 1),
        )
    response = client_as(Role.RECEPTION).get(reverse("core:association"))
    assert "الاتصالات الهاتفية" in response.text
    assert "11" in response.text
    assert "5 ذو الحجة 1446 هـ" in response.text  # 2025-06-01 in Umm al-Qura


def test_a_bad_decision_window_is_refused_and_changes_nothing(client_as, org):
    response = client_as(Role.ADMIN).post(
        reverse("core:association_edit"),
        {"name_ar": "اسم جديد", "decision_window_days": 0, "decision_days_kind": "x"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "decision_window_days" in form.errors
    assert "decision_days_kind" in form.errors
    org.refresh_from_db()
    assert (org.name_ar, org.decision_window_days) == ("جمعية ألفا", 14)
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()
    # The shell still shows the stored name, not the rejected one.
    assert "اسم جديد" not in response.content.decode().split("<main")[0]


def test_the_staff_list_shows_this_associations_staff_only(client_as, other_org):
    from tests.conftest import make_member

    outsider = make_member(other_org, Role.ADMIN, username="outsider")
    response = client_as(Role.MANAGER).get(reverse("core:staff"), {"role": "admin"})
    usernames = [m.user.username for m in response.context["memberships"]]
    assert len(usernames) == 1
    assert outsider.username not in usernames


def test_the_registry_searches_arabic_names_whatever_the_hamza(client_as, org):
    from tests.factories import BeneficiaryFactory

    with scope(organization=org):
        BeneficiaryFactory(organization=org, first_name="أحمد", family_name="الزهراني")
        BeneficiaryFactory(organization=org, first_name="خالد", family_name="العنزي")
    response = client_as(Role.RECEPTION).get(
        reverse("registry:beneficiary_list"), {"q": "احمد"}
    )
    names = [b.first_name for b in response.context["page"]]
    assert names == ["أحمد"]


def test_organizations_are_not_tenant_scoped_but_switching_is(client, org, other_org):
    from tests.conftest import make_member

    user = make_member(org, Role.RECEPTION)
    client.force_login(user)
    assert client.post(f"/switch/{other_org.pk}/").status_code == 404
    assert Organization.objects.count() == 2


@pytest.mark.parametrize(
    ("name_ar", "initials"),
    [("جمعية الصفا الخيرية", "صف"), ("جمعية ترياق للخدمات الصحية", "تر")],
)
def test_the_badge_uses_the_name_not_the_article(name_ar, initials):
    assert Organization(name_ar=name_ar, slug="x").initials == initials


def test_the_audit_trail_names_the_kind_of_record(client_as, beneficiary):
    client = client_as(Role.MANAGER)
    client.get(reverse("registry:beneficiary_detail", args=[beneficiary.pk]))
    page = client.get(reverse("core:audit_log"))
    assert "registry.beneficiary" not in page.text
    assert f"مستفيد #{beneficiary.pk}" in page.text
