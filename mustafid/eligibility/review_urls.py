"""Routes of the eligibility review pages, joined to the `eligibility` namespace."""

urlpatterns = []
