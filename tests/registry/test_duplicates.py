"""Duplicate detection: Arabic names, identity numbers and mobiles (P-COMPLETE,
P-PRIVACY). Relatives share most of a name and are never the same person."""

import datetime
import io
import random

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.core.saudi_ids import make_id
from mustafid.registry.duplicates import (
    OTHER,
    POSSIBLE,
    PROBABLE,
    SAME,
    VARIANT,
    compare_part,
    find_candidates,
    find_duplicate_groups,
)
from mustafid.registry.models import Beneficiary
from mustafid.registry.name_keys import (
    BeneficiaryNameKey,
    keys_of,
    loose_key,
    name_key,
)
from mustafid.registry.services import register_beneficiary, update_beneficiary
from tests.factories import BeneficiaryFactory

_ids = random.Random(7)
BORN = datetime.date(1985, 3, 14)


@pytest.fixture(autouse=True)
def _english():
    """Reasons read in English here; pages choose their own language."""
    with translation.override("en"):
        yield


def register(org, name: str, **fields):
    """A beneficiary registered through the service, as the pages do."""
    first, father, grandfather, family = name.split("|")
    data = {
        "first_name": first,
        "father_name": father,
        "grandfather_name": grandfather,
        "family_name": family,
        "identity_type": "national_id",
        "identity_number": make_id("1", _ids),
        "nationality": "SA",
        "residency_status": "citizen",
        "gender": "male",
    } | fields
    with scope(organization=org):
        return register_beneficiary(actor=None, organization=org, data=data)


def candidates(org, name: str, min_score: int = POSSIBLE, **fields):
    first, father, grandfather, family = name.split("|")
    with scope(organization=org):
        return find_candidates(
            organization=org,
            first_name=first,
            father_name=father,
            grandfather_name=grandfather,
            family_name=family,
            min_score=min_score,
            **fields,
        )


def score_of(org, name: str, beneficiary, **fields) -> int:
    found = candidates(org, name, min_score=0, **fields)
    return next((c.score for c in found if c.beneficiary.pk == beneficiary.pk), 0)


# Normalisation


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("مُحَمَّد", "محمد"),  # tashkeel
        ("محـــمد", "محمد"),  # tatweel
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),  # madda, ta marbuta
        ("ٱلعزيز", "العزيز"),  # wasla
        ("مصطفى", "مصطفي"),  # alif maqsura
        ("مؤمن", "مومن"),
        ("هانئ", "هاني"),
        ("عبد الله", "عبدالله"),  # 'abd X joined
        ("عبد   الرحمن", "عبدالرحمن"),
        ("بن سعد", "سعد"),  # "son of" carries no identity
        ("ابن خالد", "خالد"),
        ("بنت فهد", "فهد"),
        ("محمد ٢", "محمد 2"),  # Eastern digits
    ],
)
def test_name_parts_are_normalised(written, normal):
    assert name_key(written) == normal


@pytest.mark.parametrize(
    ("written", "loose"),
    [
        ("القحطاني", "قحطاني"),
        ("قحطاني", "قحطاني"),
        ("آل سعود", "سعود"),
        ("ال سعود", "سعود"),
        ("السعود", "سعود"),
        ("ال", "ال"),  # nothing else to keep
    ],
)
def test_the_loose_key_drops_the_article(written, loose):
    assert loose_key(name_key(written)) == loose


def test_keys_of_skips_empty_parts():
    keys = keys_of({"first": "أحمد", "father": "", "family": "آل الشيخ"})
    assert keys == {"first": ("احمد", "احمد"), "family": ("ال الشيخ", "شيخ")}


def key(text: str):
    return keys_of({"first": text})["first"]


@pytest.mark.parametrize(
    ("a", "b", "result"),
    [
        ("أحمد", "احمد", SAME),
        ("القحطاني", "قحطاني", SAME),
        ("عبدالرحمن", "عبد الرحمان", VARIANT),  # one letter more
        ("عبدالعزيز", "عبدالعزير", VARIANT),  # a typing slip
        ("عبدالرحمن", "عبدالرحيم", OTHER),  # another name of God
        ("عبدالله", "عبدالاله", OTHER),
        ("سعد", "سعيد", OTHER),  # short names one letter apart: other names
        ("محمد", "محمود", OTHER),
        ("محمد", "احمد", OTHER),
        ("الشمراني", "الشمرانى", SAME),
        ("الشمراني", "الشهراني", VARIANT),
    ],
)
def test_comparing_one_part(a, b, result):
    assert compare_part(key(a), key(b)) == result


