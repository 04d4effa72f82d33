"""Applying online on a phone, in Arabic (issue 7; P-EONLINE, P-ATTEST,
P-COMPLETE): a signed-in beneficiary chooses a service, reads the pre-check,
fills in a missing detail, uploads the required document, attests with the
code texted to their mobile, gets the request number, follows it, and
withdraws it."""

import re

from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.cases.models import Case
from mustafid.portal import session
from tests.conftest import make_organization
from tests.contact.fakes import FakeSmsGateway
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_case_journey import ar
from tests.factories import TINY_PNG, BeneficiaryFactory
from tests.portal.apply_helpers import service_with_documents


def portal_sign_in(page, base_url, beneficiary, **held):
    """What a completed code sign-in leaves: the session, and its cookie."""
    store = SessionStore()
    store[session.SESSION_KEY] = {
        "id": beneficiary.pk,
        "organization": beneficiary.organization_id,
        **held,
    }
    store.create()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": store.session_key,
                "url": base_url,
            }
        ]
    )


def check_page(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} overflows the phone: {width}px"


def test_a_beneficiary_applies_on_a_phone_follows_and_withdraws_the_request(
    phone_page, live_server, transactional_db, settings, tmp_path
):
    gateway = FakeSmsGateway().start()
    settings.SMS_GATEWAY = {"PRESET": "taqnyat", "URL": gateway.url, "TOKEN": "t"}
    settings.QUIET_HOURS = (0, 0)
    page = phone_page
    org = make_organization("amal", name_ar="جمعية أمل", name_en="Amal")
    service_with_documents(org, name_ar="السلة الغذائية الشهرية")
    with scope(organization=org):
        person = BeneficiaryFactory(
            organization=org,
            first_name="هند",
            birth_date=None,
            city="الرياض",
            region="riyadh",
            employment_status="not_working",
            monthly_income=1200,
        )
    document = tmp_path / "id.png"
    document.write_bytes(TINY_PNG)
    base = live_server.url
    try:
        portal_sign_in(page, base, person)
        page.goto(base + reverse("portal:apply", kwargs={"org_slug": org.slug}))
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.get_by_label("السلة الغذائية الشهرية").check()
        check_page(page, "portal-apply-choose")
        page.get_by_role("button", name=ar("Continue")).click()

        page.wait_for_url(re.compile(r"/apply/check/$"))
        check_page(page, "portal-apply-check")
        page.get_by_label(ar("Calendar")).select_option("gregorian")
        page.get_by_label(ar("Date (year-month-day)")).fill("1985-04-12")
        page.get_by_role("button", name=ar("Save my data")).click()
        page.wait_for_url(re.compile(r"/apply/check/$"))
        assert ar("Your data was saved.") in page.content()
        page.get_by_role("link", name=ar("Continue to the documents")).click()

        page.wait_for_url(re.compile(r"/apply/documents/$"))
        page.get_by_label(ar("Which document")).select_option(index=1)
        page.get_by_label(ar("file")).set_input_files(str(document))
        page.get_by_role("button", name=ar("Send the document")).click()
        page.wait_for_url(re.compile(r"/apply/documents/$"))
        check_page(page, "portal-apply-documents")
        page.get_by_role("link", name=ar("Continue to the attestation")).click()

        page.wait_for_url(re.compile(r"/apply/attest/$"))
        page.get_by_label(
            ar("I have read the attestation above and I agree to it")
        ).check()
        page.get_by_role("button", name=ar("Send me a code")).click()
        page.wait_for_url(re.compile(r"/apply/attest/$"))
        code = re.search(r"\d{6}", gateway.last.body["body"]).group()
        page.get_by_label(
            ar("I have read the attestation above and I agree to it")
        ).check()
        page.get_by_label(ar("The code sent to your mobile")).fill(code)
        check_page(page, "portal-apply-attest")
        page.get_by_role("button", name=ar("Send my request")).click()

        page.wait_for_url(re.compile(r"/apply/received/[\d-]+/$"))
        with scopes_disabled():
            case = Case.objects.get(beneficiary=person)
        assert case.status == "submitted"
        assert case.number in page.locator("main").inner_text()
        check_page(page, "portal-apply-receipt")

        page.get_by_role("link", name=ar("Follow this request")).click()
        page.wait_for_url(re.compile(r"/my/requests/[\d-]+/$"))
        assert ar("Received, waiting to be checked") in page.content()
        check_page(page, "portal-case-detail")

        # Changed their mind: withdraw it, with a reason (P-EONLINE).
        page.get_by_role("link", name=ar("Withdraw this request")).click()
        page.wait_for_url(re.compile(r"/my/requests/[\d-]+/withdraw/$"))
        page.get_by_label(ar("Why do you withdraw it? (optional)")).fill("وجدت عملًا")
        check_page(page, "portal-case-withdraw")
        page.get_by_role("button", name=ar("Withdraw my request")).click()
        page.wait_for_url(re.compile(r"/my/requests/[\d-]+/$"))
        case.refresh_from_db()
        assert case.status == "withdrawn"
        main = page.locator("main").inner_text()
        assert ar("withdrawn by you") in main and "وجدت عملًا" in main
        check_page(page, "portal-case-withdrawn")
        page.goto(base + reverse("portal:my_data", kwargs={"org_slug": org.slug}))
        assert "هند" in page.locator("main").inner_text()
        check_page(page, "portal-my-data")
    finally:
        gateway.stop()
