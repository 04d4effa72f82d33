"""The columns of an import file and the form data each row stands for.

Headers are recognised in Arabic and English (any spelling `key` unifies, and
every label of the staff form); values by code or by label in either language,
so a file exported from Mustafid imports back unchanged.
"""

import copy
import datetime
import re

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from mustafid.core.arabic import name_words, to_western_digits
from mustafid.core.fields import DualCalendarDateField
from mustafid.core.regions import Region
from mustafid.registry.forms import BeneficiaryForm
from mustafid.registry.import_files import cell_text
from mustafid.registry.import_validation import RowValidator
from mustafid.registry.models import (
    Beneficiary,
    Category,
    ContactMethod,
    Education,
    Employment,
    Gender,
    IdentityType,
    Language,
    RegistrationStatus,
    ResidencyStatus,
)

NAME_PARTS = ("first_name", "father_name", "grandfather_name", "family_name")
MEMO_SIZE = 10_000  # distinct values remembered per column

# ---------------------------------------------------------------------------
# Columns: what each may hold, and the header names that announce it.

_EXTRA_LABELS = {
    "full_name": _("full name (four parts)"),
    "birth_calendar": _("calendar of the birth date"),
}
SYNONYMS = {
    "full_name": ("الاسم الرباعي", "الاسم الكامل", "الاسم", "اسم المستفيد",
                  "full name", "name", "beneficiary name"),
    "first_name": ("الاسم الأول", "first name", "given name", "firstname"),
    "father_name": ("اسم الأب", "الأب", "father name", "father's name"),
    "grandfather_name": ("اسم الجد", "الجد", "grandfather name",
                         "grandfather's name"),
    "family_name": ("اسم العائلة", "العائلة", "اللقب", "القبيلة", "family name",
                    "last name", "surname"),
    "name_en": ("الاسم بالإنجليزية", "الاسم باللغة الإنجليزية", "الاسم بالانجليزي",
                "name in english", "english name"),
    "identity_type": ("نوع الهوية", "نوع الإثبات", "نوع الوثيقة", "identity type",
                      "id type"),
    "identity_number": ("رقم الهوية", "الهوية", "رقم الهوية الوطنية", "رقم الإقامة",
                        "رقم الهوية أو الإقامة", "رقم الهوية/الإقامة",
                        "السجل المدني", "رقم السجل المدني", "identity number",
                        "id number", "id", "national id", "iqama number", "id no"),
    "nationality": ("الجنسية", "nationality"),
    "residency_status": ("حالة الإقامة", "residency status", "residency"),
    "gender": ("الجنس", "النوع", "gender", "sex"),
    "birth_date": ("تاريخ الميلاد", "الميلاد", "birth date", "date of birth",
                   "birthdate", "dob"),
    "birth_calendar": ("نوع التقويم", "التقويم", "تقويم تاريخ الميلاد", "calendar",
                       "birth date calendar"),
    "mobile": ("الجوال", "رقم الجوال", "جوال", "الهاتف", "رقم الهاتف",
               "الهاتف الجوال", "رقم التواصل", "mobile", "mobile number", "phone",
               "phone number"),
    "email": ("البريد الإلكتروني", "البريد", "الإيميل", "email", "e-mail"),
    "short_address": ("العنوان المختصر", "الرمز المختصر", "short address"),
    "building_number": ("رقم المبنى", "building number", "building no"),
    "additional_number": ("الرقم الإضافي", "additional number", "additional no"),
    "postal_code": ("الرمز البريدي", "postal code", "zip code", "zip", "postcode"),
    "street": ("الشارع", "اسم الشارع", "street"),
    "district": ("الحي", "district", "neighbourhood", "neighborhood"),
    "city": ("المدينة", "city"),
    "region": ("المنطقة", "region"),
    "categories": ("الفئات", "الفئة", "فئة المستفيد", "categories", "category"),
    "education": ("المستوى التعليمي", "التعليم", "education", "education level"),
    "qualification": ("المؤهل", "المؤهل العلمي", "التخصص", "qualification"),
    "employment_status": ("الحالة الوظيفية", "حالة العمل", "employment status",
                          "employment"),
    "monthly_income": ("الدخل الشهري", "الدخل", "monthly income", "income"),
    "preferred_contact": ("وسيلة التواصل المفضلة", "قناة التواصل",
                          "preferred channel", "preferred contact"),
    "preferred_language": ("اللغة المفضلة", "اللغة", "preferred language",
                           "language"),
    "registration_status": ("حالة التسجيل", "registration status"),
}  # fmt: skip
TARGETS = tuple(SYNONYMS)

