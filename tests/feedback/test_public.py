"""The public side (P-COMPLAINTS, P-EONLINE, P-TRANSPARENCY): a form anyone may
send without signing in, rate-limited; the reference on a confirmation page;
the sender's page from the signed link (reopen, the satisfaction question)."""

import datetime
import html

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.feedback import links, services
from mustafid.feedback.models import FeedbackItem, Sender, Status
from tests.factories import TINY_PNG, BeneficiaryFactory
from tests.feedback.helpers import ar, make_item, messages, reload, step
from tests.portal.helpers import sign_in_as

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_url(org):
    return reverse("portal:feedback", kwargs={"org_slug": org.slug})


def status_url(item):
    return reverse(
        "portal:feedback_status",
        kwargs={
            "org_slug": item.organization.slug,
            "token": links.sender_token(item),
        },
    )


def test_anyone_sends_a_complaint_and_sees_the_reference(client, org):
    assert client.get(form_url(org)).status_code == 200
    response = client.post(
        form_url(org),
        {
            "kind": "complaint",
            "description": "انتظرت ساعتين في مقر الجمعية دون أن يستقبلني أحد.",
            "name": "منيرة الحربي",
            "mobile": "0501112233",
            "attachment": SimpleUploadedFile("photo.png", TINY_PNG),
        },
    )
    assert response.status_code == 302
    with scope(organization=org):
        item = FeedbackItem.objects.get()
        assert item.channel.kind == "website"
        assert item.attachments.count() == 1
    assert (item.sender, item.status) == (Sender.OTHER, Status.ACKNOWLEDGED)
    sent = client.get(response["Location"])
    assert item.reference in text(sent)
    (ack,) = messages(org, "complaint_acknowledged")
    assert ack.address == "+966501112233"


def test_anonymous_messages_need_no_contact(client, org):
    response = client.post(
        form_url(org),
        {"kind": "suggestion", "description": "مواقف أكثر.", "anonymous": "on"},
    )
    assert response.status_code == 302
    with scope(organization=org):
        assert FeedbackItem.objects.get().sender == Sender.ANONYMOUS
    assert messages(org) == []


def test_a_signed_in_beneficiary_sends_as_themselves(client, org):
    with scope(organization=org):
        person = BeneficiaryFactory(organization=org)
    sign_in_as(client, person)
    page = client.get(form_url(org))
    assert "name" not in page.context["form"].fields
    client.post(form_url(org), {"kind": "compliment", "description": "شكرًا."})
    with scope(organization=org):
        assert FeedbackItem.objects.get().beneficiary == person


def test_bad_input_is_shown_and_nothing_is_written(client, org):
    for data in (
        {"kind": "complaint", "description": ""},
        {"kind": "complaint", "description": "نص", "name": "سعد"},  # no contact
        {"kind": "dispute", "description": "نص", "anonymous": "on"},
        {
            "kind": "complaint",
            "description": "نص",
            "anonymous": "on",
            "attachment": SimpleUploadedFile("a.png", b"not an image"),
        },
    ):
        assert client.post(form_url(org), data).status_code == 400
    with scope(organization=org):
        assert not FeedbackItem.objects.exists()


def test_the_form_is_rate_limited_per_address(client, org, settings):
    settings.FEEDBACK_FORM_LIMIT = 2
    data = {"kind": "suggestion", "description": "اقتراح", "anonymous": "on"}
    assert client.post(form_url(org), data).status_code == 302
    assert client.post(form_url(org), data).status_code == 302
    response = client.post(form_url(org), data)
    assert response.status_code == 429
    assert ar("Too many messages were sent from here. Please try again later.") in (
        text(response)
    )
    with scope(organization=org):
        assert FeedbackItem.objects.count() == 2


def test_the_sender_reopens_from_the_link(client, org, members):
    item = make_item(org)
    step(
        org,
        services.resolve,
        actor=members[Role.RECEPTION],
        item=item,
        resolution="تم التواصل معك.",
    )
    page = client.get(status_url(item))
    assert "تم التواصل معك." in text(page)
    response = client.post(status_url(item), {"text": "لم يتواصل معي أحد."})
    assert response.status_code == 302
    assert reload(item).status == Status.IN_PROGRESS
    assert reload(item).reopen_count == 1


def test_the_satisfaction_link_is_answered_once(client, org, members):
    officer = members[Role.RECEPTION]
    item = make_item(org)
    step(org, services.resolve, actor=officer, item=item, resolution="تم.")
    step(org, services.close, actor=officer, item=item)
    (question,) = messages(org, "complaint_satisfaction")
    link = question.context["link"].split("testserver")[-1].split("8000")[-1]
    page = client.get(link)
    assert ar("How satisfied are you with how your complaint was handled?") in text(
        page
    )
    assert client.post(link, {"score": "5"}).status_code == 302
    assert reload(item).satisfaction == 5
    assert client.post(link, {"score": "1"}).status_code == 400
    assert reload(item).satisfaction == 5


def test_a_bad_expired_or_foreign_link_finds_nothing(client, org, other_org, settings):
    item = make_item(org)
    assert client.get(status_url(item) + "x").status_code == 404
    foreign = reverse(
        "portal:feedback_status",
        kwargs={"org_slug": other_org.slug, "token": links.sender_token(item)},
    )
    assert client.get(foreign).status_code == 404
    settings.FEEDBACK_LINK_DAYS = 30
    link = status_url(item)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert client.get(link).status_code == 404


def test_you_said_we_did_shows_only_what_is_done_and_published(client, org):
    page = client.get(reverse("portal:you_said_we_did", args=[org.slug]))
    assert page.status_code == 200
    assert ar("Nothing is published yet.") in text(page)


def test_the_confirmation_page_without_a_message_goes_back_to_the_form(client, org):
    response = client.get(reverse("portal:feedback_sent", args=[org.slug]))
    assert response.status_code == 302
    assert response["Location"] == form_url(org)


def test_a_signed_in_beneficiary_finds_their_own_messages_to_follow(client, org):
    with scope(organization=org):
        person, neighbour = BeneficiaryFactory.create_batch(2, organization=org)
    mine = make_item(org, sender="beneficiary", beneficiary=person)
    theirs = make_item(org, sender="beneficiary", beneficiary=neighbour)
    sign_in_as(client, person)
    page = text(client.get(form_url(org)))
    assert mine.reference in page
    assert theirs.reference not in page
    assert status_url(mine).split("/t/")[0] in page
