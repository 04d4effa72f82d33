"""Demo data: the five seed associations, one login per role, made-up beneficiaries.

For trying the product and for tests, never for a real database: every demo login
shares one known password. Each function can run again and again; it updates what
it made before instead of adding to it.
"""

import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django_scopes import scope

from mustafid.cases.committee_defaults import (
    ensure_decision_reasons,
    seat_demo_committee,
)
from mustafid.cases.escalation import ensure_default_rules
from mustafid.catalog.defaults import ensure_default_services
from mustafid.contact.models import Channel, ChannelKind
from mustafid.core.crypto import blind_index
from mustafid.core.models import Membership, Organization
from mustafid.core.regions import Region
from mustafid.core.roles import Role
from mustafid.core.saudi_ids import CITIZEN, RESIDENT, make_id
from mustafid.eligibility.defaults import ensure_sample_rules
from mustafid.governance.models import PolicyVersion, StaffTool
from mustafid.registry.defaults import ensure_registry_defaults
from mustafid.registry.demo_names import (
    CITIES_BY_REGION,
    FAMILY_NAMES,
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
)
from mustafid.registry.models import (
    Beneficiary,
    Category,
    Education,
    Employment,
    Gender,
    HouseholdMember,
    IdentityType,
    RegistrationStatus,
    Relation,
    ResidencyStatus,
)
from mustafid.registry.name_keys import build_missing_name_keys

SEEDS_PATH = Path(__file__).resolve().parent.parent / "governance" / "seeds"
# Demo only, and public on purpose: `mustafid demo` prints it beside every login.
DEMO_PASSWORD = "demo-pass-1448"  # noqa: S105
DEMO_EMAIL_DOMAIN = "demo.mustafid.invalid"
MULTI_ADMIN_USERNAME = "multi-admin"
MULTI_ADMIN_SLUGS = ("safa", "tiryaq")

_ORGANIZATION_FIELDS = (
    "name_ar",
    "name_en",
    "licence_number",
    "supervising_body_ar",
    "supervising_body_en",
    "region",
    "city",
)
_POLICY_TEXT_FIELDS = (
    "title_ar",
    "title_en",
    "board_meeting_number",
    "board_term",
    "signatory",
    "approval_note",
)
_POLICY_DATE_FIELDS = ("issue_date", "board_meeting_date")

_CITIZEN_SHARE = 0.85
_RESIDENT_NATIONALITIES = ("EG", "YE", "SY", "PK", "IN", "SD", "JO", "BD")
_BIRTH_FIRST, _BIRTH_LAST = date(1950, 1, 1), date(2008, 12, 31)
# 052 is not a Saudi mobile prefix; these are.
_MOBILE_THIRD_DIGITS = "0345679"
_STATUS_WEIGHTS = {
    RegistrationStatus.REGISTERED: 75,
    RegistrationStatus.INCOMPLETE: 15,
    RegistrationStatus.PROSPECTIVE: 10,
}


def read_associations(*, seeds_path: Path | None = None) -> list[dict[str, Any]]:
    """The associations as the seed file describes them, checked against the choices."""
    path = Path(seeds_path or SEEDS_PATH) / "associations.toml"
    with path.open("rb") as file:
        entries = tomllib.load(file)["association"]
    for entry in entries:
        slug = entry["slug"]
        _check_choice(
            slug, what="region", value=entry.get("region", ""), choices=Region
        )
        for channel in entry["channels"]:
            _check_choice(
                slug, what="channel kind", value=channel["kind"], choices=ChannelKind
            )
    return entries


def _check_choice(
    slug: str, *, what: str, value: str, choices: type[models.Choices]
) -> None:
    # A typo in the seed file would otherwise be stored as an invalid choice.
    if value and value not in choices.values:
        raise ValueError(f"{slug}: unknown {what} {value!r} in the seed file")


@transaction.atomic
def load_associations(*, seeds_path: Path | None = None) -> list[Organization]:
    """Create or update the seed associations with their channels, tools and policy."""
    seeds_path = Path(seeds_path or SEEDS_PATH)
    organizations = []
    for entry in read_associations(seeds_path=seeds_path):
        organization, _ = Organization.objects.update_or_create(
            slug=entry["slug"],
            defaults={field: entry.get(field, "") for field in _ORGANIZATION_FIELDS},
        )
        ensure_registry_defaults(organization)
        with scope(organization=organization):
            ensure_default_services(organization)
            ensure_sample_rules(organization)
            ensure_default_rules(organization)
            ensure_decision_reasons(organization)
            _load_channels(organization, channels=entry["channels"])
            _load_tools(organization, tools=entry["tools"])
            _load_policy(organization, policy=entry["policy"], seeds_path=seeds_path)
        organizations.append(organization)
    return organizations


