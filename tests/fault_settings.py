"""Settings of the portal processes the fault tests start (gunicorn, Celery workers):
the test settings (static files from the finders, fast password hashing), but with the
production wiring of the services taken from the environment, as ``base`` has it:
``DATABASE_URL`` as given (no test database), the Redis cache and a real broker when
``REDIS_URL`` is set, and mails written to files in ``FAULTS_MAIL_DIR`` so that a test can
count what every process sent."""

import os

from imaportal.cache import redis_cache_settings
from imaportal.settings.test import *  # noqa: F403

REDIS_URL = os.environ.get("REDIS_URL", "")  # no fallback to the shared Redis
CACHES = {
    "default": redis_cache_settings(REDIS_URL)
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
if os.environ.get("FAULTS_VISIBILITY_TIMEOUT"):  # redeliver a killed worker's task sooner
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(os.environ["FAULTS_VISIBILITY_TIMEOUT"]),
    }
if os.environ.get("FAULTS_MAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["FAULTS_MAIL_DIR"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
