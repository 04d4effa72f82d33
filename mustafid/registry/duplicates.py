"""Is this person already registered? (P-COMPLETE, P-PRIVACY)

Candidates come from indexes only, never from reading the registry: the blind
indexes of the identity number and the mobile, the name-key table (the same
first AND family name, after normalisation) and, on PostgreSQL when those
find no namesake, the first and family names resembling the typed ones among
the association's name words (spelling mistakes normalisation does not undo).
Each candidate is then scored on what the two records share.

The scoring knows how Arabic names are built: a name is the person's own name
followed by the father's, the grandfather's and the family's. Brothers share
everything but the first name; a son's father's name is his father's first
name; cousins share the first and family names (often the grandfather's too)
but not the father's. None of them is the same person: whatever else matches,
a different first or family name keeps the score below POSSIBLE and a
different father's name below PROBABLE.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    Q,
    Value,
    When,
    Window,
)
from django.utils.translation import gettext_lazy as _

from mustafid.core.crypto import blind_index
from mustafid.core.models import Organization
from mustafid.core.phones import normalize_mobile
from mustafid.core.saudi_ids import normalize_id
from mustafid.registry.models import Beneficiary
from mustafid.registry.name_keys import (
    PART_FIELDS,
    PARTS,
    NameBlock,
    NamePart,
    keys_of,
)

# Scores run from 0 to 100. PROBABLE: very likely the same person; staff are
# told before registering and a manager should review the pair. POSSIBLE: worth
# a look. Below POSSIBLE a candidate is not shown.
PROBABLE = 70
POSSIBLE = 45
CERTAIN = 100  # the same identity number

# What each agreement is worth. The four parts of a name together reach
# PROBABLE on their own; a birth date or a mobile in common adds to it.
PART_WEIGHTS = {
    NamePart.FIRST.value: 22,
    NamePart.FATHER.value: 18,
    NamePart.GRANDFATHER.value: 12,
    NamePart.FAMILY.value: 20,
}
SPELLING_VARIANT = 0.7  # share of a part's weight for a one-letter difference
SAME_BIRTH_DATE = 20
OTHER_BIRTH_DATE = -20
SAME_MOBILE = 30
OTHER_GRANDFATHER = -15

# Rows read per candidate query: enough for the best matches of a common name,
# few enough that the check stays fast on a million beneficiaries.
CANDIDATE_ROWS = 50
# Name words tried for each misspelt part of a name: registries hold many
# spellings of common names, and the right one must not be crowded out.
RESEMBLING_WORDS = 30
# Blocks bigger than this are split further before comparing every pair.
MAX_BLOCK = 200
LOAD_BATCH = 2000  # records loaded per query by find_duplicate_groups

_FIELDS = (
    "organization_id",
    *PART_FIELDS.values(),
    "identity_hash",
    "mobile_hash",
    "birth_date",
    "gender",
    "registration_status",
    "created_at",
)


@dataclass(frozen=True)
class Person:
    """What the scoring compares: name keys, blind indexes, birth date, gender."""

    names: dict[str, tuple[str, str]]
    identity_hash: str = ""
    mobile_hash: str = ""
    birth_date: datetime.date | None = None
    gender: str = ""

    @classmethod
    def of(cls, beneficiary: Beneficiary) -> "Person":
        return cls(
            names=keys_of({p: getattr(beneficiary, f) for p, f in PART_FIELDS.items()}),
            identity_hash=beneficiary.identity_hash,
            mobile_hash=beneficiary.mobile_hash,
            birth_date=beneficiary.birth_date,
            gender=beneficiary.gender,
        )

    @classmethod
    def from_input(
        cls,
        *,
        first_name: str = "",
        father_name: str = "",
        grandfather_name: str = "",
        family_name: str = "",
        identity_number: str = "",
        mobile: str = "",
        birth_date: datetime.date | None = None,
        gender: str = "",
    ) -> "Person":
        """From what is being typed: numbers need not be complete or valid."""
        number = normalize_id(identity_number).upper().replace("-", "")
        try:
            mobile = normalize_mobile(mobile) if mobile.strip() else ""
        except ValidationError:
            mobile = ""
        return cls(
            names=keys_of(
                {
                    NamePart.FIRST: first_name,
                    NamePart.FATHER: father_name,
                    NamePart.GRANDFATHER: grandfather_name,
                    NamePart.FAMILY: family_name,
                }
            ),
            identity_hash=blind_index(number),
            mobile_hash=blind_index(mobile),
            birth_date=birth_date,
            gender=gender,
        )


@dataclass
class Candidate:
    beneficiary: Beneficiary
    score: int
    reasons: list = field(default_factory=list)

    @property
    def is_probable(self) -> bool:
        return self.score >= PROBABLE

    @property
    def level(self) -> str:
        if self.score >= PROBABLE:
            return "probable"
        return "possible" if self.score >= POSSIBLE else ""


# How two parts of a name compare.
SAME, VARIANT, OTHER, UNKNOWN = "same", "variant", "other", "unknown"


def _within_one_edit(a: str, b: str) -> bool:
    """One letter added, dropped, changed or two swapped (Damerau, distance 1)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_ABD = "عبد"


