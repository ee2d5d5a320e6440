"""Settings for BUS-portalen, read from the environment.

SQLite when nothing is configured; PostgreSQL through DATABASE_URL in production.
Bad values raise ImproperlyConfigured at start-up rather than misbehave later.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from bus_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Demo mode seeds the fictional county and lets the shared demo password log in without TOTP.
DEMO_MODE = env_bool("DEMO_MODE", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DEMO_MODE:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-demo"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or DEMO_MODE else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "bus_portal",
    "agreements",
    "sip",
    "deviations",
    "followup",
    "eid",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "djangosaml2",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bus_portal.middleware.SwedishByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bus_portal.middleware.SessionTimeoutMiddleware",
    "bus_portal.middleware.TwoFactorRequiredMiddleware",
    "bus_portal.middleware.InboxCountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "bus_portal.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

# `make bench` turns this on: Server-Timing headers and bare baseline pages (bench/server.py).
BENCH_MODE = env_bool("BENCH_MODE", False)
if BENCH_MODE:
    MIDDLEWARE.insert(0, "bench.server.ServerTimingMiddleware")

ROOT_URLCONF = "bus_portal.urls"
WSGI_APPLICATION = "bus_portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "bus_portal.context_processors.portal_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "bus_portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "eid.backends.EidBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Sessions: 30 minutes idle, 10 hours absolute (enforced in SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The portal's public address, for links in e-mails (which have no request to take it from).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG or DEMO_MODE else "") or ""

# Caches. With REDIS_URL (every deployment with more than one worker process) the cache is
# shared, so what one worker forgets (a menu entry, cached figures) every worker forgets, and
# sessions are read from it before the database (cached_db): one query less on every page.
# Without it each process keeps its own memory cache and sessions stay in the database only, since
# a session cached in one process would outlive a logout handled by another.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"bus-{alias}",
        }
        for alias in ("default", "sessions")
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console in demo and debug; SMTP from the environment otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "BUS-portalen <noreply@bus-portalen.example>")
# Where reports of accessibility problems go (the statement names it too).
ACCESSIBILITY_EMAIL = env_str("ACCESSIBILITY_EMAIL", "tillganglighet@bus-portalen.example")

# Background tasks (e-mail and other slow work) run in the database-backed worker.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security headers. CSP with nonces and no inline script (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not DEMO_MODE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or DEMO_MODE else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG and not DEMO_MODE
SECURE_HSTS_PRELOAD = not DEBUG and not DEMO_MODE
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG and not DEMO_MODE)


# Shared demo password; honoured only when DEMO_MODE is on.
DEMO_PASSWORD = "bus-demo-2026"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}


# eID sign-in over SAML 2.0 (SITHS, Freja eID; issue 16). The identity providers come from
# SAML_IDPS and SAML_IDP_<KEY>_* (eid/providers.py, docs/deployment.md); without them the login
# page offers the password only and the saml2/ pages answer 404.
from eid.providers import providers_from_env  # noqa: E402

EID_IDENTITY_PROVIDERS = providers_from_env()
SAML_SP_ENTITY_ID = env_str("SAML_SP_ENTITY_ID", "") or ""
SAML_SP_KEY_FILE = env_str("SAML_SP_KEY_FILE", "") or ""
SAML_SP_CERT_FILE = env_str("SAML_SP_CERT_FILE", "") or ""
SAML_SP_ENCRYPTION_KEY_FILE = env_str("SAML_SP_ENCRYPTION_KEY_FILE", "") or ""
SAML_SP_ENCRYPTION_CERT_FILE = env_str("SAML_SP_ENCRYPTION_CERT_FILE", "") or ""
SAML_XMLSEC_BINARY = env_str("SAML_XMLSEC_BINARY", "") or ""
SAML_ACCEPTED_TIME_DIFF = env_int("SAML_ACCEPTED_TIME_DIFF", 60)
SAML_METADATA_CACHE_SECONDS = env_int("SAML_METADATA_CACHE_SECONDS", 3600)
if EID_IDENTITY_PROVIDERS and not (SAML_SP_KEY_FILE and SAML_SP_CERT_FILE):
    raise ImproperlyConfigured(
        "SAML_IDPS is set: SAML_SP_KEY_FILE and SAML_SP_CERT_FILE must be too."
    )
if EID_IDENTITY_PROVIDERS and not (SAML_SP_ENTITY_ID or SITE_URL):
    raise ImproperlyConfigured("SAML_IDPS is set: SITE_URL (or SAML_SP_ENTITY_ID) must be too.")
SAML_CONFIG_LOADER = "eid.config.sp_config"
SAML_CREATE_UNKNOWN_USER = False
SAML_ATTRIBUTE_MAPPING: dict = {}
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_CSP_HANDLER = ""  # the AuthnRequest goes by redirect: no form posts to the provider
SAML_IGNORE_LOGOUT_ERRORS = True
# The provider posts the answer back cross-site: the SAML state cookie must then be SameSite=None,
# which browsers accept only when it is Secure (so Lax on plain-HTTP development servers).
SAML_SESSION_COOKIE_NAME = "saml_session"
SAML_SESSION_COOKIE_SAMESITE = "None" if SESSION_COOKIE_SECURE else "Lax"
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "djangosaml2.middleware.SamlSessionMiddleware",
)
