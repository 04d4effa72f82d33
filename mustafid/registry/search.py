"""Finding beneficiaries: by identity number or mobile through their blind
indexes, by name through the name keys.

A name is searched in three steps, each only when the one before finds nobody:
1. whole words: every word of the query is a part of the name (any part,
   with or without the article), newest first and at most MAX_NAME_MATCHES.
   One word is read from the name-key index alone, so a common name costs
   little more than a rare one; several words, on PostgreSQL, from the GIN
   index over the name blocks, which intersects their bearers.
2. letters: every word appears inside the name (someone typing a name
   partly); the trigram index serves it on PostgreSQL.
3. spelling mistakes (PostgreSQL): each word is compared with the
   association's few thousand distinct name words, never with the registry,
   and the words it resembles are looked up as in step 1.
"""

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value

from mustafid.core.arabic import normalize_name, to_western_digits
from mustafid.core.crypto import blind_index
from mustafid.core.phones import normalize_mobile
from mustafid.core.saudi_ids import normalize_id
from mustafid.registry.name_keys import (
    ARTICLE,
    PARTS,
    NameBlock,
    NameWord,
    bearing,
    loose_key,
)

# A misspelt word matches the name words at least this similar (trigrams; one
# wrong letter in a six-letter name leaves about 0.4). pg_trgm's `%` operator
# filters at its own default, 0.3, which is this.
FUZZY_THRESHOLD = 0.3
# Shorter words resemble too many names to guess what was meant.
FUZZY_MIN_LETTERS = 4
# The closest name words kept for each misspelt word.
FUZZY_WORDS = 8
NEWEST_FIRST = ("-id",)
# A name search lists at most the newest this many; more means "add a word".
MAX_NAME_MATCHES = 1000


def search_beneficiaries(queryset, text: str):
    text = to_western_digits(text or "").strip()
    if not text:
        return queryset
    compact = text.replace(" ", "").replace("-", "")
    if compact.lstrip("+").isdigit():
        return _by_number(queryset, compact)
    return _by_name(queryset, normalize_name(text))


def _by_number(queryset, digits: str):
    hashes = {blind_index(normalize_id(digits).upper())}
    try:
        mobile_hash = blind_index(normalize_mobile(digits))
    except ValidationError:
        return queryset.filter(identity_hash__in=hashes)
    return queryset.filter(Q(identity_hash__in=hashes) | Q(mobile_hash=mobile_hash))


def _by_name(queryset, name: str):
    words = name.split()
    # آل before a family name is written apart (آل عمر): the keys hold عمر.
    whole = [[loose_key(word)] for word in words if word != ARTICLE]
    matches = _bearing(queryset, whole)
    if matches is not None:
        return matches
    letters = queryset
    for word in words:
        letters = letters.filter(name_normalized__contains=word)
    if connection.vendor != "postgresql" or letters.exists():
        return letters
    similar = resembling_each({str(i): word for i, word in enumerate(words)})
    return _bearing(queryset, list(similar.values())) or queryset.none()


def _bearing(queryset, alternatives: list[list[str]]):
    """Those whose name has, for each entry, one of its words as a part, or
    None if nobody has: the newest MAX_NAME_MATCHES, found from an index
    alone. (Asked of the beneficiaries, a name as common as محمد made
    PostgreSQL read the registry in id order: 3 s in a million.)"""
    if not alternatives or not all(alternatives):
        return None
    if len(alternatives) > 1 and connection.vendor == "postgresql":
        ids = _blocks_bearing(alternatives)
    else:
        conditions = [{"loose_key__in": words} for words in alternatives]
        # A person bearing a word in two parts has two keys: counted once.
        ids = bearing(*conditions).distinct()
    ids = ids.order_by("-beneficiary_id")[:MAX_NAME_MATCHES]
    ids = list(ids.values_list("beneficiary_id", flat=True))
    if not ids:
        return None
    return queryset.filter(pk__in=ids).order_by(*NEWEST_FIRST)


class _Parts(Func):
    """The four parts of a name block as one array (migration 0012 indexes it)."""

    template = "ARRAY[%(expressions)s]"

    def __init__(self):
        super().__init__(*(F(part) for part in PARTS))


class _PartsMatch(Func):
    """`parts @> words` (bears every word) or `parts && words` (bears one)."""

    output_field = BooleanField()

    def __init__(self, operator: str, words: list[str]):
        words = Func(Value(words), template="%(expressions)s::varchar[]")
        super().__init__(_Parts(), words, arg_joiner=f" {operator} ")
        self.template = "(%(expressions)s)"


def _blocks_bearing(alternatives: list[list[str]]):
    """Several words, on PostgreSQL: the GIN index over the four parts of each
    name block intersects the lists of each word's bearers (three common words:
    30 ms, against 143 ms merging the sorted key lists). One word keeps the key
    index, where reading its newest thousand beats collecting all its bearers."""
    every = [words[0] for words in alternatives if len(words) == 1]
    conditions = [_PartsMatch("@>", every)] if every else []
    conditions += [_PartsMatch("&&", words) for words in alternatives if len(words) > 1]
    return NameBlock.objects.filter(*conditions)


def resembling(word: str, limit: int = FUZZY_WORDS) -> list[str]:
    """The association's name words closest to a misspelt one (PostgreSQL)."""
    return resembling_each({"": word}, limit=limit)[""]


def resembling_each(words: dict[str, str], limit: int = FUZZY_WORDS) -> dict:
    """For each entry, the name words closest to its word: one statement
    (a UNION ALL of one trigram lookup per word), PostgreSQL only."""
    from django.contrib.postgres.lookups import TrigramSimilar
    from django.contrib.postgres.search import TrigramSimilarity

    found: dict[str, list[str]] = {}
    lookups = []
    for label, word in words.items():
        word = loose_key(word)
        if len(word) < FUZZY_MIN_LETTERS:
            found[label] = [word]  # too short to guess what was meant
            continue
        lookups.append(
            # The lookup as an expression (`%`, served by the trigram index):
            # django.contrib.postgres is not installed.
            NameWord.objects.filter(TrigramSimilar(F("word"), Value(word)))
            .annotate(similarity=TrigramSimilarity("word", word), label=Value(label))
            .filter(similarity__gte=FUZZY_THRESHOLD)
            .order_by("-similarity", "word")
            .values_list("label", "word")[:limit]
        )
    if lookups:
        first, *rest = lookups
        rows = first.union(*rest, all=True) if rest else first
        for label, word in rows:
            found.setdefault(label, []).append(word)
    return {label: found.get(label, []) for label in words}
