"""Staff pages of the portal, under /association/portal/."""

from django.urls import path

from mustafid.portal import staff_views

app_name = "portal_staff"

urlpatterns = [
    path("faq/", staff_views.faq_list, name="faq_list"),
    path("faq/<int:pk>/", staff_views.faq_edit, name="faq_edit"),
    # The privacy notice and the terms, versioned (P-CONSENT, P-PRIVACY).
    path("texts/", staff_views.consent_list, name="consent_list"),
    path("texts/<str:kind>/", staff_views.consent_history, name="consent_history"),
    path(
        "texts/<str:kind>/publish/",
        staff_views.consent_publish,
        name="consent_publish",
    ),
    path(
        "texts/<str:kind>/<int:pk>/",
        staff_views.consent_version,
        name="consent_version",
    ),
]
