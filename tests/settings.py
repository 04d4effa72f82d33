"""Test settings: the real settings with a test secret and fast password hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS", "oGb9mhpdBBpwBqW8DczkxsJ0W5r2k1g9VYjHn8pX3LA="
)
os.environ.setdefault("FIELD_HASH_KEY", "test-hash-key-0123456789abcdef")

from mustafid.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="mustafid-static-"))
WHITENOISE_USE_FINDERS = True
