"""Arabic text: digits and the normal form names are searched and compared in."""

import re

_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_SPACES = re.compile(r"\s+")


def to_western_digits(text: str) -> str:
    """Eastern Arabic (and Persian) digits to 0-9."""
    return text.translate(_EASTERN_DIGITS)


def normalize_name(text: str) -> str:
    """Fold spellings people write interchangeably: hamza forms of alef, alef
    maqsura and ya, ta marbuta and ha; drop diacritics and tatweel."""
    text = _DIACRITICS.sub("", text or "").translate(_LETTERS)
    return _SPACES.sub(" ", text).strip().lower()
