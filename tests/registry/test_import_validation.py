"""P-COMPLETE: an import row obeys exactly the rules of a registration typed by
hand. New rows are checked by BeneficiaryForm's rules compiled once per import
(import_validation.RowValidator) instead of binding the form; hypothesis draws
rows, good and bad, and both must give the same cleaned values and find fault
with the same fields.
"""

import datetime
import random

import pytest
from django_scopes import scope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mustafid.core.regions import Region
from mustafid.core.saudi_ids import make_id
from mustafid.registry.import_rows import TARGETS, RowReader
from mustafid.registry.models import Category

_rng = random.Random(7)
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _ids() -> list[str]:
    national, iqama = make_id("1", _rng), make_id("2", _rng)
    wrong_digit = national[:-1] + str((int(national[-1]) + 1) % 10)
    return [
        national,
        iqama,
        national.translate(EASTERN),
        f" {national[:4]} {national[4:]} ",
        wrong_digit,
        iqama[:-1] + str((int(iqama[-1]) + 3) % 10),
        national[:9],
        "3" + national[1:],  # a border number
        "2" + national[1:],  # an iqama prefix, a national id's check digit
        "A1234567",
        "ab-12345",
        "12345678901234567890123",
        "",
    ]


# Cells each column may hold: what people type, right and wrong.
CELLS = {
    "first_name": ["محمد", "نورة", "", "عبد الله", "أ" * 51, "x\x00y"],
    "father_name": ["عبدالله", "", "سعد"],
    "grandfather_name": ["سعد", "", "فهد"],
    "family_name": ["القحطاني", "آل سعود", "", "ا" * 50],
    "full_name": ["محمد بن عبدالله سعد القحطاني", "نورة فهد", "", "عبد الرحمن"],
    "name_en": ["Mohammed", "", "M" * 201],
    "identity_type": ["", "هوية وطنية", "إقامة", "passport", "gcc", "حدود", "junk"],
    "identity_number": _ids(),
    "nationality": ["", "سعودي", "مصرية", "EG", "eg", "XX", "Narnia", "Yemen"],
    "residency_status": ["", "مواطن", "مقيم", "visitor", "junk"],
    "gender": ["ذكر", "أنثى", "male", "F", "", "x"],
    "birth_date": [
        "1410-01-01",
        "١٤١٠-٠١-٠١",
        "1445-13-01",
        "30/12/1410",
        "1990-05-05",
        "05/05/1990",
        "2099-01-01",
        "1990-02-30",
        "abc",
        "",
        datetime.date(1985, 3, 4),
    ],
    "birth_calendar": ["", "هجري", "ميلادي", "junk"],
    "mobile": [
        "0551234567",
        "٠٥٥١٢٣٤٥٦٧",
        "+966 55 123 4567",
        "00966551234567",
        "551234567",
        "0112345678",
        "123",
        "05512345678",
        "",
        "phone",
    ],
    "email": ["", "a@b.sa", "bad", "a@@b"],
    "short_address": ["", "RRRD2929", "rrrd 2929", "RRR2929", "RRRD29290"],
    "building_number": ["", "1234", "12a4", "12345"],
    "additional_number": ["", "5678", "56"],
    "postal_code": ["", "12345", "1234", "١٢٣٤٥"],
    "street": ["", "طريق الملك فهد", "s" * 101],
    "district": ["", "العليا"],
    "city": ["", "الرياض"],
    "region": ["", Region.values[0], "منطقة الرياض", "junk"],
    "categories": ["", "orphan", "orphan، widow", "أيتام", "unknown", "widow|retired"],
    "education": ["", "ابتدائي", "bachelor", "junk"],
    "qualification": ["", "محاسبة", "q" * 151],
    "employment_status": ["", "موظف", "retired", "junk"],
    "monthly_income": [
        "",
        "1500",
        "1,500.50",
        "١٥٠٠",
        "-5",
        "abc",
        "99999999999",
        "0.001",
        "12.5 ريال",
    ],
    "preferred_contact": ["", "sms", "واتساب", "junk"],
    "preferred_language": ["", "ar", "English", "fr"],
    "registration_status": ["", "registered", "مسجل", "junk"],
}
# Column sets an association's file may have: the four parts, or a full name.
WITH_PARTS = [t for t in TARGETS if t != "full_name"]
WITH_FULL_NAME = [
    t
    for t in TARGETS
    if t not in ("first_name", "father_name", "grandfather_name", "family_name")
]