CHOICES = {
    "identity_type": IdentityType.choices,
    "residency_status": ResidencyStatus.choices,
    "gender": Gender.choices,
    "region": Region.choices,
    "education": Education.choices,
    "employment_status": Employment.choices,
    "preferred_contact": ContactMethod.choices,
    "preferred_language": Language.choices,
    "registration_status": RegistrationStatus.choices,
    "birth_calendar": DualCalendarDateField.CALENDARS,
}
CHOICE_SYNONYMS = {
    "gender": {"male": ("ذكر", "m", "رجل"), "female": ("أنثى", "f", "امرأة")},
    "identity_type": {
        "national_id": ("هوية وطنية", "هوية", "سجل مدني", "national"),
        "iqama": ("إقامة", "هوية مقيم", "residence permit"),
        "border_number": ("رقم حدود", "حدود", "border"),
        "passport": ("جواز سفر", "جواز"),
        "gcc_id": ("هوية خليجية", "خليجي", "gcc"),
    },
    "residency_status": {
        "citizen": ("مواطن", "سعودي", "سعودية"),
        "resident": ("مقيم", "مقيمة", "نظامي"),
        "gcc": ("خليجي",),
        "visitor": ("زائر",),
        "irregular": ("مخالف", "غير نظامي"),
    },
    "birth_calendar": {
        "hijri": ("هجري", "هـ", "h", "ah"),
        "gregorian": ("ميلادي", "م", "g", "ad"),
    },
}
# Nationalities are often written as the adjective (سعودي، يمنية).
NATIONALITY_WORDS = {
    "SA": ("سعودي", "السعودية", "المملكة العربية السعودية", "saudi"),
    "YE": ("يمني",), "EG": ("مصري",), "SY": ("سوري",), "SD": ("سوداني",),
    "JO": ("أردني", "اردني"), "PS": ("فلسطيني",), "PK": ("باكستاني",),
    "IN": ("هندي",), "BD": ("بنغلاديشي", "بنجلاديشي"), "PH": ("فلبيني",),
    "ID": ("إندونيسي", "اندونيسي"), "ET": ("إثيوبي", "اثيوبي"), "SO": ("صومالي",),
    "TD": ("تشادي",), "NG": ("نيجيري",), "ER": ("إريتري", "ارتيري"),
    "MM": ("بورمي", "ميانماري"), "AF": ("أفغاني", "افغاني"), "IQ": ("عراقي",),
    "LB": ("لبناني",), "MA": ("مغربي",), "TN": ("تونسي",), "DZ": ("جزائري",),
    "KW": ("كويتي",), "BH": ("بحريني",), "QA": ("قطري",), "AE": ("إماراتي",),
    "OM": ("عماني",),
}  # fmt: skip
# The identity number says the kind of card, and the card says the residency.
TYPE_BY_FIRST_DIGIT = {
    "1": IdentityType.NATIONAL_ID,
    "2": IdentityType.IQAMA,
    "3": IdentityType.BORDER_NUMBER,
    "4": IdentityType.BORDER_NUMBER,
}
RESIDENCY_BY_TYPE = {
    IdentityType.NATIONAL_ID: ResidencyStatus.CITIZEN,
    IdentityType.IQAMA: ResidencyStatus.RESIDENT,
    IdentityType.GCC_ID: ResidencyStatus.GCC,
}
_NON_WORD = re.compile(r"[\W_]+")
_LIST_SEPARATORS = re.compile(r"[,،;؛|/\n]+")
_YEAR = re.compile(r"\d{4}")
_REGION_WORDS = {"منطقه", "المنطقه", "region", "province"}


