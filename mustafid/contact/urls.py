from django.urls import path

from mustafid.contact import views

app_name = "contact"

urlpatterns = [
    path("messages/<int:pk>/letter/", views.letter, name="letter"),
]
