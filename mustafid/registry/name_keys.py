"""The index duplicate detection reads: one normalised key per part of a name.

A name is four parts (first, father, grandfather, family). Each part is kept in
the normal form of `core.arabic` (`key`) and in a looser form without the
article (`loose_key`): people write القحطاني, قحطاني and آل قحطان's family name
with or without ال / آل. Candidates are looked up by these keys, never by
scanning the registry; the same table works on SQLite and PostgreSQL.
"""

from functools import lru_cache

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mustafid.core.arabic import name_words
from mustafid.core.tenancy import TenantModel

# Normalisation turns آل into ال, so one article covers both.
ARTICLE = "ال"


class NamePart(models.TextChoices):
    FIRST = "first", _("first name")
    FATHER = "father", _("father's name")
    GRANDFATHER = "grandfather", _("grandfather's name")
    FAMILY = "family", _("family name")


# Plain strings, in the order a name is written: faster dictionary keys than the
# enum when a whole registry is compared.
PARTS = tuple(NamePart.values)

# The model field behind each part, in the order a name is written.
PART_FIELDS = {
    NamePart.FIRST: "first_name",
    NamePart.FATHER: "father_name",
    NamePart.GRANDFATHER: "grandfather_name",
    NamePart.FAMILY: "family_name",
}


@lru_cache(maxsize=50_000)
def name_key(text: str) -> str:
    # Cached: an import or a rebuild meets the same few thousand names again
    # and again.
    return " ".join(name_words(text))


@lru_cache(maxsize=50_000)
def loose_key(key: str) -> str:
    """The key without the article: ال / آل alone, or at the start of a word."""
    words = []
    for word in key.split():
        if word == ARTICLE:
            continue
        # Keep short words whole: stripping would leave one letter.
        if word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 1:
            word = word[len(ARTICLE) :]
        words.append(word)
    return " ".join(words) or key


def keys_of(parts: dict[str, str]) -> dict[str, tuple[str, str]]:
    """{part: (key, loose_key)} for the parts of a name that are not empty."""
    keys = {}
    for part in PARTS:
        key = name_key(parts.get(part, ""))
        if key:
            keys[part] = (key, loose_key(key))
    return keys


