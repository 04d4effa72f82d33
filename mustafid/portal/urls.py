"""The public and beneficiary pages of one association, under /<association-slug>/."""

from django.urls import path

from mustafid.portal import views
from mustafid.surveys import public_views as survey_views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    # P-SATISFACTION: a survey invitation's single-use link, no sign-in.
    path("survey/<str:token>/", survey_views.survey_answer, name="survey_answer"),
]
