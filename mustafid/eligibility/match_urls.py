"""Routes of the eligibility match pages, joined to the `eligibility` namespace."""

from django.urls import path

from mustafid.eligibility import match_views

urlpatterns = [
    path("matches/", match_views.match_services, name="match_services"),
    path("matches/<int:service_pk>/", match_views.match_list, name="match_list"),
    path(
        "matches/<int:service_pk>/invite/",
        match_views.match_invite,
        name="match_invite",
    ),
]
