"""Routes of the eligibility rules pages, joined to the `eligibility` namespace."""

from django.urls import path

from mustafid.eligibility import rules_views

urlpatterns = [
    path("rules/", rules_views.rules_list, name="rules_list"),
    path("rules/<int:service_pk>/", rules_views.rules_edit, name="rules_edit"),
    path(
        "rules/<int:service_pk>/versions/",
        rules_views.rules_versions,
        name="rules_versions",
    ),
]
