"""The back office's queue of beneficiaries' data requests (P-PRIVACY)."""

from django.urls import path

from mustafid.portal import staff_views

app_name = "data_requests"

urlpatterns = [
    path("", staff_views.request_list, name="list"),
    path("<int:pk>/", staff_views.request_detail, name="detail"),
]
