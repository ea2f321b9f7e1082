"""Settings shared by every environment. Everything that differs between machines is read
from the environment (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from imaportal.cache import redis_cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG: bool = env.bool("DEBUG", default=False)
SECRET_KEY: str = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "imaportal",  # the project's own commands (load_demo_data); no models
    "audit",
    "policy",
    "members",
    "cpe",
    "certification",
    "refunds",
    "notifications",
]

MIDDLEWARE = [
    # Outermost: a database outage anywhere below answers 503 with a message (imaportal/outage.py).
    "imaportal.outage.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "imaportal.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the session and the user: a signed-in member's own language (members/language.py).
    "members.language.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "imaportal.urls"
WSGI_APPLICATION = "imaportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # |day |moment |month |hours |money on every template: the one way to write them.
            "builtins": ["imaportal.templatetags.formatting"],
        },
    },
]

# Content-Security-Policy (django-csp) on every response: scripts, styles and everything
# else come from this origin only; no inline script or style, no plugins, no framing (the
# evidence view and the API docs relax one directive each, see cpe/views.py, imaportal/urls.py).
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Database: DATABASE_URL, e.g. postgres://user:pass@host:5432/imaportal. Production
# requires it; local settings start an embedded PostgreSQL when it is unset.
DATABASE_URL: str = env.str("DATABASE_URL", default="")
DATABASES: dict[str, Any] = {
    "default": environ.Env.db_url_config(DATABASE_URL) if DATABASE_URL else {},
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
# A persistent connection (CONN_MAX_AGE) broken by a database restart is replaced before a
# request uses it, so the portal recovers by itself once PostgreSQL is back.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"  # members.adapters.landing_url decides who lands where
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email is the login; members are created by staff (or the API), so the
# public sign-up form is closed. Failed logins are rate limited per IP and per account.
ACCOUNT_ADAPTER = "members.adapters.PortalAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE", default="20/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "IMA Member Portal"
# One 30-second step either side: a code read just before the window turns still works.
MFA_TOTP_TOLERANCE = 1

# Client addresses (rate limits, throttles) come from the socket unless this many proxies
# that we run sit in front and append to X-Forwarded-For; then the address they saw is used.
TRUSTED_PROXY_COUNT: int = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# A member's public verification page (/v/<token>/) answers this many requests per client
# address (allauth's rate syntax: amount/period/per), then 429 until the window passes.
VERIFICATION_LINK_RATE: str = env.str("VERIFICATION_LINK_RATE", default="30/m/ip")
# API tokens expire this long after they were issued (API_TOKEN_TTL in days).
API_TOKEN_TTL = timedelta(days=env.float("API_TOKEN_TTL", default=30.0))

# Email: EMAIL_URL (smtp://user:pass@host:587/?tls=True) or the console backend.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="IMA Member Portal <no-reply@ima.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the portal: every link in an email starts with it.
PORTAL_URL: str = env.str("PORTAL_URL", default="http://127.0.0.1:8000")
# The issuer's Ed25519 signing keys for the credentials the portal signs (imaportal/signing.py):
# a JWK set or PEM text in IMAPORTAL_ISSUER_KEYS, or a file named by IMAPORTAL_ISSUER_KEY_FILE;
# newest first, the first private key signs, every key's public half is published at
# /.well-known/jwks.json. Production requires one (check --deploy: certification.E001);
# ``serve`` and the tests generate one into their key file (ISSUER_KEY_GENERATE).
ISSUER_KEYS: str = env.str("IMAPORTAL_ISSUER_KEYS", default="")
ISSUER_KEY_FILE: str = env.str("IMAPORTAL_ISSUER_KEY_FILE", default="")
ISSUER_KEY_GENERATE = False

# Internationalization: every visible string is marked for translation.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("nb", _("Norwegian Bokmål")),
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language (imaportal/formatting.py); languages without a module of
# their own keep Django's.
FORMAT_MODULE_PATH = ["imaportal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Evidence files are private: a file system folder that no URL serves (downloads go through
# a permission-checked view), or S3-compatible storage via django-storages when
# EVIDENCE_S3_BUCKET is set (private ACL, short-lived signed URLs never handed out).
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# IMA member services, shown where a member must contact a person (the dues page).
IMA_CONTACT_EMAIL: str = env.str("IMA_CONTACT_EMAIL", default="ima@imanet.org")
IMA_CONTACT_PHONE: str = env.str("IMA_CONTACT_PHONE", default="+1 800 638 4427")
# Request bodies on the API (README, "API"): 413 above these. Multipart uploads carry one
# evidence file plus a few fields.
API_MAX_BODY_BYTES: int = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
API_MAX_UPLOAD_BYTES: int = EVIDENCE_MAX_BYTES + 256 * 1024
# Uploads are counted while they stream: past EVIDENCE_MAX_BYTES nothing more is spooled.
FILE_UPLOAD_HANDLERS = [
    "imaportal.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CSRF_FAILURE_VIEW = "imaportal.errors.csrf_failure"
_evidence_bucket: str = env.str("EVIDENCE_S3_BUCKET", default="")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "evidence": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _evidence_bucket,
                "endpoint_url": env.str("EVIDENCE_S3_ENDPOINT_URL", default="") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if _evidence_bucket
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": env.path("EVIDENCE_ROOT", default=BASE_DIR / "private")},
        }
    ),
}

# Cache (rate limits, used TOTP codes): Redis when REDIS_URL is set, else in-process. While
# Redis is down the cache falls back to local memory instead of failing (imaportal/cache.py).
REDIS_URL: str = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        redis_cache_settings(REDIS_URL)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery: Redis broker from REDIS_URL; with no broker configured tasks run eagerly, in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a request must not hang while Redis is down: short timeouts and one retry,
# after which imaportal.queueing.enqueue runs the task in-process instead.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = {
    "send-unsent-mail": {
        "task": "notifications.tasks.send_unsent_mail",
        "schedule": crontab(minute="*/10"),
    },
    "clear-expired-sessions": {
        "task": "members.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=0),
    },
    "nightly-status-recompute": {
        "task": "certification.tasks.nightly_status_recompute",
        "schedule": crontab(hour=2, minute=30),
    },
    "october-cpe-reminders": {
        "task": "certification.tasks.october_cpe_reminders",
        "schedule": crontab(hour=9, minute=0, month_of_year=10),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "imaportal.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "imaportal.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "imaportal.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": env.str("API_AUTH_RATE", default="10/min")},
    "COERCE_DECIMAL_TO_STRING": True,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IMA Member Portal API",
    "DESCRIPTION": "API v1 of the IMA member-services portal (see SPEC.md section 6).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the pinned drf-spectacular-sidecar package's static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents its error answers (400, 401, 403, 404, 409, 413, 429).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "imaportal.schema.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ActivityTypeEnum": "cpe.models.ACTIVITY_TYPE_CHOICES",
        "SelfReportedActivityTypeEnum": "cpe.models.SELF_REPORT_CHOICES",
        "ExemptionReasonEnum": "certification.models.ExemptionReason",
        "RequestStateEnum": "certification.models.RequestState",
        "RefundStateEnum": "refunds.models.RefundState",
        "RefundReasonCodeEnum": "refunds.choices.RefundReason",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
