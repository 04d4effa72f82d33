from django.urls import path

from mustafid.surveys import results_views, views

app_name = "surveys"

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire_list"),
    path("new/", views.questionnaire_create, name="questionnaire_create"),
    path("<int:pk>/", views.questionnaire_edit, name="questionnaire_edit"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path(
        "<int:pk>/questions/<int:question_pk>/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/print/", views.questionnaire_print, name="questionnaire_print"),
    path("<int:pk>/paper/", views.paper_entry, name="paper_entry"),
    path("campaigns/", results_views.campaign_create, name="campaign_create"),
    path("indicators/", results_views.indicator_page, name="indicators"),
    path(
        "indicators/export.xlsx",
        results_views.indicator_export,
        name="indicators_export",
    ),
]
