"""The demo loader: the five seed associations as their policies state them, a
login per role, realistic beneficiaries, and reruns that add nothing."""

import datetime
import io
import re
import shutil

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled

from mustafid.contact.models import Channel, ChannelKind, Inquiry, Interaction
from mustafid.contact.outbox import OutboxMessage
from mustafid.core import demo
from mustafid.core.models import Membership, Organization
from mustafid.core.roles import Role
from mustafid.core.saudi_ids import is_valid_id
from mustafid.feedback.models import FeedbackItem, ImprovementAction
from mustafid.governance.models import PolicyVersion, StaffTool
from mustafid.registry import demo_names
from mustafid.registry.models import Beneficiary, IdentityType
from mustafid.surveys.models import Invitation, Questionnaire, Response

PASSWORD = "test-demo-pass-1448"
SLUGS = ("safa", "tiryaq", "tuwaiq", "qalb", "alhasa-prisoners")
# Arabic letters only; a family name may be two words ("آل مبارك").
ARABIC_NAME_PART = re.compile(r"^[\u0621-\u064a]+( [\u0621-\u064a]+)?$")
SAUDI_MOBILE = re.compile(r"^\+9665[0345679]\d{7}$")


@pytest.fixture
def associations() -> dict[str, Organization]:
    return {org.slug: org for org in demo.load_associations()}


def _channels(org: Organization) -> list[Channel]:
    with scope(organization=org):
        return list(Channel.objects.order_by("position"))


def _tools(org: Organization) -> list[str]:
    with scope(organization=org):
        return list(
            StaffTool.objects.order_by("position").values_list("name_ar", flat=True)
        )


def _policy(org: Organization) -> PolicyVersion:
    with scope(organization=org):
        return PolicyVersion.objects.get()


def _row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (
                Organization,
                Channel,
                StaffTool,
                PolicyVersion,
                get_user_model(),
                Membership,
                Beneficiary,
                Inquiry,
                Interaction,
                OutboxMessage,
                FeedbackItem,
                ImprovementAction,
                Questionnaire,
                Invitation,
                Response,
            )
        }


def _all_beneficiaries() -> list[Beneficiary]:
    with scopes_disabled():
        return list(Beneficiary.objects.select_related("organization"))


@pytest.mark.django_db
def test_the_five_associations_load_with_their_slugs(associations):
    assert tuple(associations) == SLUGS
    assert associations["alhasa-prisoners"].name_en == (
        "Alhasa Prisoners Care Association"
    )


@pytest.mark.django_db
def test_each_association_gets_its_policys_channels_in_the_policys_order(
    associations,
):
    """P-CHANNELS: 000 lists 7 channels, 001 and 003 add branch-office
    representatives (8), 002 has 6 with the social researcher, 004 has 5."""
    counts = {slug: len(_channels(org)) for slug, org in associations.items()}
    assert counts == {
        "safa": 7,
        "tiryaq": 8,
        "tuwaiq": 6,
        "qalb": 8,
        "alhasa-prisoners": 5,
    }
    assert [c.kind for c in _channels(associations["tuwaiq"])] == [
        ChannelKind.INTERVIEW,
        ChannelKind.PHONE,
        ChannelKind.SOCIAL_RESEARCHER,
        ChannelKind.SOCIAL_MEDIA,
        ChannelKind.VOLUNTEERING,
        ChannelKind.WEBSITE,
    ]
    assert _channels(associations["tuwaiq"])[1].name_ar == (
        "الاتصالات الهاتفية أو الخطابات"
    )
    for slug in ("tiryaq", "qalb"):
        last = _channels(associations[slug])[-1]
        assert last.kind == ChannelKind.BRANCH_REPRESENTATIVES
        assert last.name_ar == "مناديب المكاتب الفرعية"
    assert [c.name_ar for c in _channels(associations["qalb"])] == [
        c.name_ar for c in _channels(associations["tiryaq"])
    ]