def test_registering_and_editing_keep_the_name_keys(org):
    person = register(org, "أحمد|عبد الله|سعد|آل سعود")
    with scope(organization=org):
        keys = dict(person.name_keys.values_list("position", "loose_key"))
        assert keys == {
            "first": "احمد",
            "father": "عبدالله",
            "grandfather": "سعد",
            "family": "سعود",
        }
        assert person.name_block.family == "سعود"
        update_beneficiary(actor=None, beneficiary=person, data={"first_name": "خالد"})
        assert person.name_keys.get(position="first").key == "خالد"
        assert BeneficiaryNameKey.objects.count() == 4
        person.name_block.refresh_from_db()
        assert (person.name_block.first, person.name_block.father) == (
            "خالد",
            "عبدالله",
        )


# Scoring


def test_the_same_identity_number_is_near_certain(org):
    number = make_id("1", _ids)
    person = register(org, "محمد|عبدالله|سعد|القحطاني", identity_number=number)
    # Another name entirely: the number alone says who it is.
    [found] = candidates(org, "فهد|ناصر|علي|الشمري", identity_number=f" {number} ")
    assert found.beneficiary == person
    assert found.score == 100
    assert "same identity number" in [str(r) for r in found.reasons]


def test_the_same_four_part_name_and_birth_date_is_probable(org):
    person = register(org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    [found] = candidates(org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    assert found.beneficiary == person
    assert found.score >= PROBABLE
    assert [str(r) for r in found.reasons] == ["same four-part name", "same birth date"]


@pytest.mark.parametrize(
    "typed",
    [
        "احمد|عبدالله|سعد|القحطاني",  # hamza dropped, عبد الله joined
        "أحمد|بن عبد الله|بن سعد|قحطاني",  # with بن, without ال
        "أَحْمَد|عبـد الله|سعد|القحطانى",  # tashkeel, tatweel, alif maqsura
    ],
)
def test_spelling_variants_of_the_same_name_are_probable(org, typed):
    person = register(org, "أحمد|عبد الله|سعد|القحطاني")
    [found] = candidates(org, typed)
    assert found.beneficiary == person
    assert found.score >= PROBABLE


def test_a_one_letter_difference_counts_with_the_birth_date(org):
    person = register(org, "محمد|عبدالرحمن|سعد|القحطاني", birth_date=BORN)
    [found] = candidates(org, "محمد|عبدالرحمان|سعد|القحطاني", birth_date=BORN)
    assert found.beneficiary == person
    assert found.score >= PROBABLE
    assert "the name is spelled slightly differently" in [str(r) for r in found.reasons]


def test_brothers_are_not_the_same_person(org):
    """Same father, grandfather and family, same mobile, even twins."""
    brother = register(
        org, "محمد|عبدالله|سعد|القحطاني", mobile="+966501234567", birth_date=BORN
    )
    typed = "خالد|عبدالله|سعد|القحطاني"
    assert candidates(org, typed, mobile="0501234567", birth_date=BORN) == []
    assert score_of(org, typed, brother, mobile="0501234567") < POSSIBLE


def test_a_father_and_his_son_are_not_the_same_person(org):
    father = register(org, "عبدالله|سعد|فهد|القحطاني", mobile="+966501234567")
    son = "محمد|عبدالله|سعد|القحطاني"  # his father's name is the father's first
    assert candidates(org, son, mobile="0501234567") == []
    assert score_of(org, son, father, mobile="0501234567") < POSSIBLE


def test_a_grandson_named_after_his_grandfather_is_not_him(org):
    grandfather = register(org, "محمد|سعد|فهد|القحطاني")
    assert score_of(org, "محمد|عبدالله|محمد|القحطاني", grandfather) < POSSIBLE


def test_cousins_with_the_same_first_and_family_name_stay_below_probable(org):
    """Named after the same grandfather, born the same day, sharing a phone."""
    cousin = register(
        org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN, mobile="+966501234567"
    )
    typed = "محمد|فهد|سعد|القحطاني"
    score = score_of(org, typed, cousin, birth_date=BORN, mobile="0501234567")
    assert score < PROBABLE
    # Shown as possible at most: staff see the cousin, nobody merges them.
    assert [c.is_probable for c in candidates(org, typed)] == [False]


def test_a_different_grandfather_lowers_the_score(org):
    person = register(org, "محمد|عبدالله|سعد|القحطاني")
    same = score_of(org, "محمد|عبدالله|سعد|القحطاني", person)
    other = score_of(org, "محمد|عبدالله|ناصر|القحطاني", person)
    assert other < PROBABLE <= same
    assert other <= same - 25


def test_a_different_birth_date_lowers_the_score(org):
    person = register(org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    score = score_of(
        org, "محمد|عبدالله|سعد|القحطاني", person, birth_date=datetime.date(2001, 1, 1)
    )
    assert POSSIBLE <= score < PROBABLE


def test_the_same_mobile_adds_to_the_same_name(org):
    person = register(org, "محمد|عبدالله|سعد|القحطاني", mobile="+966501234567")
    [found] = candidates(org, "محمد|عبدالله||القحطاني", mobile="٠٥٠ ١٢٣ ٤٥٦٧")
    assert found.beneficiary == person
    assert found.score >= PROBABLE
    assert "same mobile" in [str(r) for r in found.reasons]


def test_the_same_mobile_alone_is_not_a_duplicate(org):
    """A wife or a mother registered with the head of the family's phone."""
    register(org, "محمد|عبدالله|سعد|القحطاني", mobile="+966501234567")
    assert candidates(org, "نورة|فهد|ناصر|الشمري", mobile="0501234567") == []
    [found] = candidates(org, "نورة|فهد|ناصر|الشمري", mobile="0501234567", min_score=0)
    assert [str(r) for r in found.reasons] == ["same mobile"]


def test_a_different_gender_is_not_the_same_person(org):
    register(org, "نور|عبدالله|سعد|القحطاني", gender="male", birth_date=BORN)
    found = candidates(
        org, "نور|عبدالله|سعد|القحطاني", gender="female", birth_date=BORN
    )
    assert found == []


def test_the_record_being_edited_is_not_its_own_duplicate(org):
    person = register(org, "محمد|عبدالله|سعد|القحطاني")
    assert candidates(org, "محمد|عبدالله|سعد|القحطاني", exclude_pk=person.pk) == []


def test_another_associations_beneficiaries_are_never_candidates(org, other_org):
    number = make_id("1", _ids)
    register(other_org, "محمد|عبدالله|سعد|القحطاني", identity_number=number)
    assert candidates(org, "محمد|عبدالله|سعد|القحطاني", identity_number=number) == []


def test_half_typed_numbers_are_ignored(org):
    register(org, "محمد|عبدالله|سعد|القحطاني", mobile="+966501234567")
    found = candidates(
        org, "محمد|عبدالله|سعد|القحطاني", mobile="050", identity_number="1"
    )
    assert [c.score for c in found] == [72]


def test_the_best_candidates_come_first_and_are_limited(org):
    register(org, "محمد|عبدالله|سعد|القحطاني")
    best = register(org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    found = candidates(org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    assert found[0].beneficiary == best
    assert len(candidates(org, "محمد|عبدالله|سعد|القحطاني", limit=1)) == 1


# The mobile's ids, the namesakes' ids from the name blocks, then the records
# (with the identity number); the name words are read only when nobody is found.
CANDIDATE_QUERIES = 3


def namesakes(org, count: int) -> None:
    """Cousins sharing a common first and family name, and strangers."""
    with scope(organization=org):
        for n in range(count):
            register(org, f"محمد|والد{n}|جد{n}|القحطاني", mobile=f"+96655{n:07d}")
            BeneficiaryFactory(organization=org, first_name=f"اسم{n}")


def test_the_number_of_queries_does_not_grow_with_the_registry(org):
    """Candidates come from the indexes, a bounded number of queries."""
    typed = {
        "first_name": "محمد",
        "father_name": "عبدالله",
        "grandfather_name": "سعد",
        "family_name": "القحطاني",
        "identity_number": "1000000008",
        "mobile": "0550000001",
        "birth_date": BORN,
    }
    counts = []
    for more in (3, 37):
        namesakes(org, more)
        with scope(organization=org), CaptureQueriesContext(connection) as queries:
            find_candidates(organization=org, **typed)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= CANDIDATE_QUERIES


def test_the_candidate_queries_use_the_indexes_not_a_scan(
    org, django_assert_max_num_queries
):
    namesakes(org, 5)
    with scope(organization=org), django_assert_max_num_queries(CANDIDATE_QUERIES):
        found = find_candidates(
            organization=org,
            first_name="محمد",
            father_name="والد1",
            grandfather_name="جد1",
            family_name="القحطاني",
        )
    assert found[0].score >= PROBABLE


# The endpoint the registration form and other intake forms call


def check_url(**params):
    from urllib.parse import urlencode

    return reverse("registry:duplicate_check") + "?" + urlencode(params)


NAME = {
    "first_name": "أحمد",
    "father_name": "عبد الله",
    "grandfather_name": "سعد",
    "family_name": "القحطاني",
}


def test_the_check_answers_json_without_identity_numbers_or_mobiles(client_as, org):
    person = register(
        org,
        "احمد|عبدالله|سعد|القحطاني",
        mobile="+966501234567",
        birth_date=BORN,
    )
    response = client_as(Role.RECEPTION).get(
        check_url(**NAME, birth_date="1985-03-14", mobile="0501234567")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    [candidate] = response.json()["candidates"]
    assert candidate["id"] == person.pk
    assert candidate["name"] == person.full_name
    assert candidate["score"] >= PROBABLE
    assert candidate["level"] == "probable"
    assert candidate["url"] == reverse("registry:beneficiary_detail", args=[person.pk])
    assert len(candidate["reasons"]) == 3
    assert set(candidate) == {"id", "name", "score", "level", "reasons", "url"}
    for secret in (person.identity_number, "501234567"):
        assert secret not in response.text


def test_the_check_takes_the_registration_forms_dual_calendar_date(client_as, org):
    register(org, "احمد|عبدالله|سعد|القحطاني", birth_date=datetime.date(1989, 8, 2))
    response = client_as(Role.RECEPTION).get(
        check_url(**NAME, birth_date_0="hijri", birth_date_1="1410-01-01")
    )
    [candidate] = response.json()["candidates"]
    assert candidate["score"] == 92


@pytest.mark.parametrize(
    "params",
    [
        {},  # nothing to check
        {"first_name": "أحمد"},  # half a name
        NAME | {"birth_date": "yesterday"},
        NAME | {"birth_date": "2999-01-01"},
        NAME | {"exclude": "abc"},
        NAME | {"mobile": "12"},
        NAME | {"gender": "other"},
        NAME | {"first_name": "ا" * 51},
        NAME | {"family_name": "a\x00b"},
    ],
)
def test_bad_input_gets_a_400_with_the_reason(client_as, org, params):
    response = client_as(Role.RECEPTION).get(check_url(**params))
    assert response.status_code == 400
    body = response.json()
    assert body["error"]
    assert body["errors"]


def test_the_check_never_returns_another_associations_records(
    client_as, org, other_org
):
    number = make_id("1", _ids)
    register(other_org, "احمد|عبدالله|سعد|القحطاني", identity_number=number)
    response = client_as(Role.MANAGER).get(check_url(**NAME, identity_number=number))
    assert response.json() == {"candidates": []}


def test_the_htmx_fragment_says_possibly_already_registered(client_as, org):
    person = register(org, "احمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    client = client_as(Role.RECEPTION)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(
        check_url(**NAME, birth_date="1985-03-14"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Possibly already registered" in response.text
    assert "same four-part name" in response.text
    assert reverse("registry:beneficiary_detail", args=[person.pk]) in response.text
    assert person.identity_number not in response.text
    assert "HX-Request" in response["Vary"]
    # Only a manager, editing a record, is offered the merge.
    assert "merge" not in response.text


def test_the_fragment_is_arabic_by_default(client_as, org):
    register(org, "احمد|عبدالله|سعد|القحطاني")
    response = client_as(Role.RECEPTION).get(
        check_url(**NAME), headers={"HX-Request": "true"}
    )
    assert "قد يكون مسجلًا مسبقًا" in response.text
    assert "الاسم الرباعي نفسه" in response.text


def test_the_fragment_offers_a_manager_the_merge_of_the_record_being_edited(
    client_as, org
):
    older = register(org, "احمد|عبدالله|سعد|القحطاني")
    newer = register(org, "أحمد|عبد الله|سعد|القحطاني")
    response = client_as(Role.MANAGER).get(
        check_url(**NAME, exclude=newer.pk), headers={"HX-Request": "true"}
    )
    merge_url = reverse("registry:beneficiary_merge", args=[older.pk, newer.pk])
    assert merge_url in response.text


def test_the_fragment_is_empty_while_too_little_is_typed(client_as, org):
    register(org, "احمد|عبدالله|سعد|القحطاني")
    response = client_as(Role.RECEPTION).get(
        check_url(first_name="أحمد", mobile="05"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.strip() == ""


def test_the_watcher_partial_asks_the_check_with_the_forms_fields(rf):
    from django.template.loader import render_to_string

    html = render_to_string("registry/_duplicate_warning.html#watcher", {})
    assert reverse("registry:duplicate_check") in html
    assert 'id="duplicate-warning"' in html
    assert "#id_birth_date_1" in html


# The command


def test_find_duplicates_lists_probable_groups_with_scores(org, other_org):
    a = register(org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    b = register(org, "محمد|عبد الله|بن سعد|قحطاني", birth_date=BORN)
    register(org, "خالد|عبدالله|سعد|القحطاني", birth_date=BORN)  # a brother
    register(org, "محمد|فهد|سعد|القحطاني", birth_date=BORN)  # a cousin
    register(other_org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    out = io.StringIO()
    call_command("find_duplicates", "--org", org.slug, "--language", "en", stdout=out)
    text = out.getvalue()
    assert "Group 1 — score 92" in text
    assert f"#{a.pk} ↔ #{b.pk}: 92 — same four-part name · same birth date" in text
    assert "Group 2" not in text
    assert "1 group with a score of 70 or more in alpha." in text
    assert a.identity_number not in text and b.identity_number not in text


def test_find_duplicates_builds_missing_keys_and_groups_by_mobile(org):
    with scope(organization=org):
        # Loaded without the services: no name keys yet.
        a = BeneficiaryFactory(
            organization=org, first_name="عبدالرحمن", mobile="+966501111111"
        )
        b = BeneficiaryFactory(
            organization=org,
            first_name="عبدالرحمان",
            family_name=a.family_name,
            mobile="+966501111111",
        )
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "find_duplicates", "--org", org.slug, "--language", "en", stdout=out, stderr=err
    )
    assert "Name keys built for 2 records." in err.getvalue()
    assert f"#{a.pk} ↔ #{b.pk}" in out.getvalue()
    assert "same mobile" in out.getvalue()


def test_find_duplicates_compares_within_blocks_in_a_few_queries(org):
    namesakes(org, 40)  # forty cousins and forty strangers
    twice = [
        register(org, "سعد|ناصر|فهد|الدوسري", birth_date=BORN),
        register(org, "سعد|ناصر|فهد|آل دوسري", birth_date=BORN),
    ]
    with scope(organization=org), CaptureQueriesContext(connection) as queries:
        [group] = find_duplicate_groups(organization=org, min_score=0)
    # The name blocks, the mobile blocks and one load of the records.
    assert len(queries) <= 3
    assert group.beneficiaries == twice
    assert group.score == 92


def test_find_duplicates_refuses_an_unknown_association(db):
    with pytest.raises(CommandError, match="No association"):
        call_command("find_duplicates", "--org", "nowhere")
    with pytest.raises(CommandError, match="between 0 and 100"):
        call_command("find_duplicates", "--org", "nowhere", "--min-score", "101")


@pytest.mark.postgresql
def test_on_postgresql_trigrams_find_a_misspelt_family_name(org):
    person = register(org, "محمد|عبدالله|سعد|القحطاني", birth_date=BORN)
    found = candidates(org, "محمد|عبدالله|سعد|القحطاي", birth_date=BORN, min_score=0)
    assert person in [c.beneficiary for c in found]


def test_beneficiaries_model_has_name_keys_relation():
    assert Beneficiary._meta.get_field("name_keys").related_model is BeneficiaryNameKey


@pytest.mark.postgresql
def test_on_postgresql_a_misspelt_name_is_found_among_many_namesakes(org, monkeypatch):
    """عبدالرحمن written عبدآل رحمن: the name words find the spelling, and the
    father's and grandfather's names pick the person out of the namesakes."""
    from mustafid.registry import duplicates

    monkeypatch.setattr(duplicates, "CANDIDATE_ROWS", 3)
    for n in range(5):
        register(org, f"عبدالرحمن|والد{n}|جد{n}|الحربي")
    person = register(org, "عبدالرحمن|محمد|سعد|الحربي", birth_date=BORN)
    found = candidates(org, "عبدآل رحمن|محمد|سعد|ألحربي", birth_date=BORN)
    assert found[0].beneficiary == person
    assert found[0].is_probable
