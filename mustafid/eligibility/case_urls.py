"""Routes of the eligibility case pages, joined to the `eligibility` namespace."""

urlpatterns = []
