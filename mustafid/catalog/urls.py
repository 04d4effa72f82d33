from django.urls import path

from mustafid.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("new/", views.service_create, name="service_create"),
    path("<int:pk>/edit/", views.service_edit, name="service_edit"),
]