class BeneficiaryNameKey(TenantModel):
    """One part of a beneficiary's name, normalised for duplicate lookup."""

    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.CASCADE,
        related_name="name_keys",
        # The unique (beneficiary, position) index serves lookups by beneficiary.
        db_index=False,
    )
    position = models.CharField(max_length=12, choices=NamePart.choices)
    key = models.CharField(max_length=60)
    loose_key = models.CharField(max_length=60)

    class Meta:
        ordering = ["beneficiary_id", "position"]
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "position"], name="one_name_key_per_part"
            )
        ]
        indexes = [
            # Covering: "who in this association has this name (as this part)"
            # is read from the index alone, sorted by beneficiary, so two names
            # are intersected by a merge join. The position comes last: search
            # matches a word in any part, the duplicate check in one part.
            models.Index(
                fields=["organization", "loose_key", "beneficiary", "position"],
                name="name_key_word_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.key}"


class NameWord(TenantModel):
    """Every distinct name key of an association: a few thousand rows.

    A misspelt word is compared with these (trigram similarity, PostgreSQL)
    instead of with a million names; the words found are then looked up
    exactly in the name keys. Words are never removed: one nobody bears any
    more matches nobody.
    """

    word = models.CharField(max_length=60)

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "word"], name="name_word_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.word


class NameBlock(TenantModel):
    """A beneficiary's four loose keys side by side, one row each.

    The duplicate check asks "who has this first AND this family name, sharing
    the father's or grandfather's too?": one range of this index answers it,
    where the key table needed its rows for two names intersected (tens of
    thousands for محمد and a common family name).
    """

    beneficiary = models.OneToOneField(
        "registry.Beneficiary",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="name_block",
    )
    first = models.CharField(max_length=60, blank=True)
    father = models.CharField(max_length=60, blank=True)
    grandfather = models.CharField(max_length=60, blank=True)
    family = models.CharField(max_length=60, blank=True)

    class Meta:
        indexes = [
            # Covering (PostgreSQL): namesakes are read from the index alone.
            models.Index(
                fields=["organization", "first", "family", "father", "grandfather"],
                include=["beneficiary"],
                name="name_block_idx",
            )
        ]

    def __str__(self) -> str:
        return " ".join((self.first, self.father, self.grandfather, self.family))


def bearing(*conditions: dict):
    """The ids of beneficiaries with a name key matching each condition, e.g.
    bearing({"loose_key__in": ["محمد"]}, {"loose_key__in": ["قحطاني"]}).

    The keys are intersected among themselves (EXISTS on the key index) before
    any beneficiary is read: PostgreSQL then starts from the rarest name
    (9 ms for four parts in a million, against 50-190 ms when each condition
    was a separate IN on the beneficiaries).
    """
    first, *rest = conditions
    keys = BeneficiaryNameKey.objects.filter(**first)
    for condition in rest:
        same_person = BeneficiaryNameKey.objects.filter(
            beneficiary_id=OuterRef("beneficiary_id"), **condition
        )
        keys = keys.filter(Exists(same_person))
    return keys.values("beneficiary_id")


def _remember_words(rows: list[BeneficiaryNameKey]) -> None:
    words = {(row.organization_id, row.loose_key) for row in rows}
    NameWord.objects.bulk_create(
        [NameWord(organization_id=org, word=word) for org, word in words],
        ignore_conflicts=True,
    )


def _key_rows(beneficiary) -> list[BeneficiaryNameKey]:
    parts = {part: getattr(beneficiary, field) for part, field in PART_FIELDS.items()}
    return [
        BeneficiaryNameKey(
            organization_id=beneficiary.organization_id,
            beneficiary_id=beneficiary.pk,
            position=part,
            key=key,
            loose_key=loose,
        )
        for part, (key, loose) in keys_of(parts).items()
    ]


def _block(beneficiary, rows: list[BeneficiaryNameKey]) -> NameBlock:
    loose = {row.position: row.loose_key for row in rows}
    return NameBlock(
        organization_id=beneficiary.organization_id,
        beneficiary_id=beneficiary.pk,
        **{part: loose.get(part, "") for part in PARTS},
    )


def refresh_name_keys(beneficiary) -> None:
    """Bring the beneficiary's name keys and name block in line with the name.

    Called by the registry services after every create, update and merge, not
    from save() or a signal: a bulk load decides when to pay for it.
    """
    rows = _key_rows(beneficiary)
    wanted = {(r.position, r.key, r.loose_key) for r in rows}
    current = set(beneficiary.name_keys.values_list("position", "key", "loose_key"))
    block = _block(beneficiary, rows)
    NameBlock.objects.update_or_create(
        beneficiary_id=beneficiary.pk,
        defaults={"organization_id": block.organization_id}
        | {part: getattr(block, part) for part in PARTS},
    )
    if current == wanted:
        return
    if current:
        beneficiary.name_keys.all().delete()
    BeneficiaryNameKey.objects.bulk_create(rows)
    _remember_words(rows)


def add_name_keys(beneficiaries) -> None:
    """Keys and blocks for beneficiaries just created in bulk (none have keys)."""
    rows, blocks = [], []
    for beneficiary in beneficiaries:
        own = _key_rows(beneficiary)
        rows += own
        blocks.append(_block(beneficiary, own))
    BeneficiaryNameKey.objects.bulk_create(rows)
    NameBlock.objects.bulk_create(blocks, ignore_conflicts=True)
    _remember_words(rows)


def build_missing_name_keys(beneficiaries, batch_size: int = 1000) -> int:
    """Keys for the beneficiaries that have none (loaded without the services)."""
    # Ids first: SQLite would see the rows inserted below in an open cursor.
    ids = list(
        beneficiaries.filter(name_keys__isnull=True).values_list("pk", flat=True)
    )
    fields = ("organization_id", *PART_FIELDS.values())
    for start in range(0, len(ids), batch_size):
        chunk = beneficiaries.filter(pk__in=ids[start : start + batch_size])
        add_name_keys(chunk.only(*fields))
    return len(ids)


# The blocks of every beneficiary that has name keys but no block: the same
# pivot in the migration that introduced the blocks and in bench/generate.py.
BLOCKS_FROM_KEYS_SQL = """
INSERT INTO registry_nameblock
    (organization_id, beneficiary_id, first, father, grandfather, family,
     created_at, updated_at)
SELECT k.organization_id, k.beneficiary_id,
       MAX(CASE WHEN k.position = 'first' THEN k.loose_key ELSE '' END),
       MAX(CASE WHEN k.position = 'father' THEN k.loose_key ELSE '' END),
       MAX(CASE WHEN k.position = 'grandfather' THEN k.loose_key ELSE '' END),
       MAX(CASE WHEN k.position = 'family' THEN k.loose_key ELSE '' END),
       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM registry_beneficiarynamekey k
WHERE NOT EXISTS (
    SELECT 1 FROM registry_nameblock b WHERE b.beneficiary_id = k.beneficiary_id
)
GROUP BY k.organization_id, k.beneficiary_id
"""
