from django.urls import path

from mustafid.contact import letter_views, receipt_views, views

app_name = "contact"

urlpatterns = [
    path("channels/", views.channel_list, name="channel_list"),
    path("channels/<int:pk>/toggle/", views.channel_toggle, name="channel_toggle"),
    path("channels/<int:pk>/move/", views.channel_move, name="channel_move"),
    path("log/", views.interaction_create, name="interaction_create"),
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_create"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/assign/", views.inquiry_assign, name="inquiry_assign"),
    path("inquiries/<int:pk>/answer/", views.inquiry_answer, name="inquiry_answer"),
    path("inquiries/<int:pk>/close/", views.inquiry_close, name="inquiry_close"),
    path("messages/<int:pk>/letter/", letter_views.letter, name="letter"),
    # Providers, not staff: authenticated by their signature or secret token.
    path(
        "receipts/whatsapp/",
        receipt_views.whatsapp_webhook,
        name="whatsapp_webhook",
    ),
    path(
        "receipts/sms/<str:token>/",
        receipt_views.sms_delivery_report,
        name="sms_delivery_report",
    ),
]
