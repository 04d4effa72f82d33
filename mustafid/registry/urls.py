from django.urls import path

from mustafid.registry import duplicate_views, import_views, settings_views, views

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
    path("duplicates/check/", duplicate_views.duplicate_check, name="duplicate_check"),
    path(
        "<int:pk>/merge/<int:other_pk>/",
        duplicate_views.beneficiary_merge,
        name="beneficiary_merge",
    ),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/new/", import_views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", import_views.import_job, name="import_job"),
    path(
        "imports/<int:pk>/columns/", import_views.import_mapping, name="import_mapping"
    ),
    path(
        "imports/<int:pk>/errors.csv", import_views.import_errors, name="import_errors"
    ),
    path("imports/<int:pk>/start/", import_views.import_start, name="import_start"),
    path("imports/<int:pk>/cancel/", import_views.import_cancel, name="import_cancel"),
    path("export.xlsx", import_views.beneficiary_export, name="beneficiary_export"),
]
