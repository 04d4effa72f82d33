from django.urls import path

from mustafid.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_intake, name="case_intake"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/move/<str:to>/", views.case_move, name="case_move"),
    path("<int:pk>/deliveries/", views.delivery_create, name="delivery_create"),
    path("<int:pk>/attestation/", views.attestation_scan, name="attestation_scan"),
]