def key(text) -> str:
    """The form two spellings of the same header or value share."""
    return " ".join(name_words(_NON_WORD.sub(" ", str(text))))


def target_label(target: str):
    if target in _EXTRA_LABELS:
        return _EXTRA_LABELS[target]
    return BeneficiaryForm.base_fields[target].label


def target_choices() -> list[tuple[str, object]]:
    return [(target, target_label(target)) for target in TARGETS]


def _target_keys() -> dict[str, set[str]]:
    keys = {target: {key(s) for s in SYNONYMS[target]} for target in TARGETS}
    for language in ("ar", "en"):
        with translation.override(language):
            for target in TARGETS:
                keys[target].add(key(target_label(target)))
    return keys


def guess_mapping(headers: list[str]) -> list[str]:
    """A target for each column whose header names one, "" for the others.

    An exact name beats a header that merely contains one (e.g. "تاريخ الميلاد
    (هجري)"); each target goes to one column only.
    """
    keys = _target_keys()
    candidates = []
    for index, header in enumerate(headers):
        words = key(header)
        if not words:
            continue
        for target, names in keys.items():
            if words in names:
                candidates.append((2.0, -index, target))
                continue
            padded = f" {words} "
            inside = [n for n in names if " " in n and f" {n} " in padded]
            if inside:
                candidates.append(
                    (1 + len(max(inside, key=len)) / 1000, -index, target)
                )
    mapping = [""] * len(headers)
    taken = set()
    for _score, negative_index, target in sorted(candidates, reverse=True):
        index = -negative_index
        if target not in taken and not mapping[index]:
            mapping[index] = target
            taken.add(target)
    # Either the full name or its four parts.
    chosen = set(mapping)
    if set(NAME_PARTS) <= chosen:
        mapping = ["" if t == "full_name" else t for t in mapping]
    elif "full_name" in chosen:
        mapping = ["" if t in NAME_PARTS else t for t in mapping]
    return mapping


def mapping_problems(mapping: list[str]) -> list[str]:
    """What stops this mapping from making a beneficiary, as translated text."""
    chosen = [t for t in mapping if t]
    problems = []
    repeated = sorted({t for t in chosen if chosen.count(t) > 1}, key=TARGETS.index)
    for target in repeated:
        problems.append(
            _("More than one column is set to “%(target)s”.")
            % {"target": target_label(target)}
        )
    if "full_name" in chosen and set(NAME_PARTS) & set(chosen):
        problems.append(_("Choose the full name or the four name parts, not both."))
    required = ["identity_number", "gender"]
    if "full_name" not in chosen:
        required[:0] = NAME_PARTS
    for target in required:
        if target not in chosen:
            problems.append(
                _("No column is set to “%(target)s”.")
                % {"target": target_label(target)}
            )
    return problems


# ---------------------------------------------------------------------------
# Rows: the form data a row stands for.


def _choice_lookup(target: str) -> dict[str, str]:
    lookup = {}
    for language in ("ar", "en"):
        with translation.override(language):
            for code, label in CHOICES[target]:
                lookup[key(label)] = code
    for code, _label in CHOICES[target]:
        lookup[key(code)] = code
    for code, words in CHOICE_SYNONYMS.get(target, {}).items():
        for word in words:
            lookup[key(word)] = code
    if target == "region":
        for name, code in list(lookup.items()):
            lookup[_without_region_words(name)] = code
    return lookup


def _without_region_words(name: str) -> str:
    return " ".join(w for w in name.split() if w not in _REGION_WORDS)


def _nationality_lookup() -> dict[str, str]:
    lookup = {}
    for code, words in NATIONALITY_WORDS.items():
        for word in words:
            lookup[key(word)] = code
    return lookup


