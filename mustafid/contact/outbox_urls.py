from django.urls import path

from mustafid.contact import outbox_views

app_name = "outbox"

urlpatterns = [
    path("", outbox_views.outbox_list, name="list"),
    path("<int:pk>/", outbox_views.outbox_detail, name="detail"),
    path("<int:pk>/resend/", outbox_views.outbox_resend, name="resend"),
]
