"""Letters: printable Arabic letters on the association's letterhead, kept in
private storage and shown only to permitted staff of the same association
(issue 6 item 5; P-CHANNELS: letters are a channel; P-PRIVACY)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.contact.backends.letter import LetterBackend, render_letter
from mustafid.contact.outbox import Method, OutboxMessage
from mustafid.core.hijri import format_gregorian, format_hijri
from mustafid.core.models import AuditAction, AuditEvent
from mustafid.core.roles import Role
from tests.contact.backend_helpers import make_letter_message, outgoing
from tests.factories import TINY_PNG


@pytest.fixture
def letterhead_org(org):
    org.licence_number = "1234"
    org.supervising_body_ar = "المركز الوطني لتنمية القطاع غير الربحي"
    org.city = "الرياض"
    org.phone = "0112345678"
    org.email = "info@alpha.example"
    org.save()
    return org


def letter(org, **fields):
    values = {
        "method": Method.LETTER,
        "to": "",
        "subject": "قرار اللجنة",
        "recipient_name": "سارة محمد القحطاني",
        "postal_address": "٧٢٣٥ شارع الملك فهد\nحي العليا",
    }
    return outgoing(org, **(values | fields))


def test_the_letter_is_stored_privately_under_the_association(letterhead_org):
    sent = LetterBackend().send(letter(letterhead_org, message_id=9))

    assert sent.provider_id == f"letters/{letterhead_org.pk}/9.html"
    html = default_storage.open(sent.provider_id).read().decode("utf-8")
    assert 'dir="rtl"' in html
    assert "جمعية ألفا" in html
    assert "Alpha Association" in html
    assert "1234" in html
    assert "المركز الوطني لتنمية القطاع غير الربحي" in html
    assert "0112345678" in html
    assert format_hijri(timezone.localdate(), "ar") in html
    assert "سارة محمد القحطاني" in html
    assert "٧٢٣٥ شارع الملك فهد<br>حي العليا" in html
    assert "قرار اللجنة" in html
    # The body's lines become paragraphs.
    assert "<p>تمت الموافقة على طلبكم رقم ١٢٣.<br>" in html


def test_the_letter_is_dated_hijri_and_gregorian(org):
    day = datetime.date(2025, 3, 30)
    html = render_letter(letter(org), day=day)

    assert "1 شوال 1446 هـ" in html
    with translation.override("ar"):
        assert format_gregorian(day, "ar") in html


def test_sending_again_replaces_the_letter_instead_of_adding_one(org):
    first = LetterBackend().send(letter(org, body="الأولى"))
    second = LetterBackend().send(letter(org, body="الثانية"))

    assert first.provider_id == second.provider_id
    html = default_storage.open(second.provider_id).read().decode("utf-8")
    assert "الثانية" in html
    assert "الأولى" not in html


def test_the_logo_is_inside_the_letter_else_the_initials(org):
    without = render_letter(letter(org))
    assert 'class="initials"' in without

    org.logo.save("logo.png", ContentFile(TINY_PNG))
    with_logo = render_letter(letter(org))
    assert 'src="data:image/png;base64,' in with_logo


def test_text_is_escaped(org):
    html = render_letter(letter(org, body="<script>alert(1)</script>"))

    assert "<script>" not in html


def test_an_english_letter_reads_left_to_right(org):
    html = render_letter(letter(org, language="en", body="Approved."))

    assert 'dir="ltr"' in html
    assert 'lang="en"' in html


# The staff page.


def test_staff_with_the_outbox_see_the_letter_for_printing(client_as, org):
    message = make_letter_message(org)

    response = client_as(Role.RECEPTION).get(
        reverse("contact:letter", kwargs={"pk": message.pk})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    html = b"".join(response.streaming_content).decode("utf-8")
    assert "جمعية ألفا" in html
    assert "سارة محمد عبدالله القحطاني" in html
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_id=str(message.pk)
        ).exists()


def test_staff_without_the_outbox_are_refused(client_as, org):
    message = make_letter_message(org)

    response = client_as(Role.RESEARCHER).get(
        reverse("contact:letter", kwargs={"pk": message.pk})
    )

    assert response.status_code == 403


def test_another_associations_letter_is_not_found(client_as, other_org):
    message = make_letter_message(other_org)

    response = client_as(Role.MANAGER).get(
        reverse("contact:letter", kwargs={"pk": message.pk})
    )

    assert response.status_code == 404


def test_a_message_that_is_not_a_stored_letter_is_not_found(client_as, org):
    with scope(organization=org):
        sms = OutboxMessage.objects.create(
            organization=org, event="decision", method=Method.SMS, provider_id="x"
        )
        unsent = OutboxMessage.objects.create(
            organization=org, event="decision", method=Method.LETTER
        )
    client = client_as(Role.MANAGER)

    for message in (sms, unsent):
        url = reverse("contact:letter", kwargs={"pk": message.pk})
        assert client.get(url).status_code == 404


def test_a_letter_missing_from_storage_is_not_found(client_as, org):
    message = make_letter_message(org)
    default_storage.delete(message.provider_id)

    response = client_as(Role.MANAGER).get(
        reverse("contact:letter", kwargs={"pk": message.pk})
    )

    assert response.status_code == 404
