"""Routes of eligibility on a request, joined to the `eligibility` namespace."""

from django.urls import path

from mustafid.eligibility import case_views as views

urlpatterns = [
    path("cases/<int:pk>/override/", views.case_override, name="case_override"),
    path("cases/<int:pk>/recheck/", views.case_recheck, name="case_recheck"),
    path("precheck/", views.precheck, name="precheck"),
]