@pytest.mark.django_db
def test_each_association_gets_the_staff_tools_its_policy_lists(associations):
    """P-TOOLS: 000 three tools, 001 adds the support policy guide, 002 lists
    none, 003 keeps only the bylaws, 004 bylaws and questionnaires."""
    tools = {slug: _tools(org) for slug, org in associations.items()}
    assert {slug: len(names) for slug, names in tools.items()} == {
        "safa": 3,
        "tiryaq": 4,
        "tuwaiq": 0,
        "qalb": 1,
        "alhasa-prisoners": 2,
    }
    assert "دليل سياسة الدعم للمستفيدين" in tools["tiryaq"]
    assert tools["qalb"] == ["اللائحة الأساسية للجمعية"]
    assert tools["alhasa-prisoners"] == [
        "اللائحة الأساسية للجمعية",
        "الاستبانات الإلكترونية والورقية",
    ]


@pytest.mark.django_db
def test_policy_versions_record_the_board_approval_as_each_policy_states_it(
    associations,
):
    """P-APPROVAL: meeting number, meeting date, issue number, term, signatory."""
    safa = _policy(associations["safa"])
    assert (safa.number, safa.board_meeting_number) == ("1", "3")
    assert safa.board_meeting_date == datetime.date(2025, 4, 10)

    tiryaq = _policy(associations["tiryaq"])
    assert tiryaq.board_meeting_number == "11"
    assert tiryaq.board_meeting_date == datetime.date(2025, 6, 1)

    tuwaiq = _policy(associations["tuwaiq"])
    assert tuwaiq.title_ar.startswith("سياسة تنظيم العلاقة مع المستفيدين وتقديم")
    assert tuwaiq.board_meeting_number == ""
    assert tuwaiq.board_meeting_date is None
    assert tuwaiq.signatory == "خالد بن أحمد العبيد، رئيس مجلس الإدارة"
    assert "1445هـ" in tuwaiq.approval_note

    qalb = _policy(associations["qalb"])
    assert qalb.board_meeting_number == "3"
    assert qalb.board_meeting_date == datetime.date(2023, 7, 15)
    assert qalb.approval_note

    alhasa = _policy(associations["alhasa-prisoners"])
    assert alhasa.number == "01"
    assert alhasa.issue_date == datetime.date(2026, 1, 31)
    assert alhasa.board_meeting_number == "1"
    assert alhasa.board_meeting_date == datetime.date(2026, 1, 31)
    assert alhasa.board_term == "الدورة الأولى"


@pytest.mark.django_db
def test_policy_versions_carry_the_full_policy_text(associations):
    """P-APPROVAL, P-TRANSPARENCY: the approved text itself is stored."""
    assert "جمعية الصفا الخيرية" in _policy(associations["safa"]).text
    assert "منصة التطوع" in _policy(associations["tuwaiq"]).text
    assert "ضوابط حضور البرامج" in _policy(associations["alhasa-prisoners"]).text


@pytest.mark.django_db
def test_association_profiles_state_only_what_the_policies_say(associations):
    safa, tiryaq = associations["safa"], associations["tiryaq"]
    assert (safa.licence_number, safa.supervising_body_en) == (
        "7",
        "Ministry of Human Resources and Social Development",
    )
    assert safa.region == ""
    assert (tiryaq.licence_number, tiryaq.region, tiryaq.city) == (
        "5389",
        "makkah",
        "غميقة",
    )
    assert tiryaq.supervising_body_ar == "المركز الوطني لتنمية القطاع غير الربحي"
    assert associations["tuwaiq"].region == "eastern"
    assert associations["alhasa-prisoners"].city == "الأحساء"
    qalb = associations["qalb"]
    assert (qalb.licence_number, qalb.supervising_body_ar, qalb.region) == ("", "", "")


