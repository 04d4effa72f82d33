"""Routes of the eligibility match pages, joined to the `eligibility` namespace."""

urlpatterns = []