def _instance_data(instance: Beneficiary) -> dict:
    """The form data of a registered beneficiary, for fields the file leaves out."""
    data = {}
    for name in BeneficiaryForm.Meta.fields:
        if name == "categories":
            data[name] = [str(c.pk) for c in instance.categories.all()]
            continue
        value = getattr(instance, name)
        if name == "birth_date":
            data["birth_date_0"] = "gregorian" if value else ""
            data["birth_date_1"] = value.isoformat() if value else ""
        elif name == "nationality":
            data[name] = value.code or ""
        else:
            data[name] = "" if value is None else str(value)
    return data


class _FieldsCopiedOnce(dict):
    """A form's fields, shared by every row of one import.

    A bound form deep-copies its ~30 fields (250 countries among their choices):
    that copy was a third of the cost of checking a row, and the rows of one
    import, checked one after another, need no copies of their own.
    """

    def __deepcopy__(self, memo):
        return dict(self)


def row_form_class(categories: list[tuple[str, str]]) -> type[BeneficiaryForm]:
    """BeneficiaryForm itself, but for fields copied once per import (never share
    one across imports: its categories belong to one association).

    What the form would ask the database or recompute for every row is settled
    once: identity numbers are checked against the registry a batch at a time
    (import_checks), categories are the association's active ones, and lazy
    choices (250 countries) are listed once instead of at every check.
    """
    fields = copy.deepcopy(BeneficiaryForm.base_fields)
    for field in fields.values():
        if isinstance(field, forms.ChoiceField) and not hasattr(field, "queryset"):
            field.choices = list(field.choices)
    fields["categories"] = forms.MultipleChoiceField(
        label=fields["categories"].label, choices=categories, required=False
    )
    form_class = type(
        "ImportRowForm",
        (BeneficiaryForm,),
        {"__module__": __name__, "rows_checked_in_batches": True},
    )
    form_class.base_fields = _FieldsCopiedOnce(fields)
    return form_class


