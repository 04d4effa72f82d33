"""The Arabic-first shell in a real browser: RTL, the English switch, accessibility."""

import re

from django.urls import reverse

from mustafid.core.roles import Role
from tests.conftest import make_member, make_organization
from tests.e2e.conftest import screenshot, serious_accessibility_violations

PASSWORD = "correct-horse-1448"


def sign_in(page, base_url, username):
    page.goto(base_url + reverse("login"))
    page.get_by_label(re.compile("اسم المستخدم")).fill(username)
    page.get_by_label(re.compile("كلمة المرور")).fill(PASSWORD)
    page.get_by_role("button", name="تسجيل الدخول").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def test_reception_officer_works_in_arabic_and_switches_to_english(
    page, live_server, transactional_db
):
    org = make_organization(
        "tiryaq", name_ar="جمعية ترياق للخدمات الصحية", name_en="Tiryaq Health"
    )
    officer = make_member(org, Role.RECEPTION, first_name="نورة", last_name="الشهري")

    page.goto(live_server.url + reverse("login"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "login-ar")
    assert serious_accessibility_violations(page) == []

    sign_in(page, live_server.url, officer.username)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator(".org-name").inner_text() == "جمعية ترياق للخدمات الصحية"
    heading = page.locator("h1").inner_text()
    assert heading == "علاقات المستفيدين"
    assert "هـ" in page.locator("footer").inner_text()  # the Hijri date
    screenshot(page, "dashboard-reception-ar")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    assert page.locator("h1").inner_text() == "Beneficiary relations"
    assert page.locator(".org-name").inner_text() == "Tiryaq Health"
    assert "AH" in page.locator("footer").inner_text()
    screenshot(page, "dashboard-reception-en")

    # Role-based navigation: reception staff see no audit trail.
    assert page.get_by_role("link", name="Beneficiaries").is_visible()
    assert page.get_by_role("link", name="Audit trail").count() == 0


def test_the_sign_in_page_fits_a_phone(phone_page, live_server, transactional_db):
    phone_page.goto(live_server.url + reverse("login"))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone_page, "login-phone-ar")