def _core(loose: str) -> str:
    # عبدالله and عبدالاله differ in one letter but are different names:
    # compare what follows عبد.
    return loose.removeprefix(_ABD).removeprefix("ال")


def compare_part(a: tuple[str, str] | None, b: tuple[str, str] | None) -> str:
    if not a or not b:
        return UNKNOWN
    if a[0] == b[0] or a[1] == b[1]:
        return SAME
    # One letter apart is another name when the names are short: سعد and
    # سعيد, محمد and محمود. After عبد, the shared prefix makes four enough
    # (عبدالرحمن, عبدالرحمان).
    compound = a[1].startswith(_ABD) and b[1].startswith(_ABD)
    core_a, core_b = _core(a[1]), _core(b[1])
    if min(len(core_a), len(core_b)) >= (4 if compound else 5) and _within_one_edit(
        core_a, core_b
    ):
        return VARIANT
    return OTHER


_NAME_REASONS = {
    frozenset(NamePart): _("same four-part name"),
    frozenset({NamePart.FIRST, NamePart.FATHER, NamePart.FAMILY}): _(
        "same first, father's and family name"
    ),
    frozenset({NamePart.FIRST, NamePart.GRANDFATHER, NamePart.FAMILY}): _(
        "same first, grandfather's and family name"
    ),
    frozenset({NamePart.FIRST, NamePart.FAMILY}): _("same first and family name"),
}


def score(new: Person, old: Person) -> tuple[int, list]:
    """How likely `old` is the person `new` describes (0-100), and why."""
    points, reasons = 0, []
    cap = CERTAIN - 1
    parts = {p: compare_part(new.names.get(p), old.names.get(p)) for p in PARTS}
    agreeing = frozenset(p for p, m in parts.items() if m in (SAME, VARIANT))
    if {NamePart.FIRST, NamePart.FAMILY} <= agreeing:
        for part in agreeing:
            weight = PART_WEIGHTS[part]
            points += (
                weight if parts[part] == SAME else round(weight * SPELLING_VARIANT)
            )
        if parts[NamePart.GRANDFATHER] == OTHER:
            points += OTHER_GRANDFATHER
        reasons.append(_NAME_REASONS[agreeing])
        if VARIANT in parts.values():
            reasons.append(_("the name is spelled slightly differently"))
        if parts[NamePart.FATHER] == OTHER:
            # Cousins named after the same grandfather.
            cap = PROBABLE - 1
    else:
        # Brothers, a father and his son, a wife sharing her husband's mobile:
        # relatives, not the same person.
        cap = POSSIBLE - 1
    if new.mobile_hash and new.mobile_hash == old.mobile_hash:
        points += SAME_MOBILE
        reasons.append(_("same mobile"))
    if new.birth_date and old.birth_date:
        if new.birth_date == old.birth_date:
            points += SAME_BIRTH_DATE
            reasons.append(_("same birth date"))
        else:
            points += OTHER_BIRTH_DATE
    if new.gender and old.gender and new.gender != old.gender:
        cap = min(cap, POSSIBLE - 1)
    if new.identity_hash and new.identity_hash == old.identity_hash:
        return CERTAIN, [_("same identity number"), *reasons]
    return max(0, min(points, cap)), reasons


