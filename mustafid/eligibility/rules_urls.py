"""Routes of the eligibility rules pages, joined to the `eligibility` namespace."""

urlpatterns = []
