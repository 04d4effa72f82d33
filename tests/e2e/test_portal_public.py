"""The beneficiary portal on a phone, in Arabic (issue 7): the public pages of
one association, registering with both consents, signing out and in again with
the code sent by SMS, and a question through the inquiry form. Every page passes
axe (WCAG 2.1 AA, no serious or critical findings) and fits 390 px without
sideways scrolling (P-TRANSPARENCY, P-EONLINE, P-REMOTE, P-CONSENT)."""

import datetime
import re

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.contact.models import Inquiry
from mustafid.governance.models import PolicyVersion
from mustafid.portal.consent import ConsentAcceptance
from mustafid.registry.models import Beneficiary, DocumentType
from tests.cases.helpers import make_channel, make_service
from tests.conftest import make_organization
from tests.contact.fakes import FakeSmsGateway
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_case_journey import ar

IDENTITY = "1000000008"
MOBILE = "0561234567"


def check(page, name: str) -> None:
    screenshot(page, f"portal-{name}")
    assert serious_accessibility_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{name} scrolls sideways at 390 px"
    )
    assert page.locator("html").get_attribute("dir") == "rtl"


def last_code(gateway) -> str:
    return re.search(r"\d{6}", gateway.last.body["body"]).group(0)


def test_a_visitor_browses_registers_signs_in_and_asks_on_a_phone(
    phone_page, live_server, transactional_db, settings
):
    page = phone_page
    gateway = FakeSmsGateway().start()
    settings.SMS_GATEWAY = {"PRESET": "taqnyat", "URL": gateway.url, "TOKEN": "t"}
    org = make_organization(
        "tuwaiq",
        name_ar="جمعية طويق لصناعة الكوادر البشرية",
        name_en="Tuwaiq",
        phone="0138000000",
        email="info@tuwaiq.example",
        city="الدمام",
    )
    service = make_service(org, name_ar="برنامج التأهيل للعمل")
    make_channel(org, name_ar="الموقع الإلكتروني للجمعية", kind="website")
    with scope(organization=org):
        cv = DocumentType.objects.create(
            organization=org, code="cv", name_ar="السيرة الذاتية"
        )
        service.required_documents.add(cv)
        PolicyVersion.objects.create(
            organization=org,
            number="1",
            title_ar="سياسة تنظيم العلاقة مع المستفيدين",
            text="تلتزم الجمعية بالمحافظة على خصوصية بيانات المستفيد وسريتها.",
            board_meeting_number="4",
            board_meeting_date=datetime.date(2024, 3, 10),
            signatory="رئيس مجلس الإدارة",
        )
    base = live_server.url + f"/{org.slug}/"

    try:
        page.goto(base)
        check(page, "home")
        for name, text in (
            ("services", "السيرة الذاتية"),
            ("policy", "رئيس مجلس الإدارة"),
            ("faq", "كيف تحمون بياناتي؟"),
            ("complain", ar("How to complain")),
            ("privacy", "تسحب موافقتك"),
        ):
            page.goto(live_server.url + reverse(f"portal:{name}", args=[org.slug]))
            assert text in page.locator("main").inner_text(), name
            check(page, name)

        # Register: identity, mobile, four-part name, gender, both consents.
        page.goto(live_server.url + reverse("portal:register", args=[org.slug]))
        page.get_by_label(ar("National ID or iqama number")).fill(IDENTITY)
        page.get_by_label(ar("Mobile number")).fill(MOBILE)
        page.locator("#id_first_name").fill("نورة")
        page.locator("#id_father_name").fill("سالم")
        page.locator("#id_grandfather_name").fill("عبدالعزيز")
        page.locator("#id_family_name").fill("العتيبي")
        page.get_by_label(ar("Female"), exact=True).check()
        page.get_by_label(ar("I have read the privacy notice and agree to it.")).check()
        page.locator("input[name=accept_terms]").check()
        check(page, "register")
        page.get_by_role("button", name=ar("Send me a code")).click()
        page.wait_for_url(re.compile(r"/sign-in/code/$"))
        check(page, "code")
        page.get_by_label(ar("The code sent to your mobile")).fill(last_code(gateway))
        page.get_by_role("button", name=ar("Confirm and register")).click()
        page.wait_for_url(re.compile(r"/me/$"))
        assert "نورة سالم عبدالعزيز العتيبي" in page.locator("main").inner_text()
        check(page, "my-home")
        with scopes_disabled():
            person = Beneficiary.objects.get()
            assert ConsentAcceptance.objects.filter(beneficiary=person).count() == 2

        # Sign out, then sign in again with a new code.
        page.get_by_role("button", name=ar("Sign out")).click()
        page.wait_for_url(re.compile(rf"/{org.slug}/$"))
        page.goto(live_server.url + reverse("portal:sign_in", args=[org.slug]))
        page.get_by_label(ar("National ID or iqama number")).fill(IDENTITY)
        page.get_by_label(ar("Mobile number")).fill(MOBILE)
        check(page, "sign-in")
        page.get_by_role("button", name=ar("Send me a code")).click()
        page.wait_for_url(re.compile(r"/sign-in/code/$"))
        page.get_by_label(ar("The code sent to your mobile")).fill(last_code(gateway))
        page.get_by_role("button", name=ar("Sign in"), exact=True).click()
        page.wait_for_url(re.compile(r"/me/$"))

        # A question through the public form, filled from the record.
        page.goto(live_server.url + reverse("portal:contact", args=[org.slug]))
        assert page.get_by_label(ar("Your name")).input_value() == person.full_name
        check(page, "contact")
        page.get_by_label(ar("Your question")).fill("هل يشمل البرنامج شهادة معتمدة؟")
        page.get_by_role("button", name=ar("Send")).click()
        page.wait_for_url(re.compile(r"/contact/sent/$"))
        with scopes_disabled():
            inquiry = Inquiry.objects.get()
        assert inquiry.reference in page.locator("main").inner_text()
        check(page, "inquiry-sent")
    finally:
        gateway.stop()