@pytest.mark.django_db
def test_loading_the_demo_twice_adds_nothing():
    """P-CHANNELS, P-TOOLS, P-APPROVAL: a rerun updates rows, never duplicates."""
    demo.load_demo(password=PASSWORD)
    first = _row_counts()
    people = sorted(
        (b.organization.slug, b.identity_number, b.full_name, b.mobile)
        for b in _all_beneficiaries()
    )
    demo.load_demo(password=PASSWORD)
    assert _row_counts() == first
    assert first == {
        "Organization": 5,
        "Channel": 34,
        "StaffTool": 10,
        "PolicyVersion": 5,
        "User": 5 * len(Role) + 1,
        "Membership": 5 * len(Role) + 2,
        # 50 made-up people and one who signs in to the portal, each.
        "Beneficiary": 5 * 51,
        # P-INFO, P-RECEIVE: one inquiry answered (its reply queued), one waiting,
        # one overdue; a logged call and each inquiry's contacts.
        "Inquiry": 5 * 3,
        # Issue 8 adds the contacts of three feedback items.
        "Interaction": 5 * (5 + 3),
        # P-COMPLAINTS: acknowledgements, the resolution, the answer to the
        # suggestion and the satisfaction question.
        "OutboxMessage": 5 * (1 + 6 + 3),
        # P-COMPLAINTS, P-IMPROVE: a rated complaint, an answered suggestion and
        # its published improvement action, a late complaint, a compliment.
        "FeedbackItem": 5 * 4,
        "ImprovementAction": 5 * 1,
        # P-SATISFACTION: the default questionnaire, three invitations (each
        # queues its message), two answered by link and one paper answer.
        "Questionnaire": 5,
        "Invitation": 5 * 3,
        "Response": 5 * 3,
    }
    assert people == sorted(
        (b.organization.slug, b.identity_number, b.full_name, b.mobile)
        for b in _all_beneficiaries()
    )


@pytest.mark.django_db
def test_rerunning_the_demo_resets_demo_passwords():
    demo.load_demo(password=PASSWORD, beneficiaries=0)
    user = get_user_model().objects.get(username="safa-admin")
    user.set_password("changed-by-someone-1")
    user.save()
    demo.load_demo(password=PASSWORD, beneficiaries=0)
    assert authenticate(username="safa-admin", password=PASSWORD) == user


@pytest.mark.django_db
def test_every_demo_login_signs_in_with_its_role_in_its_association(associations):
    for org in associations.values():
        logins = demo.create_demo_staff(org, password=PASSWORD)
        for role in Role:
            username = f"{org.slug}-{role.value}"
            assert (username, role) in logins
            user = authenticate(username=username, password=PASSWORD)
            assert user is not None, username
            assert user.email == f"{username}@demo.mustafid.invalid"
            assert ARABIC_NAME_PART.match(user.first_name)
            assert ARABIC_NAME_PART.match(user.last_name)
            with scopes_disabled():
                membership = Membership.objects.get(user=user)
            assert (membership.organization, membership.role) == (org, role)


@pytest.mark.django_db
def test_the_multi_association_admin_administers_safa_and_tiryaq(associations):
    for org in associations.values():
        demo.create_demo_staff(org, password=PASSWORD)
    user = authenticate(username="multi-admin", password=PASSWORD)
    assert user is not None
    with scopes_disabled():
        memberships = sorted(
            (m.organization.slug, m.role)
            for m in Membership.objects.filter(user=user).select_related("organization")
        )
    assert memberships == [("safa", Role.ADMIN), ("tiryaq", Role.ADMIN)]


@pytest.mark.django_db
def test_demo_identity_numbers_pass_the_check_digit_and_match_their_type(
    associations,
):
    """P-COMPLETE: generated ids are valid national ids and iqamas."""
    for org in associations.values():
        demo.create_demo_beneficiaries(org)
    people = _all_beneficiaries()
    assert len(people) == 250
    for person in people:
        assert is_valid_id(person.identity_number), person.identity_number
        expected_first_digit = (
            "1" if person.identity_type == IdentityType.NATIONAL_ID else "2"
        )
        assert person.identity_number[0] == expected_first_digit
    iqamas = sum(p.identity_type == IdentityType.IQAMA for p in people)
    assert 0.05 * len(people) < iqamas < 0.3 * len(people)


@pytest.mark.django_db
def test_demo_mobiles_are_saudi_mobiles_with_real_prefixes(associations):
    for org in associations.values():
        demo.create_demo_beneficiaries(org)
    mobiles = [person.mobile for person in _all_beneficiaries()]
    assert mobiles
    assert [m for m in mobiles if not SAUDI_MOBILE.match(m)] == []
    assert not any(m.startswith("+96652") for m in mobiles)


