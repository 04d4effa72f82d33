"""The public and beneficiary pages of one association, under /<association-slug>/."""

from django.urls import path

from mustafid.portal import (
    account_views,
    apply_views,
    feedback_views,
    my_data_views,
    track_views,
    views,
)
from mustafid.surveys import public_views as survey_views

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
    # New terms are accepted before going on (P-CONSENT).
    path("terms/accept/", account_views.accept_terms, name="accept_terms"),
    # Applying online, tracking, my data (P-EONLINE, P-PRIVACY).
    path("apply/", apply_views.apply, name="apply"),
    path("apply/check/", apply_views.apply_check, name="apply_check"),
    path("apply/documents/", apply_views.apply_documents, name="apply_documents"),
    path("apply/attest/", apply_views.apply_attest, name="apply_attest"),
    path(
        "apply/received/<str:number>/",
        apply_views.apply_receipt,
        name="apply_receipt",
    ),
    path("my/requests/", track_views.cases, name="cases"),
    path("my/requests/<str:number>/", track_views.case_detail, name="case_detail"),
    path(
        "my/requests/<str:number>/upload/",
        track_views.case_upload,
        name="case_upload",
    ),
    path(
        "my/requests/<str:number>/send-back/",
        track_views.case_resubmit,
        name="case_resubmit",
    ),
    path(
        "my/requests/<str:number>/withdraw/",
        track_views.case_withdraw,
        name="case_withdraw",
    ),
    path("my/data/", my_data_views.my_data, name="my_data"),
    path("my/data/print/", my_data_views.my_data_print, name="my_data_print"),
    path("my/data/copy.json", my_data_views.my_data_json, name="my_data_json"),
    path("my/data/ask/", my_data_views.my_data_request, name="my_data_request"),
    path(
        "my/data/stop-outreach/",
        my_data_views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("my/documents/<int:pk>/", my_data_views.my_document, name="my_document"),
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
    # P-SATISFACTION: a survey invitation's single-use link, no sign-in.
    path("survey/<str:token>/", survey_views.survey_answer, name="survey_answer"),
]
