from mustafid.eligibility import case_urls, match_urls, review_urls, rules_urls

app_name = "eligibility"

urlpatterns = [
    *rules_urls.urlpatterns,
    *case_urls.urlpatterns,
    *review_urls.urlpatterns,
    *match_urls.urlpatterns,
]
