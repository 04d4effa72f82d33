"""Name search: whole words in any part, then letters, then spelling mistakes
(P-COMPLETE: staff find the person before registering them again)."""

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.registry.models import Beneficiary, NameWord
from mustafid.registry.name_keys import refresh_name_keys
from tests.factories import BeneficiaryFactory


def person(org, name: str, **fields) -> Beneficiary:
    first, father, grandfather, family = name.split("|")
    with scope(organization=org):
        beneficiary = BeneficiaryFactory(
            organization=org,
            first_name=first,
            father_name=father,
            grandfather_name=grandfather,
            family_name=family,
            **fields,
        )
        # The factory saves directly; the registry services keep the keys.
        refresh_name_keys(beneficiary)
    return beneficiary


def search(org, text: str) -> list[Beneficiary]:
    with scope(organization=org):
        return list(Beneficiary.objects.search(text))


def test_a_word_matches_any_part_of_the_name_with_or_without_the_article(org):
    son = person(org, "سعد|خالد|محمد|القحطاني")
    father = person(org, "خالد|محمد|علي|آل قحطان")
    person(org, "فهد|سعد|ناصر|الدوسري")
    assert search(org, "قحطاني") == [son]
    assert search(org, "خالد") == [father, son]  # newest first
    assert search(org, "خالد القحطاني") == [son]


def test_whole_words_do_not_match_longer_names(org):
    """علي finds علي, not عليان, when someone is called علي."""
    ali = person(org, "علي|سعد|محمد|الشهري")
    person(org, "عليان|سعد|محمد|الشهري")
    assert search(org, "علي الشهري") == [ali]


def test_part_of_a_word_still_finds_the_name(org):
    """Someone typing half a name gets the names containing it."""
    target = person(org, "عبدالرحمن|سعد|محمد|الغامدي")
    person(org, "فهد|سعد|محمد|الدوسري")
    assert search(org, "الغام") == [target]
    assert search(org, "عبدالرح") == [target]


def test_another_associations_names_are_not_searched(org, other_org):
    person(other_org, "نايف|سعد|محمد|العتيبي")
    assert search(org, "العتيبي") == []


def test_renaming_someone_is_searchable_at_once(client_as, org):
    target = person(org, "سعد|خالد|محمد|القحطاني")
    with scope(organization=org):
        target.family_name = "الزهراني"
        target.save()
        refresh_name_keys(target)
        assert NameWord.objects.filter(word="زهراني").exists()
    assert search(org, "الزهراني") == [target]
    assert search(org, "القحطاني") == []


def test_the_list_page_searches_names_in_a_bounded_number_of_queries(
    client_as, org, django_assert_max_num_queries
):
    for number in range(30):
        person(org, f"محمد|سعد|ناصر{number}|القحطاني")
    client = client_as(Role.RECEPTION)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("registry:beneficiary_list"), {"q": "محمد"})
    assert response.context["page"].paginator.count == 30


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "typed",
    ["محمد القحطانى", "محمد القحطني", "محمد الفحطاني", "محمد القخطاني"],
)
def test_on_postgresql_a_misspelt_name_still_finds_the_person(org, typed):
    assert connection.vendor == "postgresql"
    target = person(org, "محمد|سعد|ناصر|القحطاني")
    person(org, "محمد|سعد|ناصر|الدوسري")
    assert search(org, typed) == [target]


@pytest.mark.postgresql
def test_on_postgresql_short_words_must_be_spelt_right(org):
    """A three-letter word resembles too many names: it is not guessed."""
    person(org, "علي|سعد|ناصر|الدوسري")
    assert search(org, "عى الدوسري") == []


def test_a_family_name_written_with_al_apart_is_found_by_its_words(org):
    """آل عمر is written in two words; the name keys hold عمر."""
    target = person(org, "محمد|سعد|ناصر|آل عمر")
    person(org, "محمد|سعد|ناصر|العمري")
    assert search(org, "محمد آل عمر") == [target]


def test_the_article_alone_searches_letters_not_keys(org):
    target = person(org, "محمد|سعد|ناصر|آل عمر")
    assert search(org, "آل") == [target]


def test_a_name_shared_by_too_many_lists_the_newest_and_says_so(
    client_as, org, monkeypatch
):
    from mustafid.registry import search as search_module

    monkeypatch.setattr(search_module, "MAX_NAME_MATCHES", 2)
    people = [person(org, f"محمد|سعد|ناصر{n}|القحطاني") for n in range(3)]
    response = client_as(Role.RECEPTION).get(
        reverse("registry:beneficiary_list"), {"q": "القحطاني"}
    )
    assert [b.pk for b in response.context["page"]] == [p.pk for p in people[:0:-1]]
    assert response.context["capped_at"] == 2
    assert "أحدث 2" in response.text


@pytest.mark.parametrize("typed", ["محمد", "محمد القحطاني"])
def test_someone_bearing_a_word_twice_counts_once_towards_the_limit(
    org, monkeypatch, typed
):
    """One word reads the name keys, several read the name blocks (on
    PostgreSQL): either way the newest people are listed, not one person twice."""
    from mustafid.registry import search as search_module

    monkeypatch.setattr(search_module, "MAX_NAME_MATCHES", 2)
    older = person(org, "محمد|سعد|ناصر|القحطاني")
    newer = person(org, "محمد|سعد|محمد|القحطاني")
    assert search(org, typed) == [newer, older]


def test_several_words_find_those_bearing_all_of_them_in_any_part(org):
    """Words in any order and any part; bearing some of them is not enough."""
    both = person(org, "سعد|محمد|علي|الغامدي")
    reversed_parts = person(org, "علي|سعد|ناصر|الغامدي")
    person(org, "سعد|محمد|علي|الشهري")
    person(org, "فهد|علي|ناصر|الغامدي")
    assert search(org, "الغامدي سعد علي") == [reversed_parts, both]
