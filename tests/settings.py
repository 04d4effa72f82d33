"""Test settings: the real settings with a test secret and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")

from mustafid.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
