"""Staff pages of the portal, under /association/portal/."""

from django.urls import path

from mustafid.portal import staff_views

app_name = "portal_staff"

urlpatterns = [
    path("faq/", staff_views.faq_list, name="faq_list"),
    path("faq/<int:pk>/", staff_views.faq_edit, name="faq_edit"),
]
