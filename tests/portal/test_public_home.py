"""/<association-slug>/ is the association's own public page (P-TRANSPARENCY)."""

from django.urls import reverse


def test_each_association_has_its_page_and_unknown_ones_are_not_found(client, org):
    response = client.get(reverse("portal:home", kwargs={"org_slug": org.slug}))
    assert response.status_code == 200
    assert "جمعية ألفا" in response.content.decode()
    assert client.get("/no-such-association/").status_code == 404


def test_an_inactive_association_has_no_public_page(client, org):
    org.is_active = False
    org.save()
    assert client.get(f"/{org.slug}/").status_code == 404
