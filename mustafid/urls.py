from django.urls import include, path

from mustafid.core.urls import account_urls

urlpatterns = [
    path("accounts/", include(account_urls)),
    path("", include("mustafid.core.urls")),
    path("beneficiaries/", include("mustafid.registry.urls")),
    path("cases/", include("mustafid.cases.urls")),
    path("services/", include("mustafid.catalog.urls")),
    path("eligibility/", include("mustafid.eligibility.urls")),
    path("contact/templates/", include("mustafid.contact.template_urls")),
    path("contact/outbox/", include("mustafid.contact.outbox_urls")),
    path("contact/", include("mustafid.contact.urls")),
    path("data-requests/", include("mustafid.portal.data_request_urls")),
    path("feedback/", include("mustafid.feedback.urls")),
    path("surveys/", include("mustafid.surveys.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("association/portal/", include("mustafid.portal.staff_urls")),
    # Last: an association's public pages and portal (P-TRANSPARENCY, P-EONLINE).
    path("<slug:org_slug>/", include("mustafid.portal.urls")),
]

handler403 = "mustafid.core.views.permission_denied"
handler404 = "mustafid.core.views.page_not_found"
handler500 = "mustafid.core.views.server_error"