def find_candidates(
    *,
    organization: Organization,
    first_name: str = "",
    father_name: str = "",
    grandfather_name: str = "",
    family_name: str = "",
    identity_number: str = "",
    mobile: str = "",
    birth_date: datetime.date | None = None,
    gender: str = "",
    exclude_pk: int | None = None,
    limit: int = 10,
    min_score: int = POSSIBLE,
) -> list[Candidate]:
    """The association's beneficiaries who may be this person, best first.

    A bounded number of indexed queries, whatever the size of the registry.
    """
    new = Person.from_input(
        first_name=first_name,
        father_name=father_name,
        grandfather_name=grandfather_name,
        family_name=family_name,
        identity_number=identity_number,
        mobile=mobile,
        birth_date=birth_date,
        gender=gender,
    )
    beneficiaries = Beneficiary.objects.filter(organization=organization).only(*_FIELDS)
    if exclude_pk is not None:
        beneficiaries = beneficiaries.exclude(pk=exclude_pk)
    named = NamePart.FIRST in new.names and NamePart.FAMILY in new.names
    words = {part: [loose] for part, (_key, loose) in new.names.items()}
    # Ids from the mobile's and the name block's indexes, then one read of
    # the records (an OR of subqueries would make PostgreSQL scan the table).
    ids = []
    if new.mobile_hash:
        same_mobile = beneficiaries.filter(mobile_hash=new.mobile_hash)
        ids += same_mobile.order_by("pk").values_list("pk", flat=True)[:CANDIDATE_ROWS]
    if named:
        ids += _namesakes(organization, words, exclude_pk)
    wanted = Q(pk__in=ids) if ids else Q()
    if new.identity_hash:
        wanted |= Q(identity_hash=new.identity_hash)
    found = list(beneficiaries.filter(wanted)) if wanted else []
    if named and not found and connection.vendor == "postgresql":
        # Only when nobody was found: a name spelled another way.
        found = _similar_names(beneficiaries, organization, new, exclude_pk)
    candidates = [Candidate(b, *score(new, Person.of(b))) for b in found]
    candidates = [c for c in candidates if c.score >= min_score]
    candidates.sort(key=lambda c: (-c.score, c.beneficiary.pk))
    return candidates[:limit]


def _namesakes(organization, words: dict[str, list[str]], exclude_pk=None) -> list[int]:
    """Ids of those with one of the first names and one of the family names,
    those also sharing the father's and grandfather's names first (at most
    CANDIDATE_ROWS): one range of the name-block index."""
    blocks = NameBlock.objects.filter(
        organization=organization,
        first__in=words[NamePart.FIRST],
        family__in=words[NamePart.FAMILY],
    )
    if exclude_pk is not None:
        blocks = blocks.exclude(beneficiary_id=exclude_pk)
    # The father's name weighs more than the grandfather's: both, father,
    # grandfather, neither.
    shared = Value(0)
    for part, weight in ((NamePart.FATHER, 2), (NamePart.GRANDFATHER, 1)):
        if part in words:
            shared = shared + Case(
                When(**{f"{part}__in": words[part]}, then=Value(weight)),
                default=Value(0),
            )
    ranked = blocks.alias(shared=shared).order_by("-shared", "beneficiary_id")
    return list(ranked.values_list("beneficiary_id", flat=True)[:CANDIDATE_ROWS])


def _similar_names(
    beneficiaries, organization, new: Person, exclude_pk=None
) -> list[Beneficiary]:
    """Spelling mistakes beyond normalisation: each part of the name is compared
    with the association's name words (search's dictionary), and those bearing
    words resembling the first and family names, and the father's and
    grandfather's first, are read through the name blocks."""
    from mustafid.registry.search import resembling_each

    typed = {part: loose for part, (_key, loose) in new.names.items()}
    words = resembling_each(typed, limit=RESEMBLING_WORDS)
    words = {part: found for part, found in words.items() if found}
    if NamePart.FIRST not in words or NamePart.FAMILY not in words:
        return []
    ids = _namesakes(organization, words, exclude_pk)
    return list(beneficiaries.filter(pk__in=ids)) if ids else []


# The whole registry, for `mustafid find_duplicates`.


@dataclass
class DuplicateGroup:
    beneficiaries: list[Beneficiary]
    pairs: list[tuple[Beneficiary, Beneficiary, int, list]]

    @property
    def score(self) -> int:
        return max(pair[2] for pair in self.pairs)


