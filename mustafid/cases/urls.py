from django.urls import path

from mustafid.cases import (
    permit_views,
    queue_views,
    research_views,
    settings_views,
    views,
)
from mustafid.cases.committee_urls import urlpatterns as committee_urlpatterns
from mustafid.cases.referral_urls import urlpatterns as referral_urlpatterns

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_intake, name="case_intake"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/move/<str:to>/", views.case_move, name="case_move"),
    path("<int:pk>/deliveries/", views.delivery_create, name="delivery_create"),
    path("<int:pk>/attestation/", views.attestation_scan, name="attestation_scan"),
    path(
        "<int:pk>/deliveries/<int:delivery_pk>/proof/",
        views.delivery_proof,
        name="delivery_proof",
    ),
    path("<int:pk>/permits/", permit_views.permit_raise, name="permit_raise"),
    path("<int:pk>/permits/answer/", permit_views.permit_answer, name="permit_answer"),
    path("settings/holidays/", settings_views.holiday_list, name="holiday_list"),
    path(
        "settings/holidays/<int:pk>/delete/",
        settings_views.holiday_delete,
        name="holiday_delete",
    ),
    path(
        "settings/attestation/",
        settings_views.attestation_text,
        name="attestation_text",
    ),
]

# Social research (P-REFER-RESEARCH) and the work queues (item 13).
urlpatterns += [
    path(
        "<int:pk>/researcher/", research_views.research_assign, name="research_assign"
    ),
    path("<int:pk>/research/", research_views.research_report, name="research_report"),
    path(
        "research/attachments/<int:pk>/",
        research_views.research_attachment,
        name="research_attachment",
    ),
    path(
        "questions/refer/<int:beneficiary_pk>/",
        research_views.question_refer,
        name="question_refer",
    ),
    path("questions/<int:pk>/", research_views.question_answer, name="question_answer"),
    path("queues/", queue_views.queue_home, name="queue_home"),
    path("queues/<slug:name>/", queue_views.work_queue, name="work_queue"),
]

# Referrals out and in (P-OUTOFSCOPE), and reopening a finished request.
urlpatterns += referral_urlpatterns

# The research committee: members, meetings, votes, minutes (P-COMMITTEE).
urlpatterns += committee_urlpatterns
