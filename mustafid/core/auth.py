"""Staff sign-in with throttling of failed attempts, counted from the audit trail."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from mustafid.core import audit
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.tenancy import SESSION_KEY, active_memberships


def recent_failures(*, username: str = "", ip: str | None = None) -> int:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    with scopes_disabled():
        events = AuditEvent.objects.filter(
            action=AuditAction.LOGIN_FAILED, created_at__gte=since
        )
        if username:
            events = events.filter(actor_label__iexact=username)
        else:
            events = events.filter(ip_address=ip)
        return events.count()


def is_throttled(username: str, ip: str | None) -> bool:
    return recent_failures(
        username=username
    ) >= settings.LOGIN_FAILURES_PER_USERNAME or (
        ip is not None and recent_failures(ip=ip) >= settings.LOGIN_FAILURES_PER_IP
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed sign-in attempts. Wait %(minutes)s minutes and try again."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        ip = audit.client_ip(self.request)
        if is_throttled(username, ip):
            self._record_failure(username, reason="throttled")
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            self._record_failure(username, reason="invalid_credentials")
            raise

    def _record_failure(self, username: str, *, reason: str) -> None:
        audit.record(
            AuditAction.LOGIN_FAILED,
            actor_label=username[:150],
            changes={"reason": reason},
            request=self.request,
        )


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        memberships = list(active_memberships(self.request.user))
        if memberships:
            self.request.session[SESSION_KEY] = memberships[0].organization_id
        audit.record(
            AuditAction.LOGIN,
            actor=self.request.user,
            organization=memberships[0].organization if memberships else None,
            request=self.request,
        )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit.record(
                AuditAction.LOGOUT,
                actor=request.user,
                organization=request.organization,
                request=request,
            )
        return super().post(request, *args, **kwargs)