def _load_channels(organization: Organization, *, channels: list[dict]) -> None:
    for position, channel in enumerate(channels, start=1):
        Channel.objects.update_or_create(
            organization=organization,
            name_ar=channel["name_ar"],
            defaults={
                "name_en": channel.get("name_en", ""),
                "kind": channel["kind"],
                "position": position,
            },
        )


def _load_tools(organization: Organization, *, tools: list[dict]) -> None:
    for position, tool in enumerate(tools, start=1):
        StaffTool.objects.update_or_create(
            organization=organization,
            name_ar=tool["name_ar"],
            defaults={"name_en": tool.get("name_en", ""), "position": position},
        )


def _load_policy(organization: Organization, *, policy: dict, seeds_path: Path) -> None:
    text = (seeds_path / "policies" / policy["source"]).read_text(encoding="utf-8")
    defaults: dict[str, Any] = {"text": text.strip()}
    defaults |= {field: policy.get(field, "") for field in _POLICY_TEXT_FIELDS}
    defaults |= {field: policy.get(field) for field in _POLICY_DATE_FIELDS}
    PolicyVersion.objects.update_or_create(
        organization=organization, number=policy["number"], defaults=defaults
    )


def demo_username(org: Organization, role: Role) -> str:
    return f"{org.slug}-{role.value}"


@transaction.atomic
def create_demo_staff(org: Organization, *, password: str) -> list[tuple[str, Role]]:
    """One login per role in the association, plus the multi-association admin in
    the associations it spans; existing demo logins get `password` again."""
    logins = [(demo_username(org, role), role) for role in Role]
    if org.slug in MULTI_ADMIN_SLUGS:
        logins.append((MULTI_ADMIN_USERNAME, Role.ADMIN))
    # One hash for all: the logins share the password anyway, and the password
    # hasher is slow on purpose (about half a second a login).
    password_hash = make_password(password)
    with scope(organization=org):
        for username, role in logins:
            user = _demo_user(username=username, password_hash=password_hash)
            Membership.objects.update_or_create(
                user=user,
                organization=org,
                defaults={"role": role, "is_active": True},
            )
    return logins


def _demo_user(*, username: str, password_hash: str) -> AbstractBaseUser:
    # Seeded by the username so a login keeps its staff name from run to run;
    # nothing secret comes from it.
    rng = random.Random(username)
    first_names = FEMALE_FIRST_NAMES if rng.random() < 0.4 else MALE_FIRST_NAMES
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": rng.choice(first_names),
            "last_name": rng.choice(FAMILY_NAMES),
            "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
            "password": password_hash,
            "is_active": True,
        },
    )
    return user


@transaction.atomic
def create_demo_beneficiaries(org: Organization, *, count: int = 50) -> int:
    """`count` made-up beneficiaries, the same ones on every run; returns how many
    were not there yet."""
    # Seeded by the slug, not the database id, so every database gets the same
    # people, and a larger count adds to the smaller one's people.
    rng = random.Random(f"demo-beneficiaries:{org.slug}")
    people: dict[str, dict[str, Any]] = {}
    while len(people) < count:
        person = _demo_person(rng, organization=org)
        people.setdefault(person["identity_number"], person)
    with scope(organization=org):
        existing = set(Beneficiary.objects.values_list("identity_hash", flat=True))
        categories = list(Category.objects.all())
        created = 0
        for number, person in people.items():
            if blind_index(number) in existing:
                continue
            household = person.pop("household")
            beneficiary = Beneficiary(organization=org, **person)
            beneficiary.save()
            beneficiary.categories.set(rng.sample(categories, k=rng.randint(0, 2)))
            for member in household:
                HouseholdMember.objects.create(
                    organization=org, beneficiary=beneficiary, **member
                )
            created += 1
        # Loaded without the registry services: give them their duplicate keys.
        build_missing_name_keys(Beneficiary.objects.all())
    return created


def _demo_mobile(rng: random.Random) -> str:
    subscriber = "".join(rng.choices("0123456789", k=7))
    return f"+9665{rng.choice(_MOBILE_THIRD_DIGITS)}{subscriber}"


