"""Registering a beneficiary in the browser, in Arabic (P-COMPLETE, P-REGISTER)."""

from django.urls import reverse
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.registry.defaults import ensure_registry_defaults
from mustafid.registry.models import Beneficiary
from tests.conftest import make_member, make_organization
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_shell import sign_in


def test_reception_registers_a_beneficiary_with_a_hijri_birth_date(
    page, live_server, transactional_db
):
    org = make_organization("qalb", name_ar="جمعية قلب لرعاية مرضى القلب")
    ensure_registry_defaults(org)
    officer = make_member(org, Role.RECEPTION)
    sign_in(page, live_server.url, officer.username)

    page.goto(live_server.url + reverse("registry:beneficiary_create"))
    assert serious_accessibility_violations(page) == []
    page.fill("#id_first_name", "فاطمة")
    page.fill("#id_father_name", "علي")
    page.fill("#id_grandfather_name", "حسن")
    page.fill("#id_family_name", "العمري")
    page.select_option("#id_identity_type", "national_id")
    page.fill("#id_identity_number", "١٠٠٠٠٠٠٠٠٨")
    page.select_option("#id_residency_status", "citizen")
    page.select_option("#id_gender", "female")
    page.select_option("#id_birth_date_0", "hijri")
    page.fill("#id_birth_date_1", "1420-09-01")
    page.fill("#id_mobile", "0551234567")
    page.fill("#id_short_address", "RRRD2929")
    page.get_by_label("الأيتام").check()
    screenshot(page, "registry-form-ar")
    page.get_by_role("button", name="حفظ").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "فاطمة علي حسن العمري"
    assert "هـ" in page.locator(".facts").inner_text()
    screenshot(page, "registry-profile-ar")
    with scope(organization=org):
        person = Beneficiary.objects.get()
    assert person.mobile == "+966551234567"

    page.goto(live_server.url + reverse("registry:beneficiary_list") + "?q=فاطمه")
    assert page.get_by_role("link", name="فاطمة علي حسن العمري").is_visible()
    screenshot(page, "registry-list-ar")


def test_a_wrong_mobile_is_explained_in_arabic(page, live_server, transactional_db):
    org = make_organization("tiryaq")
    officer = make_member(org, Role.RECEPTION)
    sign_in(page, live_server.url, officer.username)
    page.goto(live_server.url + reverse("registry:beneficiary_create"))
    page.fill("#id_mobile", "0521234567")
    page.get_by_role("button", name="حفظ").click()
    page.wait_for_load_state()
    error = page.locator("#id_mobile_error").inner_text()
    assert "05" in error
    screenshot(page, "registry-form-errors-ar")
