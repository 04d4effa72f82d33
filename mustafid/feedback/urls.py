from django.urls import path

from mustafid.feedback import export_views, report_views, settings_views, views

app_name = "feedback"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("export.xlsx", export_views.item_export, name="item_export"),
    path("new/", views.item_create, name="item_create"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/assign/", views.item_assign, name="item_assign"),
    path("<int:pk>/start/", views.item_start, name="item_start"),
    path("<int:pk>/resolve/", views.item_resolve, name="item_resolve"),
    path("<int:pk>/close/", views.item_close, name="item_close"),
    path("<int:pk>/reopen/", views.item_reopen, name="item_reopen"),
    path("<int:pk>/satisfaction/", views.item_satisfaction, name="item_satisfaction"),
    path("<int:pk>/statement/", views.dispute_statement, name="dispute_statement"),
    path("<int:pk>/decide/", views.dispute_decide, name="dispute_decide"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("figures/", report_views.figures_page, name="figures"),
    path("board/", report_views.board_list, name="board"),
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/categories/", settings_views.category_add, name="category_add"),
    path(
        "settings/categories/<int:pk>/toggle/",
        settings_views.category_toggle,
        name="category_toggle",
    ),
    path("improvements/", settings_views.action_list, name="action_list"),
    path("improvements/new/", settings_views.action_create, name="action_create"),
    path("improvements/<int:pk>/", settings_views.action_edit, name="action_edit"),
]
