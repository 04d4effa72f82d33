"""The back office's queue of beneficiaries' data requests (P-PRIVACY)."""

from django.urls import path

from mustafid.portal import data_request_views

app_name = "data_requests"

urlpatterns = [
    path("", data_request_views.request_list, name="list"),
    path("<int:pk>/", data_request_views.request_detail, name="detail"),
]
