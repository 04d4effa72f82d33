"""Finding beneficiaries: by identity number or mobile through their blind
indexes, by name through the normalised name (trigram-indexed on PostgreSQL)."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from mustafid.core.arabic import normalize_name, to_western_digits
from mustafid.core.crypto import blind_index
from mustafid.core.phones import normalize_mobile
from mustafid.core.saudi_ids import normalize_id

FUZZY_THRESHOLD = 0.45


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
    matches = queryset
    for word in words:
        matches = matches.filter(name_normalized__contains=word)
    if connection.vendor != "postgresql" or matches.exists():
        return matches
    # No exact words: tolerate spelling mistakes with trigram similarity.
    from django.contrib.postgres.search import TrigramWordSimilarity

    return (
        queryset.annotate(similarity=TrigramWordSimilarity(name, "name_normalized"))
        .filter(similarity__gte=FUZZY_THRESHOLD)
        .order_by("-similarity", "id")
    )
