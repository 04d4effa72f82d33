"""The public and beneficiary pages of one association, under /<association-slug>/."""

from django.urls import path

from mustafid.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
]