def _demo_person(rng: random.Random, *, organization: Organization) -> dict[str, Any]:
    gender = rng.choice((Gender.MALE, Gender.FEMALE))
    first_names = MALE_FIRST_NAMES if gender == Gender.MALE else FEMALE_FIRST_NAMES
    citizen = rng.random() < _CITIZEN_SHARE
    region = organization.region or rng.choice(Region.values)
    if organization.city and rng.random() < 0.6:
        city = organization.city
    else:
        city = rng.choice(CITIES_BY_REGION[region])
    birth_span = (_BIRTH_LAST - _BIRTH_FIRST).days
    family_name = rng.choice(FAMILY_NAMES)
    return {
        "first_name": rng.choice(first_names),
        "father_name": rng.choice(MALE_FIRST_NAMES),
        "grandfather_name": rng.choice(MALE_FIRST_NAMES),
        "family_name": family_name,
        "gender": gender,
        "nationality": "SA" if citizen else rng.choice(_RESIDENT_NATIONALITIES),
        "residency_status": ResidencyStatus.CITIZEN
        if citizen
        else ResidencyStatus.RESIDENT,
        "education": rng.choice(Education.values),
        "employment_status": rng.choice(Employment.values),
        "monthly_income": Decimal(rng.choice((0, 1500, 2500, 3000, 4200, 6000))),
        "household": [
            _demo_household_member(rng, family_name=family_name)
            for _ in range(rng.choice((0, 1, 2, 3, 4, 5)))
        ],
        "identity_type": IdentityType.NATIONAL_ID if citizen else IdentityType.IQAMA,
        "identity_number": make_id(CITIZEN if citizen else RESIDENT, rng),
        "birth_date": _BIRTH_FIRST + timedelta(days=rng.randint(0, birth_span)),
        "mobile": _demo_mobile(rng),
        "region": region,
        "city": city,
        "registration_status": rng.choices(
            list(_STATUS_WEIGHTS), weights=list(_STATUS_WEIGHTS.values())
        )[0],
    }


def _demo_household_member(rng: random.Random, *, family_name: str) -> dict:
    relation = rng.choice((Relation.SPOUSE, Relation.SON, Relation.DAUGHTER))
    male = relation == Relation.SON or (
        relation == Relation.SPOUSE and rng.random() < 0.2
    )
    first = rng.choice(MALE_FIRST_NAMES if male else FEMALE_FIRST_NAMES)
    return {
        "relation": relation,
        "full_name": f"{first} {family_name}",
        "gender": Gender.MALE if male else Gender.FEMALE,
        "birth_date": date(rng.randint(1960, 2022), rng.randint(1, 12), 1),
        "has_disability": rng.random() < 0.08,
        "monthly_income": Decimal(rng.choice((0, 0, 0, 800, 2000))),
    }


@dataclass(frozen=True)
class PortalLogin:
    """A demo beneficiary who signs in to the association's portal (issue 7)."""

    organization: Organization
    identity_number: str
    mobile: str


def create_portal_beneficiary(org: Organization) -> PortalLogin:
    """One registered beneficiary with a known identity number and mobile, the
    same on every run; the sign-in code prints on the console backend."""
    rng = random.Random(f"demo-portal:{org.slug}")
    identity_number = make_id(CITIZEN, rng)
    mobile = f"+96655{rng.randint(0, 9_999_999):07d}"
    with scope(organization=org):
        found = Beneficiary.objects.filter(
            identity_hash=blind_index(identity_number)
        ).first()
        if found is None:
            Beneficiary(
                organization=org,
                first_name="سارة",
                father_name="محمد",
                grandfather_name="عبدالله",
                family_name="القحطاني",
                gender=Gender.FEMALE,
                nationality="SA",
                residency_status=ResidencyStatus.CITIZEN,
                identity_type=IdentityType.NATIONAL_ID,
                identity_number=identity_number,
                mobile=mobile,
                city=org.city,
                region=org.region,
                registration_status=RegistrationStatus.REGISTERED,
            ).save()
            build_missing_name_keys(Beneficiary.objects.all())
        elif found.mobile != mobile:
            found.mobile = mobile
            found.save(update_fields=["mobile", "updated_at"])
    return PortalLogin(organization=org, identity_number=identity_number, mobile=mobile)


@dataclass(frozen=True)
class DemoLogin:
    organization: Organization
    username: str
    role: Role


@dataclass(frozen=True)
class DemoSummary:
    organizations: list[Organization]
    logins: list[DemoLogin]
    beneficiaries_created: int
    portal_logins: list[PortalLogin] = field(default_factory=list)


@transaction.atomic
def load_demo(*, password: str = DEMO_PASSWORD, beneficiaries: int = 50) -> DemoSummary:
    """Everything `mustafid demo` sets up, in one transaction."""
    organizations = load_associations()
    logins = [
        DemoLogin(organization=org, username=username, role=role)
        for org in organizations
        for username, role in create_demo_staff(org, password=password)
    ]
    for org in organizations:
        seat_demo_committee(org)
    created = sum(
        create_demo_beneficiaries(org, count=beneficiaries) for org in organizations
    )
    from mustafid.contact.demo import create_demo_contacts
    from mustafid.feedback.demo import create_demo_feedback
    from mustafid.surveys.demo import create_demo_surveys

    for org in organizations:
        create_demo_contacts(org)
        create_demo_feedback(org)
        create_demo_surveys(org)
    portal_logins = [create_portal_beneficiary(org) for org in organizations]
    return DemoSummary(
        organizations=organizations,
        logins=logins,
        beneficiaries_created=created,
        portal_logins=portal_logins,
    )