class RowReader:
    """Turns the cells of a row into BeneficiaryForm data, by the job's mapping."""

    def __init__(self, headers: list[str], mapping: list[str]):
        self.headers = headers
        self.columns = {t: i for i, t in enumerate(mapping) if t}
        self.lookups = {t: _choice_lookup(t) for t in CHOICES}
        self.nationalities = _nationality_lookup()
        self.countries_seen: dict[str, str] = {}
        self.choices_seen: dict[str, dict[str, str]] = {}
        self.categories = {}
        active = list(Category.objects.filter(is_active=True))
        for category in active:
            for name in (category.code, category.name_ar, category.name_en):
                if name:
                    self.categories[key(name)] = str(category.pk)
        self.form_class = row_form_class([(str(c.pk), c.name) for c in active])
        self.validator = RowValidator(self.form_class)
        self.defaults = {
            f.name: f.get_default()
            for f in Beneficiary._meta.get_fields()
            if f.name in BeneficiaryForm.Meta.fields and f.has_default()
        }

    def maps(self, target: str) -> bool:
        return target in self.columns

    def column_of(self, form_field: str) -> int | None:
        """The column an error on this form field comes from, if any."""
        if form_field in self.columns:
            return self.columns[form_field]
        if form_field in NAME_PARTS:
            return self.columns.get("full_name")
        return None

    def cell(self, values: list, target: str):
        index = self.columns.get(target)
        return values[index] if index is not None else ""

    def text(self, values: list, target: str) -> str:
        return cell_text(self.cell(values, target))

    def form_data(self, values: list, instance: Beneficiary | None = None) -> dict:
        """The form's data for a row; on an update, empty cells keep what is there."""
        data = dict(self.defaults) if instance is None else _instance_data(instance)

        def put(name: str, value) -> None:
            if value not in ("", []) or instance is None:
                data[name] = value

        for target in self.columns:
            text = self.text(values, target)
            if target in CHOICES and target != "birth_calendar":
                put(target, self._choice(target, text))
            elif target == "nationality":
                put(target, self._nationality(text))
            elif target == "categories":
                put(target, self._categories(text))
            elif target == "monthly_income":
                put(target, self._amount(text))
            elif target in SYNONYMS and target not in (
                "full_name",
                "birth_date",
                "birth_calendar",
            ):
                put(target, text)
        if "full_name" in self.columns:
            for name, part in zip(
                NAME_PARTS, split_full_name(self.text(values, "full_name")), strict=True
            ):
                put(name, part)
        if "birth_date" in self.columns:
            calendar, text = self._birth_date(values)
            put("birth_date_0", calendar)
            put("birth_date_1", text)
        self._infer(data)
        return data

    def _choice(self, target: str, text: str) -> str:
        if not text:
            return ""
        # A column holds a handful of distinct values: each is looked up once.
        seen = self.choices_seen.setdefault(target, {})
        if text not in seen:
            found = self.lookups[target].get(key(text))
            if found is None and target == "region":
                found = self.lookups[target].get(_without_region_words(key(text)))
            if len(seen) < MEMO_SIZE:
                seen[text] = found or text
            return found or text
        return seen[text]

    def _nationality(self, text: str) -> str:
        if len(text) == 2 and text.isascii() and text.isalpha():
            return text.upper()
        if not text:
            return ""
        if text not in self.countries_seen:
            words = key(text)
            found = self.nationalities.get(words) or self.nationalities.get(
                words.removesuffix("ه")  # the feminine: سعودية
            )
            for language in ("ar", "en"):
                found = found or countries.by_name(text, language=language)
            self.countries_seen[text] = found or text
        return self.countries_seen[text]

    def _categories(self, text: str) -> list[str]:
        parts = [p.strip() for p in _LIST_SEPARATORS.split(text) if p.strip()]
        return [self.categories.get(key(p), p) for p in parts]

    @staticmethod
    def _amount(text: str) -> str:
        western = to_western_digits(text).replace("٫", ".")
        digits = re.sub(r"[^\d.\-]", "", western)
        return digits if any(ch.isdigit() for ch in digits) else text

    def _birth_date(self, values: list) -> tuple[str, str]:
        raw = self.cell(values, "birth_date")
        if isinstance(raw, datetime.date):
            # A real date cell: Excel dates are Gregorian whatever they show.
            return "gregorian", cell_text(raw)
        text = cell_text(raw)
        if not text:
            return "", ""
        calendar = self._choice("birth_calendar", self.text(values, "birth_calendar"))
        if not calendar:
            year = _YEAR.search(to_western_digits(text))
            calendar = "hijri" if year and int(year.group()) < 1700 else "gregorian"
        return calendar, text

    @staticmethod
    def _infer(data: dict) -> None:
        number = to_western_digits(str(data.get("identity_number", ""))).strip()
        if not data.get("identity_type") and number[:1] in TYPE_BY_FIRST_DIGIT:
            data["identity_type"] = TYPE_BY_FIRST_DIGIT[number[:1]]
        identity_type = data.get("identity_type")
        if not data.get("residency_status") and identity_type in RESIDENCY_BY_TYPE:
            data["residency_status"] = RESIDENCY_BY_TYPE[identity_type]
        if not data.get("nationality") and identity_type == IdentityType.NATIONAL_ID:
            data["nationality"] = "SA"


def split_full_name(text: str) -> list[str]:
    """First, father, grandfather and family name from "محمد بن عبد الله …".

    Names of more than four words keep the rest in the family name; fewer than
    four leave the missing parts empty, for the form to ask for them.
    """
    words = [w for w in text.split() if w not in {"بن", "بنت", "ابن"}]
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] in {"عبد", "أبو", "ابو"}:
            joined[-1] = f"{joined[-1]} {word}"
        else:
            joined.append(word)
    if len(joined) <= 4:
        return [*joined, "", "", "", ""][:4]
    return [*joined[:3], " ".join(joined[3:])]
