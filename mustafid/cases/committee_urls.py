"""The research committee's routes, joined to the `cases` namespace."""

from django.urls import path

from mustafid.cases import committee_views as views

urlpatterns = [
    path("committee/", views.meeting_list, name="committee_meetings"),
    path("committee/members/", views.member_list, name="committee_members"),
    path(
        "committee/members/<int:pk>/",
        views.member_change,
        name="committee_member_change",
    ),
    path("committee/quorum/", views.quorum_edit, name="committee_quorum"),
    path("committee/reasons/", views.reason_list, name="committee_reasons"),
    path("committee/new/", views.meeting_create, name="committee_meeting_create"),
    path("committee/<int:pk>/", views.meeting_detail, name="committee_meeting"),
    path(
        "committee/<int:pk>/agenda/build/",
        views.agenda_build,
        name="committee_agenda_build",
    ),
    path(
        "committee/<int:pk>/agenda/add/",
        views.agenda_add,
        name="committee_agenda_add",
    ),
    path(
        "committee/<int:pk>/attendance/",
        views.meeting_attendance,
        name="committee_attendance",
    ),
    path(
        "committee/<int:pk>/votes/",
        views.vote_remaining,
        name="committee_vote_remaining",
    ),
    path("committee/<int:pk>/decide/", views.meeting_decide, name="committee_decide"),
    path(
        "committee/<int:pk>/minutes/", views.meeting_minutes, name="committee_minutes"
    ),
    path("committee/items/<int:pk>/", views.item_detail, name="committee_item"),
    path(
        "committee/items/<int:pk>/remove/",
        views.item_remove,
        name="committee_item_remove",
    ),
    path("committee/items/<int:pk>/vote/", views.item_vote, name="committee_vote"),
    path(
        "committee/items/<int:pk>/reasons/",
        views.item_reasons,
        name="committee_item_reasons",
    ),
    path(
        "committee/items/<int:pk>/set-aside/",
        views.item_set_aside,
        name="committee_item_set_aside",
    ),
]
