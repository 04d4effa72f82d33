"""The public and beneficiary pages of one association, under /<association-slug>/."""

from django.urls import path

from mustafid.portal import account_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services, name="services"),
    path("policy/", views.policy, name="policy"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.inquiry_sent, name="inquiry_sent"),
    path("complain/", views.complain, name="complain"),
    path("faq/", views.faq, name="faq"),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("sign-in/", account_views.sign_in, name="sign_in"),
    path("sign-in/code/", account_views.code, name="code"),
    path("register/", account_views.register, name="register"),
    path("sign-out/", account_views.sign_out, name="sign_out"),
    path("me/", account_views.my_home, name="my_home"),
]
