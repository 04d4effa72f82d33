from django.urls import path

from mustafid.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.beneficiary_list, name="beneficiary_list"),
    path("<int:pk>/", views.beneficiary_detail, name="beneficiary_detail"),
]
