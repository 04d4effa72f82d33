from django.contrib.auth import views as auth_views
from django.urls import path

from mustafid.core import auth, views

app_name = "core"

account_urls = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt"
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "switch/<int:organization_id>/",
        views.switch_association,
        name="switch_association",
    ),
    path("association/", views.association, name="association"),
    path("association/edit/", views.association_edit, name="association_edit"),
    path("association/logo/", views.association_logo, name="association_logo"),
    path("staff/", views.staff, name="staff"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/<int:pk>/", views.audit_event, name="audit_event"),
]