def find_duplicate_groups(
    *, organization: Organization, min_score: int = PROBABLE
) -> list[DuplicateGroup]:
    """Groups of records that are probably one person, highest score first.

    Only records in one block (the same first, father's and family name keys,
    or the same mobile) are compared, never every pair in the registry.
    """
    beneficiaries = Beneficiary.objects.filter(organization=organization)
    scored: dict[tuple[int, int], tuple[int, list]] = {}
    records: dict[int, tuple[Beneficiary, Person]] = {}
    pending: list[list[int]] = []
    for block in _blocks(beneficiaries):
        pending.append(block)
        if sum(map(len, pending)) >= LOAD_BATCH:
            _score_blocks(beneficiaries, pending, records, scored)
            pending = []
    _score_blocks(beneficiaries, pending, records, scored)
    kept = {pair: result for pair, result in scored.items() if result[0] >= min_score}
    return _groups(kept, records)


def _score_blocks(beneficiaries, blocks, records: dict, scored: dict) -> None:
    # One query loads the records of many blocks.
    missing = {pk for block in blocks for pk in block} - records.keys()
    if missing:
        found_now = beneficiaries.only(*_FIELDS).order_by().in_bulk(missing)
        for pk, found in found_now.items():
            records[pk] = (found, Person.of(found))
    for block in blocks:
        for part in _split([records[pk] for pk in block if pk in records]):
            _score_pairs(part, scored)


# A block: the records sharing these name keys. Records with another father's
# name stay below PROBABLE (cousins), so no probable pair with the same keys is
# lost; a father's name spelled another way is found through a shared mobile.
_BLOCK_PARTS = (NamePart.FIRST, NamePart.FATHER, NamePart.FAMILY)


def _blocks(beneficiaries) -> Iterable[list[int]]:
    """Ids sharing the block's name keys, then ids sharing a mobile."""
    keyed = beneficiaries.annotate(
        **{
            f"key_{part}": FilteredRelation(
                "name_keys", condition=Q(name_keys__position=part)
            )
            for part in _BLOCK_PARTS
        }
    )
    columns = [f"key_{part}__loose_key" for part in _BLOCK_PARTS]
    by_name = (
        keyed.filter(**{f"{column}__isnull": False for column in columns})
        .annotate(
            size=Window(Count("pk"), partition_by=[F(column) for column in columns])
        )
        .filter(size__gt=1)
        .order_by(*columns, "pk")
        .values_list(*columns, "pk")
    )
    yield from _consecutive(by_name)
    by_mobile = (
        beneficiaries.exclude(mobile_hash="")
        .annotate(size=Window(Count("pk"), partition_by=[F("mobile_hash")]))
        .filter(size__gt=1)
        .order_by("mobile_hash", "pk")
        .values_list("mobile_hash", "pk")
    )
    yield from _consecutive(by_mobile)


def _consecutive(rows) -> Iterable[list[int]]:
    block, current = [], None
    for *key, pk in rows.iterator(chunk_size=2000):
        if key != current and block:
            yield block
            block = []
        current = key
        block.append(pk)
    if block:
        yield block


def _split(people: list[tuple]) -> Iterable[list[tuple]]:
    """A very common name, or an office phone entered for many, makes a big
    block: compare within the same grandfather's name then."""
    if len(people) <= MAX_BLOCK:
        yield people
        return
    parts: dict[tuple, list] = {}
    for entry in people:
        names = entry[1].names
        key = tuple(names.get(p, ("", ""))[1] for p in _SPLIT_PARTS)
        parts.setdefault(key, []).append(entry)
    yield from (part for part in parts.values() if len(part) > 1)


_SPLIT_PARTS = (NamePart.FIRST, NamePart.GRANDFATHER, NamePart.FAMILY)


def _score_pairs(people: list[tuple], scored: dict) -> None:
    for i, (a, person_a) in enumerate(people):
        for b, person_b in people[i + 1 :]:
            pair = (min(a.pk, b.pk), max(a.pk, b.pk))
            if pair not in scored:
                scored[pair] = score(person_a, person_b)


def _groups(scored: dict, records: dict) -> list[DuplicateGroup]:
    parent: dict[int, int] = {}

    def root(pk: int) -> int:
        while parent.setdefault(pk, pk) != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for a, b in scored:
        parent[root(a)] = root(b)
    groups: dict[int, DuplicateGroup] = {}
    for (a, b), (value, reasons) in sorted(scored.items()):
        group = groups.setdefault(root(a), DuplicateGroup([], []))
        group.pairs.append((records[a][0], records[b][0], value, reasons))
    for group in groups.values():
        members = {pk for a, b, *_ in group.pairs for pk in (a.pk, b.pk)}
        group.beneficiaries = [records[pk][0] for pk in sorted(members)]
    return sorted(groups.values(), key=lambda g: (-g.score, g.beneficiaries[0].pk))
