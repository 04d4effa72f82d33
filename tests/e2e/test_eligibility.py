"""Eligibility in the browser, in Arabic (issue 5): the manager writes a
service's rules, reception sees the pre-check while receiving a request, and
the manager records an exception on a request that fails a condition."""

import re

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mustafid.core.roles import Role
from mustafid.eligibility.models import EligibilityCheck, RuleSet
from mustafid.registry.models import ResidencyStatus
from tests.cases.helpers import make_channel, make_service
from tests.conftest import make_member, make_organization
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_case_journey import ar, as_staff, card
from tests.e2e.test_shell import sign_in
from tests.factories import BeneficiaryFactory

SERVICE = "مساعدة مالية لسداد الإيجار"
INCOME_REASON = "يتجاوز دخل الأسرة للفرد 1,500 ريال شهريًا."


def test_rules_precheck_and_exception(page, live_server, transactional_db):
    org = make_organization("wafa", name_ar="جمعية وفاء", name_en="Wafa")
    manager = make_member(org, Role.MANAGER)
    reception = make_member(org, Role.RECEPTION)
    service = make_service(org, name_ar=SERVICE, name_en="Rent aid")
    make_channel(org)
    with scope(organization=org):
        visitor = BeneficiaryFactory(
            organization=org,
            first_name="عمر",
            residency_status=ResidencyStatus.IRREGULAR,
            monthly_income=3000,
        )

    # The manager adds an income condition to the default rules.
    sign_in(page, live_server.url, manager.username)
    page.goto(live_server.url + reverse("eligibility:rules_edit", args=[service.pk]))
    page.select_option("#id_criteria-2-subject", "income_per_person")
    page.fill("#id_criteria-2-maximum", "1500")
    page.fill("#id_criteria-2-reason_ar", INCOME_REASON)
    page.fill("#id_criteria-2-reason_en", "Household income above 1,500 SAR a person.")
    page.fill("#id_note", "حد الدخل بحسب قرار المجلس")
    screenshot(page, "eligibility-rules-edit")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name=ar("Publish the rules")).click()
    page.wait_for_url(re.compile(r"/eligibility/rules/$"))
    assert SERVICE in page.locator(".messages").inner_text()
    screenshot(page, "eligibility-rules-list")
    with scopes_disabled():
        rules = RuleSet.objects.get(service=service, is_current=True)
        assert [c.subject for c in rules.criteria.all()] == [
            "in_scope",
            "residency",
            "income_per_person",
        ]

    # Reception receives a request: the pre-check explains both failures.
    as_staff(page, live_server, reception)
    page.goto(
        live_server.url + reverse("cases:case_intake") + f"?beneficiary={visitor.pk}"
    )
    page.get_by_label(ar("Service")).select_option(label=SERVICE)
    precheck = page.locator("#eligibility-precheck")
    precheck.get_by_text(INCOME_REASON).wait_for()
    assert "إقامة نظامية" in precheck.inner_text()
    screenshot(page, "eligibility-precheck")
    assert serious_accessibility_violations(page) == []

    # A request of this beneficiary, submitted: the manager records an exception.
    from tests.cases.helpers import make_case

    case = make_case(org, "verifying", service=service, beneficiary=visitor)
    with scope(organization=org):
        from mustafid.eligibility.models import Stage
        from mustafid.eligibility.services import record_check

        record_check(case, Stage.SUBMISSION)
    as_staff(page, live_server, manager)
    page.goto(live_server.url + reverse("cases:case_detail", args=[case.pk]))
    section = card(page, ar("Eligibility"))
    assert INCOME_REASON in section.inner_text()
    section.get_by_label(
        ar("Why the request goes ahead although a condition is not met")
    ).fill("إقامة قيد التجديد بخطاب رسمي، والدخل مؤقت")
    section.get_by_role("button", name=ar("Record the exception")).click()
    page.wait_for_load_state()
    assert (
        ar("Exception by the executive manager")
        in card(page, ar("Eligibility")).inner_text()
    )
    screenshot(page, "eligibility-case")
    assert serious_accessibility_violations(page) == []
    with scopes_disabled():
        assert EligibilityCheck.objects.get(case=case).overridden_by == manager


def test_review_queue_and_who_qualifies(page, live_server, transactional_db):
    """P-PERIODIC and P-GOAL: the services officer completes an overdue review
    (deliveries resume) and tells those who qualify without having asked."""
    import datetime

    from django.utils import timezone

    from mustafid.contact.outbox import OutboxMessage
    from mustafid.eligibility.models import ReviewStatus, ReviewTask
    from mustafid.eligibility.reviews import open_reviews
    from mustafid.registry.models import RegistrationStatus
    from tests.cases.helpers import make_case

    org = make_organization("nama", name_ar="جمعية نماء", name_en="Namaa")
    officer = make_member(org, Role.SERVICES)
    service = make_service(org, name_ar=SERVICE, name_en="Rent aid")
    with scope(organization=org):
        from mustafid.eligibility.services import publish_rules

        publish_rules(
            actor=None,
            service=service,
            combine="all",
            criteria=[
                {
                    "subject": "residency",
                    "values": ["citizen", "resident"],
                    "reason_ar": "يشترط وجود إقامة نظامية.",
                    "reason_en": "Legal residency is required.",
                }
            ],
            review_every_months=12,
            grace_days=10,
        )
        receiving = BeneficiaryFactory(organization=org, first_name="سالم")
        for name in ("هند", "منيرة"):
            BeneficiaryFactory(
                organization=org,
                first_name=name,
                registration_status=RegistrationStatus.REGISTERED,
                contact_consent=True,
            )
    long_ago = timezone.now() - datetime.timedelta(days=430)
    case = make_case(
        org, "delivering", service=service, beneficiary=receiving, decided_at=long_ago
    )
    with scope(organization=org):
        opened = open_reviews(org, timezone.localdate() - datetime.timedelta(days=20))
        assert opened["cycle"] == 1

    sign_in(page, live_server.url, officer.username)
    page.goto(live_server.url + reverse("eligibility:review_queue"))
    queue = page.locator("main").inner_text()
    assert "سالم" in queue
    screenshot(page, "eligibility-review-queue")
    assert serious_accessibility_violations(page) == []
    with scopes_disabled():
        review = ReviewTask.objects.get(case=case)
    page.goto(live_server.url + reverse("eligibility:review_detail", args=[review.pk]))
    screenshot(page, "eligibility-review")
    assert serious_accessibility_violations(page) == []
    page.get_by_label(ar("Renewed: still eligible")).check()
    page.get_by_role("button", name=ar("Record the outcome")).click()
    page.wait_for_load_state()
    with scopes_disabled():
        review.refresh_from_db()
        assert review.status == ReviewStatus.RENEWED

    page.goto(live_server.url + reverse("eligibility:match_list", args=[service.pk]))
    listed = page.locator("main").inner_text()
    assert "هند" in listed and "منيرة" in listed and "سالم" not in listed
    screenshot(page, "eligibility-matches")
    assert serious_accessibility_violations(page) == []
    page.locator("form[action$='/invite/'] button[type=submit]").click()
    page.wait_for_load_state()
    with scopes_disabled():
        assert OutboxMessage.objects.filter(event="service_match").count() == 2
