"""The association's public pages show its own services, policy, channels and
answers, and never another association's (P-TRANSPARENCY, P-INFO)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from mustafid.core.models import DecisionDays
from mustafid.eligibility.models import Criterion, RuleSet, Subject
from mustafid.governance.models import PolicyVersion
from mustafid.portal.faq import FaqEntry
from mustafid.registry.models import DocumentType
from tests.cases.helpers import make_channel, make_service


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def page(client, org, name="portal:home", **kwargs):
    response = client.get(reverse(name, kwargs={"org_slug": org.slug, **kwargs}))
    assert response.status_code == 200
    return response.content.decode()


def test_services_show_conditions_documents_and_answer_time(client, org, other_org):
    """P-ELIGIBILITY, P-COMMITTEE: who qualifies, what to bring, when the answer."""
    org.decision_window_days = 10
    org.decision_days_kind = DecisionDays.WORKING
    org.save()
    service = make_service(org, name_ar="السلة الغذائية")
    make_service(org, name_ar="خدمة موقوفة", is_active=False)
    make_service(org, name_ar="خدمة خارج الاختصاص", in_scope=False)
    make_service(other_org, name_ar="خدمة بيتا")
    with scope(organization=org):
        id_copy = DocumentType.objects.create(
            organization=org, code="id_copy", name_ar="صورة الهوية الوطنية"
        )
        service.required_documents.add(id_copy)
        rules = RuleSet.objects.create(organization=org, service=service, version=1)
        Criterion.objects.create(
            organization=org,
            rule_set=rules,
            subject=Subject.AGE,
            minimum=18,
            reason_ar="العمر أقل من 18",
            reason_en="Under 18",
        )
    text = page(client, org, "portal:services")
    assert "السلة الغذائية" in text
    assert "صورة الهوية الوطنية" in text
    assert "18" in text and "خدمة موقوفة" not in text
    assert "خدمة خارج الاختصاص" not in text and "خدمة بيتا" not in text
    assert "10" in text and ar("working days, Sunday to Thursday") in text


def test_services_page_costs_the_same_queries_for_many_services(
    client, org, django_assert_max_num_queries
):
    for n in range(8):
        make_service(org, name_ar=f"خدمة {n}")
    url = reverse("portal:services", kwargs={"org_slug": org.slug})
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_policy_page_shows_the_approval_record(client, org, other_org):
    """P-APPROVAL: meeting number, date in Hijri and Gregorian, version, signatory."""
    with scope(organization=org):
        PolicyVersion.objects.create(
            organization=org,
            number="2",
            title_ar="سياسة تنظيم العلاقة مع المستفيدين",
            text="نص السياسة المعتمدة",
            board_meeting_number="11",
            board_meeting_date=datetime.date(2025, 6, 1),
            signatory="رئيس مجلس الإدارة",
        )
        # Not approved yet: no meeting date.
        PolicyVersion.objects.create(
            organization=org, number="3", title_ar="مسودة", text="نص المسودة"
        )
    with scope(organization=other_org):
        PolicyVersion.objects.create(
            organization=other_org,
            number="9",
            title_ar="سياسة بيتا",
            text="نص بيتا",
            board_meeting_date=datetime.date(2025, 1, 1),
        )
    text = page(client, org, "portal:policy")
    assert "نص السياسة المعتمدة" in text and "رئيس مجلس الإدارة" in text
    assert "11" in text and 'datetime="2025-06-01"' in text
    assert "1446" in text  # the Hijri year of 1 June 2025
    assert "نص المسودة" not in text and "نص بيتا" not in text


def test_policy_page_says_when_none_is_approved(client, org):
    assert ar("The association has no board-approved policy published yet.") in page(
        client, org, "portal:policy"
    )


def test_contact_page_lists_enabled_channels_and_contacts(client, org, other_org):
    org.phone = "0112345678"
    org.email = "info@alpha.example"
    org.city = "الرياض"
    org.save()
    make_channel(org, name_ar="الاتصالات الهاتفية", kind="phone")
    make_channel(org, name_ar="قناة موقوفة", kind="letters", is_enabled=False)
    make_channel(other_org, name_ar="قناة بيتا", kind="phone")
    text = page(client, org, "portal:contact")
    assert "الاتصالات الهاتفية" in text and "info@alpha.example" in text
    assert "0112345678" in text and "الرياض" in text
    assert "قناة موقوفة" not in text and "قناة بيتا" not in text


def test_complaint_page_explains_the_path(client, org):
    text = page(client, org, "portal:complain")
    assert ar("How to complain") in text
    assert 'id="complaint-form-link"' in text


def test_faq_starts_with_answers_from_the_associations_settings(client, org):
    """Five default answers: offers, decision time, documents, complaints, data."""
    org.decision_window_days = 21
    org.save()
    make_service(org, name_ar="كفالة الأيتام")
    text = page(client, org, "portal:faq")
    assert "كفالة الأيتام" in text
    assert "21 يومًا" in text
    assert "كيف تحمون بياناتي؟" in text
    with scope(organization=org):
        assert FaqEntry.objects.count() == 5
    page(client, org, "portal:faq")
    with scope(organization=org):
        assert FaqEntry.objects.count() == 5


def test_faq_shows_only_published_entries_of_this_association(client, org, other_org):
    with scope(organization=org):
        FaqEntry.objects.create(
            organization=org, question_ar="سؤال منشور؟", answer_ar="نعم."
        )
        FaqEntry.objects.create(
            organization=org,
            question_ar="سؤال مخفي؟",
            answer_ar="لا.",
            is_published=False,
        )
    with scope(organization=other_org):
        FaqEntry.objects.create(
            organization=other_org, question_ar="سؤال بيتا؟", answer_ar="بيتا."
        )
    text = page(client, org, "portal:faq")
    assert "سؤال منشور؟" in text
    assert "سؤال مخفي؟" not in text and "سؤال بيتا؟" not in text


def test_privacy_notice_names_the_rights(client, org):
    """P-PRIVACY: access, correction, deletion, withdrawal of consent."""
    text = page(client, org, "portal:privacy")
    assert "جمعية ألفا" in text
    for right in ("تطّلع على بياناتك", "تصحيح", "حذفها", "تسحب موافقتك"):
        assert right in text
    assert "رغبةٌ منك في الاستفادة" in page(client, org, "portal:terms")


def test_pages_switch_to_english(client, org):
    client.cookies["django_language"] = "en"
    text = page(client, org, "portal:privacy")
    assert "Your rights" in text and 'lang="en"' in text
    assert "Alpha Association" in page(client, org)


@pytest.mark.parametrize(
    "name",
    ["portal:services", "portal:policy", "portal:contact", "portal:faq"],
)
def test_nav_marks_the_current_page_and_offers_sign_in(client, org, name):
    text = page(client, org, name)
    url = reverse(name, kwargs={"org_slug": org.slug})
    assert f'href="{url}" aria-current="page"' in text
    assert reverse("portal:sign_in", kwargs={"org_slug": org.slug}) in text


def test_pages_of_an_unknown_or_inactive_association_are_not_found(client, org):
    assert client.get("/no-such-association/services/").status_code == 404
    org.is_active = False
    org.save()
    assert client.get(f"/{org.slug}/policy/").status_code == 404


def test_the_language_switch_keeps_the_page(client, org):
    page_url = reverse("portal:services", kwargs={"org_slug": org.slug})
    text = page(client, org, "portal:services")
    assert f'name="next" value="{page_url}"' in text
    response = client.post(
        reverse("set_language"), {"language": "en", "next": page_url}
    )
    assert response["Location"] == page_url
    assert 'lang="en"' in client.get(page_url).content.decode()
