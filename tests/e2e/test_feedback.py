"""Complaints in the browser, in Arabic (issue 8): someone files a complaint
from the association's public form on a phone, without signing in, and gets
the reference (P-COMPLAINTS, P-EONLINE); the relations officer takes it in
hand and resolves it in the back office; the manager sees it in the figures;
the sender answers the satisfaction question from the link (item 4)."""

import re

from django.urls import reverse
from django_scopes import scopes_disabled

from mustafid.contact.outbox import OutboxMessage
from mustafid.core.roles import Role
from mustafid.feedback.models import FeedbackItem, Status
from tests.cases.helpers import make_channel
from tests.conftest import make_member, make_organization
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_case_journey import ar
from tests.e2e.test_shell import sign_in

COMPLAINT = "انتظرت ساعتين في مقر الجمعية يوم الأحد دون أن يستقبلني أحد."
RESOLUTION = "نعتذر عن ذلك؛ أضفنا موظفًا ثانيًا للاستقبال في أوقات الذروة."


def test_a_complaint_from_a_phone_is_handled_in_the_back_office(
    phone_page, page, live_server, transactional_db
):
    org = make_organization("nour", name_ar="جمعية نور", name_en="Nour")
    officer = make_member(org, Role.RECEPTION, first_name="نورة", last_name="الشهري")
    manager = make_member(org, Role.MANAGER, first_name="خالد", last_name="العمري")
    make_channel(org, name_ar="الموقع الإلكتروني", kind="website")

    # The public form on a phone, without signing in.
    phone_page.goto(live_server.url + reverse("portal:feedback", args=[org.slug]))
    phone_page.get_by_label(ar("Complaint"), exact=True).check()
    phone_page.get_by_label(ar("Your message")).fill(COMPLAINT)
    phone_page.get_by_label(ar("Your name")).fill("منيرة الحربي")
    phone_page.get_by_label(ar("Mobile"), exact=True).fill("0501112233")
    screenshot(phone_page, "feedback-public-form-phone")
    assert serious_accessibility_violations(phone_page) == []
    phone_page.get_by_role("button", name=ar("Send")).click()
    phone_page.wait_for_url(re.compile(r"/nour/feedback/sent/$"))
    with scopes_disabled():
        item = FeedbackItem.objects.get()
    assert item.reference in phone_page.locator(".reference").inner_text()
    screenshot(phone_page, "feedback-public-sent-phone")
    assert serious_accessibility_violations(phone_page) == []

    # The officer takes it in hand and resolves it.
    sign_in(page, live_server.url, officer.username)
    page.goto(live_server.url + reverse("feedback:item_create"))
    screenshot(page, "feedback-record-form")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name=ar("Complaints"), exact=True).click()
    screenshot(page, "feedback-queue")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name=item.reference).click()
    screenshot(page, "feedback-item-acknowledged")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name=ar("Start handling")).click()
    page.wait_for_url(re.compile(r"/feedback/\d+/$"))
    page.get_by_label(ar("What was done (sent to the sender)")).fill(RESOLUTION)
    page.get_by_role("button", name=ar("Save and tell the sender")).click()
    page.wait_for_url(re.compile(r"/feedback/\d+/$"))
    page.get_by_role("button", name=ar("Close the item")).click()
    page.wait_for_url(re.compile(r"/feedback/\d+/$"))
    screenshot(page, "feedback-item-closed")
    assert serious_accessibility_violations(page) == []
    with scopes_disabled():
        item.refresh_from_db()
        assert item.status == Status.CLOSED
        question = OutboxMessage.objects.get(event="complaint_satisfaction")

    # The sender answers the one question from the link they were sent.
    link = question.context["link"].split("/", 3)[-1]
    phone_page.goto(f"{live_server.url}/{link}")
    assert RESOLUTION in phone_page.locator("main").inner_text()
    phone_page.get_by_label(ar("Satisfied"), exact=True).check()
    screenshot(phone_page, "feedback-public-satisfaction-phone")
    assert serious_accessibility_violations(phone_page) == []
    phone_page.get_by_role("button", name=ar("Send my answer")).click()
    phone_page.wait_for_load_state()
    with scopes_disabled():
        item.refresh_from_db()
        assert item.satisfaction == 4

    # The manager's figures.
    page.context.clear_cookies()
    sign_in(page, live_server.url, manager.username)
    page.goto(live_server.url + reverse("feedback:figures"))
    screenshot(page, "feedback-figures")
    assert serious_accessibility_violations(page) == []
