"""Uploads: type from the content, size limits, safe names (P-PRIVACY)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from tests.factories import TINY_PNG

SETTINGS = {"name_ar": "جمعية ألفا", "decision_window_days": 14}


def upload_logo(client, name, content, content_type="image/png"):
    return client.post(
        reverse("core:association_edit"),
        SETTINGS
        | {
            "decision_days_kind": "calendar",
            "logo": SimpleUploadedFile(name, content, content_type),
        },
    )


def test_a_logo_is_stored_under_a_random_name_and_served_to_staff(client_as, org):
    admin = client_as(Role.ADMIN)
    response = upload_logo(admin, "../../etc/شعار الجمعية.png", TINY_PNG)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.logo.name.startswith("logos/")
    assert "etc" not in org.logo.name and "شعار" not in org.logo.name
    served = admin.get(reverse("core:association_logo"))
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == TINY_PNG
    assert reverse("core:association_logo") in admin.get("/dashboard/").text


def test_a_text_file_named_png_is_refused_and_nothing_changes(client_as, org):
    response = upload_logo(client_as(Role.ADMIN), "logo.png", b"<script>x</script>")
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    org.refresh_from_db()
    assert not org.logo
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_a_logo_over_one_megabyte_is_refused(client_as, org):
    big = TINY_PNG + b"\0" * (1024 * 1024)
    response = upload_logo(client_as(Role.ADMIN), "logo.png", big)
    assert "logo" in response.context["form"].errors
    org.refresh_from_db()
    assert not org.logo


def test_an_association_without_a_logo_answers_404(client_as):
    assert (
        client_as(Role.RECEPTION).get(reverse("core:association_logo")).status_code
        == 404
    )
