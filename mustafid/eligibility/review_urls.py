"""Routes of the eligibility review pages, joined to the `eligibility` namespace."""

from django.urls import path

from mustafid.eligibility import review_views

urlpatterns = [
    path("reviews/", review_views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review_detail"),
    path(
        "reviews/<int:pk>/complete/",
        review_views.review_complete,
        name="review_complete",
    ),
]
