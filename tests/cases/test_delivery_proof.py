"""A delivery's proof: a receipt or signed handover, kept private (P-DELIVER)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from mustafid.cases.models import Delivery
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from mustafid.core.uploads import MEGABYTE
from tests.cases.helpers import make_case
from tests.conftest import make_member
from tests.factories import TINY_PNG

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def delivery_data(proof=None, **extra):
    data = {
        "kind": "in_kind",
        "quantity": "2",
        "delivered_on_0": "gregorian",
        "delivered_on_1": timezone.localdate().isoformat(),
        "note": "سلة غذائية",
    }
    if proof is not None:
        data["proof"] = proof
    return data | extra


def post_delivery(client, case, proof=None):
    return client.post(
        reverse("cases:delivery_create", args=[case.pk]),
        delivery_data(proof),
        follow=True,
    )


def proof_url(delivery):
    return reverse("cases:delivery_proof", args=[delivery.case_id, delivery.pk])


@pytest.mark.parametrize(
    "name,content,mime",
    [
        ("receipt.png", TINY_PNG, "image/png"),
        ("handover.pdf", TINY_PDF, "application/pdf"),
    ],
)
def test_a_delivery_keeps_its_proof_privately(client_as, org, name, content, mime):
    """P-DELIVER: the proof is stored under a random name, not the uploaded one."""
    case = make_case(org, "delivering")
    post_delivery(client_as(Role.SERVICES), case, SimpleUploadedFile(name, content))
    with scopes_disabled():
        delivery = Delivery.objects.get()
    assert delivery.proof_content_type == mime
    assert delivery.proof.name.startswith(f"deliveries/{org.pk}/")
    assert name not in delivery.proof.name


def test_the_proof_is_served_after_the_check_and_audited(client_as, org):
    """P-DELIVER, P-PRIVACY: served inline, never cached, the opening audited."""
    case = make_case(org, "delivering")
    client = client_as(Role.SERVICES)
    post_delivery(client, case, SimpleUploadedFile("r.png", TINY_PNG))
    with scopes_disabled():
        delivery = Delivery.objects.get()
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert proof_url(delivery) in page
    auditor = client_as(Role.AUDITOR)
    response = auditor.get(proof_url(delivery))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == TINY_PNG
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action=AuditAction.VIEW,
            object_type="cases.delivery",
            object_id=str(delivery.pk),
        ).exists()


def test_a_file_that_is_not_a_pdf_or_image_is_refused(client_as, org):
    """P-DELIVER: the type is read from the content, not from the name."""
    case = make_case(org, "delivering")
    fake = SimpleUploadedFile(
        "receipt.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    response = post_delivery(client_as(Role.SERVICES), case, fake)
    messages = [str(m) for m in response.context["messages"]]
    assert any("PDF" in m for m in messages)
    with scopes_disabled():
        assert not Delivery.objects.exists()


def test_a_proof_too_large_is_refused(client_as, org):
    case = make_case(org, "delivering")
    big = SimpleUploadedFile("big.png", TINY_PNG + b"\0" * (10 * MEGABYTE))
    post_delivery(client_as(Role.SERVICES), case, big)
    with scopes_disabled():
        assert not Delivery.objects.exists()


def test_the_proof_is_optional(client_as, org):
    case = make_case(org, "delivering")
    post_delivery(client_as(Role.SERVICES), case)
    with scopes_disabled():
        delivery = Delivery.objects.get()
    assert not delivery.proof and delivery.proof_content_type == ""
    response = client_as(Role.SERVICES).get(proof_url(delivery))
    assert response.status_code == 404


def test_a_delivery_outside_delivering_keeps_no_file(client_as, org, settings):
    case = make_case(org, "approved")
    post_delivery(client_as(Role.SERVICES), case, SimpleUploadedFile("r.png", TINY_PNG))
    with scopes_disabled():
        assert not Delivery.objects.exists()
    assert not list((settings.MEDIA_ROOT).glob("**/*.png"))


def test_the_proof_is_found_only_under_its_own_case(client_as, org):
    case = make_case(org, "delivering")
    client = client_as(Role.SERVICES)
    post_delivery(client, case, SimpleUploadedFile("r.png", TINY_PNG))
    other_case = make_case(org, "delivering")
    with scopes_disabled():
        delivery = Delivery.objects.get()
    url = reverse("cases:delivery_proof", args=[other_case.pk, delivery.pk])
    assert client.get(url).status_code == 404


def test_another_associations_proof_is_not_found(client, org, other_org):
    case = make_case(other_org, "delivering")
    client.force_login(make_member(other_org, Role.SERVICES))
    post_delivery(client, case, SimpleUploadedFile("r.png", TINY_PNG))
    with scopes_disabled():
        delivery = Delivery.objects.get()
    client.force_login(make_member(org, Role.MANAGER))
    assert client.get(proof_url(delivery)).status_code == 404
