"""Communications in the browser, in Arabic (issue 6): reception records a
phone inquiry from someone not registered and answers it (P-INFO, P-RECEIVE);
the answer is queued, the worker sends it to the SMS gateway, and the
outgoing-messages page shows it sent; a call is logged on a beneficiary's
contacts tab (P-CHANNELS)."""

import re

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.contact.models import Inquiry, InquiryStatus
from mustafid.contact.outbox import OutboxMessage, OutboxStatus
from mustafid.contact.sending import send_due
from mustafid.core.roles import Role
from tests.cases.helpers import make_channel
from tests.conftest import make_member, make_organization
from tests.contact.fakes import FakeSmsGateway
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_case_journey import ar
from tests.e2e.test_shell import sign_in
from tests.factories import BeneficiaryFactory

QUESTION = "متى يبدأ التسجيل في برنامج السلال الغذائية لشهر رمضان؟"
ANSWER = "يبدأ التسجيل في الأول من شعبان عبر موقع الجمعية أو بزيارة المقر."


def test_an_inquiry_is_answered_by_sms_and_a_call_is_logged(
    page, live_server, transactional_db, settings
):
    gateway = FakeSmsGateway().start()
    settings.SMS_GATEWAY = {"PRESET": "taqnyat", "URL": gateway.url, "TOKEN": "t"}
    settings.QUIET_HOURS = (0, 0)
    org = make_organization("nour", name_ar="جمعية نور", name_en="Nour")
    reception = make_member(org, Role.RECEPTION)
    make_channel(org)
    with scope(organization=org):
        person = BeneficiaryFactory(organization=org, first_name="هند")

    try:
        sign_in(page, live_server.url, reception.username)
        page.goto(live_server.url + reverse("contact:inquiry_create"))
        page.get_by_label(ar("Received through")).select_option(index=1)
        page.get_by_label(ar("Inquirer's name")).fill("خالد الزهراني")
        page.get_by_label(ar("Inquirer's mobile")).fill("0551234567")
        page.get_by_label(ar("Question")).fill(QUESTION)
        screenshot(page, "communications-inquiry-new")
        assert serious_accessibility_violations(page) == []
        page.get_by_role("button", name=ar("Record"), exact=True).click()
        screenshot(page, "communications-inquiry-recorded")
        page.wait_for_url(re.compile(r"/contact/inquiries/\d+/$"))
        page.get_by_label(ar("Answer")).fill(ANSWER)
        screenshot(page, "communications-inquiry-answer")
        assert serious_accessibility_violations(page) == []
        page.locator("form button.primary").click()
        page.wait_for_url(re.compile(r"/contact/inquiries/\d+/$"))
        with scopes_disabled():
            inquiry = Inquiry.objects.get()
            assert inquiry.status == InquiryStatus.ANSWERED
            message = OutboxMessage.objects.get(event="inquiry_answered")

        # The worker's batch: the answer reaches the gateway in Arabic.
        assert send_due() == {OutboxStatus.SENT: 1}
        assert ANSWER in gateway.last.body["body"]
        assert gateway.last.body["body"].startswith("خالد الزهراني،")
        assert gateway.last.body["recipients"] == ["966551234567"]

        page.goto(live_server.url + reverse("outbox:list"))
        assert ar("Sent") in page.locator("table").inner_text()
        screenshot(page, "communications-outbox")
        assert serious_accessibility_violations(page) == []
        page.goto(live_server.url + reverse("outbox:detail", args=[message.pk]))
        assert ANSWER in page.locator(".message-text").inner_text()
        screenshot(page, "communications-outbox-message")

        # A phone call logged from the beneficiary's profile.
        page.goto(
            live_server.url
            + reverse("registry:beneficiary_detail", args=[person.pk])
            + "?tab=contacts"
        )
        screenshot(page, "communications-contacts-tab")
        assert serious_accessibility_violations(page) == []
    finally:
        gateway.stop()
