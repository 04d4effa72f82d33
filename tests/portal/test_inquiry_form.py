"""The public inquiry form (issue 7 item 6, P-INFO): anyone asks, on the
website channel, with a reference and the expected answer date; bad input is
refused with a message; a robot or a flood is held back."""

from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.contact.models import ChannelKind, Inquiry
from tests.factories import BeneficiaryFactory
from tests.portal.helpers import sign_in_as

QUESTION = "متى يبدأ التسجيل في برنامج الحقيبة المدرسية؟"


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def url(org, name):
    return reverse(name, kwargs={"org_slug": org.slug})


def send(client, org, **changes):
    data = {
        "name": "خالد الزهراني",
        "mobile": "0551234567",
        "email": "",
        "question": QUESTION,
        "reply_method": "sms",
        "website": "",
    } | changes
    return client.post(url(org, "portal:contact"), data)


def inquiries():
    with scopes_disabled():
        return list(Inquiry.objects.select_related("channel"))


def test_an_inquiry_is_received_on_the_website_channel_with_its_reference(client, org):
    response = send(client, org)
    assert response["Location"] == url(org, "portal:inquiry_sent")
    (inquiry,) = inquiries()
    assert inquiry.organization == org
    assert inquiry.channel.kind == ChannelKind.WEBSITE
    assert inquiry.inquirer_name == "خالد الزهراني"
    assert inquiry.inquirer_mobile == "+966551234567"
    page = client.get(response["Location"]).content.decode()
    assert inquiry.reference in page
    due_on = timezone.localtime(inquiry.due_at).date()
    assert f'datetime="{due_on.isoformat()}"' in page


def test_the_confirmation_page_needs_an_inquiry_sent_from_this_session(client, org):
    assert client.get(url(org, "portal:inquiry_sent"))["Location"] == url(
        org, "portal:contact"
    )


def test_bad_input_is_refused_with_a_message_and_nothing_written(client, org):
    response = send(client, org, mobile="", email="")
    assert response.status_code == 400
    assert (
        ar("Give a mobile number or an email for the answer.")
        in response.content.decode()
    )
    response = send(client, org, reply_method="email", email="")
    assert response.status_code == 400
    assert ar("An answer by email needs an email address.") in (
        response.content.decode()
    )
    response = send(client, org, question="")
    assert response.status_code == 400
    response = send(client, org, mobile="123")
    assert response.status_code == 400
    assert inquiries() == []


def test_a_filled_hidden_field_is_refused(client, org):
    response = send(client, org, website="http://spam.example")
    assert response.status_code == 400
    assert ar("The form could not be sent. Try again.") in response.content.decode()
    assert inquiries() == []


def test_inquiries_are_limited_per_address(client, org, settings):
    settings.PORTAL_INQUIRIES_PER_IP = 2
    assert send(client, org).status_code == 302
    assert send(client, org).status_code == 302
    response = send(client, org)
    assert response.status_code == 429
    assert (
        ar("Too many questions were sent from here. Wait an hour and try again.")
        in response.content.decode()
    )
    assert len(inquiries()) == 2


def test_a_signed_in_beneficiary_finds_the_form_filled_and_is_answered_on_record(
    client, org
):
    with scope(organization=org):
        person = BeneficiaryFactory(organization=org, mobile="+966551234567")
    sign_in_as(client, person)
    page = client.get(url(org, "portal:contact")).content.decode()
    assert person.full_name in page and "0551234567" in page
    send(client, org, name=person.full_name, mobile="0551234567")
    (inquiry,) = inquiries()
    assert inquiry.beneficiary_id == person.pk
