"""Arabic text: digits and the normal form names are searched and compared in."""

import re

_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
# "son of" / "daughter of" between name parts carry no identity.
_LINKS = {"بن", "بنت", "ابن"}


def to_western_digits(text: str) -> str:
    """Eastern Arabic (and Persian) digits to 0-9."""
    return text.translate(_EASTERN_DIGITS)


def name_words(text: str) -> list[str]:
    """The words of a name in normal form: people write the same name as
    أحمد / احمد, عبد الله / عبدالله, محمد بن سعد / محمد سعد, with or without
    diacritics and tatweel; these all give the same words."""
    text = _DIACRITICS.sub("", to_western_digits(text or "")).translate(_LETTERS)
    words = [w for w in text.lower().split() if w not in _LINKS]
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == "عبد":
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def normalize_name(text: str) -> str:
    return " ".join(name_words(text))
