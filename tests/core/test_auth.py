"""Staff sign-in: audited, throttled after failures, password reset by email."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from tests.conftest import make_member

PASSWORD = "correct-horse-1448"


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def audit_actions():
    with scopes_disabled():
        return list(AuditEvent.objects.values_list("action", flat=True))


def test_sign_in_lands_on_the_dashboard_and_is_audited(client, org):
    user = make_member(org, Role.RECEPTION)
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    with scopes_disabled():
        event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert (event.actor, event.organization) == (user, org)


def test_a_wrong_password_is_refused_and_audited(client, org):
    user = make_member(org, Role.RECEPTION)
    response = sign_in(client, user.username, "wrong")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert response.context["form"].non_field_errors()
    with scopes_disabled():
        event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor_label == user.username
    assert event.ip_address == "10.0.0.1"


@override_settings(LOGIN_FAILURES_PER_USERNAME=3)
def test_after_repeated_failures_even_the_right_password_waits(client, org):
    user = make_member(org, Role.RECEPTION)
    for _ in range(3):
        sign_in(client, user.username, "wrong")
    response = sign_in(client, user.username, PASSWORD, ip="10.9.9.9")
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many failed sign-in attempts" in response.text or (
        "محاولات" in response.text
    )
    assert AuditAction.LOGIN not in audit_actions()


@override_settings(LOGIN_FAILURES_PER_IP=4)
def test_one_address_trying_many_usernames_is_throttled(client, org):
    user = make_member(org, Role.RECEPTION)
    for n in range(4):
        sign_in(client, f"guess{n}", "wrong", ip="10.6.6.6")
    response = sign_in(client, user.username, PASSWORD, ip="10.6.6.6")
    assert not response.wsgi_request.user.is_authenticated
    assert sign_in(client, user.username, PASSWORD, ip="10.7.7.7").status_code == 302


def test_the_sign_in_page_is_arabic_and_right_to_left_by_default(client, db):
    response = client.get(reverse("login"))
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "تسجيل الدخول" in response.text


def test_sign_out_is_audited(client, org):
    user = make_member(org, Role.MANAGER)
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditAction.LOGOUT in audit_actions()


@pytest.mark.django_db
def test_password_reset_by_email_sets_a_new_password(client, org):
    user = make_member(org, Role.SERVICES, email="services@example.org")
    client.post(reverse("password_reset"), {"email": "services@example.org"})
    [message] = mail.outbox
    assert message.to == ["services@example.org"]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body)
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-Pass-1448!", "new_password2": "a-new-Pass-1448!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-Pass-1448!")


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