def _agree(reader: RowReader, data: dict) -> None:
    cleaned, failed = reader.validator.check(data)
    form = reader.form_class(data)
    valid = form.is_valid()
    assert failed == set(form.errors), (data, form.errors)
    if valid:
        assert cleaned == form.registry_data()


@pytest.fixture
def readers(org):
    with scope(organization=org):
        for code, name in (("orphan", "أيتام"), ("widow", "أرامل")):
            Category.objects.create(organization=org, code=code, name_ar=name)
        Category.objects.create(
            organization=org, code="retired", name_ar="متقاعد", is_active=False
        )
        return {
            "parts": RowReader(WITH_PARTS, WITH_PARTS),
            "full": RowReader(WITH_FULL_NAME, WITH_FULL_NAME),
            "few": RowReader(
                ["identity_number", "gender", "full_name"],
                ["identity_number", "gender", "full_name"],
            ),
        }


@pytest.mark.django_db
def test_the_compiled_rules_and_the_form_agree_on_every_row(org, readers):
    @settings(
        max_examples=400,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(which=st.sampled_from(list(readers)), data=st.data())
    def agree(which, data):
        reader = readers[which]
        values = [
            data.draw(
                st.one_of(st.sampled_from(CELLS[target]), st.text(max_size=12))
                if target not in ("identity_number", "gender")
                else st.sampled_from(CELLS[target]),
                label=target,
            )
            for target in reader.headers
        ]
        with scope(organization=org):
            _agree(reader, reader.form_data(values))

    agree()


# Values a row's form data may hold that no file produces through RowReader:
# absent keys, None, the checkbox's own spellings.
RAW = {
    "contact_consent": [None, "", "on", "false", "False", "0", True, False],
    "birth_date_0": [None, "", "hijri", "gregorian", "julian"],
    "birth_date_1": [None, "", "1410-01-01", "1990-1-2", "x" * 13],
    "preferred_contact": [None, "", "sms", "SMS"],
    "categories": [None, [], ["1"], "1", ["x"]],
    "mobile": [None, " ", "0551234567"],
    "monthly_income": [None, " 10 ", "1e3", "NaN", "Infinity"],
    "nationality": [None, "SA", "sa", " SA"],
}


@pytest.mark.django_db
def test_they_agree_on_raw_form_data_too(org, readers):
    reader = readers["parts"]
    base = {
        "first_name": "محمد",
        "father_name": "عبدالله",
        "grandfather_name": "سعد",
        "family_name": "القحطاني",
        "identity_type": "national_id",
        "identity_number": make_id("1", _rng),
        "residency_status": "citizen",
        "gender": "male",
        "preferred_contact": "sms",
        "preferred_language": "ar",
        "registration_status": "prospective",
    }

    @settings(max_examples=200, deadline=None, database=None)
    @given(
        changes=st.dictionaries(
            st.sampled_from(list(RAW)),
            st.integers(min_value=0, max_value=7),
            max_size=5,
        )
    )
    def agree(changes):
        data = dict(base)
        for name, index in changes.items():
            value = RAW[name][index % len(RAW[name])]
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        with scope(organization=org):
            _agree(reader, data)

    agree()


@pytest.mark.django_db
def test_a_valid_row_gives_the_values_the_form_would_store(org, readers):
    """A concrete row, so a failure reads plainly."""
    number = make_id("1", _rng)
    cells = {
        "full_name": "محمد بن عبدالله سعد القحطاني",
        "identity_number": number.translate(EASTERN),
        "gender": "ذكر",
        "mobile": "٠٥٥١٢٣٤٥٦٧",
        "birth_date": "1410-01-01",
        "birth_calendar": "هجري",
        "short_address": "rrrd2929",
        "categories": "أيتام",
        "monthly_income": "1,500",
    }
    with scope(organization=org):
        reader = RowReader(list(cells), list(cells))
        data = reader.form_data(list(cells.values()))
        cleaned, failed = reader.validator.check(data)
        assert reader.form_class(data).is_valid()
        orphans = str(Category.objects.get(code="orphan").pk)
    assert failed == set()
    assert cleaned["identity_number"] == number
    assert cleaned["identity_type"] == "national_id"
    assert cleaned["nationality"] == "SA"
    assert cleaned["mobile"] == "+966551234567"
    assert cleaned["birth_date"] == datetime.date(1989, 8, 2)
    assert cleaned["short_address"] == "RRRD2929"
    assert cleaned["categories"] == [orphans]
    assert str(cleaned["monthly_income"]) == "1500"
