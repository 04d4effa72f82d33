"""Surveys in the browser, in Arabic (issue 9): a beneficiary answers through
the link of their invitation on a phone, without signing in (P-SATISFACTION,
P-EONLINE); the manager reads the indicators and prints the questionnaire."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.core.roles import Role
from mustafid.surveys import tokens
from mustafid.surveys.demo import default_questionnaire
from mustafid.surveys.invitations import invite
from mustafid.surveys.models import Response
from tests.conftest import make_member, make_organization
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_shell import sign_in
from tests.factories import BeneficiaryFactory
from tests.surveys.helpers import ar

COMMENT = "الخدمة ممتازة، شكرًا لكم."


def test_a_beneficiary_answers_on_a_phone_and_the_manager_reads_the_results(
    page, phone_page, live_server, transactional_db
):
    org = make_organization("nour", name_ar="جمعية نور", name_en="Nour")
    manager = make_member(org, Role.MANAGER)
    with scope(organization=org):
        questionnaire = default_questionnaire(org)
        person = BeneficiaryFactory(organization=org, first_name="هند")
        invitation = invite(
            questionnaire=questionnaire, beneficiary=person, programme_key="e2e"
        )
    link = reverse(
        "portal:survey_answer",
        kwargs={"org_slug": org.slug, "token": tokens.token_for(invitation.salt)},
    )

    phone_page.goto(live_server.url + link)
    assert phone_page.locator("html").get_attribute("dir") == "rtl"
    assert serious_accessibility_violations(phone_page) == []
    # Sending without the required answers shows what is missing.
    phone_page.get_by_role("button", name=ar("Send my answers")).click()
    assert phone_page.locator(".alert.error").is_visible()
    screenshot(phone_page, "surveys-answer-errors")
    assert serious_accessibility_violations(phone_page) == []
    for fieldset in phone_page.locator("fieldset.kind-rating").all():
        fieldset.get_by_text("5", exact=True).click()
    yes_no = phone_page.locator("fieldset.kind-yes_no")
    yes_no.get_by_text(ar("Yes"), exact=True).click()
    phone_page.locator("fieldset.kind-nps").get_by_text("9", exact=True).click()
    phone_page.locator("textarea").fill(COMMENT)
    screenshot(phone_page, "surveys-answer-phone")
    # Nothing overflows the phone's width.
    assert phone_page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )
    phone_page.get_by_role("button", name=ar("Send my answers")).click()
    phone_page.get_by_role("heading", name=ar("Thank you")).wait_for()
    screenshot(phone_page, "surveys-answer-thanks")
    with scopes_disabled():
        response = Response.objects.get()
        assert response.beneficiary_id == person.pk
        assert response.answers.filter(number=5).count() == 3

    # The link works once.
    phone_page.goto(live_server.url + link)
    assert phone_page.get_by_role("heading", name=ar("Already answered")).is_visible()

    sign_in(page, live_server.url, manager.username)
    page.goto(live_server.url + reverse("surveys:indicators"))
    figures = page.locator(".widgets").inner_text()
    assert "100.0%" in figures  # three ratings of 5
    assert COMMENT in page.locator(".comments").inner_text()
    screenshot(page, "surveys-indicators")
    assert serious_accessibility_violations(page) == []
    printable = reverse("surveys:questionnaire_print", args=[questionnaire.pk])
    page.goto(live_server.url + printable)
    screenshot(page, "surveys-print")
    assert serious_accessibility_violations(page) == []
