from django.urls import path

from mustafid.registry import settings_views, views

app_name = "registry"

urlpatterns = [
    path("", views.beneficiary_list, name="beneficiary_list"),
    path("new/", views.beneficiary_create, name="beneficiary_create"),
    path("<int:pk>/", views.beneficiary_detail, name="beneficiary_detail"),
    path("<int:pk>/edit/", views.beneficiary_edit, name="beneficiary_edit"),
    path("<int:pk>/household/new/", views.member_create, name="member_create"),
    path(
        "<int:pk>/household/<int:member_pk>/edit/",
        views.member_edit,
        name="member_edit",
    ),
    path(
        "<int:pk>/household/<int:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<int:pk>/documents/new/", views.document_create, name="document_create"),
    path("documents/<int:doc_pk>/file/", views.document_file, name="document_file"),
    path(
        "documents/<int:doc_pk>/review/", views.document_review, name="document_review"
    ),
    path("reach/", views.reach_list, name="reach_list"),
    path("reach/new/", views.reach_create, name="reach_create"),
    path(
        "settings/<str:kind>/",
        settings_views.registry_list_settings,
        name="list_settings",
    ),
]
