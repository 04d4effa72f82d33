"""Mustafid settings: one file, read from the environment (see .env.example)."""

import base64
import hashlib
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    """A variable, or the contents of the file named by NAME_FILE (for secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
DATA_DIR = Path(env("DATA_DIR", str(PROJECT_DIR / "data")))

_INSECURE_KEY = "insecure-local-key-change-me"
SECRET_KEY = env("SECRET_KEY", _INSECURE_KEY)
if not DEBUG and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of 32+ characters when DEBUG is off."
    )

# Identity numbers and mobiles are encrypted at rest (core.crypto). Generate a key with
# `mustafid generate_keys`; list old keys after the new one while rotating.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = env("FIELD_HASH_KEY")
if not (FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY):
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY must be set when DEBUG is off."
        )
    # A trial or the demo: keys derived from the local secret, stable across runs.
    _derived = hashlib.sha256(f"mustafid-fields:{SECRET_KEY}".encode()).digest()
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [
        base64.urlsafe_b64encode(_derived).decode()
    ]
    FIELD_HASH_KEY = FIELD_HASH_KEY or _derived.hex()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "mustafid.core",
    "mustafid.contact",
    "mustafid.governance",
    "mustafid.registry",
    "mustafid.catalog",
    "mustafid.cases",
    "mustafid.eligibility",
    "mustafid.feedback",
    "mustafid.surveys",
    "mustafid.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mustafid.core.middleware.ArabicFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mustafid.core.tenancy.TenantMiddleware",
]

ROOT_URLCONF = "mustafid.urls"
WSGI_APPLICATION = "mustafid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mustafid.core.context_processors.shell",
            ],
            "builtins": ["mustafid.core.templatetags.dates"],
        },
    }
]

if not env("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the zero-set-up SQLite trial
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'mustafid.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins are counted from the audit trail (core.auth).
LOGIN_FAILURES_PER_USERNAME = int(env("LOGIN_FAILURES_PER_USERNAME", "5"))
LOGIN_FAILURES_PER_IP = int(env("LOGIN_FAILURES_PER_IP", "20"))
LOGIN_FAILURE_WINDOW_MINUTES = int(env("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
# The portal's one-time codes (issue 7): lifetime, wrong answers allowed per code,
# codes per mobile and per address per hour.
PORTAL_CODE_SECONDS = int(env("PORTAL_CODE_SECONDS", "300"))
PORTAL_CODE_ATTEMPTS = int(env("PORTAL_CODE_ATTEMPTS", "5"))
PORTAL_CODES_PER_MOBILE = int(env("PORTAL_CODES_PER_MOBILE", "5"))
PORTAL_CODES_PER_IP = int(env("PORTAL_CODES_PER_IP", "30"))
# Questions sent through an association's public inquiry form, per address per hour.
PORTAL_INQUIRIES_PER_IP = int(env("PORTAL_INQUIRIES_PER_IP", "5"))

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Riyadh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["mustafid.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "private")))
STORAGES = {
    # Uploaded files are private: there is no MEDIA_URL; views serve them after a
    # permission check. Set STORAGE_BACKEND to an S3-compatible backend in production.
    "default": {
        "BACKEND": env("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Background work (imports, notifications, reminders) goes through Django's tasks API;
# by default the database queue and `mustafid db_worker --no-reload` (see README).
TASKS = {
    "default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}
# RQ on Redis, the option for scale: `pip install -e ".[rq]"`, then
# TASKS_BACKEND=django_tasks_rq.RQBackend and `mustafid worker`.
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0")}}

# A worker holds the messages it claimed this long (seconds): longer than a
# batch takes to send; a worker killed mid-batch lets go of them then.
OUTBOX_LEASE_SECONDS = int(env("OUTBOX_LEASE_SECONDS", "300"))
# SMS and WhatsApp wait for the morning: (start hour, end hour), Riyadh time.
QUIET_HOURS = tuple(int(h) for h in env("QUIET_HOURS", "22-7").split("-"))

# P-COMPLAINTS: the public feedback form takes this many items per address per
# hour; the sender may reopen a resolved item for this many days; the
# satisfaction link stays valid this many days.
FEEDBACK_FORM_LIMIT = int(env("FEEDBACK_FORM_LIMIT", "5"))
FEEDBACK_REOPEN_DAYS = int(env("FEEDBACK_REOPEN_DAYS", "14"))
FEEDBACK_LINK_DAYS = int(env("FEEDBACK_LINK_DAYS", "30"))

# P-SATISFACTION: the daily sweep invites for the requests delivered or closed
# this many days back whose invitation the trigger missed. P-PRIVACY: a figure
# of an anonymous questionnaire over fewer answers than this is not shown.
SURVEY_SWEEP_DAYS = int(env("SURVEY_SWEEP_DAYS", "7"))
SURVEY_MIN_CELL = int(env("SURVEY_MIN_CELL", "5"))

# Served by WhiteNoise; in DEBUG straight from the apps' static folders.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Mustafid <no-reply@localhost>")

# Notifications (contact.backends): one backend per method of sending.
# NOTIFICATION_BACKEND=console prints SMS, WhatsApp and email instead (the demo);
# letters are always rendered and stored for printing.
_BACKENDS = "mustafid.contact.backends"
NOTIFICATION_BACKENDS = {
    "sms": f"{_BACKENDS}.sms.HttpSmsBackend",
    "whatsapp": f"{_BACKENDS}.whatsapp.CloudApiBackend",
    "email": f"{_BACKENDS}.email.EmailBackend",
    "letter": f"{_BACKENDS}.letter.LetterBackend",
}
if env("NOTIFICATION_BACKEND") == "console":
    for _method in ("sms", "whatsapp", "email"):
        NOTIFICATION_BACKENDS[_method] = f"{_BACKENDS}.console.ConsoleBackend"
elif env("NOTIFICATION_BACKEND"):
    raise ImproperlyConfigured("NOTIFICATION_BACKEND may only be empty or 'console'.")


def _json_setting(name: str) -> dict:
    try:
        value = json.loads(env(name) or "{}")
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {exc}") from exc
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object.")
    return value


def _given(**values) -> dict:
    return {key: value for key, value in values.items() if value}


# SMS through an HTTP gateway: a preset (taqnyat, unifonic, msegat, or empty for
# your own) under SMS_GATEWAY_OPTIONS (JSON, any key of contact.backends.sms).
SMS_GATEWAY = {
    "PRESET": env("SMS_GATEWAY_PRESET", "taqnyat"),
    **_json_setting("SMS_GATEWAY_OPTIONS"),
    **_given(
        URL=env("SMS_GATEWAY_URL"),
        TOKEN=env("SMS_GATEWAY_TOKEN"),
        USERNAME=env("SMS_GATEWAY_USERNAME"),
        SENDER=env("SMS_SENDER"),
    ),
}
# WhatsApp through the Cloud API (contact.backends.whatsapp).
WHATSAPP = _given(
    BASE_URL=env("WHATSAPP_BASE_URL", "https://graph.facebook.com"),
    VERSION=env("WHATSAPP_API_VERSION", "v23.0"),
    PHONE_NUMBER_ID=env("WHATSAPP_PHONE_NUMBER_ID"),
    TOKEN=env("WHATSAPP_TOKEN"),
    MODE=env("WHATSAPP_MODE", "template"),
    TEMPLATE_PREFIX=env("WHATSAPP_TEMPLATE_PREFIX", "mustafid_"),
    TEMPLATES=_json_setting("WHATSAPP_TEMPLATES"),
    # Delivery receipts (contact.receipts): the webhook's verify token and the
    # app secret Meta signs each notification with.
    VERIFY_TOKEN=env("WHATSAPP_VERIFY_TOKEN"),
    APP_SECRET=env("WHATSAPP_APP_SECRET"),
)
# The SMS gateway's delivery reports arrive at /contact/receipts/sms/<token>/;
# empty turns the door off. Field names of the report, as JSON.
SMS_RECEIPT_TOKEN = env("SMS_RECEIPT_TOKEN")
SMS_RECEIPT_FIELDS = _json_setting("SMS_RECEIPT_FIELDS")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
