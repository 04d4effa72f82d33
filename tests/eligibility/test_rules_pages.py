"""The pages where an association writes each service's rules (P-ELIGIBILITY)."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from mustafid.core.roles import Role
from mustafid.eligibility.models import Combine, Criterion, RuleSet, Subject
from mustafid.eligibility.services import publish_rules
from mustafid.registry.models import Category
from tests.cases.helpers import make_service
from tests.factories import DocumentTypeFactory

RESIDENCY_ROW = {
    "subject": "residency",
    "values": ["residency:citizen", "residency:resident"],
    "reason_ar": "يشترط وجود إقامة نظامية.",
    "reason_en": "Legal residency is required.",
}
AGE_ROW = {
    "subject": "age",
    "minimum": "18",
    "maximum": "60",
    "reason_ar": "العمر خارج الحد المطلوب.",
    "reason_en": "The age is outside the range.",
}


def ar(text: str) -> str:
    """What the page says in Arabic, its default language."""
    with translation.override("ar"):
        return translation.gettext(text)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def rules_data(*rows, initial=0, **general) -> dict:
    """A POST of the rules form: the general fields and the rows of conditions."""
    data = {
        "combine": "all",
        "review_every_months": "12",
        "grace_days": "30",
        "note": "",
        "based_on": "0",
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "30",
    } | general
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"criteria-{i}-{name}"] = value
    return data


def edit_url(service) -> str:
    return reverse("eligibility:rules_edit", args=[service.pk])


def stored(service) -> list[RuleSet]:
    with scopes_disabled():
        return list(RuleSet.objects.filter(service=service).order_by("version"))


def publish_first_version(org, service, actor) -> RuleSet:
    with scope(organization=org):
        return publish_rules(
            actor=actor,
            service=service,
            combine=Combine.ALL,
            criteria=[
                {
                    "subject": Subject.GENDER,
                    "values": ["female"],
                    "reason_ar": "الخدمة للنساء.",
                    "reason_en": "The service is for women.",
                }
            ],
            review_every_months=6,
            grace_days=15,
            note="Women only",
        )


@pytest.fixture
def service(org):
    return make_service(org, name_ar="السلة الغذائية")


def counts() -> tuple[int, int]:
    with scopes_disabled():
        return RuleSet.objects.count(), Criterion.objects.count()


# ---------------------------------------------------------------------------
# The list


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_list_shows_each_service_with_its_rules_in_plain_words(
    client_as, org, service, members, role
):
    other = make_service(org, name_ar="كفالة يتيم")
    publish_first_version(org, other, members[Role.MANAGER])
    response = client_as(role).get(reverse("eligibility:rules_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "السلة الغذائية" in page and "كفالة يتيم" in page
    rows = {s.pk: s.rules for s in response.context["services"]}
    assert rows[service.pk].pk is None  # the defaults, not yet saved
    assert rows[other.pk].version == 1
    [(words, reason)] = rows[other.pk].described
    assert words in page and reason == "الخدمة للنساء."
    assert edit_url(service) in page


def test_list_query_count_does_not_grow_with_the_services(
    client_as, org, members, django_assert_max_num_queries
):
    client = client_as(Role.MANAGER)
    url = reverse("eligibility:rules_list")
    with scope(organization=org):
        Category.objects.create(organization=org, code="orphans", name_ar="أيتام")
        doc_type = DocumentTypeFactory(organization=org)
    for _ in range(6):
        service = make_service(org)
        with scope(organization=org):
            publish_rules(
                actor=members[Role.MANAGER],
                service=service,
                combine=Combine.ANY,
                criteria=[
                    {
                        "subject": Subject.CATEGORIES_ANY,
                        "values": ["orphans"],
                        "reason_ar": "س",
                        "reason_en": "r",
                    },
                    {
                        "subject": Subject.DOCUMENT,
                        "document_type": doc_type,
                        "reason_ar": "س",
                        "reason_en": "r",
                    },
                ],
            )
        make_service(org)  # and one on the defaults
    client.get(url)  # the session and the language settle
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert "أيتام" in response.content.decode()


# ---------------------------------------------------------------------------
# Editing and publishing


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_edit_page_is_prefilled_from_the_rules_in_force(client_as, service, role):
    response = client_as(role).get(edit_url(service))
    assert response.status_code == 200
    formset = response.context["formset"]
    subjects = [form.initial["subject"] for form in formset.initial_forms]
    assert subjects == [Subject.IN_SCOPE, Subject.RESIDENCY]
    assert "residency:citizen" in formset.initial_forms[1].initial["values"]
    assert len(formset.extra_forms) == 2
    assert 'value="residency:citizen" selected' in response.content.decode()


def test_publishing_makes_the_next_version_and_keeps_the_older(
    client_as, org, service, members
):
    first = publish_first_version(org, service, members[Role.MANAGER])
    response = client_as(Role.MANAGER).post(
        edit_url(service),
        rules_data(
            RESIDENCY_ROW,
            AGE_ROW,
            combine="any",
            review_every_months="",
            grace_days="10",
            note="Added an age range",
            based_on="1",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("eligibility:rules_list")
    versions = stored(service)
    assert [v.version for v in versions] == [1, 2]
    old, new = versions
    assert (old.is_current, new.is_current) == (False, True)
    assert (new.combine, new.review_every_months, new.grace_days) == ("any", None, 10)
    assert new.note == "Added an age range"
    assert new.published_by == members[Role.MANAGER]
    with scopes_disabled():
        criteria = list(new.criteria.all())
        kept = list(old.criteria.values_list("subject", "values"))
        old.refresh_from_db()
    assert [(c.subject, c.values) for c in criteria] == [
        ("residency", ["citizen", "resident"]),
        ("age", []),
    ]
    assert (criteria[1].minimum, criteria[1].maximum) == (Decimal(18), Decimal(60))
    assert criteria[0].reason_en == "Legal residency is required."
    assert kept == [("gender", ["female"])]
    assert (old.review_every_months, old.grace_days, old.note) == (6, 15, "Women only")
    assert first.pk == old.pk


def test_first_publication_from_the_defaults_is_version_one(client_as, service):
    response = client_as(Role.ADMIN).post(edit_url(service), rules_data(AGE_ROW))
    assert response.status_code == 302
    [version] = stored(service)
    assert (version.version, version.is_current) == (1, True)


def test_the_success_message_names_the_version(client_as, service):
    response = client_as(Role.MANAGER).post(
        edit_url(service), rules_data(AGE_ROW), follow=True
    )
    [message] = response.context["messages"]
    assert "1" in str(message)


def test_a_removed_row_is_left_out_and_details_of_other_conditions_dropped(
    client_as, service
):
    doc_type_row = AGE_ROW | {"months": "6"}  # months mean nothing for an age
    removed = RESIDENCY_ROW | {"DELETE": "on"}
    response = client_as(Role.MANAGER).post(
        edit_url(service), rules_data(removed, doc_type_row, initial=1)
    )
    assert response.status_code == 302
    [version] = stored(service)
    with scopes_disabled():
        [criterion] = version.criteria.all()
    assert (criterion.subject, criterion.months) == ("age", None)


def test_empty_extra_rows_are_ignored(client_as, service):
    response = client_as(Role.MANAGER).post(
        edit_url(service), rules_data(AGE_ROW, {}, {"values": []})
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert stored(service)[0].criteria.count() == 1


def test_document_condition_uses_an_active_document_type(client_as, org, service):
    with scope(organization=org):
        doc_type = DocumentTypeFactory(organization=org)
    row = {
        "subject": "document",
        "document_type": str(doc_type.pk),
        "reason_ar": "يلزم إرفاق الهوية.",
        "reason_en": "The identity document is required.",
    }
    response = client_as(Role.MANAGER).post(edit_url(service), rules_data(row))
    assert response.status_code == 302
    with scopes_disabled():
        [criterion] = stored(service)[0].criteria.all()
    assert criterion.document_type_id == doc_type.pk


# ---------------------------------------------------------------------------
# Refusals: the form again with the reason, and nothing saved


def assert_refused(response, field: str | None = None, row: int = 0):
    assert response.status_code == 200
    assert counts() == (0, 0)
    if field is None:
        return
    if field in {"combine", "review_every_months", "grace_days", "note"}:
        assert response.context["form"].errors[field]
    else:
        assert response.context["formset"].forms[row].errors[field]


@pytest.mark.parametrize("subject", ["family_name", "tribe", "surname", ""])
def test_a_subject_outside_the_allowed_list_is_refused(client_as, service, subject):
    """Non-discrimination (P-PRIVACY): only `Subject` may enter a rule."""
    row = {"subject": subject, "values": ["x"], "reason_ar": "س", "reason_en": "r"}
    response = client_as(Role.MANAGER).post(edit_url(service), rules_data(row))
    assert_refused(response, "subject")
    if subject:
        assert ar("This condition is not one a rule may use.") in page_text(response)


@pytest.mark.parametrize(
    "row, field",
    [
        # Values of another condition, or none of its own.
        (RESIDENCY_ROW | {"subject": "nationality"}, "values"),
        (RESIDENCY_ROW | {"values": ["residency:citizen", "gender:male"]}, "values"),
        (RESIDENCY_ROW | {"values": ["residency:martian"]}, "values"),
        (RESIDENCY_ROW | {"values": ["citizen"]}, "values"),
        (RESIDENCY_ROW | {"values": []}, "values"),
        (AGE_ROW | {"values": ["gender:female"]}, "values"),
        # Ranges.
        (AGE_ROW | {"minimum": "70", "maximum": "60"}, "minimum"),
        (AGE_ROW | {"minimum": "", "maximum": ""}, "minimum"),
        (AGE_ROW | {"minimum": "12.5"}, "minimum"),
        (AGE_ROW | {"minimum": "-3"}, "minimum"),
        (AGE_ROW | {"maximum": "abc"}, "maximum"),
        (AGE_ROW | {"maximum": "1e400"}, "maximum"),
        (AGE_ROW | {"maximum": "123456789012"}, "maximum"),
        ({**AGE_ROW, "subject": "income_per_person", "maximum": ""}, "maximum"),
        # Reasons.
        (AGE_ROW | {"reason_ar": ""}, "reason_ar"),
        (AGE_ROW | {"reason_en": "   "}, "reason_en"),
        (AGE_ROW | {"reason_ar": "س" * 301}, "reason_ar"),
        # Documents and months.
        ({**AGE_ROW, "subject": "document"}, "document_type"),
        (
            {**AGE_ROW, "subject": "document", "document_type": "999999"},
            "document_type",
        ),
        ({**AGE_ROW, "subject": "document", "document_type": "x"}, "document_type"),
        ({**AGE_ROW, "subject": "not_received"}, "months"),
        ({**AGE_ROW, "subject": "not_received", "months": "0"}, "months"),
        ({**AGE_ROW, "subject": "not_received", "months": "two"}, "months"),
    ],
)
def test_a_bad_condition_is_refused_next_to_its_field(client_as, service, row, field):
    response = client_as(Role.MANAGER).post(edit_url(service), rules_data(row))
    assert_refused(response, field)


@pytest.mark.parametrize(
    "general, field",
    [
        ({"combine": "most"}, "combine"),
        ({"review_every_months": "0"}, "review_every_months"),
        ({"review_every_months": "61"}, "review_every_months"),
        ({"review_every_months": "often"}, "review_every_months"),
        ({"grace_days": ""}, "grace_days"),
        ({"grace_days": "-1"}, "grace_days"),
        ({"grace_days": "99999999"}, "grace_days"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_bad_general_settings_are_refused(client_as, service, general, field):
    response = client_as(Role.MANAGER).post(
        edit_url(service), rules_data(AGE_ROW, **general)
    )
    assert_refused(response, field)


def test_the_error_is_shown_on_the_right_row(client_as, service):
    bad = AGE_ROW | {"minimum": "70"}
    response = client_as(Role.MANAGER).post(
        edit_url(service), rules_data(RESIDENCY_ROW, bad)
    )
    assert_refused(response, "minimum", row=1)
    assert ar("The minimum is above the maximum.") in page_text(response)


def test_a_document_type_of_another_association_is_refused(
    client_as, other_org, service
):
    with scope(organization=other_org):
        theirs = DocumentTypeFactory(organization=other_org)
    row = {**AGE_ROW, "subject": "document", "document_type": str(theirs.pk)}
    response = client_as(Role.MANAGER).post(edit_url(service), rules_data(row))
    assert_refused(response, "document_type")


def test_removing_every_condition_is_refused(client_as, service):
    response = client_as(Role.MANAGER).post(
        edit_url(service), rules_data(AGE_ROW | {"DELETE": "on"}, initial=1)
    )
    assert_refused(response)
    assert response.context["formset"].non_form_errors()


def test_a_broken_form_is_refused_without_an_error_page(client_as, service):
    data = rules_data(AGE_ROW)
    del data["criteria-TOTAL_FORMS"]
    response = client_as(Role.MANAGER).post(edit_url(service), data)
    assert_refused(response)


# ---------------------------------------------------------------------------
# The values of a row, narrowed by htmx


def test_htmx_lists_only_the_values_of_the_chosen_condition(client_as, service):
    response = client_as(Role.MANAGER).get(
        edit_url(service),
        {"row": "criteria-3", "criteria-3-subject": "gender"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="criteria-3-values-box"' in page
    assert 'value="gender:female"' in page
    assert "residency:" not in page
    assert "<form" not in page


def test_htmx_says_when_a_condition_takes_no_values(client_as, service):
    response = client_as(Role.MANAGER).get(
        edit_url(service),
        {"row": "criteria-0", "criteria-0-subject": "age"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<select" not in response.content.decode()


def test_htmx_refuses_a_strange_row(client_as, service):
    response = client_as(Role.MANAGER).get(
        edit_url(service), {"row": "<script>"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400


# ---------------------------------------------------------------------------
# Versions


def test_versions_are_listed_newest_first_with_who_and_why(
    client_as, org, service, members
):
    publish_first_version(org, service, members[Role.MANAGER])
    client = client_as(Role.ADMIN)
    client.post(
        edit_url(service),
        rules_data(AGE_ROW, note="Age range instead", based_on="1"),
    )
    response = client.get(reverse("eligibility:rules_versions", args=[service.pk]))
    assert response.status_code == 200
    assert [v.version for v in response.context["versions"]] == [2, 1]
    page = response.content.decode()
    assert "Age range instead" in page and "Women only" in page
    manager = members[Role.MANAGER]
    assert (manager.get_full_name() or manager.get_username()) in page
    assert page.index("Age range instead") < page.index("Women only")


def test_versions_page_shows_the_defaults_before_any_version(client_as, service):
    response = client_as(Role.MANAGER).get(
        reverse("eligibility:rules_versions", args=[service.pk])
    )
    assert response.status_code == 200
    assert response.context["versions"] == []
    assert len(response.context["defaults"].described) == 2


# ---------------------------------------------------------------------------
# Access


@pytest.mark.parametrize("name", ["rules_edit", "rules_versions"])
def test_another_associations_service_is_not_found(client_as, other_org, name):
    theirs = make_service(other_org)
    url = reverse(f"eligibility:{name}", args=[theirs.pk])
    assert client_as(Role.MANAGER).get(url).status_code == 404


def test_publishing_for_another_associations_service_is_not_found(client_as, other_org):
    theirs = make_service(other_org)
    response = client_as(Role.MANAGER).post(edit_url(theirs), rules_data(AGE_ROW))
    assert response.status_code == 404
    assert counts() == (0, 0)


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.SERVICES, Role.AUDITOR])
def test_staff_without_the_permission_cannot_publish(client_as, service, role):
    response = client_as(role).post(edit_url(service), rules_data(AGE_ROW))
    assert response.status_code == 403
    assert counts() == (0, 0)


def test_the_service_list_links_to_the_rules(client_as, service):
    response = client_as(Role.MANAGER).get(reverse("catalog:service_list"))
    assert edit_url(service) in response.content.decode()


def test_publishing_over_a_newer_version_is_refused(client_as, org, service, members):
    """Two managers edit at once: the second is told, and nothing is replaced."""
    publish_first_version(org, service, members[Role.MANAGER])
    response = client_as(Role.ADMIN).post(
        edit_url(service), rules_data(AGE_ROW, based_on="0")
    )
    assert response.status_code == 200
    refusal = ar(
        "Version %(version)s of these rules was published meanwhile; "
        "reload the page to see it before changing them."
    ) % {"version": 1}
    assert refusal in page_text(response)
    assert [v.version for v in stored(service)] == [1]
