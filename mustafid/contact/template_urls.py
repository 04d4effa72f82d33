"""Routes of the notification templates pages (namespace `contact_templates`)."""

from django.urls import path

from mustafid.contact import template_views as views

app_name = "contact_templates"

urlpatterns = [
    path("", views.template_list, name="list"),
    path(
        "<slug:event>/<slug:method>/<slug:language>/",
        views.template_edit,
        name="edit",
    ),
    path(
        "<slug:event>/<slug:method>/<slug:language>/restore/",
        views.template_restore,
        name="restore",
    ),
]
