"""Encryption at rest for identity numbers and mobiles, with keyed hashes for lookup.

Values are encrypted with Fernet (AES-128-CBC + HMAC). FIELD_ENCRYPTION_KEYS lists
keys newest first: the first encrypts, all decrypt, so a key can be rotated without
downtime (`mustafid rotate_keys` re-encrypts every row with the first key).
Encrypted values cannot be searched, so each gets an HMAC-SHA256 "blind index"
under FIELD_HASH_KEY for exact lookups and uniqueness.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def reencrypt(token: str) -> str:
    """The same value under the newest key."""
    return fernet().rotate(token.encode()).decode()


def blind_index(value: str) -> str:
    """A keyed hash of an already-normalised value; empty for an empty value."""
    if not value:
        return ""
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stored encrypted, read as plain text. Not searchable: pair it with a hash."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return decrypt(value)
        except InvalidToken as exc:
            raise ValueError(
                f"{self.model.__name__}.{self.name} cannot be decrypted with "
                "FIELD_ENCRYPTION_KEYS: is a retired key missing?"
            ) from exc

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
