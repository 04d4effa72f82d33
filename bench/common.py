"""What the bench scripts share: the environment, Django set-up and the people.

Every script runs against one PostgreSQL database, `mustafid_bench` by default,
with fixed, public bench keys: the data is made up and the keys protect nothing.
A person is a pure function of (seed, index): identity number and mobile come
from a bijection of the index, so they are unique without any bookkeeping and
the measuring script can rebuild any row's identity number without reading it.
"""

import os
import random
import sys
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlparse

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mustafid_bench"

# Public on purpose: bench data only.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "mustafid.settings",
    # DEBUG off: with DEBUG on, Django keeps every query in connection.queries,
    # which would be measured as ORM time.
    "DEBUG": "false",
    "SECRET_KEY": "bench-secret-key-not-secret-0123456789abcdef",
    "FIELD_ENCRYPTION_KEYS": "ylveaMtiEOafZdUXkOv9QY3lhWW9tHqeSm2UyAxFkJ0=",
    "FIELD_HASH_KEY": "bench-hash-key-not-secret-0123456789abcdef",
    "DATABASE_CONN_MAX_AGE": "0",
    "LOG_LEVEL": "WARNING",
}

ORG_SLUG = "bench"
DEFAULT_SEED = 20260101


def bench_env() -> dict[str, str]:
    """The process environment with the bench settings (DATABASE_URL kept if set)."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_URL)
    for name, value in BENCH_ENV.items():
        env.setdefault(name, value)
    check_url(env["DATABASE_URL"])
    return env


def check_url(url: str) -> str:
    """The database name; refuses anything that is not a local bench database."""
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(f"bench needs PostgreSQL, not {parts.scheme!r}")
    if parts.hostname not in ("127.0.0.1", "localhost"):
        sys.exit("bench runs only against a PostgreSQL on 127.0.0.1")
    if not name.startswith("mustafid_bench"):
        sys.exit(f"refusing database {name!r}: bench databases are mustafid_bench*")
    return name


def setup_django() -> None:
    os.environ.update(bench_env())
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()


# ---------------------------------------------------------------------------
# Names. Faker's ar_SA first names (as a dependency of factory-boy) for breadth,
# the project's Saudi lists for the names that are common in practice, and more
# Saudi family names below. Common names come first and are drawn far more often.

# Family and tribal names beyond mustafid.registry.demo_names; like that list,
# names of the ruling family and well-known public families are left out.
MORE_FAMILY_NAMES: tuple[str, ...] = (
    "الحربي",
    "الرشيد",
    "السديري",
    "الشثري",
    "العقيلي",
    "الزامل",
    "الحميد",
    "البراك",
    "العمير",
    "الخضيري",
    "المطرفي",
    "اللحياني",
    "الهذلي",
    "الزبيدي",
    "المولد",
    "الشنقيطي",
    "البيشي",
    "الودعاني",
    "المرشدي",
    "القثامي",
    "العصيمي",
    "الروقي",
    "النفيعي",
    "الدعجاني",
    "الحمياني",
    "الشلوي",
    "القرشي",
    "الشريف",
    "الحسني",
    "البركاتي",
    "الفايز",
    "الغنيم",
    "السعيد",
    "المنصور",
    "الصالح",
    "العبدالله",
    "الخليفة",
    "البدر",
    "الطويل",
    "القحطان",
    "آل شويل",
    "آل ظافر",
    "آل مريح",
    "آل هادي",
    "آل منيف",
    "آل زاحم",
    "آل حسين",
    "آل رشيد",
    "الجبلي",
    "الخزمري",
    "الشهري",
    "الكبيسي",
    "العلياني",
    "المنتشري",
    "الأنصاري",
    "البخاري",
    "التركستاني",
    "الجاوي",
    "الحضرمي",
    "باعشن",
    "بامحرز",
    "باوزير",
    "بن سعيدان",
    "العمودي",
    "الكاف",
    "الجفري",
    "السقاف",
    "العيدروس",
    "المحضار",
    "باحارث",
    "الصبحي",
    "الردادي",
    "الأحمري",
    "الوهيبي",
    "المسعودي",
    "الزهيري",
    "العرياني",
    "الغامدي",
    "الرميح",
    "الحقباني",
    "الدوسري",
    "العبيدي",
    "الجريد",
    "الفريح",
    "الهزاع",
    "السحيباني",
    "التويجري",
    "الربيعة",
    "الحميدان",
    "الشبيلي",
    "المقبل",
    "العثيم",
    "الخريجي",
    "الدريس",
    "السالم",
    "النجار",
    "الحداد",
    "الصائغ",
    "الخياط",
    "العطار",
)


def _dedupe(names) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _zipf_weights(count: int, exponent: float) -> list[float]:
    """Cumulative weights (for random.choices) falling as 1 / rank**exponent."""
    return list(accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


class Names:
    """Name lists with weights: a few very common names, a long tail of rare ones."""

    def __init__(self) -> None:
        from faker.providers.person.ar_SA import Provider as ArSa

        from mustafid.registry import demo_names

        self.male = _dedupe((*demo_names.MALE_FIRST_NAMES, *ArSa.first_names_male))
        self.female = _dedupe(
            (*demo_names.FEMALE_FIRST_NAMES, *ArSa.first_names_female)
        )
        self.family = _dedupe((*demo_names.FAMILY_NAMES, *MORE_FAMILY_NAMES))
        self.male_weights = _zipf_weights(len(self.male), 1.1)
        self.female_weights = _zipf_weights(len(self.female), 1.0)
        self.family_weights = _zipf_weights(len(self.family), 0.7)
        self.cities = demo_names.CITIES_BY_REGION

    def males(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.male, cum_weights=self.male_weights, k=k)

    def females(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.female, cum_weights=self.female_weights, k=k)

    def families(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.family, cum_weights=self.family_weights, k=k)


# ---------------------------------------------------------------------------
# Identity numbers and mobiles: bijections of the index, so unique by design.

_ID_SPACE = 10**8  # the eight digits between the kind and the check digit
_ID_MULT = 48_271_337  # odd and not a multiple of 5: invertible modulo 10**8
_ID_ADD = 13_579_246
_MOBILE_SPACE = 7 * 10**7  # seven allowed third digits, seven-digit subscriber
_MOBILE_MULT = 39_916_801  # coprime with 7 * 10**7
_MOBILE_ADD = 2_718_281
# 050, 053, ... 059 less 052 (not a Saudi mobile prefix) and 057 (phonenumbers
# rejects 05799…): seven prefixes, every number valid.
_MOBILE_THIRD = "0345689"
CITIZEN_SHARE = 0.85


def luhn_digit(body: str) -> str:
    total = 0
    # The check digit will be position 0 from the right, so the body starts at 1.
    for position, char in enumerate(reversed(body), start=1):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str(-total % 10)


def identity_number(index: int, citizen: bool) -> str:
    """A valid national id (1…) or iqama (2…) number, unique for each index."""
    body = (index * _ID_MULT + _ID_ADD) % _ID_SPACE
    head = ("1" if citizen else "2") + f"{body:08d}"
    return head + luhn_digit(head)


def is_citizen(index: int) -> bool:
    """85 % citizens, decided by the index alone (a multiplicative hash)."""
    return (index * 2_654_435_761 >> 8) % 1000 < CITIZEN_SHARE * 1000


def mobile_number(index: int) -> str:
    """+9665XXXXXXXX, unique for each index below seventy million."""
    value = (index * _MOBILE_MULT + _MOBILE_ADD) % _MOBILE_SPACE
    third, subscriber = divmod(value, 10**7)
    return f"+9665{_MOBILE_THIRD[third]}{subscriber:07d}"


def local_mobile(e164: str) -> str:
    """+966501234567 as people write it: 0501234567."""
    return "0" + e164.removeprefix("+966")


BIRTH_FIRST, BIRTH_LAST = date(1950, 1, 1), date(2008, 12, 31)
BIRTH_SPAN = (BIRTH_LAST - BIRTH_FIRST).days


def birth_date(rng: random.Random) -> date:
    return BIRTH_FIRST + timedelta(days=rng.randint(0, BIRTH_SPAN))


# ---------------------------------------------------------------------------
# The same name written differently, as registrations and imports really do.

_SAME_NAME = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("ة", "ه"),
    ("ى", "ي"),
    ("عبد", "عبد "),
    ("آل ", "ال"),
)


def spelling_variant(rng: random.Random, name: str) -> str:
    """The name as another clerk writes it; normalises to the same words."""
    options = [(a, b) for a, b in _SAME_NAME if a in name]
    options += [(b, a) for a, b in _SAME_NAME if b in name and a != "عبد"]
    if not options:
        return name
    old, new = rng.choice(options)
    return name.replace(old, new, 1)


def typo(rng: random.Random, word: str) -> str:
    """A real mistake: a letter dropped, doubled or two letters swapped."""
    if len(word) < 4:
        return word + word[-1]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
