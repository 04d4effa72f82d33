"""New terms on a phone, in Arabic (P-CONSENT): a beneficiary who accepted
the first terms is held at the new ones after signing in, reads what changed
and accepts them, and goes on to their page."""

import re

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.core.roles import Role
from mustafid.portal.consent import (
    ConsentAcceptance,
    ConsentKind,
    current_text,
    record_acceptance,
)
from mustafid.portal.consent_versions import publish_consent_text
from tests.conftest import make_member, make_organization
from tests.e2e.test_case_journey import ar
from tests.e2e.test_portal_apply import check_page, portal_sign_in
from tests.factories import BeneficiaryFactory

CHANGED = "أضفنا تحديث بياناتك مرة كل سنة."
NEW_TERMS = "تُستخدم البوابة لطلب خدمات الجمعية ومتابعتها، وتُحدَّث البيانات سنويًا."


def test_new_terms_are_read_and_accepted_before_going_on(
    phone_page, live_server, transactional_db
):
    page = phone_page
    org = make_organization("amal", name_ar="جمعية أمل", name_en="Amal")
    manager = make_member(org, Role.MANAGER)
    with scope(organization=org):
        person = BeneficiaryFactory(organization=org, first_name="هند")
        record_acceptance(
            beneficiary=person, texts=[current_text(org, ConsentKind.TERMS)]
        )
        new_terms = publish_consent_text(
            actor=manager,
            organization=org,
            kind=ConsentKind.TERMS,
            text_ar=NEW_TERMS,
            summary_ar=CHANGED,
        )
    base = live_server.url
    portal_sign_in(page, base, person, terms_due=new_terms.pk)
    page.goto(base + reverse("portal:my_home", kwargs={"org_slug": org.slug}))
    page.wait_for_url(re.compile(r"/terms/accept/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert CHANGED in page.locator("main").inner_text()
    check_page(page, "portal-accept-terms")
    page.get_by_role("button", name=ar("I accept the new terms")).click()
    page.wait_for_url(re.compile(r"/me/$"))
    with scopes_disabled():
        assert ConsentAcceptance.objects.filter(
            beneficiary=person, text=new_terms
        ).exists()
    check_page(page, "portal-my-home-after-terms")