@pytest.mark.django_db
def test_demo_names_have_four_arabic_parts(associations):
    for org in associations.values():
        demo.create_demo_beneficiaries(org)
    for person in _all_beneficiaries():
        parts = (
            person.first_name,
            person.father_name,
            person.grandfather_name,
            person.family_name,
        )
        assert all(ARABIC_NAME_PART.match(part) for part in parts), parts
        assert person.father_name in demo_names.MALE_FIRST_NAMES
        assert person.grandfather_name in demo_names.MALE_FIRST_NAMES


@pytest.mark.django_db
def test_demo_beneficiaries_live_in_their_associations_region(associations):
    for org in associations.values():
        demo.create_demo_beneficiaries(org, count=20)
    for person in _all_beneficiaries():
        org = person.organization
        if org.region:
            assert person.region == org.region
        assert person.city in (org.city, *demo_names.CITIES_BY_REGION[person.region])
        assert datetime.date(1950, 1, 1) <= person.birth_date
        assert person.birth_date <= datetime.date(2008, 12, 31)


@pytest.mark.django_db
def test_a_larger_demo_count_keeps_the_first_people_and_adds_the_rest(
    associations,
):
    org = associations["tiryaq"]
    assert demo.create_demo_beneficiaries(org, count=5) == 5
    with scope(organization=org):
        first = set(Beneficiary.objects.values_list("identity_number", flat=True))
    assert demo.create_demo_beneficiaries(org, count=8) == 3
    assert demo.create_demo_beneficiaries(org, count=8) == 0
    with scope(organization=org):
        now = set(Beneficiary.objects.values_list("identity_number", flat=True))
    assert first < now
    assert len(now) == 8


@pytest.mark.django_db
def test_demo_command_prints_every_login_with_the_password_and_the_url(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", "--password", PASSWORD, "--beneficiaries", "2", stdout=out)
    text = out.getvalue()
    for slug in SLUGS:
        for role in Role:
            assert f"{slug}-{role.value}" in text
    assert "multi-admin" in text
    assert "Beneficiary relations officer" in text
    assert "جمعية العناية بالسجناء بالأحساء" in text
    assert PASSWORD in text
    assert settings.SITE_URL.rstrip("/") + "/" in text
    # Issue 7: a beneficiary per association who can sign in to its portal.
    for slug in SLUGS:
        assert f"{slug}/sign-in/" in text


@pytest.mark.django_db
def test_the_demo_portal_beneficiary_signs_in_with_a_code(client):
    from mustafid.portal.codes import Purpose, check_code
    from tests.portal.helpers import latest_code

    summary = demo.load_demo(password=PASSWORD, beneficiaries=0)
    login = summary.portal_logins[0]
    org = login.organization
    response = client.post(
        f"/{org.slug}/sign-in/",
        {"identity_number": login.identity_number, "mobile": login.mobile},
    )
    assert response.status_code == 302
    code = latest_code(org, login.mobile)
    with scope(organization=org):
        check_code(
            organization=org, mobile=login.mobile, purpose=Purpose.SIGN_IN, code=code
        )


@pytest.mark.django_db
def test_demo_command_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo", stdout=io.StringIO())
    assert _row_counts()["Organization"] == 0


def test_seed_file_with_an_unknown_channel_kind_is_refused(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(demo.SEEDS_PATH, seeds)
    toml = seeds / "associations.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'kind = "interview"', 'kind = "carrier_pigeon"', 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="carrier_pigeon"):
        demo.read_associations(seeds_path=seeds)


def test_demo_names_leave_out_the_ruling_family_and_repeat_nothing():
    for names in (
        demo_names.MALE_FIRST_NAMES,
        demo_names.FEMALE_FIRST_NAMES,
        demo_names.FAMILY_NAMES,
    ):
        assert len(names) == len(set(names))
    assert "آل سعود" not in demo_names.FAMILY_NAMES
    assert len(demo_names.MALE_FIRST_NAMES) >= 60
    assert len(demo_names.FEMALE_FIRST_NAMES) >= 50
    assert len(demo_names.FAMILY_NAMES) >= 70
