"""The public and beneficiary pages of one association, under /<association-slug>/."""

from django.urls import path

from mustafid.portal import feedback_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    # P-COMPLAINTS, P-IMPROVE (issue 8): anyone may send; the sender follows
    # it by the link we send them.
    path("feedback/", feedback_views.feedback_form, name="feedback"),
    path("feedback/sent/", feedback_views.feedback_sent, name="feedback_sent"),
    path(
        "feedback/t/<str:token>/",
        feedback_views.feedback_status,
        name="feedback_status",
    ),
    path("you-said-we-did/", feedback_views.you_said_we_did, name="you_said_we_did"),
]
