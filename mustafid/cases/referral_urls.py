"""Routes of referrals (P-OUTOFSCOPE) and reopening, joined to cases/urls.py."""

from django.urls import path

from mustafid.cases import referral_views, reopen_views

urlpatterns = [
    path("<int:pk>/reopen/", reopen_views.case_reopen, name="case_reopen"),
    path("<int:pk>/refer/", referral_views.referral_create, name="referral_create"),
    path("referrals/", referral_views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral_detail"),
    path(
        "referrals/<int:pk>/outcome/",
        referral_views.referral_outcome,
        name="referral_outcome",
    ),
    path(
        "referrals/incoming/<int:pk>/",
        referral_views.incoming_referral,
        name="incoming_referral",
    ),
    path(
        "referrals/incoming/<int:pk>/answer/",
        referral_views.incoming_referral_respond,
        name="incoming_referral_respond",
    ),
    path("referrals/directory/", referral_views.directory_list, name="directory_list"),
    path(
        "referrals/directory/new/",
        referral_views.directory_create,
        name="directory_create",
    ),
    path(
        "referrals/directory/<int:pk>/",
        referral_views.directory_edit,
        name="directory_edit",
    ),
]
